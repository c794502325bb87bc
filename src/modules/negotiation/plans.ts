/**
 * Payment plans (convenios) and settlements: create (judged by the policy; outside it, only as a request for
 * approval), approve, reject (only a user whose role is the approver the policy named, or higher), cancel. An active
 * plan places an `agreement` hold (no expiry), which freezes the account's phase at the daily run, until the plan
 * completes, breaks or is cancelled; the hold stops the collection of the obligations the plan covers, while the
 * debtor's other obligations keep being collected by the strategies (ADR 0010). Interest agreed on a plan becomes an
 * obligation of its own (kind `other`, product `plan_interest`), so balances, allocation and reports keep adding up
 * to what the debtor owes.
 */
import { and, desc, eq, inArray } from 'drizzle-orm';
import { paymentPlanInstallments, paymentPlanObligations, paymentPlans, promises } from '../../db/tables/negotiation.ts';
import { obligations, portfolios } from '../../db/schema.ts';
import type { PlainDate } from '../../domain/calendar.ts';
import { formatDecimal } from '../../domain/money.ts';
import { recordAudit } from '../access/audit.ts';
import { saveRecords } from '../portfolio/index.ts';
import type { Ctx } from '../shared/context.ts';
import { AppError, t } from '../shared/errors.ts';
import { evaluateOffer, type OfferInput } from './evaluate-offer.ts';
import { enqueueAgreementNotice } from './notices.ts';
import { evaluationJson } from './promises.ts';
import { APPROVER_ES, assertMayApprove, closeTask, companyFacts, debtorById, inTx, openTask, placeHold, refusal, releaseHold, statusEs, todayOf, transaction, type NegotiationChannel, type TakenBy, type Tx } from './shared.ts';
import { loadPlanRow, planViews, type PlanView } from './views.ts';

export const AGREEMENT_LANGUAGES = ['es-MX', 'en'] as const;
export type AgreementLanguage = (typeof AGREEMENT_LANGUAGES)[number];

export interface CreatePlanInput {
  debtorId: number;
  currency: string;
  /** A plan (installments) or a settlement (one payment with a discount). */
  offer: Extract<OfferInput, { kind: 'plan' | 'settlement' }>;
  /** Obligations covered; default: every open, undisputed obligation of the debtor in the currency. */
  obligationIds?: readonly number[] | undefined;
  channel: NegotiationChannel;
  takenBy: TakenBy;
  language?: AgreementLanguage | undefined;
  note?: string | null | undefined;
  requestApproval?: boolean | undefined;
  idempotencyKey?: string | undefined;
}

