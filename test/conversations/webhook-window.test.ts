/**
 * The conversation behind Meta's signed webhook: a debtor's WhatsApp message is answered once however often the
 * webhook is replayed; nothing free-form leaves outside the 24-hour window (a message delivered late, a reply held up
 * past the window); and the answer reaches the Cloud API as a `type: text` message in its documented shape.
 */
import { createHmac } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactDecisions, inboundMessages, outboxMessages } from '../../src/db/schema.ts';
import { conversationTurns } from '../../src/db/tables/conversations.ts';
import { buildServer } from '../../src/http/server.ts';
import { createApiKey } from '../../src/modules/access/api-keys.ts';
import type { WebhookConfig } from '../../src/http/webhook-config.ts';
import { expireConversations, listConversations, receiveProviderEvent } from '../../src/modules/conversations/index.ts';
import { dispatchDue } from '../../src/modules/messaging/index.ts';
import { createWhatsAppCloudProvider } from '../../src/providers/whatsapp-cloud.ts';
import { startFakeMetaGraph, type FakeMetaGraph } from '../fakes/meta-graph.ts';
import { createChat, type Chat } from './helpers.ts';

const APP_SECRET = 'meta-app-secret';
const config: WebhookConfig = { secretsFor: (slug) => (slug === 'acme' ? { whatsappAppSecret: APP_SECRET, whatsappVerifyToken: 'v' } : {}), publicBaseUrl: 'https://cobranza.example.com' };

let chat: Chat;
let app: FastifyInstance;
let graph: FakeMetaGraph;
const ids: Record<string, number> = {};

beforeAll(async () => {
  chat = await createChat('2026-11-24T18:00:00Z');
  ids.W = await chat.debtor('W', '+5215520000001');
  ids.LATE = await chat.debtor('LATE', '+5215520000002');
  ids.SLOW = await chat.debtor('SLOW', '+5215520000003');
  ids.WIRE = await chat.debtor('WIRE', '+5215520000004');
  app = buildServer({ database: chat.database, clock: chat.clock, webhooks: config });
  await app.ready();
  graph = await startFakeMetaGraph();
}, 60_000);

afterAll(async () => {
  await app?.close();
  await graph?.close();
  await chat?.close();
});

function notification(from: string, id: string, text: string, at: Date) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
              contacts: [{ profile: { name: 'Juan' }, wa_id: from }],
              messages: [{ from, id, timestamp: String(Math.floor(at.getTime() / 1000)), type: 'text', text: { body: text } }],
            },
          },
        ],
      },
    ],
  };
}

async function post(body: unknown) {
  const raw = JSON.stringify(body);
  const signature = `sha256=${createHmac('sha256', APP_SECRET).update(raw).digest('hex')}`;
  return app.inject({ method: 'POST', url: '/webhooks/whatsapp/acme', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, payload: raw });
}

describe('the signed webhook', () => {
  it('answers a debtor message once, however often Meta delivers it', async () => {
    const body = notification('5215520000001', 'wamid.W1', 'saldo', chat.clock.now());
    const first = await post(body);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ events: 1, recorded: 1 });
    const replay = await post(body);
    expect(replay.json()).toEqual({ events: 1, recorded: 0 });

    const replies = await chat.replies(ids.W!);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ recipient: '+5215520000001', status: 'pending', idempotencyKey: `conversation:reply:${(await chat.inbound(ids.W!))[0]!.id}` });
    expect(String(replies[0]!.variables.text)).toContain('Su saldo con Acme Crédito');
    expect(await chat.turns(ids.W!)).toHaveLength(1);
    expect((await chat.inbound(ids.W!))[0]!.handledAt).not.toBeNull();

    await dispatchDue(chat.ctx, { providers: chat.providers });
    expect(chat.whatsapp.sent().filter((r) => r.message.to === '+5215520000001')).toHaveLength(1);
  });

  it('a bad signature records and answers nothing', async () => {
    const raw = JSON.stringify(notification('5215520000001', 'wamid.W2', 'hola', chat.clock.now()));
    const r = await app.inject({ method: 'POST', url: '/webhooks/whatsapp/acme', headers: { 'content-type': 'application/json', 'x-hub-signature-256': 'sha256=' + '0'.repeat(64) }, payload: raw });
    expect(r.statusCode).toBe(401);
    expect(await chat.turns(ids.W!)).toHaveLength(1);
  });
});

