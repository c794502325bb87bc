/**
 * Dispatch after an attempt whose outcome is unknown, through the real Twilio SMS provider and a loopback Twilio: a
 * worker that died after Twilio accepted the message (or a send that timed out after it) leaves a row Twilio already
 * has; the next attempt finds it in Twilio's Messages list and records it instead of sending it twice. When the list
 * has no such message, the row is sent, once. First attempts never look anything up.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { messageEvents, outboxMessages } from '../../src/db/schema.ts';
import { dispatchDue, setAutomationSettings, type ChannelProvider, type SendResult } from '../../src/modules/messaging/index.ts';
import type { OutboundSms } from '../../src/modules/messaging/ports.ts';
import { applyStrategy } from '../../src/modules/strategies/index.ts';
import { createTwilioSmsProvider } from '../../src/providers/sms-twilio.ts';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio.ts';
import { ACME_SENDER, createWorld, type World } from './helpers.ts';

const STRATEGY = `
name: recordatorio
portfolio: default
max_attempts: 3
rules:
  - phase: preventive
    steps:
      - { id: pre-5, trigger: -5, channel: sms, template: preventive_reminder, fallback: email }
`;

const LEASE_MS = 300_000;

let w: World;
let twilio: FakeTwilio;
let twilioSms: ChannelProvider<OutboundSms>;
const ids: Record<string, number> = {};

beforeAll(async () => {
  w = await createWorld('MX', '2026-03-01T13:00:00Z');
  // The loopback Twilio dates what it accepts by the test's clock, as the real one would by the real time.
  twilio = await startFakeTwilio({ clock: w.clock });
  twilioSms = createTwilioSmsProvider({ baseUrl: twilio.baseUrl, accountSid: twilio.accountSid, authToken: twilio.authToken, from: '+15005550006', timeoutMs: 2_000, clock: w.clock });
  await setAutomationSettings(w.ctx, { sender: ACME_SENDER });
  await applyStrategy(w.ctx, { source: STRATEGY });
  // Every debtor has the same phone (the world's default), so each lookup also lists the others' messages.
  for (const [name, dueOn] of [['A', '2026-03-10'], ['B', '2026-03-11'], ['C', '2026-03-12'], ['D', '2026-03-13'], ['E', '2026-03-14'], ['F', '2026-03-15']] as const) {
    ids[name] = await w.debtor(name, { name: `Ana ${name} Pérez` });
    await w.obligation(ids[name], `${name}-1`, dueOn, 100_000n);
  }
});

afterAll(async () => {
  await twilio?.close();
  await w?.close();
});

beforeEach(() => {
  twilio.requests.length = 0;
});

async function sms(debtor: string) {
  return (await w.messages(ids[debtor])).find((m) => m.channel === 'sms')!;
}

const posts = () => twilio.requests.filter((r) => r.method === 'POST');
const lists = () => twilio.requests.filter((r) => r.method === 'GET');

/**
 * Starts a dispatch whose worker hangs inside its provider call, as if it had died there (after handing the message
 * to Twilio when `accepted`); resolves once the call is under way, with a way to let the dead worker's call fail late.
 */
async function workerDiesInTheCall(accepted: boolean): Promise<{ kill(): void; finished: Promise<unknown> }> {
  let crash: ((e: Error) => void) | null = null;
  const dying: ChannelProvider<OutboundSms> = {
    name: 'sms-twilio',
    channel: 'sms',
    async send(message) {
      if (accepted) await twilioSms.send(message);
      return new Promise<SendResult>((_, reject) => (crash = reject));
    },
  };
  const finished = dispatchDue(w.ctx, { providers: { sms: dying }, leaseMs: LEASE_MS });
  // Wait for the provider call itself: the lease is renewed right before it, from the unmoved clock.
  for (let i = 0; i < 500 && !crash; i++) await new Promise((r) => setTimeout(r, 10));
  expect(crash).not.toBeNull();
  return { kill: () => crash!(new Error('worker killed')), finished };
}

