import { describe, expect, it } from 'vitest';
import type { PlainDate } from './calendar.ts';
import {
  averageDaysDelinquent,
  averageDaysToPay,
  bestPossibleDso,
  collectionEffectivenessIndex,
  contactRate,
  costInForce,
  costPerPesoRecovered,
  costToCollect,
  cureRateByAmount,
  cureRateByCount,
  delinquencyRatio,
  dsoCountback,
  dsoPeriod,
  KpiInputError,
  percent90Plus,
  percentCurrent,
  promiseDeadline,
  promiseKeptRate,
  promiseOutcome,
  prorateDatedMonthlyCosts,
  prorateMonthlyCost,
  recoveryRate,
  rightPartyContactRate,
  rollRate,
  rollRateFromAccounts,
  roundRational,
  type AccountTransition,
  type BalanceAtDpd,
  type CureInput,
  type PromiseToPay,
} from './kpis.ts';

const d = (s: string) => s as PlainDate;
/** Whole currency units (2-decimal currency such as MXN) to minor units. */
const u = (n: number) => BigInt(n) * 100n;

describe('roundRational', () => {
  it('rounds half away from zero on the exact rational', () => {
    expect(roundRational(1005n, 1000n)).toBe(1.01); // 1.005 as a float would round to 1.00
    expect(roundRational(-1005n, 1000n)).toBe(-1.01);
    expect(roundRational(1004999n, 1000000n)).toBe(1);
    expect(roundRational(1n, 3n)).toBe(0.33);
    expect(roundRational(2n, 3n)).toBe(0.67);
    expect(roundRational(1n, -3n)).toBe(-0.33);
    expect(roundRational(5n, 2n, 0)).toBe(3);
  });
  it('never returns −0', () => {
    expect(Object.is(roundRational(-1n, 1000n), 0)).toBe(true);
  });
  it('refuses a zero denominator', () => {
    expect(() => roundRational(1n, 0n)).toThrow(KpiInputError);
  });
});

describe('DSO (period)', () => {
  it('DOMAIN.md §4: 15,000 / 10,000 × 30 = 45', () => {
    expect(dsoPeriod(u(15_000), u(10_000), 30)).toEqual({
      value: 45,
      variant: 'period',
      formula: { en: expect.stringContaining('CRF'), es: expect.stringContaining('ventas a crédito') },
    });
  });
  it('is null without sales or with negative sales, never 0', () => {
    expect(dsoPeriod(u(15_000), 0n, 30).value).toBeNull();
    expect(dsoPeriod(u(15_000), -1n, 30).value).toBeNull();
  });
  it('rounds half-up at .005 exactly (201 / 200 × 1 = 1.005 → 1.01)', () => {
    expect(dsoPeriod(201n, 200n, 1).value).toBe(1.01);
    expect(dsoPeriod(-201n, 200n, 1).value).toBe(-1.01);
    expect(dsoPeriod(999n, 200_000n, 1).value).toBe(0); // 0.004995
  });
  it('refuses a period of zero or fractional days', () => {
    expect(() => dsoPeriod(1n, 1n, 0)).toThrow(KpiInputError);
    expect(() => dsoPeriod(1n, 1n, 30.5)).toThrow(KpiInputError);
  });
});

