import { describe, expect, it } from 'vitest';
import type { PlainDate } from '../calendar.ts';
import { addBusinessDays } from './business-days.ts';
import { buildSchedule, installmentDate, mulDivRound, scheduleTotal } from './schedule.ts';

const d = (s: string) => s as PlainDate;

describe('installment schedules', () => {
  it('splits exactly, the remainder on the last installment (MXN centavos)', () => {
    const s = buildSchedule({ financed: 100_000n, count: 3, frequency: 'monthly', firstDueOn: d('2026-04-15'), startOn: d('2026-03-15') });
    expect(s.map((x) => x.amount)).toEqual([33_333n, 33_333n, 33_334n]);
    expect(scheduleTotal(s)).toBe(100_000n);
  });

  it('CLP has no decimals: whole pesos, the sum exact', () => {
    const s = buildSchedule({ financed: 1_000_000n, count: 7, frequency: 'weekly', firstDueOn: d('2026-03-20'), startOn: d('2026-03-13') });
    expect(s.slice(0, 6).every((x) => x.amount === 142_857n)).toBe(true);
    expect(s[6]!.amount).toBe(142_858n);
    expect(scheduleTotal(s)).toBe(1_000_000n);
  });

  it('a plan starting on 31 January falls due on each month end, without drifting', () => {
    const s = buildSchedule({ financed: 40_000n, count: 4, frequency: 'monthly', firstDueOn: d('2026-01-31'), startOn: d('2026-01-10') });
    expect(s.map((x) => x.dueOn)).toEqual(['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30']);
    expect(installmentDate(d('2028-01-31'), 'monthly', 1)).toBe('2028-02-29');
  });

  it('weekly and biweekly add 7 and 14 days', () => {
    expect([0, 1, 2].map((i) => installmentDate(d('2026-12-24'), 'weekly', i))).toEqual(['2026-12-24', '2026-12-31', '2027-01-07']);
    expect([0, 1, 2].map((i) => installmentDate(d('2026-12-24'), 'biweekly', i))).toEqual(['2026-12-24', '2027-01-07', '2027-01-21']);
  });

  it('puts the down payment first as seq 0', () => {
    const s = buildSchedule({ financed: 90_000n, count: 2, frequency: 'monthly', firstDueOn: d('2026-04-15'), startOn: d('2026-03-15'), downPayment: { amount: 10_000n, dueOn: d('2026-03-15') } });
    expect(s.map((x) => [x.seq, x.dueOn, x.amount])).toEqual([
      [0, '2026-03-15', 10_000n],
      [1, '2026-04-15', 45_000n],
      [2, '2026-05-15', 45_000n],
    ]);
    expect(scheduleTotal(s)).toBe(100_000n);
  });

  it('interest: simple on the outstanding principal for the days of each period, rounded half up', () => {
    // 120,000.00 at 36 % a year: 30 days on 120000 → 3550.68…; then 14 days on 60000 → 828.49…
    const s = buildSchedule({ financed: 12_000_000n, count: 2, frequency: 'biweekly', firstDueOn: d('2026-04-14'), startOn: d('2026-03-15'), annualInterestBps: 3600 });
    expect(s.map((x) => [x.principal, x.interest])).toEqual([
      [6_000_000n, 355_068n],
      [6_000_000n, 82_849n],
    ]);
    expect(scheduleTotal(s)).toBe(12_000_000n + 355_068n + 82_849n);
    expect(mulDivRound(5n, 1n, 2n)).toBe(3n);
    expect(mulDivRound(4n, 1n, 3n)).toBe(1n);
  });

  it('refuses an empty schedule', () => {
    expect(() => buildSchedule({ financed: 0n, count: 1, frequency: 'weekly', firstDueOn: d('2026-01-01'), startOn: d('2026-01-01') })).toThrow(RangeError);
    expect(() => buildSchedule({ financed: 10n, count: 0, frequency: 'weekly', firstDueOn: d('2026-01-01'), startOn: d('2026-01-01') })).toThrow(RangeError);
  });
});

describe('business days', () => {
  it('skips weekends and holidays; zero days is the date itself', () => {
    expect(addBusinessDays(d('2026-03-13'), 1)).toBe('2026-03-16'); // Friday → Monday
    expect(addBusinessDays(d('2026-03-13'), 1, (x) => x === '2026-03-16')).toBe('2026-03-17');
    expect(addBusinessDays(d('2026-03-14'), 0)).toBe('2026-03-14');
    expect(addBusinessDays(d('2026-03-10'), 3)).toBe('2026-03-13');
  });
});
