/**
 * Promises to pay: create (judged by the policy; outside it, only as a request for approval), approve, reject, cancel.
 * An open promise holds the debtor's collection (hold reason `promise`) through its grace day, so the strategy
 * pauses; the daily evaluation (evaluate-commitments.ts) decides kept, partially kept or broken.
 */
import { and, desc, eq, inArray } from 'drizzle-orm';
import { paymentPlans, promises } from '../../db/tables/negotiation.ts';
import { dayEs } from '../../domain/spanish-text.ts';
import { addBusinessDays, addDaysSafe } from './dates.ts';
import { recordAudit } from '../access/audit.ts';
import type { Ctx } from '../shared/context.ts';
import { AppError, t } from '../shared/errors.ts';
import { evaluateOffer } from './evaluate-offer.ts';
import { APPROVER_ES, assertMayApprove, closeTask, companyFacts, holidaysOf, openTask, placeHold, refusal, releaseHold, statusEs, todayOf, transaction, type NegotiationChannel, type TakenBy, type Tx } from './shared.ts';
import { loadPromise, promiseView, type PromiseView } from './views.ts';

export interface CreatePromiseInput {
  debtorId: number;
  currency: string;
  /** Decimal string in the currency. */
  amount: string;
  /** YYYY-MM-DD */
  promisedOn: string;
  channel: NegotiationChannel;
  takenBy: TakenBy;
  note?: string | null | undefined;
  /** Outside the policy but approvable: record it as pending approval instead of refusing. */
  requestApproval?: boolean | undefined;
  /** The same key twice records one promise (a retried request). */
  idempotencyKey?: string | undefined;
}

async function refuseIfBusy(ctx: Ctx, tx: Tx, debtorId: number, currency: string): Promise<void> {
  const live = await tx
    .select({ id: promises.id, status: promises.status })
    .from(promises)
    .where(and(eq(promises.companyId, ctx.companyId), eq(promises.debtorId, debtorId), eq(promises.currency, currency), inArray(promises.status, ['open', 'pending_approval'])));
  if (live[0]) throw new AppError('conflict', t(`the debtor already has a ${live[0].status === 'open' ? 'open' : 'pending'} promise in ${currency} (#${live[0].id}); cancel it first`, `el deudor ya tiene una promesa ${live[0].status === 'open' ? 'abierta' : 'pendiente'} en ${currency} (#${live[0].id}); cancélela primero`));
  const plan = await tx
    .select({ id: paymentPlans.id })
    .from(paymentPlans)
    .where(and(eq(paymentPlans.companyId, ctx.companyId), eq(paymentPlans.debtorId, debtorId), eq(paymentPlans.currency, currency), inArray(paymentPlans.status, ['active', 'pending_approval'])));
  if (plan[0]) throw new AppError('conflict', t(`the debtor has a payment plan in ${currency} (#${plan[0].id}); a promise cannot run beside it`, `el deudor tiene un plan de pagos en ${currency} (#${plan[0].id}); no puede haber una promesa a la vez`));
}

