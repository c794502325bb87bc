/**
 * The gate fed with the whole contact history, not only the outbox: a debtor's reply is an effective contact on its
 * channel (Colombia, Ley 2300: only that channel for the rest of the week), and a collector's call that reached the
 * debtor is a telephone conversation (US Reg F: no call within 7 days, the conversation day being day 1). Multi-day,
 * with a fixed clock, through planning, dispatch and the reply being handled by a person.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { contactDecisions, tasks } from '../../src/db/schema.ts';
import type { PlainDate } from '../../src/domain/calendar.ts';
import { interactions } from '../../src/db/tables/worklists.ts';
import {
  contactRulesResolver,
  debtorTimeline,
  dispatchDue,
  handleReply,
  judgeContact,
  loadAutomationSettings,
  loadGateFacts,
  recordSandboxReply,
  setAutomationSettings,
  type ChannelProvider,
  type OutboundMessage,
} from '../../src/modules/messaging/index.ts';
import { applyStrategy } from '../../src/modules/strategies/index.ts';
import { createWorld, type World } from './helpers.ts';
import { parseStoredReason, storedReasonText } from '../../src/domain/compliance/index.ts';

function recorder(channel: 'sms' | 'whatsapp'): ChannelProvider & { calls: OutboundMessage[] } {
  const calls: OutboundMessage[] = [];
  return {
    name: `rec-${channel}`,
    channel,
    calls,
    async send(m: OutboundMessage) {
      calls.push(m);
      return { providerMessageId: `${channel}-${calls.length}`, status: 'accepted' as const };
    },
  };
}

describe('Colombia: after the debtor replies by WhatsApp, only WhatsApp for the rest of the week', () => {
  let w: World;
  let debtorId: number;
  const sms = recorder('sms');
  const whatsapp = recorder('whatsapp');

  beforeAll(async () => {
    w = await createWorld('CO', '2026-03-02T13:00:00Z');
    await setAutomationSettings(w.ctx, {
      sender: { creditor: { name: 'Crédito Andino', legal_id: '900123456-7', phone: '601 555 0000' }, payment_link: 'https://pagos.andino.example/{debtor}', portal_link: 'https://portal.andino.example/{debtor}' },
    });
    await applyStrategy(w.ctx, {
      source: `
name: co-semana
portfolio: default
rules:
  - phase: administrative
    steps:
      - { id: late-1, trigger: 1, channel: whatsapp, template: late_3_days }
      - { id: late-3, trigger: 3, channel: sms, template: late_3_days }
`,
    });
    debtorId = await w.debtor('CO-R', { country: 'CO', timeZone: 'America/Bogota', phone: '+573001112233', whatsapp: '+573001112233' });
    for (const channel of ['sms', 'whatsapp']) await w.consent(debtorId, channel);
    // Due Sunday 1 March 2026: +1 is Monday 2, +3 is Wednesday 4.
    await w.obligation(debtorId, 'CO-R-1', '2026-03-01', 80_000_00n, 'COP');
  });

  afterAll(async () => {
    await w?.close();
  });

  it('Monday: the WhatsApp reminder goes out', async () => {
    await w.day('2026-03-02', '13:00:00Z'); // 08:00 Bogotá
    expect(await dispatchDue(w.ctx, { providers: { sms, whatsapp } })).toMatchObject({ sent: 1 });
    expect(whatsapp.calls).toHaveLength(1);
  });

  it('Tuesday: the debtor replies by WhatsApp; a person handles the reply, which resumes the strategy', async () => {
    w.clock.set('2026-03-03T15:00:00Z'); // 10:00 Bogotá
    const reply = await recordSandboxReply(w.ctx, { debtorExternalId: 'CO-R', channel: 'whatsapp', text: 'Buenos días, pago la otra semana' });
    expect(reply).toMatchObject({ attributed: true, paused: true });
    // While the reply waits, planning leaves the debtor alone.
    expect((await w.day('2026-03-03', '16:00:00Z')).strategies[0]!.accounts).toBe(0);
    w.clock.set('2026-03-03T17:00:00Z');
    const handled = await handleReply(w.ctx, { id: reply.inboundId! });
    expect(handled).toMatchObject({ alreadyHandled: false, strategyResumed: true, handledIds: [reply.inboundId] });
  });

  it('Wednesday: the SMS step is due, but the gate holds it until Monday 07:00 (the reply was an effective contact)', async () => {
    const plan = await w.day('2026-03-04', '13:00:00Z');
    expect(plan.strategies[0]).toMatchObject({ accounts: 1, messages: { created: 1, deferred: 1 } });
    const [row] = (await w.messages(debtorId)).filter((m) => m.stepId === 'late-3');
    expect(row).toMatchObject({ channel: 'sms', status: 'pending', gateRule: 'cap.CO.channel_after_effective' });
    expect(row!.scheduledFor.toISOString()).toBe('2026-03-09T12:00:00.000Z'); // Monday 9 March, 07:00 Bogotá
    const [decision] = await w.database.db.select().from(contactDecisions).where(eq(contactDecisions.outboxMessageId, row!.id));
    expect(decision).toMatchObject({ allowed: false, rule: 'cap.CO.channel_after_effective', ruleSet: 'CO' });
    expect(storedReasonText(decision!.reason, 'es')).toMatch(/El deudor respondió por WhatsApp el martes 3 de marzo de 2026/);
    // WhatsApp, the channel the debtor used, stays open to the creditor's reply.
    const settings = await loadAutomationSettings(w.ctx);
    const facts = (await loadGateFacts(w.ctx, [debtorId], { onDate: '2026-03-04' as PlainDate, since: new Date('2026-02-20T00:00:00Z') })).get(debtorId)!;
    expect(facts.history.filter((h) => h.direction === 'inbound').map((h) => [h.channel, h.outcome])).toEqual([['whatsapp', 'effective']]);
    const rules = contactRulesResolver(settings)('CO');
    expect(judgeContact(rules, { timeZone: 'America/Bogota' }, facts, 'whatsapp', new Date('2026-03-04T15:00:00Z')).allowed).toBe(true);
  });

  it('no SMS goes out from Wednesday to Sunday; it goes on Monday', async () => {
    for (const day of ['2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08']) {
      w.clock.set(`${day}T20:00:00Z`);
      await dispatchDue(w.ctx, { providers: { sms, whatsapp } });
    }
    expect(sms.calls).toHaveLength(0);
    w.clock.set('2026-03-09T12:00:00Z');
    expect(await dispatchDue(w.ctx, { providers: { sms, whatsapp } })).toMatchObject({ sent: 1 });
    expect(sms.calls).toHaveLength(1);
  });
});

describe('United States: no call within 7 days after a phone conversation', () => {
  let w: World;
  let debtorId: number;

  beforeAll(async () => {
    w = await createWorld('US', '2026-03-02T14:00:00Z');
    await applyStrategy(w.ctx, {
      source: `
name: us-calls
portfolio: default
rules:
  - phase: administrative
    steps:
      - { id: call-3, trigger: 3, channel: call_task, template: call_script }
      - { id: call-12, trigger: 12, channel: call_task, template: call_script }
`,
    });
    debtorId = await w.debtor('US-1', { country: 'US', timeZone: 'America/New_York', phone: '+12125550100' });
    // Due Sunday 1 March 2026: +3 is Wednesday 4, +12 is Friday 13.
    await w.obligation(debtorId, 'US-1-A', '2026-03-01', 150_000n, 'USD');
    await w.day('2026-03-02', '14:00:00Z');
    // Monday 2 March, 10:00 New York: a collector calls and talks to the debtor (conversation day = day 1).
    await w.database.db.insert(interactions).values({
      companyId: w.ctx.companyId,
      debtorId,
      channel: 'call',
      outcome: 'contacted_debtor',
      actor: 'gestor@acme.example',
      occurredAt: new Date('2026-03-02T15:00:00Z'),
    });
  });

  afterAll(async () => {
    await w?.close();
  });

  it('the call task due on day 3 waits until day 8 (Monday 9 March)', async () => {
    await w.day('2026-03-04', '14:00:00Z');
    const [task] = await w.tasks(debtorId);
    expect(task).toMatchObject({ kind: 'call', stepId: 'call-3', status: 'open', dueOn: '2026-03-09' });
    // Why it waits, as data (the gate's reason): on the timeline in the reader's language.
    expect(parseStoredReason(task!.note!)).toMatchObject({ code: 'cap', cap: { kind: 'wait_after_conversation', days: 7 } });
    const entry = async (language: 'en' | 'es') => (await debtorTimeline(w.ctx, { debtorExternalId: 'US-1', language })).find((e) => e.kind === 'task' && e.ref === task!.id)!;
    expect((await entry('es')).details).toMatchObject({ note_code: 'cap', note: expect.stringMatching(/conversación telefónica el lunes 2 de marzo de 2026.*7 días, contando ese día como el primero/) });
    expect((await entry('en')).summary).toMatch(/^Call task due 9 Mar 2026 \(open\): There was a telephone conversation on Monday, March 2, 2026; .* for 7 days, counting that day as day 1\./);
    const [decision] = await w.database.db.select().from(contactDecisions).where(eq(contactDecisions.taskId, task!.id));
    expect(decision).toMatchObject({ channel: 'call', allowed: false, rule: 'wait.US.after_conversation', ruleSet: 'US' });
    expect(decision!.nextAllowedAt!.toISOString()).toBe('2026-03-09T12:00:00.000Z'); // 08:00 EDT
  });

  it('a call on day 8 is allowed again; an attempt that reached nobody does not restart the wait', async () => {
    // Monday 9 March: the collector calls, nobody answers; the task is closed with that interaction.
    const [task] = await w.tasks(debtorId);
    await w.database.db.update(tasks).set({ status: 'done', completedAt: new Date('2026-03-09T13:00:00Z') }).where(eq(tasks.id, task!.id));
    await w.database.db.insert(interactions).values({
      companyId: w.ctx.companyId,
      debtorId,
      channel: 'call',
      outcome: 'no_answer',
      actor: 'gestor@acme.example',
      occurredAt: new Date('2026-03-09T13:00:00Z'),
      taskId: task!.id,
    });
    await w.day('2026-03-13', '14:00:00Z');
    const later = (await w.tasks(debtorId)).find((t) => t.stepId === 'call-12');
    expect(later).toMatchObject({ status: 'open', dueOn: '2026-03-13', note: null });
    const settings = await loadAutomationSettings(w.ctx);
    const facts = (await loadGateFacts(w.ctx, [debtorId], { onDate: '2026-03-13' as PlainDate, since: new Date('2026-02-27T00:00:00Z') })).get(debtorId)!;
    // The conversation and the unanswered call, once each (the task closed with an interaction is not counted twice).
    expect(facts.history.map((h) => [h.channel, h.outcome])).toEqual(
      expect.arrayContaining([
        ['call', 'conversation'],
        ['call', 'attempt'],
      ]),
    );
    expect(facts.history).toHaveLength(2);
    const rules = contactRulesResolver(settings)('US');
    expect(judgeContact(rules, { timeZone: 'America/New_York' }, facts, 'call', new Date('2026-03-09T13:30:00Z')).allowed).toBe(true);
  });
});