describe('DSO (countback)', () => {
  const months = [
    { sales: u(100_000), days: 30 },
    { sales: u(80_000), days: 30 },
    { sales: u(70_000), days: 30 },
  ];
  it('DOMAIN.md §4: AR 212,000 with sales 100k, 80k, 70k → 73.71', () => {
    // 30 + 30 + 32,000 / 70,000 × 30 = 73.714…
    expect(dsoCountback(u(212_000), months)).toEqual({ value: 73.71, variant: 'countback', formula: { en: expect.stringContaining('countback'), es: expect.stringContaining('meses hacia atrás') } });
  });
  it('AR exactly equal to one month of sales is that whole month', () => {
    expect(dsoCountback(u(100_000), months).value).toBe(30);
    expect(dsoCountback(u(180_000), months).value).toBe(60);
    expect(dsoCountback(u(250_000), months).value).toBe(90);
  });
  it('is null, with the reason in the variant, when AR exceeds all the history given', () => {
    expect(dsoCountback(u(250_000) + 1n, months)).toMatchObject({ value: null, variant: 'countback_insufficient_history' });
    expect(dsoCountback(1n, [])).toMatchObject({ value: null, variant: 'countback_insufficient_history' });
  });
  it('counts a month without sales whole and uses each month’s own days', () => {
    // 31 + 28 + 50,000 / 100,000 × 31 = 74.5
    const history = [
      { sales: u(100_000), days: 31 },
      { sales: 0n, days: 28 },
      { sales: u(100_000), days: 31 },
    ];
    expect(dsoCountback(u(150_000), history).value).toBe(74.5);
  });
  it('zero AR is 0 days; negative AR or negative sales on the walk are null', () => {
    expect(dsoCountback(0n, months)).toMatchObject({ value: 0, variant: 'countback' });
    expect(dsoCountback(-1n, months)).toMatchObject({ value: null, variant: 'countback_negative_ar' });
    expect(dsoCountback(u(150_000), [{ sales: u(100_000), days: 30 }, { sales: -1n, days: 30 }])).toMatchObject({
      value: null,
      variant: 'countback_negative_sales',
    });
  });
  it('rounds half-up at .005 (one whole 1-day month, then 1 / 200 of the next)', () => {
    // 1 + 1 / 200 × 1 = 1.005 → 1.01
    expect(dsoCountback(201n, [{ sales: 200n, days: 1 }, { sales: 200n, days: 1 }]).value).toBe(1.01);
  });
});

describe('Best Possible DSO and ADD', () => {
  it('BPDSO = current AR ÷ sales × days; ADD = DSO − BPDSO', () => {
    const dso = dsoPeriod(u(15_000), u(10_000), 30); // 45
    const bp = bestPossibleDso(u(10_000), u(10_000), 30); // 30
    expect(bp).toMatchObject({ value: 30, variant: 'period' });
    expect(averageDaysDelinquent(dso, bp)).toMatchObject({ value: 15, variant: 'dso_period' });
    const cb = dsoCountback(u(212_000), [{ sales: u(100_000), days: 30 }, { sales: u(80_000), days: 30 }, { sales: u(70_000), days: 30 }]);
    expect(averageDaysDelinquent(cb, bp)).toMatchObject({ value: 43.71, variant: 'dso_countback' });
  });
  it('subtracts without float drift (0.3 − 0.1 = 0.2)', () => {
    expect(averageDaysDelinquent({ value: 0.3, variant: 'period', formula: { en: '', es: '' } }, { value: 0.1, variant: 'period', formula: { en: '', es: '' } }).value).toBe(0.2);
  });
  it('is null when either side is null', () => {
    const nothing = dsoPeriod(1n, 0n, 30);
    expect(bestPossibleDso(1n, 0n, 30).value).toBeNull();
    expect(averageDaysDelinquent(nothing, bestPossibleDso(1n, 1n, 30)).value).toBeNull();
    expect(averageDaysDelinquent(dsoPeriod(1n, 1n, 30), nothing).value).toBeNull();
  });
});

