/**
 * Password reset by emailed link. The link carries a random token; only its SHA-256 is stored, it works once, and
 * it expires after `resetTtlMs`. Asking for a reset answers the same whether or not the email exists.
 */
import { and, eq, gt, isNull } from 'drizzle-orm';
import { companies } from '../../db/schema.ts';
import { passwordResets, sessions, users } from '../../db/tables/access.ts';
import type { ChannelProvider, OutboundEmail } from '../messaging/ports.ts';
import type { Ctx } from '../shared/context.ts';
import { AppError } from '../shared/errors.ts';
import { recordAudit } from './audit.ts';
import { forgetUserCredentials } from './credential-cache.ts';
import type { AuthDeps } from './sign-in.ts';
import { checkPassword, hashPassword, hashToken, newToken } from './secrets.ts';
import { t } from '../../domain/text.ts';

/**
 * The email provider a company's reset emails go through. `serve` gives the one messaging uses for that company (its
 * saved SMTP settings, else the environment's SMTP, else the sandbox: resetMailer in src/cli/providers.ts); tests give
 * a loopback SMTP server.
 */
export type Mailer = (company: Ctx) => Promise<ChannelProvider<OutboundEmail>>;

/** Where links point: the web app's reset page, e.g. `https://cobranza.example/app/reset-password`. */
export interface ResetLinkOptions {
  /** The server's public URL without a trailing slash. */
  publicUrl: string;
}

const RESEND_AFTER_MS = 60_000;

/** Emails a reset link to the user with this email, if there is an active one. */
export async function requestPasswordReset(deps: AuthDeps & { mailer: Mailer } & ResetLinkOptions, input: { email: string }): Promise<void> {
  const { db } = deps.database;
  const email = input.email.trim().toLowerCase();
  const [found] = await db.select({ user: users, company: companies }).from(users).innerJoin(companies, eq(companies.id, users.companyId)).where(eq(users.email, email));
  if (!found || !found.user.active) return;
  const { user, company } = found;
  const now = deps.clock.now();
  // One email a minute per user at most, so the form cannot be used to flood someone's inbox.
  const [recent] = await db
    .select({ id: passwordResets.id })
    .from(passwordResets)
    .where(and(eq(passwordResets.userId, user.id), gt(passwordResets.createdAt, new Date(now.getTime() - RESEND_AFTER_MS))))
    .limit(1);
  if (recent) return;
  const token = newToken();
  const expiresAt = new Date(now.getTime() + deps.settings.resetTtlMs);
  const [reset] = await db.transaction(async (tx) => {
    const inserted = await tx.insert(passwordResets).values({ companyId: user.companyId, userId: user.id, tokenHash: hashToken(token), createdAt: now, expiresAt }).returning({ id: passwordResets.id });
    await recordAudit({ database: deps.database, clock: deps.clock, companyId: user.companyId, actor: email }, { action: 'user.password_reset_requested', entity: 'user', entityId: user.id }, tx);
    return inserted;
  });
  const link = `${deps.publicUrl}/app/reset-password?token=${encodeURIComponent(token)}`;
  const minutes = Math.round(deps.settings.resetTtlMs / 60_000);
  const text =
    `Hola ${user.name}:\n\nRecibimos una solicitud para restablecer su contraseña de cobranza (${company.name}).\n` +
    `Abra este enlace para elegir una nueva; funciona una sola vez durante ${minutes} minutos:\n\n${link}\n\n` +
    `Si no lo pidió, ignore este correo: su contraseña no cambia.\n\n---\n\n` +
    `Hello ${user.name},\n\nWe received a request to reset your cobranza password (${company.name}).\n` +
    `Open this link to choose a new one; it works once, for ${minutes} minutes:\n\n${link}\n\nIf you did not ask for it, ignore this email: your password stays the same.\n`;
  const html = text
    .split('\n')
    .map((line) => (line === link ? `<a href="${escapeHtml(link)}">${escapeHtml(link)}</a>` : escapeHtml(line)))
    .join('<br>\n');
  const mailer = await deps.mailer({ database: deps.database, clock: deps.clock, companyId: user.companyId, actor: email });
  await mailer.send({
    channel: 'email',
    idempotencyKey: `password-reset:${reset!.id}`,
    to: user.email,
    from: '',
    subject: 'Restablecer su contraseña / Reset your password',
    text,
    html,
  });
}

/** Sets a new password from a reset link: the token works once; it lifts a lockout and ends every open session. */
export async function resetPassword(deps: AuthDeps, input: { token: string; password: string }): Promise<{ email: string }> {
  const { db } = deps.database;
  const now = deps.clock.now();
  const invalid = () => new AppError('validation_failed', t('this reset link is not valid any more (used, expired or mistyped); ask for a new one', 'este enlace para restablecer la contraseña ya no es válido (se usó, venció o está mal copiado); pida uno nuevo'), [{ path: 'token', reason: t('invalid or expired', 'no válido o vencido') }]);
  const [found] = await db
    .select({ reset: passwordResets, user: users })
    .from(passwordResets)
    .innerJoin(users, eq(users.id, passwordResets.userId))
    .where(and(eq(passwordResets.tokenHash, hashToken(input.token)), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, now)));
  if (!found || !found.user.active) throw invalid();
  checkPassword(input.password, found.user.email);
  const passwordHash = await hashPassword(input.password);
  await db.transaction(async (tx) => {
    // The conditional update is what makes the link single-use, also when two requests race with it.
    const claimed = await tx
      .update(passwordResets)
      .set({ usedAt: now })
      .where(and(eq(passwordResets.id, found.reset.id), isNull(passwordResets.usedAt)))
      .returning({ id: passwordResets.id });
    if (claimed.length === 0) throw invalid();
    await tx.update(users).set({ passwordHash, failedLogins: 0, lockedUntil: null, updatedAt: now }).where(eq(users.id, found.user.id));
    await tx.update(sessions).set({ revokedAt: now }).where(and(eq(sessions.userId, found.user.id), isNull(sessions.revokedAt)));
    await recordAudit({ database: deps.database, clock: deps.clock, companyId: found.user.companyId, actor: found.user.email }, { action: 'user.password_reset', entity: 'user', entityId: found.user.id }, tx);
  });
  forgetUserCredentials(deps.database, found.user.id);
  return { email: found.user.email };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
