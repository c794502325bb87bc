import { describe, expect, it } from 'vitest';
import type { PlainDate } from '../calendar.ts';
import { evaluateOffer, maxSettlementDiscountBps, type Offer, type OfferFacts } from './evaluate.ts';
import { effectivePolicy, parsePolicySource, PolicyError, percentToBps, bpsToPercent, DEFAULT_POLICY_FILE } from './policy.ts';
import { planOptions } from './plan-options.ts';

const d = (s: string) => s as PlainDate;
const policy = effectivePolicy(null, { portfolio: 'default', segments: [], phase: 'administrative' });
// 1,000.00 MXN owed, all overdue, 20 days late, judged on 2026-03-10.
const facts: OfferFacts = { today: d('2026-03-10'), currency: 'MXN', balance: 100_000n, overdue: 100_000n, phase: 'administrative', daysPastDue: 20, nextDueOn: null };
const codes = (...args: [Offer] | [OfferFacts, Offer] | [OfferFacts, Offer, typeof policy] | [Offer, OfferFacts] | [Offer, OfferFacts, typeof policy]) => {
  const [f, offer, p] = 'kind' in args[0] ? [(args[1] as OfferFacts | undefined) ?? facts, args[0], (args[2] as typeof policy | undefined) ?? policy] : [args[0], args[1] as Offer, (args[2] as typeof policy | undefined) ?? policy];
  const e = evaluateOffer(p, f, offer);
  return { outcome: e.outcome, codes: e.reasons.map((r) => r.code) };
};

describe('policy documents', () => {
  it('ships a default and merges overrides by portfolio, segment and phase in order', () => {
    const file = parsePolicySource(`
promises: { max_days: 10 }
plans: { min_installment: { CLP: "20000" } }
overrides:
  - when: { phase: judicial }
    settlements: { max_discount_percent: 40 }
  - when: { portfolio: tarjetas, segment: [vip, gold] }
    promises: { max_days: 30 }
`);
    const base = effectivePolicy(file, { portfolio: 'default', segments: [], phase: 'administrative' });
    expect(base.promises.maxDays).toBe(10);
    expect(base.plans.minInstallment).toMatchObject({ MXN: 20_000n, CLP: 20_000n });
    expect(base.settlements.maxDiscountPercent).toBe(0);
    expect(effectivePolicy(file, { portfolio: 'x', segments: [], phase: 'judicial' }).settlements.maxDiscountPercent).toBe(4000);
    expect(effectivePolicy(file, { portfolio: 'tarjetas', segments: ['gold'], phase: 'judicial' }).promises.maxDays).toBe(30);
    expect(effectivePolicy(file, { portfolio: 'tarjetas', segments: ['basic'], phase: 'judicial' }).promises.maxDays).toBe(10);
    expect(effectivePolicy(null, { portfolio: null, segments: [], phase: null }).promises.maxDays).toBe(DEFAULT_POLICY_FILE.promises!.max_days);
  });

  it('refuses bad files with the path of every problem', () => {
    const problems = (text: string) => {
      try {
        parsePolicySource(text);
        return [];
      } catch (error) {
        return (error as PolicyError).issues.map((i) => i.path);
      }
    };
    expect(problems('promises: { max_days: -1, min_percent_of_overdue: 101 }')).toEqual(['promises.max_days', 'promises.min_percent_of_overdue']);
    expect(problems('plans: { min_installment: { MXN: "10.005", XXX: "1" } }')).toEqual(['plans.min_installment.MXN', 'plans.min_installment.XXX']);
    expect(problems('plans: { frequencies: [daily] }')).toEqual(['plans.frequencies[0]']);
    expect(problems('overrides: [{ when: {}, promises: { max_days: 3 } }]')).toEqual(['overrides[0].when']);
    expect(problems('surprise: 1')).toEqual(['']);
    expect(problems('')).toEqual(['']);
    expect(problems('promises: [')).toEqual(['']);
  });

  it('percentages are exact basis points', () => {
    expect(percentToBps('12.5')).toBe(1250);
    expect(percentToBps(0.05)).toBe(5);
    expect(bpsToPercent(1250)).toBe('12.5');
    expect(bpsToPercent(1000)).toBe('10');
  });
});

