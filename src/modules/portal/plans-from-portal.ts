/**
 * Payment plans from the portal. The debtor is shown the plans and the settlement the policy allows without approval
 * (the negotiation module's listPlanOptions) and picks one by its key; the server lists them again and creates the
 * one that matches, so what is agreed is what the policy offers today, never amounts sent by the page. A plan the
 * policy does not allow can be asked for: it is recorded for approval when the policy names an approver, and
 * otherwise becomes a task for a collector with the request written out.
 */
import { and, eq } from 'drizzle-orm';
import { tasks } from '../../db/schema.ts';
import type { PlainDate } from '../../domain/calendar.ts';
import { formatDecimal } from '../../domain/money.ts';
import type { Offer, PlanOption } from '../../domain/negotiation/index.ts';
import { createPlan, listPlanOptions, type OfferInput, type PlanView } from '../negotiation/index.ts';
import { AppError } from '../shared/errors.ts';
import { recordPortalEvent } from './events.ts';
import type { PortalAccess } from './open-portal.ts';
import { t } from '../../domain/text.ts';

/** One option as the portal shows it (amounts still minor units). */
export interface PortalPlanOption {
  /** Stable for the day: what the page sends back to choose it. */
  key: string;
  kind: 'plan' | 'settlement';
  frequency: string | null;
  installments: number;
  downPayment: bigint;
  discount: bigint;
  interest: bigint;
  total: bigint;
  schedule: { seq: number; dueOn: string; amount: bigint }[];
}

function keyOf(offer: Offer): string {
  if (offer.kind === 'plan') return `plan:${offer.frequency}:${offer.installments}`;
  if (offer.kind === 'settlement') return `settlement:${offer.payOn}`;
  return 'promise';
}

function view(option: PlanOption): PortalPlanOption {
  const { offer, evaluation } = option;
  const schedule = evaluation.schedule.map((s) => ({ seq: s.seq, dueOn: s.dueOn, amount: s.amount }));
  return {
    key: keyOf(offer),
    kind: offer.kind === 'settlement' ? 'settlement' : 'plan',
    frequency: offer.kind === 'plan' ? offer.frequency : null,
    installments: offer.kind === 'plan' ? offer.installments : 1,
    downPayment: offer.kind === 'plan' ? offer.downPayment : 0n,
    discount: evaluation.discount,
    interest: evaluation.interest,
    total: evaluation.total,
    schedule,
  };
}

/** The options the policy allows this debtor in `currency` today. */
export async function portalPlanOptions(access: PortalAccess, currency: string): Promise<{ currency: string; balance: bigint; options: PortalPlanOption[] }> {
  const listed = await listPlanOptions(access.ctx, { debtorId: access.debtor.id, currency: currency.trim().toUpperCase() });
  return { currency: listed.currency, balance: listed.balance, options: listed.options.map(view) };
}

function toInput(offer: Offer, currency: string): Extract<OfferInput, { kind: 'plan' | 'settlement' }> {
  if (offer.kind === 'plan') {
    return {
      kind: 'plan',
      downPayment: formatDecimal(offer.downPayment, currency),
      ...(offer.downPaymentOn && { downPaymentOn: offer.downPaymentOn }),
      installments: offer.installments,
      frequency: offer.frequency,
      firstInstallmentOn: offer.firstInstallmentOn,
      ...(offer.discount !== undefined && { discount: formatDecimal(offer.discount, currency) }),
      ...(offer.annualInterestBps !== undefined && { annualInterestPercent: offer.annualInterestBps === null ? null : (offer.annualInterestBps / 100).toFixed(2) }),
    };
  }
  if (offer.kind === 'settlement') return { kind: 'settlement', discount: formatDecimal(offer.discount, currency), payOn: offer.payOn };
  throw new Error('a promise is not a plan option');
}

