/**
 * Runs what the conversation machine asks for, through the same use cases the portal, the API and collectors use:
 * the negotiation policy judges promises and plans, negotiation records them, disputes and hardship; payments makes
 * the link. Every effect carries an idempotency key derived from the inbound message, so running a turn's effects
 * again records nothing twice. A refusal or failure becomes an outcome the machine explains to the debtor in Spanish;
 * only programming errors escape.
 */
import { and, eq, gt } from 'drizzle-orm';
import { obligations, tasks } from '../../db/schema.ts';
import type { PlainDate } from '../../domain/calendar.ts';
import type { ConversationEffect, EffectOutcome, PlanOffer, TaskPurpose } from '../../domain/conversation/index.ts';
import { formatDecimal } from '../../domain/money.ts';
import { createPlan, createPromise, evaluateOffer, flagHardship, listPlanOptions, openDispute, type OfferInput } from '../negotiation/index.ts';
import { createPaymentLink } from '../payments/index.ts';
import type { Ctx } from '../shared/context.ts';
import { AppError } from '../shared/errors.ts';
import type { DebtorFacts } from './load-facts.ts';

/** Task kinds this module creates: a debtor who asked for a person, and messages a collector must act on. */
export const TASK_KINDS: Record<TaskPurpose, string> = { advisor: 'advisor', verify_payment: 'reply', wrong_person: 'reply' };

type Out<K extends EffectOutcome['kind']> = Extract<EffectOutcome, { kind: K }>;

/** Spanish for a refusal a debtor reads; policy refusals carry the policy's own Spanish reasons. */
function reasonOf(error: unknown): string {
  if (!(error instanceof AppError)) throw error;
  if (error.code === 'policy_refused') {
    const details = error.in('es').details.map((d) => d.reason);
    if (details.length > 0) return details.join(' ');
  }
  if (error.code === 'conflict') {
    if (/promise/i.test(error.message)) return 'ya tiene una promesa de pago vigente.';
    if (/plan/i.test(error.message)) return 'ya tiene un plan de pagos vigente.';
    if (/disputed/i.test(error.message)) return 'ya hay una aclaración abierta sobre su cuenta.';
    return 'ya hay un trámite en curso sobre su cuenta.';
  }
  if (error.code === 'not_found') return 'no encontramos ese dato en su cuenta.';
  return 'no fue posible hacerlo en este momento.';
}

/** Runs one effect for the debtor; `key` is unique to the inbound message and the effect. */
export async function runEffect(ctx: Ctx, facts: DebtorFacts, effect: ConversationEffect, key: string): Promise<EffectOutcome> {
  const debtorId = facts.debtorId;
  switch (effect.kind) {
    case 'check_promise':
      return checkPromise(ctx, debtorId, effect);
    case 'record_promise':
      try {
        await createPromise(ctx, {
          debtorId,
          currency: effect.currency,
          amount: formatDecimal(BigInt(effect.amount), effect.currency),
          promisedOn: effect.date,
          channel: 'whatsapp',
          takenBy: 'debtor',
          note: 'Promesa hecha por el deudor en la conversación de WhatsApp.',
          idempotencyKey: key,
        });
        return { kind: 'record_promise', ok: true };
      } catch (error) {
        return { kind: 'record_promise', ok: false, reason: reasonOf(error) };
      }
    case 'list_plans':
      return listPlans(ctx, facts);
    case 'create_plan':
      try {
        const plan = await createPlan(ctx, { debtorId, currency: effect.offer.currency, offer: JSON.parse(effect.offer.id) as Extract<OfferInput, { kind: 'plan' | 'settlement' }>, channel: 'whatsapp', takenBy: 'debtor', idempotencyKey: key });
        return { kind: 'create_plan', ok: true, reference: String(plan.id) };
      } catch (error) {
        return { kind: 'create_plan', ok: false, reason: reasonOf(error) };
      }
    case 'flag_hardship':
      try {
        await flagHardship(ctx, { debtorId, note: effect.note, channel: 'whatsapp' });
        return { kind: 'flag_hardship', ok: true };
      } catch (error) {
        return { kind: 'flag_hardship', ok: false, reason: reasonOf(error) };
      }
    case 'open_dispute':
      return disputeAll(ctx, debtorId, effect.note);
    case 'payment_link':
      try {
        const link = await createPaymentLink(ctx, {
          debtorId,
          target: { kind: 'debtor' },
          currency: effect.currency,
          ...(effect.amount !== null ? { amount: BigInt(effect.amount) } : {}),
          idempotencyKey: key,
        });
        const where = link.url ?? [link.clabe && `CLABE ${link.clabe}`, link.reference && `referencia ${link.reference}`].filter(Boolean).join(', ');
        if (!where) return { kind: 'payment_link', ok: false, reason: 'el medio de pago no está disponible en este momento.' };
        return { kind: 'payment_link', ok: true, url: where, amount: link.amount.toString(), currency: link.currency };
      } catch (error) {
        return { kind: 'payment_link', ok: false, reason: reasonOf(error) };
      }
    case 'create_task':
      return createTask(ctx, facts, effect.purpose, effect.note, key);
  }
}