describe('CEI', () => {
  it('hand example: B 50,000, sales 90,000 over 3 months, ending 45,000 of which 20,000 current → 58.33', () => {
    // (50,000 + 30,000 − 45,000) / (50,000 + 30,000 − 20,000) × 100 = 35,000 / 60,000 × 100 = 58.333…
    expect(
      collectionEffectivenessIndex({ beginningAr: u(50_000), creditSales: u(90_000), endingTotalAr: u(45_000), endingCurrentAr: u(20_000), months: 3 }),
    ).toEqual({ value: 58.33, variant: 'months_3', formula: { en: expect.stringContaining('CRF'), es: expect.stringContaining('saldo por cobrar al inicio') } });
  });
  it('is exact when sales/N is not a whole amount', () => {
    // sales/N = 3,333.33…: (10,000 + 3,333.33… − 8,000) / (10,000 + 3,333.33… − 5,000) = 16,000 / 25,000 = 64 %
    expect(
      collectionEffectivenessIndex({ beginningAr: u(10_000), creditSales: u(10_000), endingTotalAr: u(8_000), endingCurrentAr: u(5_000), months: 3 }).value,
    ).toBe(64);
  });
  it('a perfect month is 100', () => {
    expect(
      collectionEffectivenessIndex({ beginningAr: u(1_000), creditSales: u(500), endingTotalAr: u(300), endingCurrentAr: u(300), months: 1 }).value,
    ).toBe(100);
  });
  it('is null when the denominator is 0 or negative', () => {
    // 0 + 30,000/3 − 10,000 = 0
    expect(collectionEffectivenessIndex({ beginningAr: 0n, creditSales: u(30_000), endingTotalAr: u(10_000), endingCurrentAr: u(10_000), months: 3 }).value).toBeNull();
    expect(collectionEffectivenessIndex({ beginningAr: 0n, creditSales: u(30_000), endingTotalAr: u(12_000), endingCurrentAr: u(12_000), months: 3 }).value).toBeNull();
  });
  it('refuses N ≤ 0', () => {
    expect(() => collectionEffectivenessIndex({ beginningAr: 1n, creditSales: 1n, endingTotalAr: 1n, endingCurrentAr: 1n, months: 0 })).toThrow(KpiInputError);
  });
});

describe('delinquency ratio, percent current, percent 90+', () => {
  const book: BalanceAtDpd[] = [
    { balance: u(100_000), dpd: 0 },
    { balance: u(50_000), dpd: 15 },
    { balance: u(30_000), dpd: 45 },
    { balance: u(20_000), dpd: 95 },
  ];
  it('uses DPD ≥ threshold and names the threshold in the variant', () => {
    expect(delinquencyRatio(book, 1)).toMatchObject({ value: 50, variant: 'threshold_1' });
    expect(delinquencyRatio(book, 30)).toMatchObject({ value: 25, variant: 'threshold_30' });
    expect(delinquencyRatio(book, 60)).toMatchObject({ value: 10, variant: 'threshold_60' });
    expect(delinquencyRatio(book, 90)).toMatchObject({ value: 10, variant: 'threshold_90' });
  });
  it('counts DPD exactly at the threshold as past due', () => {
    const edge: BalanceAtDpd[] = [
      { balance: 1n, dpd: 30 },
      { balance: 1n, dpd: 29 },
    ];
    expect(delinquencyRatio(edge, 30).value).toBe(50);
  });
  it('Mexico IMORA adds 12 months of write-offs and settlement discounts to both terms', () => {
    // (20,000 + 30,000 + 10,000) / (200,000 + 30,000 + 10,000) = 60,000 / 240,000 = 25 %
    expect(delinquencyRatio(book, 90, { writeOffs12m: u(30_000), settlementDiscounts12m: u(10_000) })).toMatchObject({
      value: 25,
      variant: 'imora_threshold_90',
    });
  });
  it('rounds half-up at .005 (1 / 32 = 3.125 %)', () => {
    expect(delinquencyRatio([{ balance: 1n, dpd: 40 }, { balance: 31n, dpd: 0 }], 30).value).toBe(3.13);
    expect(delinquencyRatio([{ balance: 201n, dpd: 40 }, { balance: 19_799n, dpd: 0 }], 30).value).toBe(1.01); // 1.005 %
  });
  it('is null on an empty or non-positive book', () => {
    expect(delinquencyRatio([], 1).value).toBeNull();
    expect(delinquencyRatio([{ balance: -5n, dpd: 10 }], 1).value).toBeNull();
    expect(percentCurrent([]).value).toBeNull();
    expect(percent90Plus([]).value).toBeNull();
  });
  it('refuses thresholds other than 1, 30, 60, 90', () => {
    expect(() => delinquencyRatio(book, 45 as 30)).toThrow(KpiInputError);
  });
  it('percent current is DPD ≤ 0, percent 90+ is DPD ≥ 90', () => {
    expect(percentCurrent(book).value).toBe(50);
    expect(percent90Plus(book).value).toBe(10);
    const edge: BalanceAtDpd[] = [
      { balance: 1n, dpd: 90 },
      { balance: 1n, dpd: 89 },
      { balance: 1n, dpd: -3 },
      { balance: 1n, dpd: 1 },
    ];
    expect(percent90Plus(edge).value).toBe(25);
    expect(percentCurrent(edge).value).toBe(25);
  });
});

