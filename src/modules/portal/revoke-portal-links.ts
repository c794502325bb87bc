/** Revokes portal links: one by id, or every live link of a debtor (e.g. the link reached the wrong person). */
import { and, eq, isNull } from 'drizzle-orm';
import { debtors } from '../../db/schema.ts';
import { portalLinks } from '../../db/tables/portal.ts';
import type { Db } from '../../db/connection.ts';
import { recordAudit } from '../access/audit.ts';
import type { Ctx } from '../shared/context.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { t } from '../../domain/text.ts';

/** Revokes and returns how many links stopped working. AppError not_found / validation_failed. */
export async function revokePortalLinks(ctx: Ctx, input: { linkId?: number | undefined; debtorExternalId?: string | undefined }): Promise<{ revoked: number }> {
  if ((input.linkId === undefined) === (input.debtorExternalId === undefined)) {
    throw new AppError('validation_failed', t('name either one link or one debtor', 'indique un enlace o un deudor'), [{ path: 'link', reason: t('give link id or debtor, not both', 'indique el id del enlace o el deudor, no ambos') }]);
  }
  let debtorId: number | null = null;
  if (input.debtorExternalId !== undefined) {
    const [d] = await ctx.database.db.select({ id: debtors.id }).from(debtors).where(and(eq(debtors.companyId, ctx.companyId), eq(debtors.externalId, input.debtorExternalId)));
    if (!d) throw notFound('debtor', input.debtorExternalId);
    debtorId = d.id;
  } else {
    const [l] = await ctx.database.db.select({ id: portalLinks.id }).from(portalLinks).where(and(eq(portalLinks.companyId, ctx.companyId), eq(portalLinks.id, input.linkId!)));
    if (!l) throw notFound('portal link', input.linkId!);
  }
  return ctx.database.db.transaction(async (tx) => {
    const rows = await tx
      .update(portalLinks)
      .set({ revokedAt: ctx.clock.now(), revokedBy: ctx.actor })
      .where(and(eq(portalLinks.companyId, ctx.companyId), isNull(portalLinks.revokedAt), debtorId !== null ? eq(portalLinks.debtorId, debtorId) : eq(portalLinks.id, input.linkId!)))
      .returning({ id: portalLinks.id });
    for (const r of rows) await recordAudit(ctx, { action: 'portal_link.revoke', entity: 'portal_link', entityId: r.id, before: { revokedAt: null }, after: { revokedAt: ctx.clock.now() } }, tx as unknown as Db);
    return { revoked: rows.length };
  });
}