/** Creates a plan or settlement; see the module comment. */
export async function createPlan(ctx: Ctx, input: CreatePlanInput): Promise<PlanView> {
  if (input.idempotencyKey) {
    const [existing] = await ctx.database.db.select().from(paymentPlans).where(and(eq(paymentPlans.companyId, ctx.companyId), eq(paymentPlans.idempotencyKey, input.idempotencyKey)));
    if (existing) return (await planViews(ctx, [existing]))[0]!;
  }
  const { offer, evaluation, policy, account } = await evaluateOffer(ctx, { debtorId: input.debtorId, currency: input.currency, offer: input.offer, obligationIds: input.obligationIds });
  const what = offer.kind === 'settlement' ? t('the settlement', 'la liquidación') : t('the payment plan', 'el plan de pagos');
  if (evaluation.outcome === 'refused') throw refusal(evaluation, t(`${what.en} is refused`, `se rechaza ${what.es}`));
  if (evaluation.outcome === 'needs_approval' && !input.requestApproval) {
    throw refusal(
      evaluation,
      t(
        `${what.en} is outside the policy and needs approval (send request_approval to ask for it)`,
        `${what.es} está fuera de la política y necesita aprobación (envíe request_approval para pedirla)`,
      ),
    );
  }
  const today = account.today;
  const currency = account.facts.currency;
  const pending = evaluation.outcome === 'needs_approval';
  const id = await transaction(ctx, async (tx) => {
    const busy = await tx
      .select({ id: paymentPlans.id })
      .from(paymentPlans)
      .where(and(eq(paymentPlans.companyId, ctx.companyId), eq(paymentPlans.debtorId, input.debtorId), eq(paymentPlans.currency, currency), inArray(paymentPlans.status, ['active', 'pending_approval'])));
    if (busy[0]) throw new AppError('conflict', t(`the debtor already has a payment plan in ${currency} (#${busy[0].id}); cancel it first`, `el deudor ya tiene un plan de pagos en ${currency} (#${busy[0].id}); cancélelo primero`));
    const promise = await tx
      .select({ id: promises.id })
      .from(promises)
      .where(and(eq(promises.companyId, ctx.companyId), eq(promises.debtorId, input.debtorId), eq(promises.currency, currency), inArray(promises.status, ['open', 'pending_approval'])));
    if (promise[0]) throw new AppError('conflict', t(`the debtor has an open promise in ${currency} (#${promise[0].id}); cancel it before making a plan`, `el deudor tiene una promesa abierta en ${currency} (#${promise[0].id}); cancélela antes de hacer un plan`));
    const now = ctx.clock.now();
    const down = evaluation.schedule.find((s) => s.seq === 0)?.amount ?? 0n;
    const [plan] = await tx
      .insert(paymentPlans)
      .values({
        companyId: ctx.companyId,
        debtorId: input.debtorId,
        portfolioId: account.portfolioId,
        kind: offer.kind,
        currency,
        status: pending ? 'pending_approval' : 'active',
        covered: account.facts.balance,
        discount: evaluation.discount,
        interest: evaluation.interest,
        downPayment: down,
        total: evaluation.total,
        frequency: offer.kind === 'plan' ? offer.frequency : null,
        annualInterestBps: evaluation.annualInterestBps,
        graceDays: policy.plans.installmentGraceBusinessDays,
        channel: input.channel,
        takenBy: input.takenBy,
        actor: ctx.actor,
        createdOn: today,
        approverRole: policy.approval.role,
        evaluation: evaluationJson(evaluation),
        language: input.language ?? 'es-MX',
        note: input.note ?? null,
        idempotencyKey: input.idempotencyKey ?? null,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const p = plan!;
    await tx.insert(paymentPlanObligations).values(account.obligations.map((o) => ({ planId: p.id, obligationId: o.id, balance: o.balance })));
    await tx.insert(paymentPlanInstallments).values(evaluation.schedule.map((s) => ({ planId: p.id, seq: s.seq, dueOn: s.dueOn, amount: s.amount, principal: s.principal, interest: s.interest })));
    if (pending) {
      const label = offer.kind === 'settlement' ? 'Liquidación' : 'Plan de pagos';
      const taskId = await openTask(ctx, tx, { debtorId: p.debtorId, portfolioId: p.portfolioId, kind: 'plan_approval', dueOn: today, cause: `plan:${p.id}`, note: `${label} fuera de política por aprobar (${APPROVER_ES[policy.approval.role]}): ${evaluation.reasons.map((r) => r.message).join(' ')}` });
      await tx.update(paymentPlans).set({ approvalTaskId: taskId }).where(eq(paymentPlans.id, p.id));
    } else {
      await activatePlan(ctx, tx, p, today);
    }
    await recordAudit(ctx, { action: `${offer.kind}.create`, entity: 'payment_plan', entityId: p.id, after: { ...p, schedule: evaluation.schedule } }, tx);
    return p.id;
  });
  return (await planViews(ctx, [await loadPlanRow(ctx, id)]))[0]!;
}

/** Starts a plan: the agreement hold, the start date payments count from, and the interest obligation if any. */
async function activatePlan(ctx: Ctx, tx: Tx, plan: typeof paymentPlans.$inferSelect, today: PlainDate): Promise<void> {
  const label = plan.kind === 'settlement' ? 'Liquidación' : 'Convenio de pago';
  const holdId = await placeHold(ctx, tx, { debtorId: plan.debtorId, reason: 'agreement', startsOn: today, expiresOn: null, note: `${label} #${plan.id}` });
  let interestObligationId: number | null = null;
  if (plan.interest > 0n) {
    const debtor = await debtorById(ctx, plan.debtorId, tx);
    const [last] = await tx.select({ dueOn: paymentPlanInstallments.dueOn }).from(paymentPlanInstallments).where(eq(paymentPlanInstallments.planId, plan.id)).orderBy(desc(paymentPlanInstallments.seq)).limit(1);
    // The interest lives in the portfolio of the obligations the plan covers.
    const [portfolio] = await tx
      .select({ name: portfolios.name })
      .from(paymentPlanObligations)
      .innerJoin(obligations, eq(obligations.id, paymentPlanObligations.obligationId))
      .innerJoin(portfolios, eq(portfolios.id, obligations.portfolioId))
      .where(eq(paymentPlanObligations.planId, plan.id))
      .limit(1);
    const externalId = `PLAN-${plan.id}-INTERES`;
    const portfolioName = portfolio?.name ?? null;
    // The portfolio's own write path: validation, upsert by external id and balance recompute, in our transaction.
    await saveRecords(inTx(ctx, tx), {
      entity: 'obligations',
      rows: [{ external_id: externalId, debtor_external_id: debtor.externalId, kind: 'other', product: 'plan_interest', currency: plan.currency.trim(), amount: formatDecimal(plan.interest, plan.currency.trim()), issued_on: today, due_on: last!.dueOn, ...(portfolioName ? { portfolio: portfolioName } : {}) }],
    });
    const [ob] = await tx.select({ id: obligations.id }).from(obligations).where(and(eq(obligations.companyId, ctx.companyId), eq(obligations.externalId, externalId)));
    interestObligationId = ob?.id ?? null;
  }
  await tx.update(paymentPlans).set({ holdId, startedOn: today, interestObligationId, status: 'active', updatedAt: ctx.clock.now() }).where(eq(paymentPlans.id, plan.id));
  await enqueueAgreementNotice(ctx, tx, plan.id, today);
}

async function decide(ctx: Ctx, input: { planId: number; note?: string | null | undefined }, decision: 'approve' | 'reject'): Promise<PlanView> {
  const company = await companyFacts(ctx);
  const today = todayOf(ctx, company);
  await transaction(ctx, async (tx) => {
    const before = await loadPlanRow(ctx, input.planId, tx);
    if (before.status !== 'pending_approval') throw new AppError('conflict', t(`payment plan #${before.id} is ${before.status}, not waiting for approval`, `el plan de pagos #${before.id} está ${statusEs(before.status, 'm')}, no en espera de aprobación`));
    assertMayApprove(ctx, before.approverRole, before.kind === 'settlement' ? t(`settlement #${before.id}`, `la liquidación #${before.id}`) : t(`payment plan #${before.id}`, `el plan de pagos #${before.id}`));
    const now = ctx.clock.now();
    const [after] = await tx
      .update(paymentPlans)
      .set({ status: decision === 'approve' ? 'active' : 'rejected', decidedBy: ctx.actor, decidedAt: now, decisionNote: input.note ?? null, updatedAt: now, ...(decision === 'reject' ? { resolvedOn: today } : {}) })
      .where(and(eq(paymentPlans.id, before.id), eq(paymentPlans.status, 'pending_approval')))
      .returning();
    if (!after) throw new AppError('conflict', t(`payment plan #${before.id} was decided by someone else at the same time`, `otra persona decidió sobre el plan de pagos #${before.id} al mismo tiempo`));
    if (decision === 'approve') await activatePlan(ctx, tx, after, today);
    await closeTask(ctx, tx, before.approvalTaskId, 'done');
    await recordAudit(ctx, { action: `payment_plan.${decision}`, entity: 'payment_plan', entityId: before.id, before, after }, tx);
  });
  return (await planViews(ctx, [await loadPlanRow(ctx, input.planId)]))[0]!;
}

/** Approves a plan or settlement waiting for approval: it becomes active from today. */
export function approvePlan(ctx: Ctx, input: { planId: number; note?: string | null | undefined }): Promise<PlanView> {
  return decide(ctx, input, 'approve');
}

/** Rejects a plan or settlement waiting for approval. */
export function rejectPlan(ctx: Ctx, input: { planId: number; note?: string | null | undefined }): Promise<PlanView> {
  return decide(ctx, input, 'reject');
}

/** Cancels a pending or active plan; its hold is released so collection resumes on what is left. */
export async function cancelPlan(ctx: Ctx, input: { planId: number; note?: string | null | undefined }): Promise<PlanView> {
  const company = await companyFacts(ctx);
  const today = todayOf(ctx, company);
  await transaction(ctx, async (tx) => {
    const before = await loadPlanRow(ctx, input.planId, tx);
    if (before.status !== 'active' && before.status !== 'pending_approval') throw new AppError('conflict', t(`payment plan #${before.id} is ${before.status}; only a pending or active plan can be cancelled`, `el plan de pagos #${before.id} está ${statusEs(before.status, 'm')}; solo se puede cancelar un plan pendiente o activo`));
    const now = ctx.clock.now();
    const [after] = await tx
      .update(paymentPlans)
      .set({ status: 'cancelled', resolvedOn: today, decisionNote: input.note ?? null, updatedAt: now })
      .where(and(eq(paymentPlans.id, before.id), inArray(paymentPlans.status, ['active', 'pending_approval'])))
      .returning();
    if (!after) throw new AppError('conflict', t(`payment plan #${before.id} changed at the same time; look again`, `el plan de pagos #${before.id} cambió al mismo tiempo; vuelva a revisarlo`));
    await releaseHold(ctx, tx, before.holdId, `convenio #${before.id} cancelado`);
    await closeTask(ctx, tx, before.approvalTaskId, 'cancelled');
    await recordAudit(ctx, { action: 'payment_plan.cancel', entity: 'payment_plan', entityId: before.id, before, after }, tx);
  });
  return (await planViews(ctx, [await loadPlanRow(ctx, input.planId)]))[0]!;
}

/** A debtor's plans and settlements, newest first. */
export async function listPlans(ctx: Ctx, input: { debtorId: number; status?: string | undefined }): Promise<PlanView[]> {
  const rows = await ctx.database.db
    .select()
    .from(paymentPlans)
    .where(and(eq(paymentPlans.companyId, ctx.companyId), eq(paymentPlans.debtorId, input.debtorId), input.status ? eq(paymentPlans.status, input.status) : undefined))
    .orderBy(desc(paymentPlans.id));
  return planViews(ctx, rows);
}
