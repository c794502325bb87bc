/**
 * Disputes of one obligation, and hardship. An open dispute takes its obligation out of collection: strategies leave
 * it out of what they collect (the strategy engine reads `disputes`), offers leave it out of balances, and a
 * collector gets a `dispute` task. Resolving it: upheld → the obligation's amount is adjusted (0 cancels it) through
 * the portfolio's own write path; rejected → collection resumes. Either way the debtor's notice is recorded on the
 * dispute and the debtor is told by message (`dispute_upheld` / `dispute_rejected`, see notices.ts).
 */
import { and, eq } from 'drizzle-orm';
import { disputes } from '../../db/tables/negotiation.ts';
import { debtors, obligations, portfolios } from '../../db/schema.ts';
import { formatDecimal, parseDecimal } from '../../domain/money.ts';
import { recordAudit } from '../access/audit.ts';
import { visibleDebtorFilter } from '../access/visibility.ts';
import { saveRecords } from '../portfolio/index.ts';
import type { Ctx } from '../shared/context.ts';
import { AppError, invalidInput, notFound, t } from '../shared/errors.ts';
import { closeTask, companyFacts, debtorById, inTx, openTask, statusEs, todayOf, transaction, type NegotiationChannel, type TakenBy } from './shared.ts';
import { enqueueDisputeNotice } from './notices.ts';
import { disputeViews, type DisputeView } from './views.ts';

export const DISPUTE_OUTCOMES = ['upheld', 'rejected'] as const;
export type DisputeOutcome = (typeof DISPUTE_OUTCOMES)[number];

/** Opens a dispute of one of the debtor's obligations. */
export async function openDispute(
  ctx: Ctx,
  input: { debtorId: number; obligationId: number; reason: string; channel: NegotiationChannel; openedBy: TakenBy },
): Promise<DisputeView> {
  const reason = input.reason.trim();
  if (!reason) throw new AppError('validation_failed', t('say why the obligation is disputed', 'indique por qué se disputa el documento'), [{ path: 'reason', reason: t('must not be empty', 'no debe estar vacío') }]);
  await debtorById(ctx, input.debtorId);
  const [ob] = await ctx.database.db
    .select({ id: obligations.id, externalId: obligations.externalId, portfolioId: obligations.portfolioId })
    .from(obligations)
    .where(and(eq(obligations.companyId, ctx.companyId), eq(obligations.id, input.obligationId), eq(obligations.debtorId, input.debtorId)));
  if (!ob) throw notFound('obligation of this debtor', input.obligationId);
  const company = await companyFacts(ctx);
  const today = todayOf(ctx, company);
  const id = await transaction(ctx, async (tx) => {
    const [open] = await tx.select({ id: disputes.id }).from(disputes).where(and(eq(disputes.obligationId, ob.id), eq(disputes.status, 'open')));
    if (open) throw new AppError('conflict', t(`obligation "${ob.externalId}" is already disputed (#${open.id})`, `el documento "${ob.externalId}" ya está en disputa (#${open.id})`));
    const now = ctx.clock.now();
    const [d] = await tx
      .insert(disputes)
      .values({ companyId: ctx.companyId, debtorId: input.debtorId, obligationId: ob.id, status: 'open', reason, channel: input.channel, openedBy: input.openedBy, actor: ctx.actor, openedOn: today, createdAt: now, updatedAt: now })
      .returning();
    const taskId = await openTask(ctx, tx, { debtorId: input.debtorId, portfolioId: ob.portfolioId, kind: 'dispute', dueOn: today, cause: `dispute:${d!.id}`, note: `Disputa del documento ${ob.externalId}: ${reason}` });
    await tx.update(disputes).set({ taskId }).where(eq(disputes.id, d!.id));
    await recordAudit(ctx, { action: 'dispute.open', entity: 'dispute', entityId: d!.id, after: d }, tx);
    return d!.id;
  });
  return (await disputeViews(ctx, { id }))[0]!;
}

