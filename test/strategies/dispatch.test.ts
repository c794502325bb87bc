/**
 * Dispatch with fake providers implementing the messaging port: retries with backoff (and the provider's
 * Retry-After), then failure and the fallback channel; a crash between claim and send recovered after the lease with
 * the message sent exactly once; the gate re-checked at send time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { contactDecisions, outboxMessages } from '../../src/db/schema.ts';
import { addHold } from '../../src/modules/collection-runs/index.ts';
import {
  complianceReport,
  debtorTimeline,
  dispatchDue,
  ProviderError,
  setAutomationSettings,
  type Channel,
  type ChannelProvider,
  type OutboundMessage,
  type SendResult,
} from '../../src/modules/messaging/index.ts';
import { applyStrategy } from '../../src/modules/strategies/index.ts';
import { createWorld, type World } from './helpers.ts';

const STRATEGY = `
name: recordatorio
portfolio: default
max_attempts: 3
rules:
  - phase: preventive
    steps:
      - { id: pre-5, trigger: -5, channel: sms, template: preventive_reminder, fallback: email }
`;

interface FakeProvider extends ChannelProvider {
  calls: OutboundMessage[];
}

/** A provider that answers each call with the next behaviour (the last one repeats). */
function fake(channel: Channel, behaviours: Array<(m: OutboundMessage) => Promise<SendResult>>): FakeProvider {
  const calls: OutboundMessage[] = [];
  return {
    name: `fake-${channel}`,
    channel,
    calls,
    async send(message) {
      calls.push(message);
      const b = behaviours[Math.min(calls.length - 1, behaviours.length - 1)]!;
      return b(message);
    },
  } as FakeProvider;
}

const ok = async (m: OutboundMessage): Promise<SendResult> => ({ providerMessageId: `id-${m.idempotencyKey}`, status: 'accepted' });

let w: World;
const ids: Record<string, number> = {};

beforeAll(async () => {
  w = await createWorld('MX', '2026-03-01T13:00:00Z');
  await setAutomationSettings(w.ctx, {
    sender: {
      creditor: { name: 'Financiera Acme', legal_id: 'FAC010101AB1', phone: '800 123 4567' },
      email_from: 'Financiera Acme <cobranza@acme.example>',
      payment_link: 'https://pagos.acme.example/p/{debtor}',
      portal_link: 'https://portal.acme.example/{debtor}',
    },
  });
  await applyStrategy(w.ctx, { source: STRATEGY });
  for (const name of ['R', 'K', 'H']) ids[name] = await w.debtor(name, { name: `<b>Ana</b> ${name} Pérez` });
  await w.obligation(ids.R!, 'R-1', '2026-03-10', 125_050n);
  await w.obligation(ids.K!, 'K-1', '2026-03-11', 100_000n);
  await w.obligation(ids.H!, 'H-1', '2026-03-12', 100_000n);
});

afterAll(async () => {
  await w?.close();
});

async function row(debtor: string, channel = 'sms') {
  return (await w.messages(ids[debtor])).find((m) => m.channel === channel)!;
}

