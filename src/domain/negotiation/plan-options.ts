/**
 * The offers a debtor can take without anyone's approval: for each frequency the policy allows, a few installment
 * counts up to the maximum, with the minimum down payment and the first installment one period from today; plus a
 * settlement today with the largest discount in force, when there is one. Every option is checked with
 * `evaluateOffer`, so what the portal or WhatsApp shows is exactly what would be accepted.
 */
import { addDays, addMonths, type PlainDate } from '../calendar.ts';
import { evaluateOffer, maxSettlementDiscountBps, percentOfCeil, percentOfFloor, type Offer, type OfferEvaluation, type OfferFacts } from './evaluate.ts';
import type { NegotiationPolicy } from './policy.ts';
import type { Frequency } from './schedule.ts';

export interface PlanOption {
  readonly offer: Offer;
  readonly evaluation: OfferEvaluation;
}

const COUNTS = [2, 3, 4, 6, 8, 10, 12, 18, 24, 36, 48, 60];

function firstDate(today: PlainDate, frequency: Frequency): PlainDate {
  return frequency === 'weekly' ? addDays(today, 7) : frequency === 'biweekly' ? addDays(today, 14) : addMonths(today, 1);
}

/** Allowed plan and settlement options for an account; see the module comment. */
export function planOptions(policy: NegotiationPolicy, facts: OfferFacts): PlanOption[] {
  if (facts.balance <= 0n) return [];
  const out: PlanOption[] = [];
  if (policy.plans.enabled) {
    const counts = [...new Set([...COUNTS.filter((n) => n < policy.plans.maxInstallments), policy.plans.maxInstallments])];
    for (const frequency of policy.plans.frequencies) {
      let first = firstDate(facts.today, frequency);
      const latest = addDays(facts.today, policy.plans.maxFirstInstallmentDays);
      if (first > latest) first = latest;
      for (const installments of counts) {
        const downPayment = percentOfCeil(facts.balance, policy.plans.minDownPaymentPercent);
        const offer: Offer = { kind: 'plan', downPayment, installments, frequency, firstInstallmentOn: first };
        const evaluation = evaluateOffer(policy, facts, offer);
        if (evaluation.outcome === 'allowed') out.push({ offer, evaluation });
      }
    }
  }
  const bps = maxSettlementDiscountBps(policy, facts, facts.today);
  const discount = percentOfFloor(facts.balance, bps);
  if (discount > 0n) {
    const offer: Offer = { kind: 'settlement', discount, payOn: facts.today };
    const evaluation = evaluateOffer(policy, facts, offer);
    if (evaluation.outcome === 'allowed') out.push({ offer, evaluation });
  }
  return out;
}