/** Resolves an open dispute; see the module comment. `adjustedAmount` (upheld only) is a decimal string, default 0. */
export async function resolveDispute(
  ctx: Ctx,
  input: { disputeId: number; outcome: DisputeOutcome; resolution: string; adjustedAmount?: string | undefined },
): Promise<DisputeView> {
  const resolution = input.resolution.trim();
  if (!resolution) throw new AppError('validation_failed', t('explain the resolution', 'explique la resolución'), [{ path: 'resolution', reason: t('must not be empty', 'no debe estar vacío') }]);
  if (input.outcome === 'rejected' && input.adjustedAmount !== undefined) throw new AppError('validation_failed', t('a rejected dispute adjusts nothing', 'una disputa rechazada no ajusta nada'), [{ path: 'adjusted_amount', reason: t('only for upheld disputes', 'solo para disputas procedentes') }]);
  await transaction(ctx, async (tx) => {
    const [before] = await tx.select().from(disputes).where(and(eq(disputes.companyId, ctx.companyId), eq(disputes.id, input.disputeId), visibleDebtorFilter(ctx, disputes.debtorId)));
    if (!before) throw notFound('dispute', input.disputeId);
    if (before.status !== 'open') throw new AppError('conflict', t(`dispute #${before.id} is already ${before.status}`, `la disputa #${before.id} ya está ${statusEs(before.status, 'f')}`));
    const [ob] = await tx
      .select({ externalId: obligations.externalId, currency: obligations.currency, amount: obligations.amount, dueOn: obligations.dueOn, portfolio: portfolios.name, debtor: debtors.externalId })
      .from(obligations)
      .innerJoin(portfolios, eq(portfolios.id, obligations.portfolioId))
      .innerJoin(debtors, eq(debtors.id, obligations.debtorId))
      .where(eq(obligations.id, before.obligationId));
    const currency = ob!.currency.trim();
    let adjusted: bigint | null = null;
    if (input.outcome === 'upheld') {
      try {
        adjusted = input.adjustedAmount === undefined ? 0n : parseDecimal(input.adjustedAmount, currency);
      } catch (error) {
        throw invalidInput(error, 'adjusted_amount', t('adjusted amount', 'monto ajustado'));
      }
      if (adjusted > ob!.amount) throw new AppError('validation_failed', t(`an upheld dispute lowers the amount: ${formatDecimal(adjusted, currency)} is more than ${formatDecimal(ob!.amount, currency)} ${currency}`, `una disputa procedente baja el monto: ${formatDecimal(adjusted, currency)} es más que ${formatDecimal(ob!.amount, currency)} ${currency}`), [{ path: 'adjusted_amount', reason: t('must not exceed the current amount', 'no debe superar el monto actual') }]);
    }
    const notice =
      input.outcome === 'upheld'
        ? adjusted === 0n
          ? `Revisamos su aclaración sobre el documento ${ob!.externalId} y le damos la razón: el cargo fue cancelado.`
          : `Revisamos su aclaración sobre el documento ${ob!.externalId} y le damos la razón: el monto se ajustó a ${formatDecimal(adjusted!, currency)} ${currency}.`
        : `Revisamos su aclaración sobre el documento ${ob!.externalId}: el cargo es correcto (${resolution}). La gestión de cobro continúa; si tiene dudas, contáctenos.`;
    const now = ctx.clock.now();
    const [after] = await tx
      .update(disputes)
      .set({ status: input.outcome, resolution, adjustedAmount: adjusted, previousAmount: adjusted === null ? null : ob!.amount, debtorNotice: notice, resolvedBy: ctx.actor, resolvedAt: now, updatedAt: now })
      .where(and(eq(disputes.id, before.id), eq(disputes.status, 'open')))
      .returning();
    if (!after) throw new AppError('conflict', t(`dispute #${before.id} was resolved by someone else at the same time`, `otra persona resolvió la disputa #${before.id} al mismo tiempo`));
    if (adjusted !== null && adjusted !== ob!.amount) {
      await saveRecords(inTx(ctx, tx), {
        entity: 'obligations',
        rows: [{ external_id: ob!.externalId, debtor_external_id: ob!.debtor, currency, amount: formatDecimal(adjusted, currency), due_on: ob!.dueOn, portfolio: ob!.portfolio }],
      });
    }
    await closeTask(ctx, tx, before.taskId, 'done');
    await enqueueDisputeNotice(ctx, tx, before.id);
    await recordAudit(ctx, { action: `dispute.${input.outcome}`, entity: 'dispute', entityId: before.id, before, after }, tx);
  });
  return (await disputeViews(ctx, { id: input.disputeId }))[0]!;
}

/** Flags a debtor in hardship ("no puedo pagar") for a collector: a `hardship` task, once per day. */
export async function flagHardship(ctx: Ctx, input: { debtorId: number; note?: string | null | undefined; channel: NegotiationChannel }): Promise<{ taskId: number }> {
  await debtorById(ctx, input.debtorId);
  const company = await companyFacts(ctx);
  const today = todayOf(ctx, company);
  const taskId = await transaction(ctx, async (tx) => {
    const id = await openTask(ctx, tx, {
      debtorId: input.debtorId,
      kind: 'hardship',
      dueOn: today,
      cause: `hardship:${input.debtorId}:${today}`,
      note: `El deudor indica dificultad para pagar (${input.channel})${input.note ? `: ${input.note}` : ''}. Ofrecer un plan dentro de la política.`,
    });
    await recordAudit(ctx, { action: 'hardship.flag', entity: 'debtor', entityId: input.debtorId, after: { taskId: id, channel: input.channel, note: input.note ?? null } }, tx);
    return id;
  });
  return { taskId };
}