/** Records a promise to pay; see the module comment. */
export async function createPromise(ctx: Ctx, input: CreatePromiseInput): Promise<PromiseView> {
  if (input.idempotencyKey) {
    const [existing] = await ctx.database.db.select().from(promises).where(and(eq(promises.companyId, ctx.companyId), eq(promises.idempotencyKey, input.idempotencyKey)));
    if (existing) return promiseView(existing);
  }
  const { offer, evaluation, policy, account } = await evaluateOffer(ctx, { debtorId: input.debtorId, currency: input.currency, offer: { kind: 'promise', amount: input.amount, promisedOn: input.promisedOn } });
  if (offer.kind !== 'promise') throw new Error('unreachable');
  if (evaluation.outcome === 'refused') throw refusal(evaluation, t('the promise is refused', 'se rechaza la promesa'));
  if (evaluation.outcome === 'needs_approval' && !input.requestApproval) {
    throw refusal(evaluation, t('the promise is outside the policy and needs approval (send request_approval to ask for it)', 'la promesa está fuera de la política y necesita aprobación (envíe request_approval para pedirla)'));
  }
  const company = await companyFacts(ctx);
  const today = todayOf(ctx, company);
  const graceUntil = addBusinessDays(offer.promisedOn, policy.promises.graceBusinessDays, holidaysOf(company));
  const currency = account.facts.currency;
  const pending = evaluation.outcome === 'needs_approval';
  const row = await transaction(ctx, async (tx) => {
    await refuseIfBusy(ctx, tx, input.debtorId, currency);
    const now = ctx.clock.now();
    const [created] = await tx
      .insert(promises)
      .values({
        companyId: ctx.companyId,
        debtorId: input.debtorId,
        portfolioId: account.portfolioId,
        currency,
        amount: offer.amount,
        promisedOn: offer.promisedOn,
        takenOn: today,
        graceUntil,
        channel: input.channel,
        takenBy: input.takenBy,
        actor: ctx.actor,
        status: pending ? 'pending_approval' : 'open',
        evaluation: evaluationJson(evaluation),
        note: input.note ?? null,
        idempotencyKey: input.idempotencyKey ?? null,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const p = created!;
    if (pending) {
      const taskId = await openTask(ctx, tx, { debtorId: p.debtorId, portfolioId: p.portfolioId, kind: 'plan_approval', dueOn: today, cause: `promise:${p.id}`, note: `Promesa fuera de política por aprobar (${APPROVER_ES[policy.approval.role]}): ${evaluation.reasons.map((r) => r.message).join(' ')}` });
      await tx.update(promises).set({ approvalTaskId: taskId }).where(eq(promises.id, p.id));
    } else {
      await startPromise(ctx, tx, p, today);
    }
    await recordAudit(ctx, { action: 'promise.create', entity: 'promise', entityId: p.id, after: p }, tx);
    return loadPromise(ctx, p.id, tx);
  });
  return promiseView(row);
}

/** Puts an open promise's hold in place: through its grace day, collection waits. */
async function startPromise(ctx: Ctx, tx: Tx, p: typeof promises.$inferSelect, today: string): Promise<void> {
  const holdId = await placeHold(ctx, tx, { debtorId: p.debtorId, reason: 'promise', startsOn: today as never, expiresOn: addDaysSafe(p.graceUntil, 1), note: `Promesa de pago #${p.id} para el ${dayEs(p.promisedOn)}` });
  await tx.update(promises).set({ holdId }).where(eq(promises.id, p.id));
}

/** Approves or rejects a promise waiting for approval. */
export async function decidePromise(ctx: Ctx, input: { promiseId: number; decision: 'approve' | 'reject'; note?: string | null | undefined }): Promise<PromiseView> {
  const company = await companyFacts(ctx);
  const today = todayOf(ctx, company);
  const row = await transaction(ctx, async (tx) => {
    const before = await loadPromise(ctx, input.promiseId, tx);
    if (before.status !== 'pending_approval') throw new AppError('conflict', t(`promise #${before.id} is ${before.status}, not waiting for approval`, `la promesa #${before.id} está ${statusEs(before.status, 'f')}, no en espera de aprobación`));
    assertMayApprove(ctx, before.evaluation.approver_role as string | null | undefined, t(`promise #${before.id}`, `la promesa #${before.id}`));
    if (input.decision === 'approve' && before.graceUntil < today) throw new AppError('conflict', t(`promise #${before.id} ran out (its grace ended on ${before.graceUntil}) before it was approved; reject it and record a new one`, `la promesa #${before.id} venció (su plazo de gracia terminó el ${before.graceUntil}) antes de aprobarse; recházela y registre una nueva`));
    const now = ctx.clock.now();
    const [after] = await tx
      .update(promises)
      .set({ status: input.decision === 'approve' ? 'open' : 'rejected', decidedBy: ctx.actor, decidedAt: now, decisionNote: input.note ?? null, updatedAt: now, ...(input.decision === 'reject' ? { resolvedOn: today } : {}) })
      .where(and(eq(promises.id, before.id), eq(promises.status, 'pending_approval')))
      .returning();
    if (!after) throw new AppError('conflict', t(`promise #${before.id} was decided by someone else at the same time`, `otra persona decidió sobre la promesa #${before.id} al mismo tiempo`));
    if (input.decision === 'approve') await startPromise(ctx, tx, after, today);
    await closeTask(ctx, tx, before.approvalTaskId, 'done');
    await recordAudit(ctx, { action: `promise.${input.decision}`, entity: 'promise', entityId: before.id, before, after }, tx);
    return loadPromise(ctx, before.id, tx);
  });
  return promiseView(row);
}

/** Approves a promise waiting for approval: it opens (and holds collection) from today. */
export function approvePromise(ctx: Ctx, input: { promiseId: number; note?: string | null | undefined }): Promise<PromiseView> {
  return decidePromise(ctx, { ...input, decision: 'approve' });
}

/** Rejects a promise waiting for approval. */
export function rejectPromise(ctx: Ctx, input: { promiseId: number; note?: string | null | undefined }): Promise<PromiseView> {
  return decidePromise(ctx, { ...input, decision: 'reject' });
}

/** Cancels an open or pending promise; its hold is released so collection resumes. */
export async function cancelPromise(ctx: Ctx, input: { promiseId: number; note?: string | null | undefined }): Promise<PromiseView> {
  const company = await companyFacts(ctx);
  const today = todayOf(ctx, company);
  const row = await transaction(ctx, async (tx) => {
    const before = await loadPromise(ctx, input.promiseId, tx);
    if (before.status !== 'open' && before.status !== 'pending_approval') throw new AppError('conflict', t(`promise #${before.id} is ${before.status}; only an open or pending promise can be cancelled`, `la promesa #${before.id} está ${statusEs(before.status, 'f')}; solo se puede cancelar una promesa abierta o pendiente`));
    const now = ctx.clock.now();
    const [after] = await tx
      .update(promises)
      .set({ status: 'cancelled', resolvedOn: today, decisionNote: input.note ?? null, updatedAt: now })
      .where(and(eq(promises.id, before.id), inArray(promises.status, ['open', 'pending_approval'])))
      .returning();
    if (!after) throw new AppError('conflict', t(`promise #${before.id} changed at the same time; look again`, `la promesa #${before.id} cambió al mismo tiempo; vuelva a revisarla`));
    await releaseHold(ctx, tx, before.holdId, `promesa #${before.id} cancelada`);
    await closeTask(ctx, tx, before.approvalTaskId, 'cancelled');
    await recordAudit(ctx, { action: 'promise.cancel', entity: 'promise', entityId: before.id, before, after }, tx);
    return loadPromise(ctx, before.id, tx);
  });
  return promiseView(row);
}

/** A debtor's promises, newest first. */
export async function listPromises(ctx: Ctx, input: { debtorId: number; status?: string | undefined }): Promise<PromiseView[]> {
  const rows = await ctx.database.db
    .select()
    .from(promises)
    .where(and(eq(promises.companyId, ctx.companyId), eq(promises.debtorId, input.debtorId), input.status ? eq(promises.status, input.status) : undefined))
    .orderBy(desc(promises.id));
  return rows.map(promiseView);
}

/** The evaluation as stored JSON (money as decimal strings). */
export function evaluationJson(e: import('../../domain/negotiation/index.ts').OfferEvaluation): Record<string, unknown> {
  return {
    outcome: e.outcome,
    approver_role: e.approverRole,
    reasons: e.reasons.map((r) => ({ code: r.code, kind: r.kind, message: r.message, message_en: r.messageEn, ...(r.limit !== undefined ? { limit: r.limit } : {}), ...(r.actual !== undefined ? { actual: r.actual } : {}) })),
  };
}
