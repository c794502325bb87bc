import { describe, expect, it } from 'vitest';
import type { PlainDate } from '../calendar.ts';
import { matchPlan, matchPromise } from './matching.ts';

const d = (s: string) => s as PlainDate;
const pay = (paidOn: string, amount: bigint) => ({ paidOn: d(paidOn), amount });
// Promised for Friday 2026-03-13, taken Monday 2026-03-09; one business day of grace → Monday 2026-03-16.
const promise = { amount: 50_000n, takenOn: d('2026-03-09'), graceUntil: d('2026-03-16') };

describe('promise matching', () => {
  it('early payment keeps it as soon as it arrives', () => {
    expect(matchPromise(promise, [pay('2026-03-10', 50_000n)], d('2026-03-10'))).toEqual({ status: 'kept', paid: 50_000n, resolvedOn: '2026-03-10' });
  });

  it('late within grace keeps it; a day after the grace it does not count', () => {
    expect(matchPromise(promise, [pay('2026-03-16', 50_000n)], d('2026-03-17')).status).toBe('kept');
    expect(matchPromise(promise, [pay('2026-03-17', 50_000n)], d('2026-03-17'))).toEqual({ status: 'broken', paid: 0n, resolvedOn: '2026-03-17' });
  });

  it('stays open through the grace day and breaks the day after', () => {
    expect(matchPromise(promise, [], d('2026-03-16')).status).toBe('open');
    expect(matchPromise(promise, [], d('2026-03-17'))).toEqual({ status: 'broken', paid: 0n, resolvedOn: '2026-03-17' });
  });

  it('partial payment is partially kept', () => {
    expect(matchPromise(promise, [pay('2026-03-12', 49_999n)], d('2026-03-20'))).toEqual({ status: 'partially_kept', paid: 49_999n, resolvedOn: '2026-03-17' });
  });

  it('two payments add up; kept on the day the second arrives', () => {
    expect(matchPromise(promise, [pay('2026-03-14', 20_000n), pay('2026-03-11', 30_000n)], d('2026-03-18'))).toEqual({ status: 'kept', paid: 50_000n, resolvedOn: '2026-03-14' });
  });

  it('ignores payments before the promise was taken and after the day judged', () => {
    expect(matchPromise(promise, [pay('2026-03-08', 50_000n)], d('2026-03-17')).status).toBe('broken');
    expect(matchPromise(promise, [pay('2026-03-12', 50_000n)], d('2026-03-11')).status).toBe('open');
  });

  it('a tolerance forgives a small shortfall', () => {
    expect(matchPromise(promise, [pay('2026-03-12', 49_990n)], d('2026-03-17'), 10n).status).toBe('kept');
    expect(matchPromise(promise, [pay('2026-03-12', 49_989n)], d('2026-03-17'), 10n).status).toBe('partially_kept');
  });
});

describe('plan matching', () => {
  // Down payment on Monday 2026-03-02, then 2 installments; 3 business days of grace.
  const plan = {
    startedOn: d('2026-03-02'),
    graceBusinessDays: 3,
    installments: [
      { seq: 0, dueOn: d('2026-03-02'), amount: 10_000n },
      { seq: 1, dueOn: d('2026-04-01'), amount: 45_000n },
      { seq: 2, dueOn: d('2026-05-01'), amount: 45_000n },
    ],
  };

  it('performs while every installment is covered in time, and completes with the last', () => {
    const pays = [pay('2026-03-02', 10_000n), pay('2026-04-03', 45_000n)];
    const mid = matchPlan(plan, pays, d('2026-04-20'));
    expect(mid.status).toBe('active');
    expect(mid.installments.map((i) => i.status)).toEqual(['paid', 'paid', 'pending']);
    const done = matchPlan(plan, [...pays, pay('2026-05-06', 45_000n)], d('2026-05-10'));
    expect(done).toMatchObject({ status: 'completed', resolvedOn: '2026-05-06', paid: 100_000n });
  });

  it('breaks the day after the grace of the first installment not covered', () => {
    // 2026-04-01 (Wednesday) + 3 business days = Monday 2026-04-06; the plan breaks on 2026-04-07.
    const pays = [pay('2026-03-02', 10_000n), pay('2026-04-06', 44_999n)];
    expect(matchPlan(plan, pays, d('2026-04-06')).status).toBe('active');
    const broken = matchPlan(plan, pays, d('2026-04-07'));
    expect(broken).toMatchObject({ status: 'broken', resolvedOn: '2026-04-07', missedSeq: 1 });
    expect(broken.installments.map((i) => i.status)).toEqual(['paid', 'missed', 'pending']);
  });

  it('a payment after the grace does not mend a missed installment, even when evaluated late', () => {
    const pays = [pay('2026-03-02', 10_000n), pay('2026-04-08', 45_000n)];
    expect(matchPlan(plan, pays, d('2026-04-10'))).toMatchObject({ status: 'broken', resolvedOn: '2026-04-07' });
  });

  it('an early overpayment covers later installments in order', () => {
    const m = matchPlan(plan, [pay('2026-03-02', 60_000n)], d('2026-04-20'));
    expect(m.installments.map((i) => [i.status, i.paid])).toEqual([
      ['paid', 10_000n],
      ['paid', 45_000n],
      ['partial', 5_000n],
    ]);
    expect(m.status).toBe('active');
  });

  it('a missed down payment breaks the plan after its grace', () => {
    expect(matchPlan(plan, [], d('2026-03-06')).status).toBe('broken');
    expect(matchPlan(plan, [], d('2026-03-05')).status).toBe('active');
  });
});
