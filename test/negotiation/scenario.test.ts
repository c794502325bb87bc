/**
 * Multi-day scenario with a fixed clock (13:00 UTC = 07:00 Mexico City): each day the commitments are evaluated, then
 * the daily run and planning, as the worker does. A promise kept releases its hold and fires nothing; a promise
 * broken fires the strategy's promise_broken step (a message and a call task) and a collector task; a plan that
 * performs freezes the phase, and once an installment is missed beyond its grace it breaks: hold released, phase
 * unfrozen, the strategy's plan_broken steps (not its promise_broken ones) and a collector task.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { accounts, holds } from '../../src/db/schema.ts';
import { paymentPlanInstallments, promises } from '../../src/db/tables/negotiation.ts';
import { createPlan, createPromise, evaluateCommitments, getPlan, setPolicy } from '../../src/modules/negotiation/index.ts';
import { applyStrategy } from '../../src/modules/strategies/index.ts';
import { createWorld, datesBetween, type World } from '../strategies/helpers.ts';

const STRATEGY = `
name: estandar
portfolio: default
catch_up_days: 2
rules:
  - phase: [administrative, extrajudicial]
    steps:
      - { id: late-3, trigger: 3, channel: email, template: late_3_days }
      - { id: broke, trigger: { event: promise_broken }, channel: email, template: promise_reminder }
      - { id: broke-call, trigger: { event: promise_broken }, channel: call_task, template: call_script }
      - { id: plan-broke, trigger: { event: plan_broken }, channel: email, template: late_10_days }
      - { id: plan-broke-call, trigger: { event: plan_broken }, channel: call_task, template: call_script }
`;

let w: World;
const ids: Record<string, number> = {};
const reruns: string[] = [];
const phases: Record<string, string> = {};

beforeAll(async () => {
  w = await createWorld('MX', '2026-03-02T13:00:00Z');
  await applyStrategy(w.ctx, { source: STRATEGY });
  await setPolicy(w.ctx, { source: 'plans: { max_installments: 6 }' });
  for (const name of ['K', 'B', 'P']) {
    ids[name] = await w.debtor(name);
    await w.obligation(ids[name]!, `${name}-1`, '2026-03-01', 100_000n);
  }
  for (const date of datesBetween('2026-03-02', '2026-04-26')) {
    w.clock.set(`${date}T13:00:00Z`);
    if (date === '2026-03-05') {
      await createPromise(w.ctx, { debtorId: ids.K!, currency: 'MXN', amount: '1000.00', promisedOn: '2026-03-10', channel: 'phone', takenBy: 'collector' });
      await createPromise(w.ctx, { debtorId: ids.B!, currency: 'MXN', amount: '500.00', promisedOn: '2026-03-10', channel: 'whatsapp', takenBy: 'debtor' });
      await createPlan(w.ctx, {
        debtorId: ids.P!,
        currency: 'MXN',
        channel: 'portal',
        takenBy: 'debtor',
        offer: { kind: 'plan', downPayment: '100.00', installments: 3, frequency: 'monthly', firstInstallmentOn: '2026-03-20' },
      });
    }
    if (date === '2026-03-09') await w.pay(ids.K!, 'PAY-K', '2026-03-09', 100_000n);
    if (date === '2026-03-05') await w.pay(ids.P!, 'PAY-P0', '2026-03-05', 10_000n);
    if (date === '2026-03-23') await w.pay(ids.P!, 'PAY-P1', '2026-03-23', 30_000n);
    await evaluateCommitments(w.ctx, { asOf: date });
    const again = await evaluateCommitments(w.ctx, { asOf: date });
    if (JSON.stringify({ ...again.promises, open: 0 }) !== JSON.stringify({ open: 0, kept: 0, partiallyKept: 0, broken: 0 }) || again.plans.completed + again.plans.broken > 0) reruns.push(date);
    await w.day(date);
    if (date === '2026-04-15') phases.P = (await w.database.db.select().from(accounts).where(eq(accounts.debtorId, ids.P!)))[0]!.phase;
  }
}, 120_000);

afterAll(async () => {
  await w?.close();
});

async function log(name: string) {
  return (await w.messages(ids[name])).map((m) => ({ day: m.causeDate, step: m.stepId, cause: m.cause.replace(/\d+$/, 'N'), status: m.status }));
}

describe('promises and plans, day by day', () => {
  it('a kept promise releases its hold the day the payment arrives and fires nothing', async () => {
    const [p] = await w.database.db.select().from(promises).where(eq(promises.debtorId, ids.K!));
    expect(p).toMatchObject({ status: 'kept', resolvedOn: '2026-03-09', paid: 100_000n });
    const [hold] = await w.database.db.select().from(holds).where(eq(holds.debtorId, ids.K!));
    expect(hold!.releasedAt!.toISOString()).toBe('2026-03-09T13:00:00.000Z');
    expect((await log('K')).filter((m) => m.step === 'broke' || m.step === 'plan-broke')).toEqual([]);
    expect((await w.tasks(ids.K)).filter((t) => t.kind === 'promise_broken')).toEqual([]);
  });

  it('a broken promise fires the promise_broken step: message and call task, plus a collector task', async () => {
    const [p] = await w.database.db.select().from(promises).where(eq(promises.debtorId, ids.B!));
    // Promised for Tuesday 10 March, one business day of grace (Wednesday 11): broken on Thursday 12.
    expect(p).toMatchObject({ status: 'broken', resolvedOn: '2026-03-12', graceUntil: '2026-03-11', paid: 0n });
    expect(await log('B')).toEqual([
      { day: '2026-03-04', step: 'late-3', cause: 'obligation:N', status: 'pending' },
      { day: '2026-03-12', step: 'broke', cause: 'promise:N', status: 'pending' },
    ]);
    const tasks = await w.tasks(ids.B);
    expect(tasks.map((t) => [t.kind, t.dueOn, t.cause.replace(/\d+$/, 'N')])).toEqual([
      ['promise_broken', '2026-03-12', 'promise:N'],
      ['call', '2026-03-12', 'promise:N'],
    ]);
    // The notes people read say it in Spanish, with the date as the back office writes it.
    expect(tasks[0]!.note?.replace(/#\d+/, '#N')).toBe('Promesa de pago #N incumplida: 500.00 MXN para el 10 mar 2026, sin pagos.');
    const [hold] = await w.database.db.select().from(holds).where(and(eq(holds.debtorId, ids.B!), eq(holds.reason, 'promise')));
    expect([hold!.note?.replace(/#\d+/, '#N'), hold!.releaseNote?.replace(/#\d+/, '#N')]).toEqual(['Promesa de pago #N para el 10 mar 2026', 'promesa #N: incumplida']);
  });

  it('a performing plan freezes the phase; a missed installment breaks it after its grace', async () => {
    // 40 days late on 15 April, yet still administrative: the agreement holds the phase.
    expect(phases.P).toBe('administrative');
    const plans = await w.database.db.select().from(paymentPlanInstallments).orderBy(asc(paymentPlanInstallments.seq));
    expect(plans.map((i) => [i.seq, i.dueOn, i.amount, i.status])).toEqual([
      [0, '2026-03-05', 10_000n, 'paid'],
      [1, '2026-03-20', 30_000n, 'paid'],
      [2, '2026-04-20', 30_000n, 'missed'],
      [3, '2026-05-20', 30_000n, 'pending'],
    ]);
    const plan = await getPlan(w.ctx, { planId: (await w.database.db.select().from(paymentPlanInstallments))[0]!.planId });
    // 20 April + 3 business days = 23 April; broken on the 24th.
    expect(plan).toMatchObject({ status: 'broken', resolvedOn: '2026-04-24', paid: '400.00' });
    const [hold] = await w.database.db.select().from(holds).where(and(eq(holds.debtorId, ids.P!), eq(holds.reason, 'agreement')));
    expect(hold!.releasedAt).not.toBeNull();
    const [account] = await w.database.db.select().from(accounts).where(eq(accounts.debtorId, ids.P!));
    expect(account).toMatchObject({ phase: 'extrajudicial', onHold: false });
    expect((await log('P')).filter((m) => m.cause === 'plan:N')).toEqual([{ day: '2026-04-24', step: 'plan-broke', cause: 'plan:N', status: 'pending' }]);
    const tasks = (await w.tasks(ids.P)).filter((t) => t.cause.startsWith('plan:') && t.kind !== 'plan_approval');
    expect(tasks.map((t) => [t.kind, t.stepId, t.dueOn])).toEqual([
      ['plan_broken', null, '2026-04-24'],
      ['call', 'plan-broke-call', '2026-04-24'],
    ]);
    expect(tasks[0]!.note?.replace(/#\d+/, '#N')).toBe('Convenio #N roto: la cuota 2 de 300.00 MXN del 20 abr 2026 no se cubrió a tiempo. La cobranza normal se reanuda sobre el saldo.');
    expect(hold!.releaseNote?.replace(/#\d+/, '#N')).toBe('convenio #N: roto');
    // The promise_broken steps are for promises: a broken plan does not fire them.
    expect((await log('P')).filter((m) => m.step === 'broke')).toEqual([]);
    expect((await w.tasks(ids.P)).filter((t) => t.stepId === 'broke-call')).toEqual([]);
  });

  it('evaluating a day twice changes nothing', () => {
    expect(reruns).toEqual([]);
  });
});
