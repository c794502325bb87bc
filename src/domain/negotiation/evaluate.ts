/**
 * One evaluation for every offer — a promise to pay, a payment plan or a settlement — against the policy in force for
 * the account. The answer is `allowed`, `needs_approval` (outside a limit, and the policy lets a person approve
 * exceptions) or `refused`, with every reason found: a stable English code, the limit and the actual value, and a
 * message in Spanish (and English) a debtor or collector can act on.
 *
 * Two kinds of reason: `invalid` (the offer cannot exist: a date in the past, more than is owed, nothing to finance)
 * always refuses; `limit` (outside the policy) needs approval, or refuses when the policy allows no exceptions.
 * Limits are inclusive: a promise exactly `max_days` ahead, a down payment of exactly the minimum, a discount of
 * exactly the maximum are allowed.
 */
import { addDays, daysBetween, type PlainDate } from '../calendar.ts';
import { formatDecimal } from '../money.ts';
import { bpsToPercent, type Bps, type NegotiationPolicy } from './policy.ts';
import { buildSchedule, scheduleTotal, type Frequency, type ScheduledInstallment } from './schedule.ts';

export type OfferKind = 'promise' | 'plan' | 'settlement';

export type Offer =
  | { readonly kind: 'promise'; readonly amount: bigint; readonly promisedOn: PlainDate }
  | {
      readonly kind: 'plan';
      readonly downPayment: bigint;
      /** Default: today. */
      readonly downPaymentOn?: PlainDate | undefined;
      readonly installments: number;
      readonly frequency: Frequency;
      readonly firstInstallmentOn: PlainDate;
      readonly discount?: bigint | undefined;
      /** Default: the policy's rate. */
      readonly annualInterestBps?: Bps | null | undefined;
    }
  | { readonly kind: 'settlement'; readonly discount: bigint; readonly payOn: PlainDate };

/** What the evaluation needs to know about the account, in the offer's currency. */
export interface OfferFacts {
  readonly today: PlainDate;
  readonly currency: string;
  /** Open balance the offer covers, minor units. */
  readonly balance: bigint;
  /** Of which overdue. */
  readonly overdue: bigint;
  readonly phase: string | null;
  readonly daysPastDue: number | null;
  /** Due date of the next obligation not yet due, for the early-payment incentive. */
  readonly nextDueOn: PlainDate | null;
}

export interface OfferReason {
  readonly code: string;
  readonly kind: 'invalid' | 'limit';
  /** Spanish, for the debtor or the collector. */
  readonly message: string;
  readonly messageEn: string;
  readonly limit?: string;
  readonly actual?: string;
}

export type OfferOutcome = 'allowed' | 'needs_approval' | 'refused';

export interface OfferEvaluation {
  readonly kind: OfferKind;
  readonly outcome: OfferOutcome;
  readonly reasons: readonly OfferReason[];
  /** Role that may approve it (needs_approval only). */
  readonly approverRole: string | null;
  readonly currency: string;
  /** Plans and settlements: the schedule (empty when the offer is invalid). */
  readonly schedule: readonly ScheduledInstallment[];
  readonly discount: bigint;
  readonly interest: bigint;
  /** What the debtor pays in all: the promise amount, or Σ installments. */
  readonly total: bigint;
  readonly annualInterestBps: Bps | null;
}

/** ⌈amount × bps / 10 000⌉: a minimum is never rounded in the debtor's favour. */
export function percentOfCeil(amount: bigint, bps: Bps): bigint {
  const n = amount * BigInt(bps);
  return (n + 9_999n) / 10_000n;
}

/** ⌊amount × bps / 10 000⌋: a maximum is never rounded in the debtor's favour either. */
export function percentOfFloor(amount: bigint, bps: Bps): bigint {
  return (amount * BigInt(bps)) / 10_000n;
}

