/**
 * Issues a debtor's portal link: a row (so it can be revoked) and a signed token carrying company, debtor, link and
 * expiry. With a `sourceKey` (e.g. the outbox message that carries it) issuing again returns the same link, so a
 * retried message sends the same address.
 */
import { and, eq, sql } from 'drizzle-orm';
import { debtors } from '../../db/schema.ts';
import { portalLinks } from '../../db/tables/portal.ts';
import type { Db } from '../../db/connection.ts';
import { recordAudit } from '../access/audit.ts';
import type { Ctx } from '../shared/context.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { portalRuntime } from './runtime.ts';
import { loadPortalSettings, signingSecret } from './settings.ts';
import { signPortalToken } from './token.ts';
import { t } from '../../domain/text.ts';

export interface IssuePortalLinkInput {
  /** The debtor, by id or by the creditor's external id. */
  debtorId?: number | undefined;
  debtorExternalId?: string | undefined;
  /** Lifetime in days (default: the company's portal setting). */
  ttlDays?: number | undefined;
  /** Same key, same link (at most 200 characters). */
  sourceKey?: string | undefined;
}

/** An issued link. `url` is absolute when the server has a public URL, else a path (/p/…). */
export interface PortalLink {
  id: number;
  debtorId: number;
  debtorExternalId: string;
  token: string;
  url: string;
  expiresAt: Date;
}

/** The address of a token: absolute under the configured public URL, else a path. */
export function portalUrl(token: string): string {
  return `${portalRuntime().publicUrl ?? ''}/p/${token}`;
}

/** Issues (or, for a known source key, returns) a link. AppError not_found / validation_failed. */
export async function issuePortalLink(ctx: Ctx, input: IssuePortalLinkInput): Promise<PortalLink> {
  if (input.debtorId === undefined && !input.debtorExternalId) throw new AppError('validation_failed', t('name the debtor (debtor id or external id)', 'indique el deudor (id del deudor o id externo)'), [{ path: 'debtor', reason: t('required', 'obligatorio') }]);
  const ttl = input.ttlDays;
  if (ttl !== undefined && (!Number.isInteger(ttl) || ttl < 1 || ttl > 365)) throw new AppError('validation_failed', t('a link lives between 1 and 365 days', 'un enlace dura entre 1 y 365 días'), [{ path: 'ttl_days', reason: t('must be a whole number from 1 to 365', 'debe ser un número entero de 1 a 365') }]);
  if (input.sourceKey !== undefined && (input.sourceKey.length === 0 || input.sourceKey.length > 200)) throw new AppError('validation_failed', t('the source key must have 1 to 200 characters', 'la clave de origen debe tener de 1 a 200 caracteres'), [{ path: 'source_key', reason: t('length', 'longitud') }]);
  const where = input.debtorId !== undefined ? eq(debtors.id, input.debtorId) : eq(debtors.externalId, input.debtorExternalId!);
  const [debtor] = await ctx.database.db.select({ id: debtors.id, externalId: debtors.externalId }).from(debtors).where(and(eq(debtors.companyId, ctx.companyId), where));
  if (!debtor) throw notFound('debtor', input.debtorId ?? input.debtorExternalId!);

  const settings = await loadPortalSettings(ctx);
  const now = ctx.clock.now();
  // Whole seconds: the token carries the expiry in seconds, and the row must say the same instant.
  const expiresAt = new Date(Math.floor(now.getTime() / 1000) * 1000 + (ttl ?? settings.linkTtlDays) * 86_400_000);
  const row = await ctx.database.db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(portalLinks)
      .values({ companyId: ctx.companyId, debtorId: debtor.id, issuedAt: now, expiresAt, issuedBy: ctx.actor, sourceKey: input.sourceKey ?? null })
      .onConflictDoNothing()
      .returning();
    if (inserted) {
      await recordAudit(ctx, { action: 'portal_link.issue', entity: 'portal_link', entityId: inserted.id, after: { debtorId: debtor.id, expiresAt, sourceKey: input.sourceKey ?? null } }, tx as unknown as Db);
      return inserted;
    }
    const [existing] = await tx
      .select()
      .from(portalLinks)
      .where(and(eq(portalLinks.companyId, ctx.companyId), sql`${portalLinks.sourceKey} = ${input.sourceKey ?? null}`));
    return existing!;
  });
  if (row.debtorId !== debtor.id) throw new AppError('conflict', t(`the source key "${input.sourceKey}" was already used for another debtor's link`, `la clave de origen "${input.sourceKey}" ya se usó para el enlace de otro deudor`), [{ path: 'source_key', reason: t('already used', 'ya se usó') }]);
  const token = signPortalToken(await signingSecret(ctx.database, ctx.companyId), { companyId: ctx.companyId, debtorId: row.debtorId, linkId: row.id, expiresAt: row.expiresAt });
  return { id: row.id, debtorId: row.debtorId, debtorExternalId: debtor.externalId, token, url: portalUrl(token), expiresAt: row.expiresAt };
}
