/**
 * The light identity check in front of everything sensitive: the last four characters of the tax id, or the date of
 * birth, as the company chose. Wrong answers are counted per debtor (a new link does not reset them) and, at the
 * company's limit (5 by default), lock the check until `lock_minutes` have passed. A right answer opens a session of
 * 30 minutes on that link: a random token the page sends back, stored only as its hash.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq, gt } from 'drizzle-orm';
import type { Db } from '../../db/connection.ts';
import { portalIdentityAttempts, portalLinks, portalSessions } from '../../db/tables/portal.ts';
import { recordAudit } from '../access/audit.ts';
import type { Ctx } from '../shared/context.ts';
import { AppError, reasonCode } from '../shared/errors.ts';
import { recordPortalEvent } from './events.ts';
import type { PortalAccess } from './open-portal.ts';
import { loadPortalSettings, type IdentityCheck } from './settings.ts';
import { t } from '../../domain/text.ts';

/** How long a passed check lasts. */
export const SESSION_MS = 30 * 60_000;

/** What the page needs to ask for the check. */
export interface IdentityState {
  method: IdentityCheck;
  /** False when the debtor's record lacks what the method asks (no tax id, no birth date): the portal cannot verify. */
  available: boolean;
  lockedUntil: Date | null;
  attemptsLeft: number;
}

function normalizeTaxTail(value: string): string {
  return value.toUpperCase().replace(/[^0-9A-Z]/g, '');
}

