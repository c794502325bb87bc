/**
 * Multi-day scenario: Mexican debtors moving from preventive to late stages under one strategy, day by day with a
 * fixed clock (07:00 Mexico City each day): which step goes out on which day, what a hold and a payment stop, a
 * missed day caught up once, and re-running a day creating nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { contactDecisions } from '../../src/db/schema.ts';
import { addHold } from '../../src/modules/collection-runs/index.ts';
import { applyStrategy, planDay } from '../../src/modules/strategies/index.ts';
import { createWorld, datesBetween, type World } from './helpers.ts';
import { storedReasonText } from '../../src/domain/compliance/index.ts';

const STRATEGY = `
name: estandar
portfolio: default
catch_up_days: 2
rules:
  - phase: preventive
    steps:
      - { id: pre-5, trigger: -5, channel: email, template: preventive_reminder }
      - { id: due-0, trigger: 0, channel: sms, template: due_today }
  - phase: administrative
    steps:
      - { id: late-3, trigger: 3, channel: sms, template: late_3_days, fallback: email }
      - { id: late-10, trigger: 10, channel: whatsapp, template: late_10_days, fallback: sms }
  - phase: extrajudicial
    steps:
      - { id: ext-31, trigger: 31, channel: email, template: late_30_days }
      - { id: ext-call, trigger: { event: entered_phase, phase: extrajudicial }, channel: call_task, template: call_script }
  - phase: settled
    steps:
      - { id: thanks, trigger: { event: payment_received }, channel: email, template: payment_received }
`;

let w: World;
const ids: Record<string, number> = {};
const rerunCreated: number[] = [];

beforeAll(async () => {
  w = await createWorld('MX', '2026-03-01T13:00:00Z');
  await applyStrategy(w.ctx, { source: STRATEGY });
  for (const name of ['A', 'B', 'C', 'D']) ids[name] = await w.debtor(name);
  await w.obligation(ids.A!, 'A-1', '2026-03-10', 100_000n);
  await w.obligation(ids.B!, 'B-1', '2026-03-10', 100_000n);
  await w.obligation(ids.C!, 'C-1', '2026-03-10', 100_000n);
  await w.obligation(ids.D!, 'D-1', '2026-03-11', 100_000n);
  for (const date of datesBetween('2026-03-01', '2026-04-12')) {
    if (date === '2026-03-14') continue; // the engine was down that day
    if (date === '2026-03-11') await w.pay(ids.C!, 'PAY-C', '2026-03-11', 100_000n);
    if (date === '2026-03-12') {
      w.clock.set('2026-03-12T12:00:00Z');
      await addHold(w.ctx, { debtorExternalId: 'B', reason: 'dispute' });
    }
    await w.day(date);
    const again = await planDay(w.ctx, { asOf: date });
    rerunCreated.push(...again.strategies.map((s) => s.messages.created + s.tasks.created));
  }
});

afterAll(async () => {
  await w?.close();
});

async function log(debtor: string) {
  const rows = await w.messages(ids[debtor]);
  return rows.map((m) => ({ day: m.createdAt.toISOString().slice(0, 10), step: m.stepId, channel: m.channel, status: m.status, rule: m.gateRule }));
}

describe('planning day by day', () => {
  it('sends each step on its day, on the right channel, falling back when the gate refuses for good', async () => {
    expect(await log('A')).toEqual([
      { day: '2026-03-05', step: 'pre-5', channel: 'email', status: 'pending', rule: 'allowed' },
      { day: '2026-03-10', step: 'due-0', channel: 'sms', status: 'pending', rule: 'allowed' },
      { day: '2026-03-13', step: 'late-3', channel: 'sms', status: 'pending', rule: 'allowed' },
      // Mexico requires the debtor's opt-in for WhatsApp: refused for good, so the SMS fallback goes instead.
      { day: '2026-03-20', step: 'late-10', channel: 'whatsapp', status: 'refused', rule: 'consent.missing' },
      { day: '2026-03-20', step: 'late-10', channel: 'sms', status: 'pending', rule: 'allowed' },
      { day: '2026-04-10', step: 'ext-31', channel: 'email', status: 'pending', rule: 'allowed' },
    ]);
    const tasks = await w.tasks(ids.A);
    expect(tasks.map((t) => [t.kind, t.stepId, t.dueOn, t.status])).toEqual([['call', 'ext-call', '2026-04-10', 'open']]);
  });

  it('writes every message with its idempotency key and schedules it at the instant the gate allowed', async () => {
    const [first] = await w.messages(ids.A);
    expect(first!.idempotencyKey).toMatch(new RegExp(`^\\d+:pre-5:${ids.A}:obligation:\\d+:2026-03-05$`));
    expect(first!.scheduledFor.toISOString()).toBe('2026-03-05T13:00:00.000Z');
    const fallback = (await w.messages(ids.A)).find((m) => m.stepId === 'late-10' && m.channel === 'sms')!;
    expect(fallback.idempotencyKey).toMatch(/:2026-03-20:fallback:sms$/);
    expect(fallback.fallbackOf).not.toBeNull();
  });

  it('re-running a day creates nothing', () => {
    expect(rerunCreated.length).toBeGreaterThan(30);
    expect(rerunCreated.every((n) => n === 0)).toBe(true);
  });

  it('a hold stops messages: refused with the hold rule, fallback included, and logged', async () => {
    expect(await log('B')).toEqual([
      { day: '2026-03-05', step: 'pre-5', channel: 'email', status: 'pending', rule: 'allowed' },
      { day: '2026-03-10', step: 'due-0', channel: 'sms', status: 'pending', rule: 'allowed' },
      { day: '2026-03-13', step: 'late-3', channel: 'sms', status: 'refused', rule: 'hold.dispute' },
      { day: '2026-03-13', step: 'late-3', channel: 'email', status: 'refused', rule: 'hold.dispute' },
      { day: '2026-03-20', step: 'late-10', channel: 'whatsapp', status: 'refused', rule: 'hold.dispute' },
      { day: '2026-03-20', step: 'late-10', channel: 'sms', status: 'refused', rule: 'hold.dispute' },
    ]);
    const decisions = await w.database.db.select().from(contactDecisions).where(eq(contactDecisions.debtorId, ids.B!));
    const refusals = decisions.filter((d) => !d.allowed);
    expect(refusals).toHaveLength(4);
    expect(refusals.every((d) => d.rule === 'hold.dispute' && d.stage === 'plan' && d.ruleSet === 'MX' && /suspensión/.test(storedReasonText(d.reason, 'es')))).toBe(true);
  });

  it('a payment that settles the account stops the later steps and thanks the debtor', async () => {
    expect(await log('C')).toEqual([
      { day: '2026-03-05', step: 'pre-5', channel: 'email', status: 'pending', rule: 'allowed' },
      { day: '2026-03-10', step: 'due-0', channel: 'sms', status: 'pending', rule: 'allowed' },
      { day: '2026-03-11', step: 'thanks', channel: 'email', status: 'pending', rule: 'allowed' },
    ]);
  });

  it('a missed day is caught up once, keeping the date the step was due', async () => {
    const rows = await w.messages(ids.D);
    const late3 = rows.filter((m) => m.stepId === 'late-3');
    expect(late3).toHaveLength(1);
    expect(late3[0]!.createdAt.toISOString().slice(0, 10)).toBe('2026-03-15');
    expect(late3[0]!.causeDate).toBe('2026-03-14');
    expect(late3[0]!.idempotencyKey).toMatch(/:2026-03-14$/);
  });

  it('logs one gate decision per row written', async () => {
    const decisions = await w.database.db.select().from(contactDecisions).where(eq(contactDecisions.companyId, w.ctx.companyId));
    const rows = await w.messages();
    expect(decisions.filter((d) => d.outboxMessageId !== null)).toHaveLength(rows.length);
  });
});
