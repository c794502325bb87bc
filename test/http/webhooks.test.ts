/**
 * Provider webhooks over HTTP: WhatsApp (handshake; notifications signed over the raw body) and Twilio (status
 * callbacks and inbound SMS signed over the public URL and the parameters). A bad or missing signature is a 401 and
 * records nothing; a replayed webhook is recorded once; a malformed body is a 4xx, never a 500.
 */
import { createHmac } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consents, inboundMessages, messageEvents, outboxMessages } from '../../src/db/schema.ts';
import { buildServer } from '../../src/http/server.ts';
import { webhookConfigFromEnv, type WebhookConfig } from '../../src/http/webhook-config.ts';
import { dispatchDue, setAutomationSettings, type SendResult } from '../../src/modules/messaging/index.ts';
import { applyStrategy } from '../../src/modules/strategies/index.ts';
import { twilioSignature } from '../../src/providers/sms-twilio.ts';
import { createTestCompany } from '../support/database.ts';
import { createWorld, type World } from '../strategies/helpers.ts';

const APP_SECRET = 'meta-app-secret';
const VERIFY = 'verify-me';
const TOKEN = 'twilio-auth-token';
const BASE = 'https://cobranza.example.com';

const config: WebhookConfig = {
  secretsFor: (slug) => (slug === 'acme' ? { whatsappAppSecret: APP_SECRET, whatsappVerifyToken: VERIFY, twilioAuthToken: TOKEN } : {}),
  publicBaseUrl: BASE,
};

let w: World;
let app: FastifyInstance;
let hostApp: FastifyInstance;
let smsId = '';

beforeAll(async () => {
  w = await createWorld('MX', '2026-03-05T18:00:00Z');
  await createTestCompany(w.database, 'other', 'MX');
  await setAutomationSettings(w.ctx, { sender: { creditor: { name: 'Acme', legal_id: 'ACM010101AB1', phone: '800 000 0000' }, payment_link: 'https://p.acme.example/{debtor}' } });
  await applyStrategy(w.ctx, {
    source: 'name: s\nportfolio: default\nrules:\n  - phase: preventive\n    steps:\n      - { id: pre-5, trigger: -5, channel: sms, template: preventive_reminder }\n',
  });
  const a = await w.debtor('A', { phone: '+525511110001', whatsapp: '+525511110001' });
  await w.debtor('B', { phone: '+525511110002' });
  await w.obligation(a, 'A-1', '2026-03-10', 50_000n);
  await w.day('2026-03-05', '18:00:00Z');
  let n = 0;
  await dispatchDue(w.ctx, { providers: { sms: { name: 'loop', channel: 'sms', send: async (): Promise<SendResult> => ({ providerMessageId: `SM${++n}`, status: 'accepted' }) } } });
  smsId = (await w.messages(a))[0]!.providerMessageId!;
  app = buildServer({ database: w.database, clock: w.clock, webhooks: config });
  hostApp = buildServer({ database: w.database, clock: w.clock, webhooks: { secretsFor: config.secretsFor } });
  await Promise.all([app.ready(), hostApp.ready()]);
});

afterAll(async () => {
  await app?.close();
  await hostApp?.close();
  await w?.close();
});

const inboundCount = async () => (await w.database.db.select().from(inboundMessages).where(eq(inboundMessages.companyId, w.ctx.companyId))).length;
const eventCount = async () => (await w.database.db.select().from(messageEvents).where(eq(messageEvents.companyId, w.ctx.companyId))).length;

describe('WhatsApp handshake', () => {
  const get = (company: string, query: string) => app.inject({ method: 'GET', url: `/webhooks/whatsapp/${company}?${query}` });

  it('echoes the challenge when the verify token matches', async () => {
    const r = await get('acme', `hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=1158201444`);
    expect(r.statusCode).toBe(200);
    expect(r.body).toBe('1158201444');
    expect(r.headers['content-type']).toMatch(/text\/plain/);
  });

  it('refuses a wrong token, a request that is not a handshake, and companies without a token', async () => {
    expect((await get('acme', 'hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1')).statusCode).toBe(403);
    expect((await get('acme', 'hub.mode=subscribe')).statusCode).toBe(400);
    expect((await get('other', `hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=1`)).statusCode).toBe(404);
    const unknown = await get('nobody', `hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=1`);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('not_found');
  });
});