describe('dispatch after an attempt whose outcome is unknown', () => {
  it('a first attempt sends without looking anything up', async () => {
    await w.day('2026-03-05');
    expect(await dispatchDue(w.ctx, { providers: { sms: twilioSms } })).toMatchObject({ claimed: 1, sent: 1, recovered: 0 });
    expect(twilio.requests.map((r) => r.method)).toEqual(['POST']);
    expect(await sms('A')).toMatchObject({ status: 'sent', attempts: 1, providerMessageId: twilio.messages.at(-1)!.sid });
  });

  it('Twilio accepted the message, the worker died before recording it: the next worker records it and sends nothing', async () => {
    await w.day('2026-03-06');
    const dead = await workerDiesInTheCall(true);
    const row = await sms('B');
    expect(row).toMatchObject({ status: 'sending', attempts: 1, providerMessageId: null });
    expect(posts()).toHaveLength(1);
    const accepted = twilio.messages.at(-1)!;
    expect(accepted.body).toContain('contrato B-1');

    w.clock.advance(LEASE_MS + 1);
    expect(await dispatchDue(w.ctx, { providers: { sms: twilioSms } })).toMatchObject({ claimed: 1, sent: 1, recovered: 1, retried: 0 });
    // One list request (To, From, DateSent>= the row's day), no second message.
    expect(posts()).toHaveLength(1);
    expect(lists()).toHaveLength(1);
    expect(lists()[0]!.query).toMatchObject({ To: '+525512345678', From: '+15005550006', 'DateSent>': '2026-03-06' });
    expect(twilio.messages.filter((m) => m.body === accepted.body)).toHaveLength(1);
    const b = await sms('B');
    // Recorded as sent when Twilio sent it, under Twilio's sid, with the status Twilio reports for it.
    expect(b).toMatchObject({ status: 'sent', attempts: 2, provider: 'sms-twilio', providerMessageId: accepted.sid, sentAt: accepted.dateSent });
    const events = await w.database.db.select().from(messageEvents).where(eq(messageEvents.outboxMessageId, b.id));
    expect(events.map((e) => e.status)).toEqual(['sent']);

    // The dead worker's late failure changes nothing.
    dead.kill();
    expect(await dead.finished).toMatchObject({ claimed: 1, lost: 1, sent: 0, retried: 0 });
    expect(await sms('B')).toMatchObject({ status: 'sent', providerMessageId: accepted.sid });
    expect(await dispatchDue(w.ctx, { providers: { sms: twilioSms } })).toMatchObject({ claimed: 0 });
    expect(posts()).toHaveLength(1);
  });

  it('the worker died before Twilio had the message: the lookup finds nothing and it is sent once', async () => {
    await w.day('2026-03-07');
    const dead = await workerDiesInTheCall(false);
    expect(await sms('C')).toMatchObject({ status: 'sending', attempts: 1 });
    expect(twilio.requests).toHaveLength(0);

    w.clock.advance(LEASE_MS + 1);
    expect(await dispatchDue(w.ctx, { providers: { sms: twilioSms } })).toMatchObject({ claimed: 1, sent: 1, recovered: 0 });
    // Looked up first (the list holds A's and B's messages to the same phone, other texts), then sent.
    expect(twilio.requests.map((r) => r.method)).toEqual(['GET', 'POST']);
    const c = await sms('C');
    const mine = twilio.messages.filter((m) => m.body.includes('contrato C-1'));
    expect(mine).toHaveLength(1);
    expect(c).toMatchObject({ status: 'sent', attempts: 2, providerMessageId: mine[0]!.sid });
    dead.kill();
    expect(await dead.finished).toMatchObject({ lost: 1 });
  });

  it('a send that timed out after Twilio accepted it is recorded on the retry, not sent again', async () => {
    await w.day('2026-03-08');
    const impatient = createTwilioSmsProvider({ baseUrl: twilio.baseUrl, accountSid: twilio.accountSid, authToken: twilio.authToken, from: '+15005550006', timeoutMs: 200, clock: w.clock });
    twilio.replyNext({ kind: 'accept-and-hang' });
    expect(await dispatchDue(w.ctx, { providers: { sms: impatient }, backoffMs: 1_000 })).toMatchObject({ claimed: 1, retried: 1 });
    expect(await sms('D')).toMatchObject({ status: 'pending', attempts: 1, lastError: 'Twilio did not answer in time' });
    const accepted = twilio.messages.at(-1)!;
    expect(accepted.body).toContain('contrato D-1');

    w.clock.advance(1_000);
    expect(await dispatchDue(w.ctx, { providers: { sms: twilioSms } })).toMatchObject({ claimed: 1, sent: 1, recovered: 1 });
    expect(posts()).toHaveLength(1);
    expect(await sms('D')).toMatchObject({ status: 'sent', attempts: 2, providerMessageId: accepted.sid });
  });

  it('a listed message another row already recorded is not taken for this one', async () => {
    await w.day('2026-03-09');
    const dead = await workerDiesInTheCall(true);
    const accepted = twilio.messages.at(-1)!;
    expect(accepted.body).toContain('contrato E-1');
    // Another row claims that sid (as a row with the same text to the same phone would have).
    const e = await sms('E');
    const { id: _id, idempotencyKey, ...rest } = e;
    await w.database.db.insert(outboxMessages).values({ ...rest, idempotencyKey: `${idempotencyKey}:other`, status: 'sent', providerMessageId: accepted.sid });

    w.clock.advance(LEASE_MS + 1);
    expect(await dispatchDue(w.ctx, { providers: { sms: twilioSms } })).toMatchObject({ claimed: 1, sent: 1, recovered: 0 });
    expect(twilio.requests.map((r) => r.method)).toEqual(['POST', 'GET', 'POST']);
    const resent = twilio.messages.at(-1)!;
    expect(resent.sid).not.toBe(accepted.sid);
    expect(await sms('E')).toMatchObject({ status: 'sent', providerMessageId: resent.sid });
    dead.kill();
    await dead.finished;
  });

  it('a found message Twilio could not deliver fails the row and plans its fallback, as the callback would have', async () => {
    await w.day('2026-03-10');
    const dead = await workerDiesInTheCall(true);
    const accepted = twilio.messages.at(-1)!;
    expect(accepted.body).toContain('contrato F-1');
    accepted.status = 'undelivered';
    accepted.errorCode = 30003;

    w.clock.advance(LEASE_MS + 1);
    expect(await dispatchDue(w.ctx, { providers: { sms: twilioSms } })).toMatchObject({ claimed: 1, sent: 1, recovered: 1 });
    expect(posts()).toHaveLength(1);
    expect(await sms('F')).toMatchObject({ status: 'failed', providerMessageId: accepted.sid, lastError: '30003 unreachable destination handset' });
    const fallback = (await w.messages(ids.F)).find((m) => m.channel === 'email');
    expect(fallback).toMatchObject({ status: 'pending', fallbackOf: (await sms('F')).id });
    dead.kill();
    await dead.finished;
  });
});