describe('roll rate', () => {
  it('is bucket n+1 at t over bucket n at t−1, labelled by the caller', () => {
    expect(rollRate(u(50_000), u(200_000), 'aggregate')).toMatchObject({ value: 25, variant: 'aggregate' });
    expect(rollRate(u(50_000), u(200_000), 'account_tracked')).toMatchObject({ value: 25, variant: 'account_tracked' });
    expect(rollRate(u(50_000), 0n, 'aggregate').value).toBeNull();
  });
  const accounts: AccountTransition[] = [
    { startDpd: 10, startBalance: u(10_000), endDpd: 40, endBalance: u(10_000) }, // rolled 1-30 → 31-60
    { startDpd: 20, startBalance: u(30_000), endDpd: 0, endBalance: 0n }, // cured
    { startDpd: 45, startBalance: u(8_000), endDpd: 45, endBalance: u(6_000) }, // already in 31-60
    { startDpd: 0, startBalance: u(5_000), endDpd: 30, endBalance: u(5_000) }, // current → 1-30
  ];
  it('account-tracked follows only accounts that were in bucket n; aggregate takes the whole bucket n+1', () => {
    // tracked: 10,000 / 40,000 = 25 %; aggregate: (10,000 + 6,000) / 40,000 = 40 %
    expect(rollRateFromAccounts(accounts, '1-30', 'account_tracked')).toMatchObject({ value: 25, variant: 'account_tracked' });
    expect(rollRateFromAccounts(accounts, '1-30', 'aggregate')).toMatchObject({ value: 40, variant: 'aggregate' });
    expect(rollRateFromAccounts(accounts, 'current', 'account_tracked').value).toBe(100);
    expect(rollRateFromAccounts(accounts, '91-120', 'aggregate').value).toBeNull();
  });
  it('refuses the last bucket and unknown variants', () => {
    expect(() => rollRateFromAccounts(accounts, '181+', 'aggregate')).toThrow(KpiInputError);
    expect(() => rollRate(1n, 1n, 'both' as 'aggregate')).toThrow(KpiInputError);
  });
});

describe('cure rate', () => {
  const accounts: CureInput[] = [
    { startDpd: 10, startBalance: u(10_000), endDpd: 0 }, // cured
    { startDpd: 40, startBalance: u(30_000), endDpd: 40 }, // partial payment, still past due: not a cure
    { startDpd: 0, startBalance: u(50_000), endDpd: 35 }, // not delinquent at start: excluded
    { startDpd: 95, startBalance: u(20_000), endDpd: -5 }, // caught up, next instalment not yet due: cured
  ];
  it('count-based and amount-based', () => {
    expect(cureRateByCount(accounts)).toMatchObject({ value: 66.67, variant: 'count' }); // 2 / 3
    expect(cureRateByAmount(accounts)).toMatchObject({ value: 50, variant: 'amount' }); // 30,000 / 60,000
  });
  it('a partial payment that leaves DPD > 0 is not a cure', () => {
    expect(cureRateByCount([{ startDpd: 40, startBalance: u(10_000), endDpd: 10 }]).value).toBe(0);
  });
  it('is null when nobody was delinquent at start', () => {
    expect(cureRateByCount([{ startDpd: 0, startBalance: 1n, endDpd: 0 }]).value).toBeNull();
    expect(cureRateByAmount([]).value).toBeNull();
  });
});