describe('dispatch', () => {
  it('retries a retryable error with backoff, honours Retry-After, then fails over to the fallback channel', async () => {
    await w.day('2026-03-05');
    const t0 = w.clock.now().getTime();
    const sms = fake('sms', [
      async () => {
        throw new ProviderError('429 Too Many Requests', { retryable: true, retryAfterMs: 60_000 });
      },
      async () => {
        throw new ProviderError('500 Internal Server Error', { retryable: true });
      },
    ]);
    const email = fake('email', [ok]);
    const options = { providers: { sms, email }, backoffMs: 1_000 };

    expect(await dispatchDue(w.ctx, options)).toMatchObject({ claimed: 1, retried: 1 });
    let r = await row('R');
    expect(r).toMatchObject({ status: 'pending', attempts: 1, lastError: '429 Too Many Requests', provider: 'fake-sms' });
    expect(r.nextAttemptAt.getTime()).toBe(t0 + 60_000); // Retry-After beats the 1 s backoff
    expect(await dispatchDue(w.ctx, options)).toMatchObject({ claimed: 0 }); // not due yet

    w.clock.advance(60_000);
    expect(await dispatchDue(w.ctx, options)).toMatchObject({ claimed: 1, retried: 1 });
    r = await row('R');
    expect(r).toMatchObject({ status: 'pending', attempts: 2 });
    expect(r.nextAttemptAt.getTime()).toBe(t0 + 60_000 + 2_000); // 1 s × 2^(2−1)

    w.clock.advance(2_000);
    expect(await dispatchDue(w.ctx, options)).toMatchObject({ claimed: 1, failed: 1, fallbacks: 1, sent: 0 });
    r = await row('R');
    expect(r).toMatchObject({ status: 'failed', attempts: 3 });
    expect(r.lastError).toMatch(/fake-sms: 500/);
    expect(sms.calls.map((c) => c.idempotencyKey)).toEqual([r.idempotencyKey, r.idempotencyKey, r.idempotencyKey]);

    // The fallback email has its own key and goes out on the next pass.
    expect(await dispatchDue(w.ctx, options)).toMatchObject({ claimed: 1, sent: 1 });
    const e = await row('R', 'email');
    expect(e).toMatchObject({ status: 'sent', fallbackOf: r.id, provider: 'fake-email', providerMessageId: `id-${r.idempotencyKey}:fallback:email`, attempts: 1 });
    expect(email.calls).toHaveLength(1);
    const sent = email.calls[0]!;
    if (sent.channel !== 'email') throw new Error('expected an email');
    expect(sent.to).toBe('r@example.com');
    expect(sent.from).toBe('Financiera Acme <cobranza@acme.example>');
    expect(sent.subject).toBe('Financiera Acme: su pago vence el 10 de marzo de 2026');
    expect(sent.html).toContain('Hola, &lt;b&gt;Ana&lt;/b&gt;:'); // values are escaped in HTML
    expect(sent.html).not.toContain('<b>Ana</b>');
    expect(sent.text).toContain('https://pagos.acme.example/p/R');
    expect(sent.text).toMatch(/1,250\.50/);
  });

  it('logs the gate decision of every message sent', async () => {
    const e = await row('R', 'email');
    const decisions = await w.database.db.select().from(contactDecisions).where(eq(contactDecisions.outboxMessageId, e.id));
    expect(decisions.map((d) => [d.stage, d.allowed, d.rule])).toEqual([
      ['dispatch', true, 'allowed'], // when the fallback was written
      ['dispatch', true, 'allowed'], // when it was sent
    ]);
  });

  it('recovers a row left in "sending" by a crash after the lease, and sends it exactly once', async () => {
    await w.day('2026-03-06');
    let crash: ((e: Error) => void) | null = null;
    const dying: ChannelProvider = {
      name: 'dying-sms',
      channel: 'sms',
      // The worker hangs inside the provider call (its lease was renewed just before): the promise never settles on
      // its own, as if the process had died there.
      send: () => new Promise<SendResult>((_, reject) => (crash = reject)),
    };
    const first = dispatchDue(w.ctx, { providers: { sms: dying }, leaseMs: 300_000 });
    // Wait for the provider call itself, not only the claim: the lease is renewed between the two, and moving the
    // clock before that renewal would lease the row again from the moved clock.
    for (let i = 0; i < 500 && !crash; i++) await new Promise((r) => setTimeout(r, 10));
    expect(crash).not.toBeNull();
    expect(await row('K')).toMatchObject({ status: 'sending', attempts: 1 });

    const good = fake('sms', [ok]);
    expect(await dispatchDue(w.ctx, { providers: { sms: good } })).toMatchObject({ claimed: 0 }); // still leased
    w.clock.advance(300_001);
    expect(await dispatchDue(w.ctx, { providers: { sms: good } })).toMatchObject({ claimed: 1, sent: 1 });
    expect(good.calls).toHaveLength(1);
    const k = await row('K');
    expect(k).toMatchObject({ status: 'sent', attempts: 2, provider: 'fake-sms' });
    expect(good.calls[0]!.idempotencyKey).toBe(k.idempotencyKey);

    // The dead worker's late answer changes nothing: its claim is gone.
    crash!(new Error('worker killed'));
    expect(await first).toMatchObject({ claimed: 1, lost: 1, sent: 0, retried: 0 });
    expect(await row('K')).toMatchObject({ status: 'sent', attempts: 2 });
    expect(await dispatchDue(w.ctx, { providers: { sms: good } })).toMatchObject({ claimed: 0 });
    expect(good.calls).toHaveLength(1);
  });

  it('re-checks the gate at send time: a hold placed after planning refuses the message and its fallback', async () => {
    await w.day('2026-03-07');
    expect(await row('H')).toMatchObject({ status: 'pending', gateRule: 'allowed' });
    await addHold(w.ctx, { debtorExternalId: 'H', reason: 'dispute' });
    const sms = fake('sms', [ok]);
    const email = fake('email', [ok]);
    expect(await dispatchDue(w.ctx, { providers: { sms, email } })).toMatchObject({ claimed: 1, refused: 1, fallbacks: 1, sent: 0 });
    expect(sms.calls).toHaveLength(0);
    expect(await row('H')).toMatchObject({ status: 'refused', gateRule: 'hold.dispute', attempts: 1 });
    expect(await row('H', 'email')).toMatchObject({ status: 'refused', gateRule: 'hold.dispute' });
    const decisions = await w.database.db.select().from(contactDecisions).where(eq(contactDecisions.debtorId, ids.H!));
    expect(decisions.map((d) => [d.stage, d.channel, d.allowed, d.rule])).toEqual([
      ['plan', 'sms', true, 'allowed'],
      ['dispatch', 'sms', false, 'hold.dispute'],
      ['dispatch', 'email', false, 'hold.dispute'],
    ]);
    expect(await dispatchDue(w.ctx, { providers: { sms, email } })).toMatchObject({ claimed: 0 });
  });

  it("puts it all on the debtor's timeline and in the compliance report", async () => {
    const timeline = await debtorTimeline(w.ctx, { debtorExternalId: 'H', language: 'es' });
    expect(timeline.map((e) => [e.kind, e.channel])).toEqual([
      ['phase', null],
      ['hold', null],
      ['message', 'sms'],
      ['refusal', 'sms'],
      ['message', 'email'],
      ['refusal', 'email'],
    ]);
    expect(timeline.find((e) => e.kind === 'refusal')!.summary).toMatch(/^Contacto por sms no permitido \(hold\.dispute\): La cuenta tiene una suspensión/);
    expect(timeline.find((e) => e.kind === 'message')!.summary).toBe('Mensaje por sms (preventive_reminder): rechazado por cumplimiento');
    // The gate logged why as data: an English reader reads it in English, with the same facts.
    const english = (await debtorTimeline(w.ctx, { debtorExternalId: 'H', language: 'en' })).filter((e) => e.kind === 'refusal');
    expect(english.map((e) => e.summary)).toEqual([
      'Contact by sms not allowed (hold.dispute): The account is on hold because of a dispute raised by the debtor; collection contact is suspended while the hold is active.',
      'Contact by email not allowed (hold.dispute): The account is on hold because of a dispute raised by the debtor; collection contact is suspended while the hold is active.',
    ]);
    expect(english[0]!.details).toMatchObject({ rule: 'hold.dispute', reason_code: 'hold', reason: expect.stringMatching(/^The account is on hold/) });
    expect(timeline.find((e) => e.kind === 'refusal')!.details).toMatchObject({ reason_code: 'hold', reason: expect.stringMatching(/^La cuenta tiene una suspensión por una disputa/) });
    // A refused message keeps why as data too (the one refused at dispatch and its fallback): its error is read in the
    // reader's language; one stored as a Spanish sentence before is shown as it was.
    const errors = async (language: 'en' | 'es') =>
      (await debtorTimeline(w.ctx, { debtorExternalId: 'H', language })).filter((e) => e.kind === 'message').map((e) => [e.channel, e.details.error_code, e.details.error]);
    expect(await errors('en')).toEqual([
      ['sms', 'hold', expect.stringMatching(/^The account is on hold because of a dispute raised by the debtor;/)],
      ['email', 'hold', expect.stringMatching(/^The account is on hold because of a dispute raised by the debtor;/)],
    ]);
    expect(await errors('es')).toEqual([
      ['sms', 'hold', expect.stringMatching(/^La cuenta tiene una suspensión por una disputa/)],
      ['email', 'hold', expect.stringMatching(/^La cuenta tiene una suspensión por una disputa/)],
    ]);
    const sms = await row('H');
    const old = 'La cuenta tiene una suspensión por una disputa o reclamo del deudor; el contacto de cobranza queda suspendido mientras siga activa.';
    await w.database.db.update(outboxMessages).set({ lastError: old }).where(eq(outboxMessages.id, sms.id));
    expect((await errors('en'))[0]).toEqual(['sms', null, old]);
    await w.database.db.update(outboxMessages).set({ lastError: sms.lastError }).where(eq(outboxMessages.id, sms.id));

    const rows = [];
    for await (const r of complianceReport(w.ctx, { from: '2026-03-05', to: '2026-03-07', pageSize: 2 })) rows.push(r);
    const all = await w.database.db.select().from(contactDecisions);
    expect(rows).toHaveLength(all.length);
    expect(rows.filter((r) => r.debtor === 'H').map((r) => [r.stage, r.channel, r.allowed, r.rule, r.ruleSet])).toEqual([
      ['plan', 'sms', true, 'allowed', 'MX'],
      ['dispatch', 'sms', false, 'hold.dispute', 'MX'],
      ['dispatch', 'email', false, 'hold.dispute', 'MX'],
    ]);
    const only6 = [];
    for await (const r of complianceReport(w.ctx, { from: '2026-03-06', to: '2026-03-06' })) only6.push(r);
    expect(only6.map((r) => r.debtor)).toEqual(['K', 'K']);
    // Reasons logged as data are written out in the report's language: Spanish unless asked, or English.
    expect(rows.find((r) => r.debtor === 'H' && !r.allowed)).toMatchObject({ reasonCode: 'hold', reason: expect.stringMatching(/^La cuenta tiene una suspensión por una disputa o reclamo del deudor; /) });
    const inEnglish = [];
    for await (const r of complianceReport(w.ctx, { from: '2026-03-05', to: '2026-03-07', language: 'en' })) inEnglish.push(r);
    expect(inEnglish.map((r) => [r.id, r.rule, r.reasonCode])).toEqual(rows.map((r) => [r.id, r.rule, r.reasonCode]));
    expect(inEnglish.find((r) => r.debtor === 'H' && !r.allowed)!.reason).toMatch(/^The account is on hold because of a dispute raised by the debtor; /);
  });

  it('shows a refusal logged before reasons were data with the Spanish sentence it was logged with', async () => {
    const sentence = 'Fuera del horario permitido para contactar por SMS en México: el sábado solo de 09:00 a 14:00 (hora local del deudor).';
    const [old] = await w.database.db
      .insert(contactDecisions)
      .values({ companyId: w.ctx.companyId, debtorId: ids.H!, channel: 'sms', at: w.clock.now(), stage: 'plan', allowed: false, rule: 'hours.MX.time', reason: sentence, ruleSet: 'MX' })
      .returning();
    for (const language of ['en', 'es'] as const) {
      const entry = (await debtorTimeline(w.ctx, { debtorExternalId: 'H', language })).find((e) => e.kind === 'refusal' && e.ref === old!.id)!;
      expect(entry.details).toMatchObject({ reason: sentence, reason_code: null });
      expect(entry.summary.endsWith(`(hours.MX.time): ${sentence}`), entry.summary).toBe(true);
    }
    const rows = [];
    for await (const r of complianceReport(w.ctx, { from: '2026-03-07', to: '2026-03-07' })) rows.push(r);
    expect(rows.find((r) => r.id === old!.id)).toMatchObject({ reason: sentence, reasonCode: null });
    for await (const r of complianceReport(w.ctx, { from: '2026-03-07', to: '2026-03-07', language: 'en' })) if (r.id === old!.id) expect(r.reason).toBe(sentence);
    await w.database.db.delete(contactDecisions).where(eq(contactDecisions.id, old!.id));
  });

  it('leaves channels without a provider waiting', async () => {
    const [m] = await w.database.db
      .insert(outboxMessages)
      .values({
        companyId: w.ctx.companyId,
        debtorId: ids.R!,
        channel: 'letter',
        templateKey: 'final_notice_before_extrajudicial',
        idempotencyKey: 'manual:letter:1',
        cause: 'manual',
        causeDate: '2026-03-07',
        recipient: 'Ana',
        scheduledFor: w.clock.now(),
        nextAttemptAt: w.clock.now(),
      })
      .returning();
    expect(await dispatchDue(w.ctx, { providers: { sms: fake('sms', [ok]) } })).toMatchObject({ claimed: 0 });
    expect((await w.database.db.select().from(outboxMessages).where(eq(outboxMessages.id, m!.id)))[0]!.status).toBe('pending');
  });
  it('does not call the provider once its lease has run out: a slow worker cannot send what another reclaimed', async () => {
    ids.L = await w.debtor('L', { name: 'Luisa L Pérez' });
    await w.obligation(ids.L, 'L-1', '2026-03-14', 100_000n);
    await w.day('2026-03-09');
    expect(await row('L')).toMatchObject({ status: 'pending' });
    const base = w.clock.now().getTime();
    let calls = 0;
    // The claim is taken at `base`; everything after it happens once the 1-second lease is over.
    const slowClock = { now: () => new Date(base + (calls++ === 0 ? 0 : 1_001)) };
    const slow = fake('sms', [ok]);
    const summary = await dispatchDue({ ...w.ctx, clock: slowClock }, { providers: { sms: slow }, leaseMs: 1_000 });
    expect(summary).toMatchObject({ claimed: 1, sent: 0, lost: 1 });
    expect(slow.calls).toHaveLength(0);
    expect(await row('L')).toMatchObject({ status: 'sending', attempts: 1 });

    // Another worker takes the row over after the lease and sends it exactly once.
    w.clock.advance(1_001);
    const good = fake('sms', [ok]);
    expect(await dispatchDue(w.ctx, { providers: { sms: good }, leaseMs: 1_000 })).toMatchObject({ claimed: 1, sent: 1 });
    expect(good.calls).toHaveLength(1);
    expect(await row('L')).toMatchObject({ status: 'sent', attempts: 2 });
  });
});