describe('WhatsApp notifications', () => {
  const sign = (raw: string, secret = APP_SECRET) => `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
  const post = (raw: string, signature: string | null, company = 'acme', type = 'application/json') =>
    app.inject({ method: 'POST', url: `/webhooks/whatsapp/${company}`, headers: { 'content-type': type, ...(signature !== null ? { 'x-hub-signature-256': signature } : {}) }, payload: raw });
  const notification = (id: string, text: string) =>
    // Spaces and key order as Meta sends them: the signature covers these exact bytes.
    `{"object": "whatsapp_business_account", "entry": [{"id": "WABA", "changes": [{"field": "messages", "value": {"messaging_product": "whatsapp", ` +
    `"metadata": {"phone_number_id": "123"}, "messages": [{"from": "525511110001", "id": "${id}", "timestamp": "1772733600", "type": "text", "text": {"body": ${JSON.stringify(text)}}}], ` +
    `"statuses": [{"id": "wamid.unknown", "status": "delivered", "timestamp": "1772733600", "recipient_id": "525511110001"}]}}]}]}`;

  it('records a signed notification, and a replay of it once', async () => {
    const raw = notification('wamid.IN1', 'Ya pagué');
    const first = await post(raw, sign(raw));
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ events: 2, recorded: 1 });
    const replay = await post(raw, sign(raw));
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toEqual({ events: 2, recorded: 0 });
    const rows = await w.database.db.select().from(inboundMessages).where(eq(inboundMessages.providerMessageId, 'wamid.IN1'));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ channel: 'whatsapp', provider: 'whatsapp-cloud', text: 'Ya pagué', fromAddress: '+525511110001' });
  });

  it('"BAJA" on WhatsApp opts the debtor out of WhatsApp', async () => {
    const raw = notification('wamid.IN2', 'BAJA');
    expect((await post(raw, sign(raw))).json()).toEqual({ events: 2, recorded: 1 });
    const [consent] = await w.database.db.select().from(consents).where(and(eq(consents.companyId, w.ctx.companyId), eq(consents.channel, 'whatsapp')));
    expect(consent!.optedOutAt).not.toBeNull();
  });

  it('a bad, missing or foreign signature is a 401 and records nothing', async () => {
    const before = await inboundCount();
    const raw = notification('wamid.BAD', 'hola');
    expect((await post(raw, sign(raw, 'wrong-secret'))).statusCode).toBe(401);
    expect((await post(raw, null)).statusCode).toBe(401);
    expect((await post(raw, 'sha256=zz')).statusCode).toBe(401);
    // Signed over other bytes (the body re-serialised): not the raw body.
    expect((await post(raw, sign(JSON.stringify(JSON.parse(raw))))).statusCode).toBe(401);
    const r = await post('', null);
    expect(r.statusCode).toBe(401);
    expect(r.json().code).toBe('unauthorized');
    expect(await inboundCount()).toBe(before);
  });

  it('a malformed body is a 4xx, never a 500', async () => {
    const before = await inboundCount();
    for (const raw of ['{"object": "whatsapp_business_account", "entry": [', '[]', '"x"', '{"object": "page"}', 'null']) {
      const r = await post(raw, sign(raw));
      expect(r.statusCode, raw).toBe(400);
    }
    // Valid envelope, junk items: acknowledged, nothing recorded.
    const junk = '{"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "messages", "value": {"messages": [{"id": 1}], "statuses": "x"}}]}]}';
    expect((await post(junk, sign(junk))).json()).toEqual({ events: 0, recorded: 0 });
    // A NUL inside the text (JSON \\u0000) is dropped, not a database error.
    const nul = notification('wamid.NUL', 'ho\u0000la');
    expect((await post(nul, sign(nul))).statusCode).toBe(200);
    expect(await inboundCount()).toBe(before + 1);
    expect((await post(notification('x', 'y'), sign(notification('x', 'y')), 'other')).statusCode).toBe(404);
    expect((await post('{}', sign('{}'), 'acme', 'text/plain')).statusCode).toBe(400);
  });
});

describe('Twilio webhooks', () => {
  const form = (params: Record<string, string>) => new URLSearchParams(params).toString();
  const post = (target: FastifyInstance, path: string, params: Record<string, string>, signature: string | null, headers: Record<string, string> = {}) =>
    target.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signature !== null ? { 'x-twilio-signature': signature } : {}), ...headers },
      payload: form(params),
    });

  it('records a signed status callback, and a replay of it once', async () => {
    const params = { MessageSid: smsId, MessageStatus: 'delivered', AccountSid: 'AC1', To: '+525511110001' };
    const sig = twilioSignature(`${BASE}/webhooks/twilio/acme/status`, params, TOKEN);
    const before = await eventCount();
    const r = await post(app, '/webhooks/twilio/acme/status', params, sig);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({ events: 1, recorded: 1 });
    expect((await post(app, '/webhooks/twilio/acme/status', params, sig)).json()).toEqual({ events: 1, recorded: 0 });
    expect(await eventCount()).toBe(before + 1);
    const [m] = await w.database.db.select().from(outboxMessages).where(eq(outboxMessages.providerMessageId, smsId));
    expect(m!.status).toBe('delivered');
  });

  it('acknowledges interim statuses without recording them', async () => {
    const params = { MessageSid: smsId, MessageStatus: 'queued' };
    const r = await post(app, '/webhooks/twilio/acme/status', params, twilioSignature(`${BASE}/webhooks/twilio/acme/status`, params, TOKEN));
    expect(r.json()).toEqual({ events: 0, recorded: 0 });
  });

  it('records a signed inbound SMS and answers empty TwiML', async () => {
    const params = { MessageSid: 'SMin1', From: '+525511110002', To: '+5255000', Body: 'STOP' };
    const r = await post(app, '/webhooks/twilio/acme/inbound', params, twilioSignature(`${BASE}/webhooks/twilio/acme/inbound`, params, TOKEN));
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toMatch(/text\/xml/);
    expect(r.body).toContain('<Response></Response>');
    const rows = await w.database.db.select().from(inboundMessages).where(eq(inboundMessages.providerMessageId, 'SMin1'));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.provider).toBe('twilio');
  });

  it('without a public URL, checks the signature against the request Host', async () => {
    const params = { MessageSid: 'SMin2', From: '+525511110002', Body: 'hola' };
    const sig = twilioSignature('http://hooks.example.org/webhooks/twilio/acme/inbound', params, TOKEN);
    expect((await post(hostApp, '/webhooks/twilio/acme/inbound', params, sig, { host: 'hooks.example.org' })).statusCode).toBe(200);
    expect((await post(hostApp, '/webhooks/twilio/acme/inbound', { ...params, MessageSid: 'SMin3' }, sig, { host: 'evil.example.org' })).statusCode).toBe(401);
  });

  it('a bad or missing signature is a 401 and records nothing', async () => {
    const before = [await inboundCount(), await eventCount()];
    const status = { MessageSid: smsId, MessageStatus: 'read' };
    const inbound = { MessageSid: 'SMbad', From: '+525511110002', Body: 'hola' };
    expect((await post(app, '/webhooks/twilio/acme/status', status, twilioSignature(`${BASE}/webhooks/twilio/acme/status`, status, 'wrong'))).statusCode).toBe(401);
    expect((await post(app, '/webhooks/twilio/acme/status', status, null)).statusCode).toBe(401);
    // Signed for the other endpoint: the URL is part of the signature.
    expect((await post(app, '/webhooks/twilio/acme/inbound', inbound, twilioSignature(`${BASE}/webhooks/twilio/acme/status`, inbound, TOKEN))).statusCode).toBe(401);
    // A parameter changed after signing.
    expect((await post(app, '/webhooks/twilio/acme/inbound', { ...inbound, Body: 'otro' }, twilioSignature(`${BASE}/webhooks/twilio/acme/inbound`, inbound, TOKEN))).statusCode).toBe(401);
    expect([await inboundCount(), await eventCount()]).toEqual(before);
  });

  it('a malformed request is a 4xx, never a 500', async () => {
    const signed = (path: string, params: Record<string, string>) => post(app, path, params, twilioSignature(`${BASE}${path}`, params, TOKEN));
    expect((await signed('/webhooks/twilio/acme/status', { MessageStatus: 'delivered' })).statusCode).toBe(400);
    expect((await signed('/webhooks/twilio/acme/status', { MessageSid: 'SMx' })).statusCode).toBe(400);
    expect((await signed('/webhooks/twilio/acme/inbound', { MessageSid: 'SMx' })).statusCode).toBe(400);
    const json = await app.inject({ method: 'POST', url: '/webhooks/twilio/acme/status', headers: { 'content-type': 'application/json' }, payload: '{}' });
    expect(json.statusCode).toBe(415);
    expect((await post(app, '/webhooks/twilio/other/status', { MessageSid: 'x' }, 'sig')).statusCode).toBe(404);
    expect((await post(app, '/webhooks/twilio/acme/nope', { MessageSid: 'x' }, 'sig')).statusCode).toBe(404);
  });
});

describe('webhook configuration from the environment', () => {
  it('reads per-company secrets before the shared ones', () => {
    const c = webhookConfigFromEnv({ TWILIO_AUTH_TOKEN: 'shared', TWILIO_AUTH_TOKEN__ACME_MX: 'own', COBRANZA_PUBLIC_URL: 'https://x.example/' });
    expect(c.secretsFor('acme-mx').twilioAuthToken).toBe('own');
    expect(c.secretsFor('other').twilioAuthToken).toBe('shared');
    expect(c.secretsFor('other').whatsappAppSecret).toBeUndefined();
    expect(c.publicBaseUrl).toBe('https://x.example');
  });
});