describe('promises', () => {
  // 2026-01-30 is a Friday; 2026-02-02 (Mon) is a Mexican holiday (Día de la Constitución).
  const promise: PromiseToPay = { amount: u(1_000), promisedFor: d('2026-01-30'), madeOn: d('2026-01-20') };
  const holiday = [d('2026-02-02')];

  it('deadline = promise date + grace business days (Mon–Fri, not holidays)', () => {
    expect(promiseDeadline(d('2026-01-30'))).toBe('2026-02-02');
    expect(promiseDeadline(d('2026-01-30'), 1, holiday)).toBe('2026-02-03');
    expect(promiseDeadline(d('2026-01-30'), 0)).toBe('2026-01-30');
    expect(promiseDeadline(d('2026-01-31'), 1)).toBe('2026-02-02'); // Saturday promise
    expect(promiseDeadline(d('2026-01-28'), 3)).toBe('2026-02-02');
  });
  it('kept within the grace day, broken after it', () => {
    const paidTuesday = [{ amount: u(1_000), paidOn: d('2026-02-03') }];
    expect(promiseOutcome(promise, paidTuesday, d('2026-02-10'), 1, 0n, holiday)).toBe('kept');
    expect(promiseOutcome(promise, paidTuesday, d('2026-02-10'))).toBe('broken');
    expect(promiseOutcome(promise, [{ amount: u(1_000), paidOn: d('2026-02-02') }], d('2026-02-10'))).toBe('kept');
  });
  it('pending until the deadline has passed', () => {
    expect(promiseOutcome(promise, [], d('2026-02-02'))).toBe('pending');
    expect(promiseOutcome(promise, [], d('2026-02-03'))).toBe('broken');
    expect(promiseOutcome(promise, [], d('2026-02-03'), 1, 0n, holiday)).toBe('pending');
  });
  it('adds partial payments, ignores payments before the promise was made or after asOf', () => {
    const partials = [
      { amount: u(600), paidOn: d('2026-01-28') },
      { amount: u(400), paidOn: d('2026-01-30') },
    ];
    expect(promiseOutcome(promise, partials, d('2026-02-05'))).toBe('kept');
    expect(promiseOutcome(promise, partials, d('2026-01-29'))).toBe('pending');
    expect(promiseOutcome(promise, [{ amount: u(600), paidOn: d('2026-01-19') }, partials[1]!], d('2026-02-05'))).toBe('broken');
    expect(promiseOutcome(promise, [{ amount: u(1_000), paidOn: d('2026-01-29') }], d('2026-01-29'))).toBe('kept');
  });
  it('applies the tolerance in minor units (default 0)', () => {
    const short = [{ amount: u(1_000) - 50n, paidOn: d('2026-01-30') }];
    expect(promiseOutcome(promise, short, d('2026-02-05'))).toBe('broken');
    expect(promiseOutcome(promise, short, d('2026-02-05'), 1, 50n)).toBe('kept');
    expect(promiseOutcome(promise, short, d('2026-02-05'), 1, 49n)).toBe('broken');
  });
  it('reports cancelled promises as cancelled', () => {
    expect(promiseOutcome({ ...promise, cancelled: true }, [], d('2026-02-10'))).toBe('cancelled');
  });
  it('kept rate = kept ÷ (kept + broken), excluding pending and cancelled', () => {
    expect(promiseKeptRate(['kept', 'kept', 'broken', 'pending', 'cancelled'])).toMatchObject({ value: 66.67, variant: 'count' });
    expect(promiseKeptRate(['broken'])).toMatchObject({ value: 0 });
    expect(promiseKeptRate([]).value).toBeNull();
    expect(promiseKeptRate(['pending', 'cancelled']).value).toBeNull();
  });
});

