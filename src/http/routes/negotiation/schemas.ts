/** Wire shapes of the negotiation routes: snake_case JSON, money as decimal strings in the currency. */
import { z } from 'zod';
import { plainDate } from '../../schemas.ts';
import { FREQUENCIES } from '../../../domain/negotiation/index.ts';
import { AGREEMENT_LANGUAGES, NEGOTIATION_CHANNELS, TAKEN_BY, type DisputeView, type NegotiationState, type PlanView, type PromiseView } from '../../../modules/negotiation/index.ts';
import type { Offer, OfferEvaluation } from '../../../domain/negotiation/index.ts';
import { formatDecimal } from '../../../domain/money.ts';
import { zodText } from '../../../domain/zod-issues.ts';
import { t } from '../../../domain/text.ts';

export const decimal = z.string().regex(/^\d+(\.\d+)?$/, zodText(t('must be a decimal amount with a dot, e.g. 1250.50', 'debe ser un monto decimal con punto, p. ej. 1250.50'))).meta({ example: '1250.50' });
export const currency = z.string().regex(/^[A-Za-z]{3}$/, zodText(t('must be an ISO currency code such as MXN', 'debe ser un código de moneda ISO como MXN'))).meta({ example: 'MXN' });
export const idParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
export const channel = z.enum(NEGOTIATION_CHANNELS);
export const takenBy = z.enum(TAKEN_BY);

const planOffer = z.strictObject({
  kind: z.literal('plan'),
  down_payment: decimal.optional(),
  down_payment_on: plainDate.optional(),
  installments: z.number().int().min(1).max(600),
  frequency: z.enum(FREQUENCIES),
  first_installment_on: plainDate,
  discount: decimal.optional(),
  annual_interest_percent: z.union([z.string(), z.number()]).nullable().optional(),
});
const settlementOffer = z.strictObject({ kind: z.literal('settlement'), discount: decimal.optional(), amount: decimal.optional(), pay_on: plainDate });
const promiseOffer = z.strictObject({ kind: z.literal('promise'), amount: decimal, promised_on: plainDate });

/** An offer of any kind, as sent to evaluate. */
export const OfferBody = z.discriminatedUnion('kind', [promiseOffer, planOffer, settlementOffer]);
/** A plan or settlement, as sent to create one. */
export const PlanOfferBody = z.discriminatedUnion('kind', [planOffer, settlementOffer]);
export const languageSchema = z.enum(AGREEMENT_LANGUAGES);

type OfferBodyT = z.infer<typeof OfferBody>;

/** Wire offer → module offer input. */
export function offerInput(o: OfferBodyT) {
  switch (o.kind) {
    case 'promise':
      return { kind: 'promise' as const, amount: o.amount, promisedOn: o.promised_on };
    case 'plan':
      return {
        kind: 'plan' as const,
        downPayment: o.down_payment,
        downPaymentOn: o.down_payment_on,
        installments: o.installments,
        frequency: o.frequency,
        firstInstallmentOn: o.first_installment_on,
        discount: o.discount,
        annualInterestPercent: o.annual_interest_percent,
      };
    case 'settlement':
      return { kind: 'settlement' as const, discount: o.discount, amount: o.amount, payOn: o.pay_on };
  }
}

/** A JSON object; each route documents its main fields in its summary. */
export const Json = z.looseObject({});

/** A domain offer back on the wire, in the shape OfferBody takes, so a listed option can be sent as it is. */
export function offerWire(o: Offer, cur: string) {
  switch (o.kind) {
    case 'promise':
      return { kind: o.kind, amount: formatDecimal(o.amount, cur), promised_on: o.promisedOn };
    case 'plan':
      return {
        kind: o.kind,
        down_payment: formatDecimal(o.downPayment, cur),
        ...(o.downPaymentOn !== undefined && { down_payment_on: o.downPaymentOn }),
        installments: o.installments,
        frequency: o.frequency,
        first_installment_on: o.firstInstallmentOn,
        ...(o.discount !== undefined && { discount: formatDecimal(o.discount, cur) }),
      };
    case 'settlement':
      return { kind: o.kind, discount: formatDecimal(o.discount, cur), pay_on: o.payOn };
  }
}

