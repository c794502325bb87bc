/**
 * A payment plan replaces the collection of the obligations it covers, not of the whole debtor (ADR 0010), and a plan
 * that breaks fires the strategy's plan_broken steps. Multi-day scenario with a fixed clock, as the worker runs a day:
 * commitments evaluated, the daily run, planning at 07:00 Mexico City, then dispatch in the afternoon through a fake
 * email provider, so what the gate decides at send time counts too.
 *
 * - D owes invoice A (due 25 Feb) and signs a plan over it on 5 March; a new invoice B (due Thursday 26 March) arrives
 *   on 10 March. While the plan performs, D's phase stays frozen, nothing more is said about A, and B gets its
 *   preventive reminder (23 March), its due-today message (26 March) and its late message (29 March) — sent.
 * - M has a plan too, but also an agreement hold placed by hand: that one holds everything, so M's new invoice is not
 *   collected.
 * - P signs a plan over invoice A2 and misses the first installment: the plan breaks after its grace; the plan_broken
 *   steps send their message and open a call task, the promise_broken step does not fire.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { accounts } from '../../src/db/schema.ts';
import { addHold } from '../../src/modules/collection-runs/index.ts';
import { paymentPlans } from '../../src/db/tables/negotiation.ts';
import { dispatchDue, type ChannelProvider, type OutboundMessage } from '../../src/modules/messaging/index.ts';
import { createPlan, evaluateCommitments } from '../../src/modules/negotiation/index.ts';
import { applyStrategy } from '../../src/modules/strategies/index.ts';
import { createWorld, datesBetween, setAcmeSender, type World } from '../strategies/helpers.ts';

const STRATEGY = `
name: estandar
portfolio: default
catch_up_days: 2
rules:
  - phase: preventive
    steps:
      - { id: pre-3, trigger: -3, channel: email, template: preventive_reminder }
      - { id: due-0, trigger: 0, channel: email, template: due_today }
  - phase: [administrative, extrajudicial]
    steps:
      - { id: late-3, trigger: 3, channel: email, template: late_3_days }
      - { id: late-10, trigger: 10, channel: email, template: late_10_days }
      - { id: broke, trigger: { event: promise_broken }, channel: email, template: promise_reminder }
      - { id: broke-call, trigger: { event: promise_broken }, channel: call_task, template: call_script }
      - { id: plan-broke, trigger: { event: plan_broken }, channel: email, template: late_10_days }
      - { id: plan-broke-call, trigger: { event: plan_broken }, channel: call_task, template: call_script }
`;

const sent: OutboundMessage[] = [];
const email: ChannelProvider = {
  name: 'fake-email',
  channel: 'email',
  async send(message) {
    sent.push(message);
    return { providerMessageId: `id-${message.idempotencyKey}`, status: 'accepted' };
  },
};

let w: World;
const ids: Record<string, number> = {};
const ob: Record<string, number> = {};
const frozen: Array<{ day: string; phase: string; onHold: boolean }> = [];

beforeAll(async () => {
  w = await createWorld('MX', '2026-03-02T13:00:00Z');
  await setAcmeSender(w.ctx);
  await applyStrategy(w.ctx, { source: STRATEGY });
  ids.D = await w.debtor('D');
  ids.P = await w.debtor('P');
  ids.M = await w.debtor('M');
  ob.A = await w.obligation(ids.D, 'D-A', '2026-02-25', 100_000n);
  ob.A3 = await w.obligation(ids.M, 'M-A3', '2026-02-25', 100_000n);
  ob.A2 = await w.obligation(ids.P, 'P-A2', '2026-02-25', 100_000n);
  for (const date of datesBetween('2026-03-02', '2026-03-31')) {
    w.clock.set(`${date}T13:00:00Z`);
    if (date === '2026-03-05') {
      for (const [name, first] of [['D', '2026-03-20'], ['P', '2026-03-09'], ['M', '2026-03-20']] as const) {
        await createPlan(w.ctx, {
          debtorId: ids[name]!,
          currency: 'MXN',
          channel: 'portal',
          takenBy: 'debtor',
          offer: { kind: 'plan', downPayment: '100.00', installments: 3, frequency: 'monthly', firstInstallmentOn: first },
        });
        await w.pay(ids[name]!, `PAY-${name}0`, date, 10_000n);
      }
    }
    // A new invoice after the plan was signed: the plan does not cover it.
    if (date === '2026-03-10') ob.B = await w.obligation(ids.D, 'D-B', '2026-03-26', 45_000n);
    if (date === '2026-03-10') ob.C = await w.obligation(ids.M, 'M-C', '2026-03-26', 45_000n);
    if (date === '2026-03-10') await addHold(w.ctx, { debtorExternalId: 'M', reason: 'agreement', note: 'convenio firmado en sucursal' });
    // D keeps the plan: the first installment is paid on its day. P never pays its installment.
    if (date === '2026-03-20') await w.pay(ids.D, 'PAY-D1', date, 30_000n);
    if (date === '2026-03-20') await w.pay(ids.M, 'PAY-M1', date, 30_000n);
    await evaluateCommitments(w.ctx, { asOf: date });
    await w.day(date);
    const [account] = await w.database.db.select().from(accounts).where(eq(accounts.debtorId, ids.D));
    frozen.push({ day: date, phase: account!.phase, onHold: account!.onHold });
    // Dispatch in the afternoon (14:00 local), when messages planned for the morning are due.
    w.clock.set(`${date}T20:00:00Z`);
    await dispatchDue(w.ctx, { providers: { email }, limit: 100 });
  }
}, 180_000);

afterAll(async () => {
  await w?.close();
});

async function strategyMessages(debtor: string) {
  return (await w.messages(ids[debtor])).filter((m) => m.stepId !== null).map((m) => ({ day: m.causeDate, step: m.stepId, cause: m.cause, status: m.status }));
}

describe('a plan replaces the collection of the obligations it covers', () => {
  it('keeps the account phase frozen while the plan performs', async () => {
    const [plan] = await w.database.db.select().from(paymentPlans).where(eq(paymentPlans.debtorId, ids.D!));
    expect(plan).toMatchObject({ status: 'active', startedOn: '2026-03-05' });
    expect(frozen.filter((f) => f.day >= '2026-03-05').every((f) => f.phase === 'administrative' && f.onHold)).toBe(true);
  });

  it('collects the new invoice B as its own phase says (preventive, due today, late), all sent', async () => {
    const b = (await strategyMessages('D')).filter((m) => m.cause === `obligation:${ob.B}`);
    expect(b).toEqual([
      { day: '2026-03-23', step: 'pre-3', cause: `obligation:${ob.B}`, status: 'sent' },
      { day: '2026-03-26', step: 'due-0', cause: `obligation:${ob.B}`, status: 'sent' },
      { day: '2026-03-29', step: 'late-3', cause: `obligation:${ob.B}`, status: 'sent' },
    ]);
    // What the debtor read is about B alone: its contract and amount, not A's.
    const reminder = sent.find((m) => m.idempotencyKey.includes(':pre-3:') && m.idempotencyKey.includes(`obligation:${ob.B}`));
    if (reminder?.channel !== 'email') throw new Error('expected the preventive reminder by email');
    expect(reminder.text).toContain('D-B');
    expect(reminder.text).toMatch(/450\.00/);
    expect(reminder.text).not.toContain('D-A');
    expect(reminder.text).not.toMatch(/1,000\.00|900\.00|600\.00/);
  });

  it('says nothing more about A once the plan is signed', async () => {
    const a = (await strategyMessages('D')).filter((m) => m.cause === `obligation:${ob.A}`);
    // Before the plan: the late-3 message of A (28 Feb, caught up on 2 March). Its late-10 (7 March) is the plan's.
    expect(a).toEqual([{ day: '2026-02-28', step: 'late-3', cause: `obligation:${ob.A}`, status: 'sent' }]);
    expect((await w.tasks(ids.D)).filter((t) => t.stepId !== null)).toEqual([]);
  });
});

describe('an agreement hold placed by hand', () => {
  it('holds every contact, the new invoice too', async () => {
    const c = (await w.messages(ids.M)).filter((m) => m.cause === `obligation:${ob.C}`);
    expect(c.map((m) => [m.causeDate, m.stepId, m.status, m.gateRule])).toEqual([
      ['2026-03-23', 'pre-3', 'refused', 'hold.agreement'],
      ['2026-03-26', 'due-0', 'refused', 'hold.agreement'],
      ['2026-03-29', 'late-3', 'refused', 'hold.agreement'],
    ]);
  });
});

describe('a broken plan fires the plan_broken event', () => {
  it('sends the plan_broken message and opens its call task on the day the plan breaks; promise_broken steps stay quiet', async () => {
    const [plan] = await w.database.db.select().from(paymentPlans).where(eq(paymentPlans.debtorId, ids.P!));
    // First installment on Monday 9 March, three business days of grace (10–12 March): broken on Friday 13 March.
    expect(plan).toMatchObject({ status: 'broken', resolvedOn: '2026-03-13' });
    const events = (await strategyMessages('P')).filter((m) => m.cause.startsWith('plan:') || m.cause.startsWith('promise:'));
    expect(events).toEqual([{ day: '2026-03-13', step: 'plan-broke', cause: `plan:${plan!.id}`, status: 'sent' }]);
    const tasks = (await w.tasks(ids.P)).filter((t) => t.cause === `plan:${plan!.id}`);
    expect(tasks.map((t) => [t.kind, t.stepId, t.dueOn, t.status])).toEqual([
      ['plan_broken', null, '2026-03-13', 'open'],
      ['call', 'plan-broke-call', '2026-03-13', 'open'],
    ]);
    const message = sent.find((m) => m.idempotencyKey.includes(':plan-broke:'));
    if (message?.channel !== 'email') throw new Error('expected the plan_broken message by email');
    expect(message.to).toBe('p@example.com');
    expect(message.text).toContain('P-A2');
  });
});