describe('the 24-hour window', () => {
  it('a message delivered after its window closed gets no free-form reply and waits for a person', async () => {
    const sentAt = new Date(chat.clock.now().getTime() - 25 * 3600_000);
    const r = await receiveProviderEvent(chat.ctx, { provider: 'whatsapp-cloud', event: { kind: 'message', channel: 'whatsapp', providerMessageId: 'wamid.LATE', from: '+5215520000002', text: 'pago el viernes $1000', at: sentAt } });
    expect(r).toMatchObject({ recorded: true, conversation: { kind: 'skipped', reason: 'window_closed' } });
    expect(await chat.replies(ids.LATE!)).toEqual([]);
    expect((await chat.inbound(ids.LATE!))[0]!.handledAt).toBeNull();
  });

  it('a reply still waiting when the window closes is refused at dispatch, never sent', async () => {
    const r = await receiveProviderEvent(chat.ctx, { provider: 'whatsapp-cloud', event: { kind: 'message', channel: 'whatsapp', providerMessageId: 'wamid.SLOW', from: '+5215520000003', text: 'hola', at: chat.clock.now() } });
    expect(r.conversation).toMatchObject({ kind: 'answered', handled: true });
    const before = chat.whatsapp.sent().length;
    chat.clock.advance(24 * 3600_000); // the outage ends exactly when the window closes
    const summary = await dispatchDue(chat.ctx, { providers: chat.providers });
    expect(summary).toMatchObject({ refused: 1, sent: 0 });
    expect(chat.whatsapp.sent().length).toBe(before);
    const [row] = await chat.replies(ids.SLOW!);
    expect(row).toMatchObject({ status: 'refused', gateRule: 'whatsapp.window_closed' });
    const decisions = await chat.database.db.select().from(contactDecisions).where(and(eq(contactDecisions.debtorId, ids.SLOW!), eq(contactDecisions.allowed, false)));
    expect(decisions.map((d) => d.rule)).toEqual(['whatsapp.window_closed']);
    chat.clock.advance(-24 * 3600_000);
  });
});

describe('the Cloud API wire format', () => {
  it('sends the answer as a documented type:text message', async () => {
    await receiveProviderEvent(chat.ctx, { provider: 'whatsapp-cloud', event: { kind: 'message', channel: 'whatsapp', providerMessageId: 'wamid.WIRE', from: '+5215520000004', text: 'cuánto debo', at: chat.clock.now() } });
    const cloud = createWhatsAppCloudProvider({ baseUrl: graph.baseUrl, apiVersion: graph.apiVersion, phoneNumberId: graph.phoneNumberId, accessToken: graph.accessToken, timeoutMs: 5000 });
    const summary = await dispatchDue(chat.ctx, { providers: { whatsapp: cloud } });
    expect(summary.sent).toBe(1);
    const request = graph.requests.at(-1)!;
    expect(request.path).toBe(`/${graph.apiVersion}/${graph.phoneNumberId}/messages`);
    const [row] = await chat.replies(ids.WIRE!);
    expect(request.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '+5215520000004',
      biz_opaque_callback_data: row!.idempotencyKey,
      type: 'text',
      text: { body: row!.variables.text, preview_url: false },
    });
    expect(String((request.body as { text: { body: string } }).text.body)).toContain('$5,000.00 MXN');
    const [sent] = await chat.database.db.select().from(outboxMessages).where(eq(outboxMessages.id, row!.id));
    expect(sent).toMatchObject({ status: 'sent', provider: 'whatsapp-cloud' });
    expect(await chat.database.db.select().from(conversationTurns).where(eq(conversationTurns.outboxMessageId, row!.id))).toHaveLength(1);
    expect((await chat.database.db.select().from(inboundMessages).where(eq(inboundMessages.providerMessageId, 'wamid.WIRE')))[0]!.handledAt).not.toBeNull();
  });
});

describe('GET /debtors/:external_id/conversations', () => {
  it('shows each message with what it was understood as and the answer queued; an unknown debtor is a 404', async () => {
    const { key } = await createApiKey({ database: chat.database, companyId: chat.ctx.companyId, name: 'reader', role: 'admin' });
    const r = await app.inject({ method: 'GET', url: '/debtors/W/conversations', headers: { authorization: `Bearer ${key}` } });
    expect(r.statusCode).toBe(200);
    const body = r.json() as { data: Array<{ status: string; step: string; turns: Array<{ intent: string; reply: string; handled: boolean }> }> };
    expect(body.data).toHaveLength(1);
    expect(body.data[0]).toMatchObject({ status: 'active', step: 'menu' });
    expect(body.data[0]!.turns).toEqual([expect.objectContaining({ intent: 'balance', handled: true, reply: expect.stringContaining('Su saldo con Acme Crédito') })]);
    const missing = await app.inject({ method: 'GET', url: '/debtors/NOPE/conversations', headers: { authorization: `Bearer ${key}` } });
    expect(missing.statusCode).toBe(404);
  });
});

describe('stale conversations', () => {
  it('expire a day after the last message; the next message starts afresh with the greeting', async () => {
    const start = chat.clock.now();
    chat.clock.advance(24 * 3600_000 + 1000);
    try {
      // W's conversation (last message at the start) is stale now; the sweep closes it and the others like it.
      expect(await expireConversations(chat.ctx)).toBeGreaterThanOrEqual(1);
      expect(await expireConversations(chat.ctx)).toBe(0);
      const r = await receiveProviderEvent(chat.ctx, { provider: 'whatsapp-cloud', event: { kind: 'message', channel: 'whatsapp', providerMessageId: 'wamid.W3', from: '+5215520000001', text: 'hola', at: chat.clock.now() } });
      expect(r.conversation).toMatchObject({ kind: 'answered', step: 'menu' });
      const list = await listConversations(chat.ctx, { debtorExternalId: 'W' });
      expect(list.map((c) => c.status)).toEqual(['active', 'expired']);
      expect(list[0]!.turns[0]!.reply).toContain('Hola, Juan. Soy el asistente virtual');
    } finally {
      chat.clock.set(start);
    }
  });
});
