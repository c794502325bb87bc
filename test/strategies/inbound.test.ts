/**
 * After the send: delivery statuses (replayed webhooks recorded once, statuses only moving forward, a delivery
 * failure planning the fallback), a debtor's "BAJA" opting them out at once with one confirmation, and a reply
 * pausing their strategy until a person handles it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { consents, inboundMessages, messageEvents } from '../../src/db/schema.ts';
import {
  dispatchDue,
  isOptOut,
  markReplyHandled,
  recordProviderEvent,
  setAutomationSettings,
  type ChannelProvider,
  type OutboundMessage,
  type SendResult,
} from '../../src/modules/messaging/index.ts';
import { applyStrategy, planDay } from '../../src/modules/strategies/index.ts';
import { createWorld, type World } from './helpers.ts';

let w: World;
const ids: Record<string, number> = {};
const sent: OutboundMessage[] = [];
const provider = (channel: 'sms' | 'email'): ChannelProvider => ({
  name: `loop-${channel}`,
  channel,
  async send(m): Promise<SendResult> {
    sent.push(m);
    return { providerMessageId: `${channel}-${sent.length}`, status: 'accepted' };
  },
});
const providers = { sms: provider('sms'), email: provider('email') };

beforeAll(async () => {
  w = await createWorld('MX', '2026-03-05T13:00:00Z');
  await setAutomationSettings(w.ctx, {
    sender: { creditor: { name: 'Acme', legal_id: 'ACM010101AB1', phone: '800 000 0000' }, payment_link: 'https://p.acme.example/{debtor}', portal_link: 'https://portal.acme.example/{debtor}' },
  });
  await applyStrategy(w.ctx, {
    source: `
name: entrada
portfolio: default
rules:
  - phase: preventive
    steps:
      - { id: pre-5, trigger: -5, channel: sms, template: preventive_reminder, fallback: email }
      - { id: due-0, trigger: 0, channel: sms, template: due_today }
`,
  });
  ids.S = await w.debtor('S', { phone: '+525511110001' });
  ids.F = await w.debtor('F', { phone: '+525511110002' });
  ids.B = await w.debtor('B', { phone: '+525511110003' });
  ids.Q = await w.debtor('Q', { phone: '+525511110004' });
  for (const k of ['S', 'F', 'B', 'Q']) await w.obligation(ids[k]!, `${k}-1`, '2026-03-10', 50_000n);
  await w.day('2026-03-05');
  await dispatchDue(w.ctx, { providers });
});

afterAll(async () => {
  await w?.close();
});

const sms = async (k: string) => (await w.messages(ids[k])).find((m) => m.stepId === 'pre-5' && m.channel === 'sms')!;

describe('delivery statuses', () => {
  it('move a message forward once, whatever the order and however often they arrive', async () => {
    const m = await sms('S');
    expect(m.status).toBe('sent');
    const at = new Date('2026-03-05T13:00:05Z');
    const status = (s: 'delivered' | 'read') => recordProviderEvent(w.ctx, { event: { kind: 'status', channel: 'sms', providerMessageId: m.providerMessageId!, status: s, at } });
    expect(await status('read')).toMatchObject({ recorded: true, outboxMessageId: m.id });
    expect(await status('delivered')).toMatchObject({ recorded: true });
    expect(await status('delivered')).toMatchObject({ recorded: false }); // a replayed webhook
    const after = await sms('S');
    expect(after).toMatchObject({ status: 'read' });
    expect(after.deliveredAt).not.toBeNull();
    expect(await w.database.db.select().from(messageEvents).where(eq(messageEvents.outboxMessageId, m.id))).toHaveLength(2);
    expect(await recordProviderEvent(w.ctx, { event: { kind: 'status', channel: 'sms', providerMessageId: 'unknown', status: 'delivered', at } })).toMatchObject({ recorded: false, outboxMessageId: null });
  });

  it('a delivery failure fails the message and plans its fallback channel', async () => {
    const m = await sms('F');
    await recordProviderEvent(w.ctx, { event: { kind: 'status', channel: 'sms', providerMessageId: m.providerMessageId!, status: 'failed', at: w.clock.now(), error: '30006 landline' } });
    expect(await sms('F')).toMatchObject({ status: 'failed', lastError: '30006 landline' });
    const email = (await w.messages(ids.F)).find((x) => x.channel === 'email');
    expect(email).toMatchObject({ status: 'pending', fallbackOf: m.id });
  });
});

describe('replies', () => {
  it('recognises opt-out words', () => {
    for (const t of ['BAJA', ' baja ', 'Stop', 'ALTO.', 'alto!']) expect(isOptOut(t)).toBe(true);
    for (const t of ['no me den de baja', 'hola', 'ALTA']) expect(isOptOut(t)).toBe(false);
  });

  it('"BAJA" opts the debtor out of that channel at once, confirmed once, and the gate honours it', async () => {
    const event = { kind: 'message' as const, channel: 'sms' as const, providerMessageId: 'in-1', from: '+52 55 1111 0003', text: 'Baja', at: w.clock.now() };
    expect(await recordProviderEvent(w.ctx, { event, provider: 'twilio' })).toMatchObject({ recorded: true, debtorId: ids.B, optedOut: true });
    expect(await recordProviderEvent(w.ctx, { event })).toMatchObject({ recorded: false }); // replayed
    const [consent] = await w.database.db.select().from(consents).where(eq(consents.debtorId, ids.B!));
    expect(consent).toMatchObject({ channel: 'sms', source: 'inbound:sms' });
    expect(consent!.optedOutAt).not.toBeNull();

    const before = sent.length;
    expect(await dispatchDue(w.ctx, { providers })).toMatchObject({ sent: 2 }); // the confirmation, and F's fallback email
    const confirmation = sent.slice(before).find((m) => m.channel === 'sms')!;
    expect(confirmation).toMatchObject({ to: '+52 55 1111 0003', body: 'Acme: confirmamos su baja. No le enviaremos más mensajes por SMS.' });

    // A second BAJA: recorded, no second confirmation.
    await recordProviderEvent(w.ctx, { event: { ...event, providerMessageId: 'in-2' } });
    expect(await dispatchDue(w.ctx, { providers })).toMatchObject({ claimed: 0 });

    // On the due date the SMS step is refused for good: the debtor left that channel.
    await w.day('2026-03-10');
    const due = (await w.messages(ids.B)).find((m) => m.stepId === 'due-0')!;
    expect(due).toMatchObject({ status: 'refused', gateRule: 'optout.sms' });
  });

  it('any other reply pauses the strategy for that debtor until a person handles it', async () => {
    await recordProviderEvent(w.ctx, { event: { kind: 'message', channel: 'sms', providerMessageId: 'in-3', from: '+525511110004', text: '¿Puedo pagar el viernes?', at: w.clock.now() } });
    const [reply] = await w.database.db.select().from(inboundMessages).where(eq(inboundMessages.providerMessageId, 'in-3'));
    expect(reply).toMatchObject({ debtorId: ids.Q, handledAt: null, text: '¿Puedo pagar el viernes?' });
    // Paused: planning no longer considers Q's account at all.
    const paused = await planDay(w.ctx, { asOf: '2026-03-10' });
    expect(paused.strategies[0]!.accounts).toBe(3);
    expect(await markReplyHandled(w.ctx, { debtorExternalId: 'Q' })).toBe(1);
    expect((await planDay(w.ctx, { asOf: '2026-03-10' })).strategies[0]!.accounts).toBe(4);
  });

  it('keeps a message from an unknown sender without attributing it', async () => {
    expect(await recordProviderEvent(w.ctx, { event: { kind: 'message', channel: 'sms', providerMessageId: 'in-4', from: '+525599999999', text: 'hola', at: w.clock.now() } })).toMatchObject({
      recorded: true,
      debtorId: null,
      optedOut: false,
    });
  });
});