describe('recovery, cost and contact', () => {
  it('recovery rate names its base', () => {
    expect(recoveryRate(u(25_000), u(100_000), 'assigned')).toMatchObject({ value: 25, variant: 'assigned' });
    expect(recoveryRate(u(25_000), u(40_000), 'due')).toMatchObject({ value: 62.5, variant: 'due' });
    expect(recoveryRate(u(25_000), 0n, 'due').value).toBeNull();
  });
  it('cost to collect = costs ÷ collected', () => {
    expect(costToCollect(u(3_000), u(25_000)).value).toBe(12);
    expect(costToCollect(u(3_000), 0n).value).toBeNull();
  });
  it('prorates a monthly cost to the days of the period, month by month, exactly', () => {
    expect(prorateMonthlyCost(u(3_100), d('2026-03-01'), d('2026-03-31'))).toBe(u(3_100));
    expect(prorateMonthlyCost(u(3_100), d('2026-03-02'), d('2026-03-31'))).toBe(u(3_000));
    expect(prorateMonthlyCost(u(3_100), d('2026-03-16'), d('2026-04-15'))).toBe(u(1_600) + u(1_550));
    // One day of a leap February, and a whole leap February.
    expect(prorateMonthlyCost(u(2_900), d('2024-02-29'), d('2024-02-29'))).toBe(u(100));
    expect(prorateMonthlyCost(u(2_900), d('2024-02-01'), d('2024-02-29'))).toBe(u(2_900));
    // A year is twelve monthly costs, whatever the month lengths.
    expect(prorateMonthlyCost(u(1_000), d('2025-01-01'), d('2025-12-31'))).toBe(u(12_000));
    // One day of 1.00 in a 30-day month is 3.33… cents: rounded once, half up, to whole minor units.
    expect(prorateMonthlyCost(100n, d('2026-04-01'), d('2026-04-01'))).toBe(3n);
    expect(prorateMonthlyCost(5n, d('2026-04-01'), d('2026-04-03'))).toBe(1n);
    expect(prorateMonthlyCost(0n, d('2026-04-01'), d('2026-04-30'))).toBe(0n);
    expect(() => prorateMonthlyCost(u(1), d('2026-04-02'), d('2026-04-01'))).toThrow(KpiInputError);
    expect(() => prorateMonthlyCost(-1n, d('2026-04-01'), d('2026-04-01'))).toThrow(KpiInputError);
  });
  it('prorates an effective-dated history: each part of the period with the cost in force, summed exactly', () => {
    const history = [
      { from: null, monthly: u(2_800) },
      { from: d('2026-03-01'), monthly: u(3_100) },
      { from: d('2026-03-16'), monthly: u(6_200) },
    ];
    // 1–15 March at 3,100.00 (1,500.00) and 16–31 March at 6,200.00 (3,200.00).
    expect(prorateDatedMonthlyCosts(history, d('2026-03-01'), d('2026-03-31'))).toBe(u(4_700));
    // The boundary days: the last day of one cost and the first of the next.
    expect(prorateDatedMonthlyCosts(history, d('2026-03-15'), d('2026-03-15'))).toBe(u(100));
    expect(prorateDatedMonthlyCosts(history, d('2026-03-16'), d('2026-03-16'))).toBe(u(200));
    expect(prorateDatedMonthlyCosts(history, d('2026-03-15'), d('2026-03-16'))).toBe(u(300));
    // Across a month end and two changes: 15–28 February of 2,800.00 (1,400.00), 1–15 March of 3,100.00 (1,500.00),
    // 16–20 March of 6,200.00 (1,000.00).
    expect(prorateDatedMonthlyCosts(history, d('2026-02-15'), d('2026-03-20'))).toBe(u(3_900));
    // The carried-over cost (since always) covers any earlier period; a later entry does not reach back.
    expect(prorateDatedMonthlyCosts(history, d('2025-02-01'), d('2025-02-28'))).toBe(u(2_800));
    // Before a history's first entry, the first entry applies; entries after the period are not used.
    expect(prorateDatedMonthlyCosts([{ from: d('2026-03-16'), monthly: u(6_200) }], d('2026-03-01'), d('2026-03-31'))).toBe(u(6_200));
    expect(prorateDatedMonthlyCosts([{ from: d('2026-01-01'), monthly: u(3_100) }, { from: d('2026-04-01'), monthly: u(1) }], d('2026-03-01'), d('2026-03-31'))).toBe(u(3_100));
    // Order does not matter, and rounding happens once: the same cost split in two entries is the same figure
    // (3.33… + 3.33… cents = 7, where rounding each part would give 6).
    expect(prorateDatedMonthlyCosts([{ from: d('2026-04-02'), monthly: 100n }, { from: null, monthly: 100n }], d('2026-04-01'), d('2026-04-02'))).toBe(
      prorateMonthlyCost(100n, d('2026-04-01'), d('2026-04-02')),
    );
    expect(prorateMonthlyCost(100n, d('2026-04-01'), d('2026-04-02'))).toBe(7n);
    expect(prorateDatedMonthlyCosts([], d('2026-03-01'), d('2026-03-31'))).toBeNull();
    // The cost in force on a day follows the same rule.
    expect([d('2025-01-01'), d('2026-03-15'), d('2026-03-16'), d('2027-01-01')].map((day) => costInForce(history, day)?.monthly)).toEqual([u(2_800), u(3_100), u(6_200), u(6_200)]);
    expect(costInForce([{ from: d('2026-03-16'), monthly: u(1) }, { from: d('2026-04-01'), monthly: u(2) }], d('2026-01-01'))?.monthly).toBe(u(1));
    expect(costInForce([], d('2026-01-01'))).toBeUndefined();
    expect(() => prorateDatedMonthlyCosts(history, d('2026-03-02'), d('2026-03-01'))).toThrow(KpiInputError);
    expect(() => prorateDatedMonthlyCosts([{ from: null, monthly: 1n }, { from: null, monthly: 2n }], d('2026-03-01'), d('2026-03-31'))).toThrow(KpiInputError);
    expect(() => prorateDatedMonthlyCosts([{ from: d('2026-03-01'), monthly: -1n }], d('2026-03-01'), d('2026-03-31'))).toThrow(KpiInputError);
  });
  it('cost per peso recovered = costs ÷ recovered in the same currency; nothing recovered is undefined', () => {
    expect(costPerPesoRecovered(u(15_000), u(200_000))).toMatchObject({ value: 0.075, variant: 'monthly_cost_prorated' });
    expect(costPerPesoRecovered(u(3_000), u(10_000)).value).toBe(0.3);
    // Four decimals, half up: 1 ÷ 3 = 0.3333…, 2 ÷ 3 = 0.6667.
    expect(costPerPesoRecovered(1n, 3n).value).toBe(0.3333);
    expect(costPerPesoRecovered(2n, 3n).value).toBe(0.6667);
    // Costs above what was recovered: more than a peso per peso.
    expect(costPerPesoRecovered(u(5_000), u(2_000)).value).toBe(2.5);
    // Nothing recovered: undefined (shown as "—"), never 0 or infinite.
    expect(costPerPesoRecovered(u(15_000), 0n).value).toBeNull();
    expect(costPerPesoRecovered(u(15_000), -100n).value).toBeNull();
    // No cost: zero per peso.
    expect(costPerPesoRecovered(0n, u(10_000)).value).toBe(0);
    expect(() => costPerPesoRecovered(-1n, u(10_000))).toThrow(KpiInputError);
  });
  it('contact and right-party contact rates over attempts', () => {
    expect(contactRate(45, 200)).toMatchObject({ value: 22.5, variant: 'answered' });
    expect(rightPartyContactRate(30, 200)).toMatchObject({ value: 15, variant: 'right_party' });
    expect(rightPartyContactRate(1, 3).value).toBe(33.33);
    expect(contactRate(0, 0).value).toBeNull();
    expect(() => contactRate(201, 200)).toThrow(KpiInputError);
    expect(() => contactRate(1.5, 200)).toThrow(KpiInputError);
    expect(() => rightPartyContactRate(-1, 200)).toThrow(KpiInputError);
  });
});