/** Agrees to the option with `key` (as listed now). AppError not_found when the option is no longer offered. */
export async function choosePortalPlan(access: PortalAccess, input: { currency: string; key: string; language?: 'es-MX' | 'en' | undefined }): Promise<PlanView> {
  const currency = input.currency.trim().toUpperCase();
  const listed = await listPlanOptions(access.ctx, { debtorId: access.debtor.id, currency });
  const chosen = listed.options.find((o) => keyOf(o.offer) === input.key);
  if (!chosen) throw new AppError('not_found', t(`the option "${input.key}" is not offered any more; reload the options`, `la opción "${input.key}" ya no se ofrece; vuelva a cargar las opciones`), [{ path: 'key', reason: t('not offered', 'ya no se ofrece') }]);
  const plan = await createPlan(access.ctx, {
    debtorId: access.debtor.id,
    currency,
    offer: toInput(chosen.offer, listed.currency),
    channel: 'portal',
    takenBy: 'debtor',
    language: input.language ?? 'es-MX',
    idempotencyKey: `portal:${access.link.id}:${input.key}:${listed.today}`,
  });
  await recordPortalEvent(access, 'plan', { plan: plan.id, option: input.key, currency });
  return plan;
}

export interface PortalPlanRequest {
  currency: string;
  installments: number;
  frequency: 'weekly' | 'biweekly' | 'monthly';
  firstInstallmentOn: string;
  /** Decimal string; default none. */
  downPayment?: string | undefined;
  /** What the debtor wants to say to the collector. */
  note?: string | undefined;
}

/**
 * Asks for a plan outside the policy. Returns the plan waiting for approval, or `task` when the policy cannot approve
 * it and a collector must call the debtor.
 */
export async function requestPortalPlan(access: PortalAccess, input: PortalPlanRequest): Promise<{ plan: PlanView | null; taskId: number | null }> {
  const currency = input.currency.trim().toUpperCase();
  const note = input.note?.trim().slice(0, 1000) || null;
  try {
    const plan = await createPlan(access.ctx, {
      debtorId: access.debtor.id,
      currency,
      offer: { kind: 'plan', installments: input.installments, frequency: input.frequency, firstInstallmentOn: input.firstInstallmentOn, ...(input.downPayment && { downPayment: input.downPayment }) },
      channel: 'portal',
      takenBy: 'debtor',
      note,
      requestApproval: true,
    });
    await recordPortalEvent(access, 'plan_request', { plan: plan.id, status: plan.status, currency, installments: input.installments, frequency: input.frequency, first_installment_on: input.firstInstallmentOn, note });
    return { plan, taskId: null };
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'policy_refused') throw error;
    // The collector's task is written in Spanish, like the rest of the back office's notes.
    const reasons = error.in('es').details.map((d) => d.reason).join(' ');
    const text = `Solicitud de plan desde el portal: ${input.installments} pagos ${FREQUENCY_ES[input.frequency]} desde el ${input.firstInstallmentOn}${input.downPayment ? `, enganche ${input.downPayment} ${currency}` : ''}. Fuera de política: ${reasons}${note ? ` Nota del deudor: ${note}` : ''}`;
    const taskId = await openCollectorTask(access, text, `portal_plan_request:${access.link.id}:${access.today}:${input.installments}:${input.frequency}`);
    await recordPortalEvent(access, 'plan_request', { task: taskId, currency, installments: input.installments, frequency: input.frequency, first_installment_on: input.firstInstallmentOn, note, refused: reasons });
    return { plan: null, taskId };
  }
}

const FREQUENCY_ES = { weekly: 'semanales', biweekly: 'quincenales', monthly: 'mensuales' } as const;

/** A call task for a collector, once per cause. */
async function openCollectorTask(access: PortalAccess, note: string, cause: string): Promise<number> {
  const { ctx } = access;
  const now = ctx.clock.now();
  const key = `portal:${cause}`;
  const [row] = await ctx.database.db
    .insert(tasks)
    .values({ companyId: ctx.companyId, debtorId: access.debtor.id, kind: 'call', dueOn: access.today as PlainDate, status: 'open', cause, idempotencyKey: key, note, createdAt: now, updatedAt: now })
    .onConflictDoNothing({ target: [tasks.companyId, tasks.idempotencyKey] })
    .returning({ id: tasks.id });
  if (row) return row.id;
  const [existing] = await ctx.database.db.select({ id: tasks.id }).from(tasks).where(and(eq(tasks.companyId, ctx.companyId), eq(tasks.idempotencyKey, key)));
  return existing!.id;
}