describe('promises at their limits', () => {
  it('horizon: max_days ahead is allowed, one more needs approval, a past date is refused', () => {
    expect(codes({ kind: 'promise', amount: 20_000n, promisedOn: d('2026-03-25') }).outcome).toBe('allowed');
    expect(codes({ kind: 'promise', amount: 20_000n, promisedOn: d('2026-03-26') })).toEqual({ outcome: 'needs_approval', codes: ['promise.horizon_exceeded'] });
    expect(codes({ kind: 'promise', amount: 20_000n, promisedOn: d('2026-03-10') }).outcome).toBe('allowed');
    expect(codes({ kind: 'promise', amount: 20_000n, promisedOn: d('2026-03-09') })).toEqual({ outcome: 'refused', codes: ['promise.date_in_past'] });
  });

  it('minimum: 20 % of overdue (rounded up), not less', () => {
    expect(codes({ kind: 'promise', amount: 20_000n, promisedOn: d('2026-03-12') }).outcome).toBe('allowed');
    expect(codes({ kind: 'promise', amount: 19_999n, promisedOn: d('2026-03-12') }).codes).toEqual(['promise.amount_below_minimum']);
    const odd = { ...facts, overdue: 100_001n, balance: 100_001n };
    expect(codes({ kind: 'promise', amount: 20_000n, promisedOn: d('2026-03-12') }, odd).codes).toEqual(['promise.amount_below_minimum']);
    expect(codes({ kind: 'promise', amount: 20_001n, promisedOn: d('2026-03-12') }, odd).outcome).toBe('allowed');
  });

  it('never more than the balance, never zero, never where nothing is owed', () => {
    expect(codes({ kind: 'promise', amount: 100_000n, promisedOn: d('2026-03-12') }).outcome).toBe('allowed');
    expect(codes({ kind: 'promise', amount: 100_001n, promisedOn: d('2026-03-12') })).toEqual({ outcome: 'refused', codes: ['promise.amount_exceeds_balance'] });
    expect(codes({ kind: 'promise', amount: 0n, promisedOn: d('2026-03-12') }).outcome).toBe('refused');
    expect(codes({ kind: 'promise', amount: 1n, promisedOn: d('2026-03-12') }, { ...facts, balance: 0n, overdue: 0n }).codes).toContain('offer.nothing_owed');
  });

  it('with exceptions off, a limit refuses instead of asking for approval', () => {
    const strict = effectivePolicy(parsePolicySource('approval: { exceptions: false }'), { portfolio: null, segments: [], phase: null });
    const e = evaluateOffer(strict, facts, { kind: 'promise', amount: 20_000n, promisedOn: d('2026-04-30') });
    expect(e.outcome).toBe('refused');
    expect(e.reasons[0]!.message).toMatch(/a más tardar el 2026-03-25/);
  });
});

describe('plans at their limits', () => {
  // 10,000.00 MXN: twelve monthly installments of 750.00 clear the 200.00 minimum.
  const owed: OfferFacts = { ...facts, balance: 1_000_000n, overdue: 1_000_000n };
  const plan = (over: Partial<Extract<Offer, { kind: 'plan' }>> = {}): Offer => ({ kind: 'plan', downPayment: 100_000n, installments: 12, frequency: 'monthly', firstInstallmentOn: d('2026-04-09'), ...over });

  it('the default plan at every limit is allowed, with an exact schedule', () => {
    const e = evaluateOffer(policy, owed, plan());
    expect(e.outcome).toBe('allowed');
    expect(e.schedule).toHaveLength(13);
    expect(e.total).toBe(1_000_000n);
    expect(e.schedule[12]!.amount).toBe(75_000n);
  });

  it('installments: 12 allowed, 13 needs approval, 0 refused', () => {
    expect(codes(owed, plan({ installments: 13 })).codes).toEqual(['plan.too_many_installments']);
    expect(codes(owed, plan({ installments: 0 })).outcome).toBe('refused');
  });

  it('down payment: 10 % allowed, a centavo less needs approval, all of it refused', () => {
    expect(codes(owed, plan({ downPayment: 99_999n })).codes).toEqual(['plan.down_payment_below_minimum']);
    expect(codes(owed, plan({ downPayment: 1_000_000n })).codes).toContain('plan.nothing_to_finance');
  });

  it('minimum installment (200.00 MXN): 9,000.00 over 45 = 200.00 allowed; over 46 not', () => {
    const many = effectivePolicy(parsePolicySource('plans: { max_installments: 120 }'), { portfolio: null, segments: [], phase: null });
    expect(codes(owed, plan({ installments: 45 }), many).outcome).toBe('allowed');
    expect(codes(owed, plan({ installments: 46 }), many).codes).toEqual(['plan.installment_below_minimum']);
  });

  it('first installment: within 30 days allowed, day 31 needs approval; before the down payment refused', () => {
    expect(codes(owed, plan({ firstInstallmentOn: d('2026-04-10') })).codes).toEqual(['plan.first_installment_too_late']);
    expect(codes(owed, plan({ firstInstallmentOn: d('2026-03-11'), downPaymentOn: d('2026-03-12') })).codes).toEqual(['plan.first_installment_before_down_payment']);
  });

  it('frequency outside the policy, interest other than the policy, discount over the maximum need approval', () => {
    const weeklyOnly = effectivePolicy(parsePolicySource('plans: { frequencies: [weekly] }'), { portfolio: null, segments: [], phase: null });
    expect(codes(owed, plan(), weeklyOnly).codes).toEqual(['plan.frequency_not_allowed']);
    expect(codes(owed, plan({ annualInterestBps: 1200 })).codes).toEqual(['plan.interest_differs_from_policy']);
    expect(codes(owed, plan({ discount: 1n })).codes).toEqual(['plan.discount_exceeds_maximum']);
  });

  it('plans switched off need approval', () => {
    const off = effectivePolicy(parsePolicySource('plans: { enabled: false }'), { portfolio: null, segments: [], phase: null });
    expect(codes(owed, plan(), off).codes).toEqual(['plan.disabled']);
    expect(planOptions(off, owed).filter((o) => o.offer.kind === 'plan')).toEqual([]);
  });
});