describe('average days to pay (amount-weighted)', () => {
  const items = [
    { amount: u(1_000), issuedOn: d('2025-12-11'), dueOn: d('2026-01-10'), paidOn: d('2026-01-20') }, // 10 / 40 days
    { amount: u(3_000), issuedOn: d('2025-12-11'), dueOn: d('2026-01-10'), paidOn: d('2026-01-12') }, // 2 / 32 days
  ];
  it('from the due date by default, or from the invoice date', () => {
    // (1,000 × 10 + 3,000 × 2) / 4,000 = 4
    expect(averageDaysToPay(items)).toMatchObject({ value: 4, variant: 'from_due' });
    // (1,000 × 40 + 3,000 × 32) / 4,000 = 34
    expect(averageDaysToPay(items, 'invoice')).toMatchObject({ value: 34, variant: 'from_invoice' });
  });
  it('counts early payments as negative days and rounds the exact ratio', () => {
    expect(
      averageDaysToPay([
        { amount: 1n, dueOn: d('2026-01-10'), paidOn: d('2026-01-05') },
        { amount: 1n, dueOn: d('2026-01-10'), paidOn: d('2026-01-20') },
      ]).value,
    ).toBe(2.5);
    expect(
      averageDaysToPay([
        { amount: 2n, dueOn: d('2026-01-10'), paidOn: d('2026-01-11') },
        { amount: 1n, dueOn: d('2026-01-10'), paidOn: d('2026-01-10') },
      ]).value,
    ).toBe(0.67);
  });
  it('is null with nothing paid and refuses a missing start date', () => {
    expect(averageDaysToPay([]).value).toBeNull();
    expect(averageDaysToPay([{ amount: 0n, dueOn: d('2026-01-10'), paidOn: d('2026-01-11') }]).value).toBeNull();
    expect(() => averageDaysToPay([{ amount: 1n, paidOn: d('2026-01-11') }])).toThrow(KpiInputError);
  });
});