/** The expected answer for the method, or null when the record cannot answer it. */
function expectedAnswer(access: PortalAccess, method: IdentityCheck): string | null {
  if (method === 'tax_id_last4') {
    const tax = normalizeTaxTail(access.debtor.taxId ?? '');
    return tax.length >= 4 ? tax.slice(-4) : null;
  }
  if (method === 'birth_date') {
    const birth = access.debtor.attributes.birth_date ?? access.debtor.attributes.fecha_nacimiento ?? '';
    return /^\d{4}-\d{2}-\d{2}$/.test(birth) ? birth : null;
  }
  return '';
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The check's state for this debtor. */
export async function identityState(access: PortalAccess): Promise<IdentityState> {
  const settings = await loadPortalSettings(access.ctx);
  const [row] = await access.ctx.database.db.select().from(portalIdentityAttempts).where(eq(portalIdentityAttempts.debtorId, access.debtor.id));
  const now = access.ctx.clock.now();
  const locked = row?.lockedUntil && row.lockedUntil > now ? row.lockedUntil : null;
  const failures = row && !(row.lockedUntil && row.lockedUntil <= now) ? row.failures : 0;
  return {
    method: settings.identityCheck,
    available: expectedAnswer(access, settings.identityCheck) !== null,
    lockedUntil: locked,
    attemptsLeft: locked ? 0 : Math.max(settings.maxAttempts - failures, 0),
  };
}

/**
 * Checks an answer. Right: a session token. Wrong: AppError unauthorized (detail `wrong_answer`, attempts left);
 * at the limit or while locked: AppError too_many_attempts (detail `locked`, until when). The count is committed
 * before the error is thrown.
 */
export async function verifyIdentity(access: PortalAccess, answer: string): Promise<{ session: string; expiresAt: Date }> {
  const settings = await loadPortalSettings(access.ctx);
  const { ctx } = access;
  if (settings.identityCheck === 'none') return openSession(access);
  const expected = expectedAnswer(access, settings.identityCheck);
  if (expected === null) throw new AppError('conflict', t('this account cannot be verified online; contact the creditor', 'esta cuenta no se puede verificar en línea; comuníquese con el acreedor'), [{ path: 'answer', reason: reasonCode('unavailable') }]);
  const given = settings.identityCheck === 'tax_id_last4' ? normalizeTaxTail(answer) : answer.trim();
  const now = ctx.clock.now();

  const outcome = await ctx.database.db.transaction(async (transaction) => {
    const tx = transaction as unknown as Db;
    await tx.insert(portalIdentityAttempts).values({ debtorId: access.debtor.id, companyId: ctx.companyId, failures: 0, updatedAt: now }).onConflictDoNothing();
    // The row lock serialises concurrent answers, so five parallel guesses still count five.
    const [row] = await tx.select().from(portalIdentityAttempts).where(eq(portalIdentityAttempts.debtorId, access.debtor.id)).for('update');
    if (row!.lockedUntil && row!.lockedUntil > now) return { kind: 'locked' as const, until: row!.lockedUntil };
    const previous = row!.lockedUntil ? 0 : row!.failures;
    if (sameText(given, expected)) {
      await tx.update(portalIdentityAttempts).set({ failures: 0, lockedUntil: null, updatedAt: now }).where(eq(portalIdentityAttempts.debtorId, access.debtor.id));
      return { kind: 'passed' as const };
    }
    const failures = previous + 1;
    if (failures >= settings.maxAttempts) {
      const until = new Date(now.getTime() + settings.lockMinutes * 60_000);
      await tx.update(portalIdentityAttempts).set({ failures, lockedUntil: until, lastFailureAt: now, updatedAt: now }).where(eq(portalIdentityAttempts.debtorId, access.debtor.id));
      await recordPortalEvent(access, 'identity_locked', { failures, locked_until: until.toISOString() }, tx);
      return { kind: 'locked' as const, until };
    }
    await tx.update(portalIdentityAttempts).set({ failures, lockedUntil: null, lastFailureAt: now, updatedAt: now }).where(eq(portalIdentityAttempts.debtorId, access.debtor.id));
    await recordPortalEvent(access, 'identity_failed', { failures }, tx);
    return { kind: 'wrong' as const, left: settings.maxAttempts - failures };
  });

  if (outcome.kind === 'locked') {
    throw new AppError('too_many_attempts', t(`too many wrong answers; the check is locked until ${outcome.until.toISOString()}`, `demasiadas respuestas incorrectas; la verificación está bloqueada hasta ${outcome.until.toISOString()}`), [
      { path: 'answer', reason: reasonCode('locked') },
      { path: 'locked_until', reason: outcome.until.toISOString() },
    ]);
  }
  if (outcome.kind === 'wrong') {
    throw new AppError('unauthorized', t(`the answer does not match; ${outcome.left} ${outcome.left === 1 ? 'try' : 'tries'} left`, `la respuesta no coincide; le ${outcome.left === 1 ? 'queda' : 'quedan'} ${outcome.left} ${outcome.left === 1 ? 'intento' : 'intentos'}`), [
      { path: 'answer', reason: reasonCode('wrong_answer') },
      { path: 'attempts_left', reason: String(outcome.left) },
    ]);
  }
  const session = await openSession(access);
  await recordPortalEvent(access, 'identity_passed', { method: settings.identityCheck });
  return session;
}

async function openSession(access: PortalAccess): Promise<{ session: string; expiresAt: Date }> {
  const session = randomBytes(32).toString('base64url');
  const expiresAt = new Date(access.ctx.clock.now().getTime() + SESSION_MS);
  await access.ctx.database.db.insert(portalSessions).values({ companyId: access.ctx.companyId, linkId: access.link.id, tokenHash: hashSession(session), expiresAt });
  await access.ctx.database.db.update(portalLinks).set({ lastSeenAt: access.ctx.clock.now() }).where(eq(portalLinks.id, access.link.id));
  return { session, expiresAt };
}

function hashSession(session: string): string {
  return createHash('sha256').update(session).digest('hex');
}

/** Whether the request carries a live session for this link (always true when the company asks no check). */
export async function hasSession(access: PortalAccess, session: string | undefined): Promise<boolean> {
  const settings = await loadPortalSettings(access.ctx);
  if (settings.identityCheck === 'none') return true;
  if (!session || session.length > 100) return false;
  const [row] = await access.ctx.database.db
    .select({ id: portalSessions.id })
    .from(portalSessions)
    .where(and(eq(portalSessions.tokenHash, hashSession(session)), eq(portalSessions.linkId, access.link.id), gt(portalSessions.expiresAt, access.ctx.clock.now())));
  return row !== undefined;
}

/** Refuses a request without a live session: AppError unauthorized, detail `identity_required`. */
export async function requireSession(access: PortalAccess, session: string | undefined): Promise<void> {
  if (!(await hasSession(access, session))) {
    throw new AppError('unauthorized', t('confirm your identity first', 'confirme primero su identidad'), [{ path: 'session', reason: reasonCode('identity_required') }]);
  }
}

/** Ends the lock of a debtor's check (a collector confirmed who they are by phone); audited. */
export async function unlockIdentityCheck(ctx: Ctx, debtorId: number): Promise<void> {
  const now = ctx.clock.now();
  await ctx.database.db.transaction(async (transaction) => {
    const tx = transaction as unknown as Db;
    const [before] = await tx
      .update(portalIdentityAttempts)
      .set({ failures: 0, lockedUntil: null, updatedAt: now })
      .where(and(eq(portalIdentityAttempts.companyId, ctx.companyId), eq(portalIdentityAttempts.debtorId, debtorId)))
      .returning();
    if (before) await recordAudit(ctx, { action: 'portal_identity.unlock', entity: 'debtor', entityId: debtorId, after: { failures: 0, lockedUntil: null } }, tx);
  });
}