async function checkPromise(ctx: Ctx, debtorId: number, e: Extract<ConversationEffect, { kind: 'check_promise' }>): Promise<Out<'check_promise'>> {
  let evaluated;
  try {
    evaluated = await evaluateOffer(ctx, { debtorId, currency: e.currency, offer: { kind: 'promise', amount: formatDecimal(BigInt(e.amount), e.currency), promisedOn: e.date } });
  } catch (error) {
    return { kind: 'check_promise', ok: false, reason: reasonOf(error) };
  }
  const { evaluation } = evaluated;
  if (evaluation.outcome === 'allowed') return { kind: 'check_promise', ok: true };
  const codes = evaluation.reasons.map((r) => r.code);
  const horizon = evaluation.reasons.find((r) => r.code === 'promise.horizon_exceeded');
  const minimum = evaluation.reasons.find((r) => r.code === 'promise.amount_below_minimum' || r.code === 'promise.amount_exceeds_balance');
  const byDate = codes.some((c) => c === 'promise.horizon_exceeded' || c === 'promise.date_in_past');
  return {
    kind: 'check_promise',
    ok: false,
    reason: evaluation.reasons.map((r) => r.message).join(' '),
    field: byDate ? 'date' : 'amount',
    ...(horizon?.limit ? { latestDate: horizon.limit as PlainDate } : {}),
    ...(minimum?.code === 'promise.amount_below_minimum' && minimum.limit ? { minAmount: minorOf(minimum.limit, e.currency) } : {}),
  };
}

function minorOf(decimal: string, currency: string): string {
  const [int = '0', frac = ''] = decimal.split('.');
  const exp = formatDecimal(1n, currency).split('.')[1]?.length ?? 0;
  return BigInt(`${int}${frac.padEnd(exp, '0').slice(0, exp)}`).toString();
}

/**
 * A chat list stays short: per frequency the fewest and the most installments the policy allows (the cheapest
 * installment), then the settlement, at most six in all.
 */
export function shortList(offers: readonly PlanOffer[]): PlanOffer[] {
  const out: PlanOffer[] = [];
  for (const frequency of ['monthly', 'biweekly', 'weekly'] as const) {
    const plans = offers.filter((o) => o.kind === 'plan' && o.frequency === frequency).sort((a, b) => a.installments - b.installments);
    if (plans.length > 0) out.push(plans[0]!);
    if (plans.length > 1) out.push(plans[plans.length - 1]!);
  }
  const settlement = offers.find((o) => o.kind === 'settlement');
  return [...out.slice(0, settlement ? 5 : 6), ...(settlement ? [settlement] : [])];
}

async function listPlans(ctx: Ctx, facts: DebtorFacts): Promise<Out<'list_plans'>> {
  try {
    const result = await listPlanOptions(ctx, { debtorId: facts.debtorId, currency: facts.currency });
    const offers: PlanOffer[] = [];
    for (const option of result.options) {
      const { offer, evaluation } = option;
      const schedule = evaluation.schedule;
      if (offer.kind === 'promise' || schedule.length === 0) continue;
      const input: Extract<OfferInput, { kind: 'plan' | 'settlement' }> =
        offer.kind === 'plan'
          ? { kind: 'plan', downPayment: formatDecimal(offer.downPayment, result.currency), installments: offer.installments, frequency: offer.frequency, firstInstallmentOn: offer.firstInstallmentOn }
          : { kind: 'settlement', discount: formatDecimal(offer.discount, result.currency), payOn: offer.payOn };
      const down = schedule.find((s) => s.seq === 0)?.amount ?? 0n;
      const installments = schedule.filter((s) => s.seq > 0);
      offers.push({
        id: JSON.stringify(input),
        kind: offer.kind,
        currency: result.currency,
        discount: evaluation.discount.toString(),
        total: evaluation.total.toString(),
        downPayment: down.toString(),
        installments: installments.length,
        installmentAmount: (installments[0]?.amount ?? 0n).toString(),
        frequency: offer.kind === 'plan' ? offer.frequency : 'monthly',
        firstDueOn: (installments[0]?.dueOn ?? schedule[0]!.dueOn) as PlainDate,
      });
    }
    return { kind: 'list_plans', ok: true, offers: shortList(offers) };
  } catch (error) {
    return { kind: 'list_plans', ok: false, reason: reasonOf(error) };
  }
}

/**
 * "No es mi deuda" is about what the debtor is being asked to pay: every open obligation is disputed (each dispute
 * holds its obligation and gives a collector a task). Obligations already disputed are left as they are.
 */
async function disputeAll(ctx: Ctx, debtorId: number, note: string): Promise<Out<'open_dispute'>> {
  const open = await ctx.database.db
    .select({ id: obligations.id })
    .from(obligations)
    .where(and(eq(obligations.companyId, ctx.companyId), eq(obligations.debtorId, debtorId), gt(obligations.balance, 0n)))
    .orderBy(obligations.dueOn, obligations.id);
  if (open.length === 0) return { kind: 'open_dispute', ok: false, reason: 'no encontramos documentos pendientes en su cuenta.' };
  let opened = 0;
  let lastReason = '';
  for (const o of open) {
    try {
      await openDispute(ctx, { debtorId, obligationId: o.id, reason: note, channel: 'whatsapp', openedBy: 'debtor' });
      opened++;
    } catch (error) {
      if (error instanceof AppError && error.code === 'conflict') {
        opened++; // already disputed: what the debtor asked for is in place
        continue;
      }
      lastReason = reasonOf(error);
    }
  }
  return opened > 0 ? { kind: 'open_dispute', ok: true } : { kind: 'open_dispute', ok: false, reason: lastReason || 'no fue posible abrir la aclaración.' };
}

async function createTask(ctx: Ctx, facts: DebtorFacts, purpose: TaskPurpose, note: string, key: string): Promise<Out<'create_task'>> {
  const now = ctx.clock.now();
  await ctx.database.db
    .insert(tasks)
    .values({
      companyId: ctx.companyId,
      debtorId: facts.debtorId,
      kind: TASK_KINDS[purpose],
      dueOn: facts.companyToday,
      status: 'open',
      cause: `conversation:${purpose}`,
      idempotencyKey: key,
      note,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing({ target: [tasks.companyId, tasks.idempotencyKey] });
  return { kind: 'create_task', ok: true };
}