describe('formulas', () => {
  it('writes every formula in English and in Spanish, keeping codes (variants, buckets, thresholds) as they are', () => {
    const accounts: BalanceAtDpd[] = [{ balance: u(100), dpd: 45 }];
    const formulas = [
      dsoPeriod(u(1), u(1), 30),
      dsoCountback(u(1), [{ sales: u(1), days: 30 }]),
      bestPossibleDso(u(1), u(1), 30),
      collectionEffectivenessIndex({ beginningAr: u(1), creditSales: u(1), endingTotalAr: u(1), endingCurrentAr: 0n, months: 1 }),
      delinquencyRatio(accounts, 30),
      delinquencyRatio(accounts, 60, { writeOffs12m: 0n, settlementDiscounts12m: 0n }),
      percentCurrent(accounts),
      percent90Plus(accounts),
      rollRate(1n, 1n, 'aggregate'),
      rollRateFromAccounts([], '1-30', 'account_tracked'),
      cureRateByCount([]),
      cureRateByAmount([]),
      promiseKeptRate([]),
      recoveryRate(1n, 1n, 'assigned'),
      recoveryRate(1n, 1n, 'due'),
      costToCollect(1n, 1n),
      costPerPesoRecovered(1n, 1n),
      contactRate(0, 1),
      rightPartyContactRate(0, 1),
      averageDaysToPay([], 'due'),
      averageDaysToPay([], 'invoice'),
    ].map((k) => k.formula);
    for (const f of formulas) {
      expect(f.es, f.en).not.toBe(f.en);
      expect(f.es, f.en).not.toMatch(/\b(balance|sales|days|rate|attempts|accounts|collected|amount|cost)\b/);
    }
    expect(delinquencyRatio(accounts, 60).formula).toEqual({
      en: 'morosidad = balance with DPD ≥ 60 ÷ total balance × 100',
      es: 'morosidad = saldo con 60 o más días de atraso ÷ saldo total × 100',
    });
    expect(rollRateFromAccounts([], '1-30', 'aggregate').formula.es).toBe('tasa de rodamiento 1-30 → 31-60 = saldo en 31-60 en t ÷ saldo en 1-30 en t−1 × 100');
    const add = averageDaysDelinquent(dsoPeriod(1n, 1n, 30), bestPossibleDso(1n, 1n, 30)).formula;
    expect(add).toEqual({ en: 'ADD = DSO (period) − BPDSO (period) (CRF)', es: 'ADD = DSO (period) − BPDSO (period) (CRF)' });
  });
});