/** The largest settlement discount in force: by days past due, and the early-payment incentive before the due date. */
export function maxSettlementDiscountBps(policy: NegotiationPolicy, facts: Pick<OfferFacts, 'phase' | 'daysPastDue' | 'nextDueOn'>, payOn: PlainDate): Bps {
  let bps = policy.settlements.maxDiscountPercent;
  const dpd = facts.daysPastDue ?? 0;
  for (const step of policy.settlements.byDaysPastDue) if (dpd >= step.from) bps = step.maxDiscountPercent;
  const early = policy.earlyPayment;
  if (early && facts.phase === 'preventive' && facts.nextDueOn && daysBetween(payOn, facts.nextDueOn) >= early.daysBeforeDue) {
    bps = Math.max(bps, early.discountPercent);
  }
  return bps;
}

/** Evaluates an offer; see the module comment. */
export function evaluateOffer(policy: NegotiationPolicy, facts: OfferFacts, offer: Offer): OfferEvaluation {
  const reasons: OfferReason[] = [];
  const cur = facts.currency;
  const m = (v: bigint) => `${formatDecimal(v, cur)} ${cur}`;
  const invalid = (code: string, message: string, messageEn: string, extra: { limit?: string; actual?: string } = {}) =>
    reasons.push({ code, kind: 'invalid', message, messageEn, ...extra });
  const limit = (code: string, message: string, messageEn: string, extra: { limit?: string; actual?: string } = {}) =>
    reasons.push({ code, kind: 'limit', message, messageEn, ...extra });

  let schedule: ScheduledInstallment[] = [];
  let discount = 0n;
  let total = 0n;
  let interestBps: Bps | null = null;

  if (facts.balance <= 0n) invalid('offer.nothing_owed', `No hay saldo pendiente en ${cur}.`, `Nothing is owed in ${cur}.`);

  if (offer.kind === 'promise') {
    total = offer.amount;
    if (offer.amount <= 0n) invalid('promise.amount_not_positive', 'El monto prometido debe ser mayor que cero.', 'The promised amount must be greater than zero.');
    else if (facts.balance > 0n && offer.amount > facts.balance)
      invalid('promise.amount_exceeds_balance', `El monto prometido (${m(offer.amount)}) es mayor que el saldo (${m(facts.balance)}).`, 'The promised amount is more than the balance.', { limit: formatDecimal(facts.balance, cur), actual: formatDecimal(offer.amount, cur) });
    if (offer.promisedOn < facts.today) invalid('promise.date_in_past', `La fecha prometida (${offer.promisedOn}) ya pasó.`, 'The promised date is in the past.', { actual: offer.promisedOn });
    const latest = addDays(facts.today, policy.promises.maxDays);
    if (offer.promisedOn > latest)
      limit('promise.horizon_exceeded', `La fecha prometida debe ser a más tardar el ${latest} (${policy.promises.maxDays} días).`, `The promise date must be within ${policy.promises.maxDays} days.`, { limit: latest, actual: offer.promisedOn });
    const base = facts.overdue > 0n ? facts.overdue : facts.balance;
    const minimum = percentOfCeil(base, policy.promises.minPercentOfOverdue);
    if (offer.amount > 0n && offer.amount < minimum)
      limit('promise.amount_below_minimum', `El monto mínimo de una promesa es ${m(minimum)} (${bpsToPercent(policy.promises.minPercentOfOverdue)} % de lo vencido).`, `A promise must be at least ${bpsToPercent(policy.promises.minPercentOfOverdue)} % of the overdue amount.`, { limit: formatDecimal(minimum, cur), actual: formatDecimal(offer.amount, cur) });
  } else if (offer.kind === 'settlement') {
    discount = offer.discount;
    if (offer.discount < 0n) invalid('settlement.discount_negative', 'El descuento no puede ser negativo.', 'The discount cannot be negative.');
    else if (facts.balance > 0n && offer.discount >= facts.balance) invalid('settlement.discount_exceeds_balance', 'El descuento debe ser menor que el saldo.', 'The discount must be less than the balance.');
    if (offer.payOn < facts.today) invalid('settlement.date_in_past', `La fecha de pago (${offer.payOn}) ya pasó.`, 'The payment date is in the past.', { actual: offer.payOn });
    const latest = addDays(facts.today, policy.settlements.maxPayWithinDays);
    if (offer.payOn > latest)
      limit('settlement.pay_date_too_late', `El pago de una liquidación debe hacerse a más tardar el ${latest}.`, `A settlement must be paid within ${policy.settlements.maxPayWithinDays} days.`, { limit: latest, actual: offer.payOn });
    const bps = maxSettlementDiscountBps(policy, facts, offer.payOn);
    const maximum = percentOfFloor(facts.balance, bps);
    if (offer.discount > maximum)
      limit('settlement.discount_exceeds_maximum', `El descuento máximo es ${m(maximum)} (${bpsToPercent(bps)} % del saldo).`, `The largest discount is ${bpsToPercent(bps)} % of the balance.`, { limit: formatDecimal(maximum, cur), actual: formatDecimal(offer.discount, cur) });
    if (!reasons.some((r) => r.kind === 'invalid')) {
      schedule = buildSchedule({ financed: facts.balance - offer.discount, count: 1, frequency: 'monthly', firstDueOn: offer.payOn, startOn: facts.today });
      total = scheduleTotal(schedule);
    }
  } else {
    discount = offer.discount ?? 0n;
    const afterDiscount = facts.balance - discount;
    const downOn = offer.downPaymentOn ?? facts.today;
    interestBps = offer.annualInterestBps === undefined ? policy.plans.annualInterestBps : offer.annualInterestBps;
    if (!policy.plans.enabled) limit('plan.disabled', 'Esta cartera no ofrece planes de pago.', 'Payment plans are not offered for this account.');
    if (discount < 0n) invalid('plan.discount_negative', 'El descuento no puede ser negativo.', 'The discount cannot be negative.');
    else if (facts.balance > 0n && discount >= facts.balance) invalid('plan.discount_exceeds_balance', 'El descuento debe ser menor que el saldo.', 'The discount must be less than the balance.');
    if (offer.downPayment < 0n) invalid('plan.down_payment_negative', 'El enganche no puede ser negativo.', 'The down payment cannot be negative.');
    else if (afterDiscount > 0n && offer.downPayment >= afterDiscount)
      invalid('plan.nothing_to_finance', 'El enganche cubre todo el saldo: registre un pago o una liquidación.', 'The down payment covers the whole balance: use a payment or a settlement.');
    if (!Number.isInteger(offer.installments) || offer.installments < 1) invalid('plan.installments_not_positive', 'El plan necesita al menos una cuota.', 'A plan needs at least one installment.');
    else if (offer.installments > policy.plans.maxInstallments)
      limit('plan.too_many_installments', `El máximo es ${policy.plans.maxInstallments} cuotas.`, `At most ${policy.plans.maxInstallments} installments.`, { limit: String(policy.plans.maxInstallments), actual: String(offer.installments) });
    if (!policy.plans.frequencies.includes(offer.frequency))
      limit('plan.frequency_not_allowed', `La frecuencia debe ser una de: ${policy.plans.frequencies.map(frequencyEs).join(', ')}.`, `The frequency must be one of ${policy.plans.frequencies.join(', ')}.`, { limit: policy.plans.frequencies.join(','), actual: offer.frequency });
    if (downOn < facts.today) invalid('plan.down_payment_date_in_past', `La fecha del enganche (${downOn}) ya pasó.`, 'The down payment date is in the past.', { actual: downOn });
    if (offer.firstInstallmentOn < facts.today) invalid('plan.first_installment_in_past', `La fecha de la primera cuota (${offer.firstInstallmentOn}) ya pasó.`, 'The first installment date is in the past.', { actual: offer.firstInstallmentOn });
    else if (offer.downPayment > 0n && offer.firstInstallmentOn < downOn)
      invalid('plan.first_installment_before_down_payment', 'La primera cuota no puede vencer antes del enganche.', 'The first installment cannot fall before the down payment.');
    const latestFirst = addDays(facts.today, policy.plans.maxFirstInstallmentDays);
    if (offer.firstInstallmentOn > latestFirst)
      limit('plan.first_installment_too_late', `La primera cuota debe vencer a más tardar el ${latestFirst}.`, `The first installment must fall within ${policy.plans.maxFirstInstallmentDays} days.`, { limit: latestFirst, actual: offer.firstInstallmentOn });
    const maxDiscount = percentOfFloor(facts.balance, policy.plans.maxDiscountPercent);
    if (discount > 0n && discount > maxDiscount)
      limit('plan.discount_exceeds_maximum', `El descuento máximo en un plan es ${m(maxDiscount)} (${bpsToPercent(policy.plans.maxDiscountPercent)} %).`, `The largest discount on a plan is ${bpsToPercent(policy.plans.maxDiscountPercent)} %.`, { limit: formatDecimal(maxDiscount, cur), actual: formatDecimal(discount, cur) });
    if (afterDiscount > 0n) {
      const minDown = percentOfCeil(afterDiscount, policy.plans.minDownPaymentPercent);
      if (offer.downPayment >= 0n && offer.downPayment < minDown)
        limit('plan.down_payment_below_minimum', `El enganche mínimo es ${m(minDown)} (${bpsToPercent(policy.plans.minDownPaymentPercent)} %).`, `The down payment must be at least ${bpsToPercent(policy.plans.minDownPaymentPercent)} %.`, { limit: formatDecimal(minDown, cur), actual: formatDecimal(offer.downPayment, cur) });
    }
    if ((interestBps ?? 0) !== (policy.plans.annualInterestBps ?? 0))
      limit('plan.interest_differs_from_policy', `La tasa de interés del plan debe ser ${bpsToPercent(policy.plans.annualInterestBps ?? 0)} % anual.`, `The plan's interest must be ${bpsToPercent(policy.plans.annualInterestBps ?? 0)} % a year.`, { limit: bpsToPercent(policy.plans.annualInterestBps ?? 0), actual: bpsToPercent(interestBps ?? 0) });
    if (!reasons.some((r) => r.kind === 'invalid')) {
      schedule = buildSchedule({
        financed: afterDiscount - offer.downPayment,
        count: offer.installments,
        frequency: offer.frequency,
        firstDueOn: offer.firstInstallmentOn,
        startOn: offer.downPayment > 0n ? downOn : facts.today,
        annualInterestBps: interestBps,
        downPayment: offer.downPayment > 0n ? { amount: offer.downPayment, dueOn: downOn } : null,
      });
      total = scheduleTotal(schedule);
      const minInstallment = policy.plans.minInstallment[cur];
      const smallest = schedule.filter((s) => s.seq > 0).reduce<bigint | null>((min, s) => (min === null || s.amount < min ? s.amount : min), null);
      if (minInstallment !== undefined && smallest !== null && smallest < minInstallment)
        limit('plan.installment_below_minimum', `Cada cuota debe ser de al menos ${m(minInstallment)}; con ${offer.installments} cuotas la menor sería ${m(smallest)}.`, `Each installment must be at least ${formatDecimal(minInstallment, cur)} ${cur}.`, { limit: formatDecimal(minInstallment, cur), actual: formatDecimal(smallest, cur) });
    }
  }

  const hasInvalid = reasons.some((r) => r.kind === 'invalid');
  const hasLimit = reasons.some((r) => r.kind === 'limit');
  const outcome: OfferOutcome = hasInvalid ? 'refused' : hasLimit ? (policy.approval.exceptions ? 'needs_approval' : 'refused') : 'allowed';
  const interest = schedule.reduce((s, x) => s + x.interest, 0n);
  return {
    kind: offer.kind,
    outcome,
    reasons,
    approverRole: outcome === 'needs_approval' ? policy.approval.role : null,
    currency: cur,
    schedule,
    discount,
    interest,
    total,
    annualInterestBps: offer.kind === 'plan' ? interestBps : null,
  };
}

/** A frequency's Spanish name. */
export function frequencyEs(f: Frequency): string {
  return f === 'weekly' ? 'semanal' : f === 'biweekly' ? 'catorcenal' : 'mensual';
}