describe('settlements at their limits', () => {
  it('discount by days past due: 10 % from 31 days, 25 % from 91; each boundary inclusive', () => {
    const at = (dpd: number, discount: bigint) => codes({ kind: 'settlement', discount, payOn: d('2026-03-10') }, { ...facts, daysPastDue: dpd });
    expect(at(30, 1n).codes).toEqual(['settlement.discount_exceeds_maximum']);
    expect(at(31, 10_000n).outcome).toBe('allowed');
    expect(at(31, 10_001n).codes).toEqual(['settlement.discount_exceeds_maximum']);
    expect(at(90, 25_000n).outcome).toBe('needs_approval');
    expect(at(91, 25_000n).outcome).toBe('allowed');
  });

  it('pay date within 15 days; discount never the whole balance', () => {
    expect(codes({ kind: 'settlement', discount: 0n, payOn: d('2026-03-25') }).outcome).toBe('allowed');
    expect(codes({ kind: 'settlement', discount: 0n, payOn: d('2026-03-26') }).codes).toEqual(['settlement.pay_date_too_late']);
    expect(codes({ kind: 'settlement', discount: 100_000n, payOn: d('2026-03-12') }).codes).toContain('settlement.discount_exceeds_balance');
  });

  it('early payment in the preventive phase: 2 % when paid 5 days before the due date, not 4', () => {
    const pre: OfferFacts = { ...facts, phase: 'preventive', daysPastDue: -10, overdue: 0n, nextDueOn: d('2026-03-20') };
    expect(maxSettlementDiscountBps(policy, pre, d('2026-03-15'))).toBe(200);
    expect(maxSettlementDiscountBps(policy, pre, d('2026-03-16'))).toBe(0);
    expect(codes({ kind: 'settlement', discount: 2_000n, payOn: d('2026-03-15') }, pre).outcome).toBe('allowed');
    expect(codes({ kind: 'settlement', discount: 2_001n, payOn: d('2026-03-15') }, pre).outcome).toBe('needs_approval');
    expect(codes({ kind: 'settlement', discount: 2_000n, payOn: d('2026-03-16') }, pre).outcome).toBe('needs_approval');
  });
});

describe('plan options', () => {
  it('lists only offers the policy allows, for each frequency, and a settlement when a discount is in force', () => {
    const options = planOptions(policy, { ...facts, daysPastDue: 40 });
    expect(options.length).toBeGreaterThan(5);
    expect(options.every((o) => o.evaluation.outcome === 'allowed')).toBe(true);
    expect(new Set(options.filter((o) => o.offer.kind === 'plan').map((o) => (o.offer as { frequency: string }).frequency))).toEqual(new Set(['weekly', 'biweekly', 'monthly']));
    const settlement = options.find((o) => o.offer.kind === 'settlement');
    expect(settlement?.evaluation.discount).toBe(10_000n);
    expect(planOptions(policy, { ...facts, balance: 0n })).toEqual([]);
  });
});
