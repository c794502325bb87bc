import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import { debtors, holds } from '../../db/schema.ts';
import { paymentPlans, promises } from '../../db/tables/negotiation.ts';
import { dateInZone, parseDate } from '../../domain/calendar.ts';
import { AppError, compose, invalidInput, notFound, t } from '../shared/errors.ts';
import type { Ctx } from '../shared/context.ts';
import { recordAudit } from '../access/audit.ts';
import { visibleDebtorFilter } from '../access/visibility.ts';
import { companyOf } from './company.ts';

export const HOLD_REASONS = ['dispute', 'promise', 'agreement', 'deceased', 'bankruptcy', 'legal', 'customer_request'] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

export interface HoldView {
  id: number;
  reason: string;
  note: string | null;
  createdBy: string;
  startsOn: string;
  expiresOn: string | null;
}

/** The debtor's id; for an agency, one not placed with it does not exist. */
async function debtorId(ctx: Ctx, externalId: string): Promise<number> {
  const [d] = await ctx.database.db
    .select({ id: debtors.id })
    .from(debtors)
    .where(and(eq(debtors.companyId, ctx.companyId), eq(debtors.externalId, externalId), visibleDebtorFilter(ctx)));
  if (!d) throw notFound('debtor', externalId);
  return d.id;
}

/**
 * Suspends collection of a debtor with a reason (and optional expiry); the account's phase freezes at the next run. A
 * debtor already on an active hold for that reason is a conflict: one hold per reason, changed by removing it first.
 */
export async function addHold(ctx: Ctx, options: { debtorExternalId: string; reason: string; note?: string | null | undefined; expiresOn?: string | null | undefined }): Promise<HoldView> {
  if (!(HOLD_REASONS as readonly string[]).includes(options.reason)) {
    throw new AppError('validation_failed', t(`hold reason must be one of ${HOLD_REASONS.join(', ')}`, `el motivo de la suspensión debe ser uno de ${HOLD_REASONS.join(', ')}`), [{ path: 'reason', reason: t(`got "${options.reason}"`, `se recibió "${options.reason}"`) }]);
  }
  const company = await companyOf(ctx);
  const today = dateInZone(ctx.clock.now(), company.timeZone);
  let expiresOn: string | null = null;
  if (options.expiresOn) {
    try {
      expiresOn = parseDate(options.expiresOn);
    } catch (error) {
      throw invalidInput(error, 'expires_on', t('expiry', 'vencimiento'));
    }
    if (expiresOn <= today) throw new AppError('validation_failed', t(`the hold would expire on ${expiresOn}, which is not after today (${today})`, `la suspensión vencería el ${expiresOn}, que no es posterior a hoy (${today})`), [{ path: 'expires_on', reason: t('must be after today', 'debe ser posterior a hoy') }]);
  }
  const id = await debtorId(ctx, options.debtorExternalId);
  const row = await ctx.database.db.transaction(async (tx) => {
    // One active hold placed by hand per debtor and reason (a hold is debtor-wide: it has no portfolio): a second
    // identical one is refused, not added beside it (nor answered with the first, whose note and expiry may not be
    // the ones asked for). A promise's or a plan's own hold is another thing (it ends with its commitment, and a
    // plan's holds only what the plan covers, ADR 0010), so it does not stand in the way. The debtor's row is locked
    // so two requests at once cannot both pass the check.
    await tx.select({ id: debtors.id }).from(debtors).where(eq(debtors.id, id)).for('update');
    const [active] = await tx
      .select({ id: holds.id, startsOn: holds.startsOn, expiresOn: holds.expiresOn })
      .from(holds)
      .where(
        and(
          eq(holds.companyId, ctx.companyId),
          eq(holds.debtorId, id),
          eq(holds.reason, options.reason),
          isNull(holds.releasedAt),
          or(isNull(holds.expiresOn), gt(holds.expiresOn, today)),
          // By debtor first, which their debtor indexes find.
          sql`NOT EXISTS (SELECT 1 FROM ${promises} WHERE ${promises.debtorId} = ${id} AND ${promises.holdId} = ${holds.id})`,
          sql`NOT EXISTS (SELECT 1 FROM ${paymentPlans} WHERE ${paymentPlans.debtorId} = ${id} AND ${paymentPlans.holdId} = ${holds.id})`,
        ),
      )
      .orderBy(holds.id)
      .limit(1);
    if (active) {
      const { startsOn, expiresOn: until } = active;
      throw new AppError(
        'conflict',
        compose((l) =>
          l === 'es'
            ? `el deudor "${options.debtorExternalId}" ya tiene una suspensión activa por ${options.reason} (desde el ${startsOn}${until ? `, hasta el ${until}` : ''}); para cambiarla, levántela primero`
            : `debtor "${options.debtorExternalId}" already has an active ${options.reason} hold (since ${startsOn}${until ? `, until ${until}` : ''}); to change it, remove it first`,
        ),
        [{ path: 'reason', reason: t(`hold ${active.id} is active`, `la suspensión ${active.id} está activa`) }],
      );
    }
    const [inserted] = await tx
      .insert(holds)
      .values({ companyId: ctx.companyId, debtorId: id, reason: options.reason, note: options.note ?? null, createdBy: ctx.actor, startsOn: today, expiresOn })
      .returning();
    await recordAudit(ctx, { action: 'hold.add', entity: 'debtor', entityId: options.debtorExternalId, after: { hold_id: inserted!.id, reason: inserted!.reason, note: inserted!.note, starts_on: today, expires_on: expiresOn } }, tx);
    return inserted;
  });
  return { id: row!.id, reason: row!.reason, note: row!.note, createdBy: row!.createdBy, startsOn: row!.startsOn, expiresOn: row!.expiresOn };
}

/** Releases a debtor's active holds (of one reason, or all); returns how many were released. */
export async function removeHold(ctx: Ctx, options: { debtorExternalId: string; reason?: string | undefined; note?: string | null | undefined }): Promise<number> {
  const id = await debtorId(ctx, options.debtorExternalId);
  return ctx.database.db.transaction(async (tx) => {
    const released = await tx
      .update(holds)
      .set({ releasedAt: ctx.clock.now(), releasedBy: ctx.actor, releaseNote: options.note ?? null })
      .where(and(eq(holds.companyId, ctx.companyId), eq(holds.debtorId, id), isNull(holds.releasedAt), options.reason ? eq(holds.reason, options.reason) : sql`true`))
      .returning({ id: holds.id, reason: holds.reason });
    if (released.length === 0) throw new AppError('not_found', t(`debtor "${options.debtorExternalId}" has no active hold${options.reason ? ` for ${options.reason}` : ''}`, `el deudor "${options.debtorExternalId}" no tiene una suspensión activa${options.reason ? ` por ${options.reason}` : ''}`));
    await recordAudit(ctx, { action: 'hold.remove', entity: 'debtor', entityId: options.debtorExternalId, before: { holds: released }, after: { note: options.note ?? null } }, tx);
    return released.length;
  });
}

/** Active holds of a debtor as of today. */
export async function listHolds(ctx: Ctx, options: { debtorExternalId: string }): Promise<HoldView[]> {
  const id = await debtorId(ctx, options.debtorExternalId);
  const rows = await ctx.database.db
    .select()
    .from(holds)
    .where(and(eq(holds.companyId, ctx.companyId), eq(holds.debtorId, id), isNull(holds.releasedAt)));
  return rows.map((r) => ({ id: r.id, reason: r.reason, note: r.note, createdBy: r.createdBy, startsOn: r.startsOn, expiresOn: r.expiresOn }));
}