export function evaluationWire(e: OfferEvaluation) {
  const cur = e.currency;
  return {
    kind: e.kind,
    outcome: e.outcome,
    approver_role: e.approverRole,
    currency: cur,
    reasons: e.reasons.map((r) => ({ code: r.code, kind: r.kind, message: r.message, message_en: r.messageEn, limit: r.limit ?? null, actual: r.actual ?? null })),
    total: formatDecimal(e.total, cur),
    discount: formatDecimal(e.discount, cur),
    interest: formatDecimal(e.interest, cur),
    annual_interest_percent: e.annualInterestBps === null ? null : String(e.annualInterestBps / 100),
    schedule: e.schedule.map((s) => ({ seq: s.seq, due_on: s.dueOn, amount: formatDecimal(s.amount, cur), principal: formatDecimal(s.principal, cur), interest: formatDecimal(s.interest, cur) })),
  };
}

export function promiseWire(p: PromiseView) {
  return {
    id: p.id,
    currency: p.currency,
    amount: p.amount,
    promised_on: p.promisedOn,
    taken_on: p.takenOn,
    grace_until: p.graceUntil,
    channel: p.channel,
    taken_by: p.takenBy,
    actor: p.actor,
    status: p.status,
    paid: p.paid,
    resolved_on: p.resolvedOn,
    evaluation: p.evaluation,
    note: p.note,
    created_at: p.createdAt.toISOString(),
  };
}

export function planWire(p: PlanView) {
  return {
    id: p.id,
    kind: p.kind,
    currency: p.currency,
    status: p.status,
    covered: p.covered,
    discount: p.discount,
    interest: p.interest,
    down_payment: p.downPayment,
    total: p.total,
    paid: p.paid,
    frequency: p.frequency,
    annual_interest_percent: p.annualInterestBps === null ? null : String(p.annualInterestBps / 100),
    grace_business_days: p.graceDays,
    channel: p.channel,
    taken_by: p.takenBy,
    actor: p.actor,
    created_on: p.createdOn,
    started_on: p.startedOn,
    resolved_on: p.resolvedOn,
    approver_role: p.approverRole,
    language: p.language,
    evaluation: p.evaluation,
    note: p.note,
    decided_by: p.decidedBy,
    decision_note: p.decisionNote,
    obligations: p.obligations.map((o) => ({ id: o.id, external_id: o.externalId, balance: o.balance })),
    installments: p.installments.map((i) => ({ seq: i.seq, due_on: i.dueOn, amount: i.amount, principal: i.principal, interest: i.interest, paid: i.paid, paid_on: i.paidOn, status: i.status })),
  };
}

export function disputeWire(d: DisputeView) {
  return {
    id: d.id,
    obligation_id: d.obligationId,
    obligation_external_id: d.obligationExternalId,
    status: d.status,
    reason: d.reason,
    channel: d.channel,
    opened_by: d.openedBy,
    actor: d.actor,
    opened_on: d.openedOn,
    resolution: d.resolution,
    adjusted_amount: d.adjustedAmount,
    previous_amount: d.previousAmount,
    debtor_notice: d.debtorNotice,
    resolved_by: d.resolvedBy,
    resolved_at: d.resolvedAt?.toISOString() ?? null,
  };
}

export function stateWire(s: NegotiationState) {
  return {
    debtor_external_id: s.externalId,
    scope: s.scope,
    balances: s.balances,
    promises: s.promises.map(promiseWire),
    plans: s.plans.map(planWire),
    disputes: s.disputes.map(disputeWire),
    tasks: s.tasks.map((t) => ({ id: t.id, kind: t.kind, due_on: t.dueOn, note: t.note })),
  };
}
