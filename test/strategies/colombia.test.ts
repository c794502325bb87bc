/**
 * Colombia (Ley 2300): a step due on a Sunday is scheduled for Monday 07:00 in Bogotá; a debtor who did not
 * authorise the channel is refused for good. And the preview: simulating the same strategy writes nothing and
 * reports deferrals and refusals with their rules.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { contactDecisions, outboxMessages } from '../../src/db/schema.ts';
import { applyStrategy, simulateStrategy } from '../../src/modules/strategies/index.ts';
import { createWorld, type World } from './helpers.ts';
import { buildServer } from '../../src/http/server.ts';
import { NO_WEBHOOKS } from '../../src/http/webhook-config.ts';
import { createApiKey } from '../../src/modules/access/api-keys.ts';
import { call } from '../http/harness.ts';
import { parseStoredReason, storedReasonText } from '../../src/domain/compliance/index.ts';

const STRATEGY = `
name: recordatorios
portfolio: default
rules:
  - phase: preventive
    steps:
      - { id: pre-2, trigger: -2, channel: sms, template: preventive_reminder }
      - { id: due-0, trigger: 0, channel: sms, template: due_today, fallback: call_task }
  - phase: administrative
    steps:
      - { id: late-1, trigger: 1, channel: email, template: late_3_days }
`;

let w: World;
let withConsent: number;
let withoutConsent: number;

beforeAll(async () => {
  w = await createWorld('CO', '2026-03-06T12:00:00Z');
  await applyStrategy(w.ctx, { source: STRATEGY });
  const co = { country: 'CO', timeZone: 'America/Bogota', phone: '+573001234567' };
  withConsent = await w.debtor('CO-1', co);
  withoutConsent = await w.debtor('CO-2', co);
  await w.consent(withConsent, 'sms');
  await w.consent(withConsent, 'email');
  // CO-2 authorised calls only: messages are refused, the call-task fallback is allowed (on a day calls are).
  await w.consent(withoutConsent, 'call');
  // 2026-03-08 is a Sunday.
  await w.obligation(withConsent, 'CO-1-A', '2026-03-08', 50_000_00n, 'COP');
  await w.obligation(withoutConsent, 'CO-2-A', '2026-03-08', 50_000_00n, 'COP');
});

afterAll(async () => {
  await w?.close();
});

describe('Colombia', () => {
  it('previews the strategy without writing anything', async () => {
    await w.day('2026-03-05', '12:00:00Z'); // a daily run so accounts exist; nothing is due yet
    const before = await w.messages();
    const sim = await simulateStrategy(w.ctx, { from: '2026-03-06', to: '2026-03-09' });
    expect(await w.messages()).toHaveLength(before.length);
    const s = sim.strategies[0]!;
    expect(s.name).toBe('recordatorios');
    expect(s.days.map((d) => d.date)).toEqual(['2026-03-06', '2026-03-07', '2026-03-08', '2026-03-09']);
    // Friday: the -2 reminder goes to the debtor who authorised SMS; the other is refused for lack of consent.
    expect(s.days[0]).toMatchObject({ messages: 1, now: 1, refused: 1 });
    // Sunday: due-0 is deferred to Monday 07:00; without consent it is refused and the call task replaces it.
    expect(s.days[2]).toMatchObject({ messages: 1, deferred: 1, refused: 1, tasks: 1 });
    expect(s.days[2]!.samples.find((x) => x.debtorId === withConsent)).toMatchObject({ outcome: 'deferred', rule: 'hours.CO.weekday', scheduledFor: '2026-03-09T12:00:00.000Z' });
    // Monday: the late-1 email would be the second contact of the day (the deferred SMS goes at 07:00): one per day.
    expect(s.days[3]!.samples.find((x) => x.debtorId === withConsent)).toMatchObject({ step: 'late-1', outcome: 'deferred', rule: 'cap.CO.per_day' });
    expect(s.refusalsByRule).toMatchObject({ 'consent.missing': 3, 'hours.CO.weekday': 1, 'cap.CO.per_day': 1 });
    // Why, in the simulation's language (English unless asked), with the kind of reason.
    expect(s.refusals.find((r) => r.rule === 'consent.missing')).toMatchObject({ reasonCode: 'consent_missing', reason: expect.stringMatching(/^There is no record of the debtor's consent for SMS; in Colombia/) });
    const es = (await simulateStrategy(w.ctx, { from: '2026-03-06', to: '2026-03-09', language: 'es' })).strategies[0]!;
    expect(es.refusals.find((r) => r.rule === 'consent.missing')).toMatchObject({ reasonCode: 'consent_missing', reason: expect.stringMatching(/^No consta la autorización del deudor para el canal SMS/) });
    // The API writes them in the request's language.
    const app = buildServer({ database: w.database, clock: w.clock, webhooks: NO_WEBHOOKS });
    try {
      const key = (await createApiKey({ database: w.database, companyId: w.ctx.companyId, name: 'sim' })).key;
      const refusal = async (language: string) => {
        const r = await call(app, key, 'POST', '/strategies/simulate', { from: '2026-03-06', to: '2026-03-09' }, { 'accept-language': language });
        expect(r.statusCode, r.body).toBe(200);
        return (r.json().strategies[0].refusals as Array<{ rule: string; reason: string; reason_code: string }>).find((x) => x.rule === 'hours.CO.weekday');
      };
      expect(await refusal('en')).toMatchObject({ reason_code: 'weekday', reason: expect.stringMatching(/^In Colombia, contact by SMS is not allowed on Sunday;/) });
      expect(await refusal('es-MX')).toMatchObject({ reason_code: 'weekday', reason: expect.stringMatching(/^En Colombia no se permite contactar por SMS en domingo;/) });
    } finally {
      await app.close();
    }
  });

  it('schedules a step due on a Sunday for Monday 07:00 Bogotá, and logs why', async () => {
    await w.day('2026-03-06', '12:00:00Z');
    await w.day('2026-03-07', '12:00:00Z');
    await w.day('2026-03-08', '15:00:00Z'); // Sunday 10:00 in Bogotá
    const [sms] = (await w.messages(withConsent)).filter((m) => m.stepId === 'due-0');
    expect(sms).toMatchObject({ status: 'pending', channel: 'sms', gateRule: 'hours.CO.weekday' });
    expect(sms!.scheduledFor.toISOString()).toBe('2026-03-09T12:00:00.000Z');
    expect(sms!.nextAttemptAt.toISOString()).toBe('2026-03-09T12:00:00.000Z');
    const [decision] = await w.database.db.select().from(contactDecisions).where(eq(contactDecisions.outboxMessageId, sms!.id));
    expect(decision).toMatchObject({ allowed: false, rule: 'hours.CO.weekday', ruleSet: 'CO' });
    expect(decision!.nextAllowedAt!.toISOString()).toBe('2026-03-09T12:00:00.000Z');
    expect(storedReasonText(decision!.reason, 'es')).toMatch(/domingo/);
  });

  it('refuses a channel the debtor did not authorise and opens the fallback task instead, on the next day calls are allowed', async () => {
    const rows = await w.database.db.select().from(outboxMessages).where(eq(outboxMessages.debtorId, withoutConsent));
    expect(rows.map((m) => [m.stepId, m.status, m.gateRule])).toEqual([
      ['pre-2', 'refused', 'consent.missing'],
      ['due-0', 'refused', 'consent.missing'],
    ]);
    const tasks = await w.tasks(withoutConsent);
    // Due on Sunday 8 March, when Colombia allows no calls: the task is due on Monday.
    expect(tasks.map((t) => [t.kind, t.stepId, t.status, t.dueOn])).toEqual([['call', 'due-0', 'open', '2026-03-09']]);
    expect(tasks[0]!.idempotencyKey).toMatch(/:2026-03-08:fallback:call_task$/);
    // Why, as data: read in either language.
    expect(storedReasonText(tasks[0]!.note!, 'es')).toMatch(/domingo/);
    expect(storedReasonText(tasks[0]!.note!, 'en')).toMatch(/^In Colombia, contact by call is not allowed on Sunday;/);
    expect(parseStoredReason(tasks[0]!.note!)).toMatchObject({ code: 'weekday', channel: 'call' });
    // The refused messages too.
    expect(rows.map((m) => parseStoredReason(m.lastError!)?.code)).toEqual(['consent_missing', 'consent_missing']);
    expect(storedReasonText(rows[0]!.lastError!, 'en')).toMatch(/^There is no record of the debtor's consent for SMS/);
  });

  it('a call task for a debtor who authorised no channel at all is cancelled with the consent rule', async () => {
    const none = await w.debtor('CO-3', { country: 'CO', timeZone: 'America/Bogota', phone: '+573001234568' });
    await w.obligation(none, 'CO-3-A', '2026-03-10', 50_000_00n, 'COP');
    await w.day('2026-03-10', '15:00:00Z');
    const tasks = await w.tasks(none);
    expect(tasks.map((t) => [t.stepId, t.status, t.dueOn])).toEqual([['due-0', 'cancelled', '2026-03-10']]);
    const decisions = await w.database.db.select().from(contactDecisions).where(eq(contactDecisions.taskId, tasks[0]!.id));
    expect(decisions.map((d) => [d.channel, d.allowed, d.rule])).toEqual([['call', false, 'consent.missing']]);
  });
});
