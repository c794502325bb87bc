/**
 * The running providers use the credentials a company saves (sealed at rest) before the environment's: an email
 * dispatched after saving SMTP settings reaches that SMTP server (and, after a change, the new one, without a
 * restart); a WhatsApp webhook is verified with the saved app secret; a Stripe checkout uses the saved key. Companies
 * that saved nothing keep the environment's providers.
 */
import { createHmac } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companyProvidersFromConfig, type CompanyProviders } from '../../src/cli/providers.ts';
import { paymentsRuntimeFromConfig } from '../../src/cli/payment-gateways.ts';
import { loadConfig } from '../../src/config.ts';
import { buildServer } from '../../src/http/server.ts';
import { dispatchAll } from '../../src/jobs/worker.ts';
import { createApiKey } from '../../src/modules/access/api-keys.ts';
import { setAutomationSettings } from '../../src/modules/messaging/index.ts';
import { fixedClock } from '../../src/modules/shared/clock.ts';
import type { Ctx } from '../../src/modules/shared/context.ts';
import { generateSecretsKey } from '../../src/modules/settings/index.ts';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp.ts';
import { startFakeStripe, type FakeStripe } from '../fakes/stripe.ts';
import { createTestCompany, createTestDatabase, type TestDatabase } from '../support/database.ts';
import { call } from './harness.ts';

const ENV_APP_SECRET = 'app-secret-from-the-environment';
const SAVED_APP_SECRET = 'app-secret-saved-in-settings-7f3e';

let database: TestDatabase;
let app: FastifyInstance;
let key: string;
let ctx: Ctx;
let otherCtx: Ctx;
let smtp: FakeSmtp;
let smtpWithAuth: FakeSmtp;
let stripe: FakeStripe;
let providers: CompanyProviders;
const clock = fixedClock('2026-03-16T17:00:00Z'); // Monday 11:00 in Mexico City
const secretsKey = generateSecretsKey();

beforeAll(async () => {
  database = await createTestDatabase();
  const acme = await createTestCompany(database, 'acme', 'MX');
  const other = await createTestCompany(database, 'other', 'MX');
  ctx = { database, clock, companyId: acme.id, actor: 'worker' };
  otherCtx = { database, clock, companyId: other.id, actor: 'worker' };
  key = (await createApiKey({ database, companyId: acme.id, name: 'admin' })).key;
  // What the templates need to identify the creditor.
  const sender = { creditor: { name: 'ACME', legal_id: 'ACM010101AB1', phone: '800 000 0000' }, payment_link: 'https://p.acme.test/{debtor}', portal_link: 'https://p.acme.test/{debtor}' };
  await setAutomationSettings(ctx, { sender });
  // The environment configures the sandbox for every channel, and a WhatsApp app secret for every company.
  app = buildServer({ database, clock, secretsKey, webRoot: false, webhooks: { secretsFor: () => ({ whatsappAppSecret: ENV_APP_SECRET }) } });
  await app.ready();
  providers = companyProvidersFromConfig(loadConfig({}), clock, secretsKey);
  [smtp, smtpWithAuth, stripe] = await Promise.all([
    startFakeSmtp(),
    startFakeSmtp({ auth: { user: 'cobranza', pass: 'smtp-password-9d41' } }),
    startFakeStripe({ secretKey: 'sk_test_saved_key_for_acme_5521', now: () => clock.now() }),
  ]);
  expect((await call(app, key, 'POST', '/debtors', { external_id: 'D-1', name: 'Lucía Pérez', country: 'MX', email: 'lucia@example.mx' })).statusCode).toBe(201);
  expect((await call(app, key, 'POST', '/obligations', { external_id: 'F-1', debtor_external_id: 'D-1', currency: 'MXN', amount: '1500.00', due_on: '2026-03-01' })).statusCode).toBe(201);
}, 120_000);

afterAll(async () => {
  await app?.close();
  await Promise.all([smtp?.close(), smtpWithAuth?.close(), stripe?.close()]);
  await database?.close();
});

async function queueEmail(idempotencyKey: string): Promise<void> {
  const res = await call(app, key, 'POST', '/debtors/D-1/messages', { channel: 'email', template: 'late_10_days', idempotency_key: idempotencyKey });
  expect(res.json(), res.body).toMatchObject({ status: 'queued' });
}

const dispatch = () => dispatchAll(ctx, { providers, limit: 20, budgetMs: Number.POSITIVE_INFINITY });

describe('email dispatch with the company’s saved SMTP settings', () => {
  it('uses the environment’s provider until SMTP is saved, then the saved server, then a changed one', async () => {
    expect((await providers(ctx)).email?.name).toBe('sandbox-email');

    const saved = await call(app, key, 'PUT', '/settings/providers/smtp', { host: '127.0.0.1', port: smtp.port, secure: false, from: 'Cobranza ACME <avisos@acme.test>' });
    expect(saved.statusCode, saved.body).toBe(200);
    await queueEmail('first');
    expect(await dispatch()).toMatchObject({ sent: 1, failed: 0, retried: 0 });
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]!.envelope).toEqual({ from: 'avisos@acme.test', to: ['lucia@example.mx'] });

    // A change (another server that wants the saved user and password) applies to the next dispatch.
    const changed = await call(app, key, 'PUT', '/settings/providers/smtp', {
      host: '127.0.0.1',
      port: smtpWithAuth.port,
      secure: false,
      user: 'cobranza',
      password: 'smtp-password-9d41',
      from: 'Cobranza ACME <avisos@acme.test>',
    });
    expect(changed.statusCode, changed.body).toBe(200);
    await queueEmail('second');
    expect(await dispatch()).toMatchObject({ sent: 1, failed: 0, retried: 0 });
    expect(smtpWithAuth.messages).toHaveLength(1);
    expect(smtp.messages).toHaveLength(1);
    // The provider is kept while the settings stay as they are, and the other company keeps the sandbox.
    expect((await providers(ctx)).email).toBe((await providers(ctx)).email);
    expect((await providers(otherCtx)).email?.name).toBe('sandbox-email');
  });

  it('an SMTP sender without an address is refused when saved', async () => {
    const res = await call(app, key, 'PUT', '/settings/providers/smtp', { host: '127.0.0.1', port: 25, from: 'Cobranza ACME' });
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toContainEqual({ path: 'from', reason: expect.stringContaining('email address') });
  });
});

describe('WhatsApp webhook with the saved app secret', () => {
  const raw =
    '{"object": "whatsapp_business_account", "entry": [{"id": "WABA", "changes": [{"field": "messages", "value": {"messaging_product": "whatsapp", ' +
    '"metadata": {"phone_number_id": "123"}, "statuses": [{"id": "wamid.unknown", "status": "delivered", "timestamp": "1773680400", "recipient_id": "525511110001"}]}}]}]}';
  const sign = (secret: string) => `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
  const post = (signature: string) =>
    app.inject({ method: 'POST', url: '/webhooks/whatsapp/acme', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, payload: raw });
  const handshake = (token: string) => app.inject({ method: 'GET', url: `/webhooks/whatsapp/acme?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=4242` });

  it('verifies with the environment’s secret until the company saves its own, then only with the saved one', async () => {
    expect((await post(sign(ENV_APP_SECRET))).statusCode).toBe(200);
    expect((await post(sign(SAVED_APP_SECRET))).statusCode).toBe(401);
    expect((await handshake('verify-token-acme')).statusCode).toBe(404);

    const saved = await call(app, key, 'PUT', '/settings/providers/whatsapp', { app_secret: SAVED_APP_SECRET, verify_token: 'verify-token-acme' });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.body).not.toContain(SAVED_APP_SECRET);

    const ok = await post(sign(SAVED_APP_SECRET));
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ events: 1 });
    expect((await post(sign(ENV_APP_SECRET))).statusCode).toBe(401);
    const answered = await handshake('verify-token-acme');
    expect(answered.statusCode).toBe(200);
    expect(answered.body).toBe('4242');
    // Sending still uses the sandbox: a webhook secret alone does not make a WhatsApp sender.
    expect((await providers(ctx)).whatsapp?.name).toBe('sandbox-whatsapp');

    // Removing the saved secret falls back to the environment's again.
    expect((await call(app, key, 'PUT', '/settings/providers/whatsapp', { app_secret: null, verify_token: null })).statusCode).toBe(200);
    expect((await post(sign(ENV_APP_SECRET))).statusCode).toBe(200);
  });
});

describe('payment gateways with the saved keys', () => {
  it('creates a Stripe checkout with the saved secret key; nothing saved and nothing in the environment → not configured', async () => {
    const runtime = paymentsRuntimeFromConfig(loadConfig({}), {}, { database, secretsKey });
    expect(await runtime.gateways.checkout('stripe', 'acme')).toBeNull();
    const saved = await call(app, key, 'PUT', '/settings/providers/stripe', { base_url: stripe.baseUrl, secret_key: stripe.secretKey });
    expect(saved.statusCode, saved.body).toBe(200);
    const gateway = await runtime.gateways.checkout('stripe', 'acme');
    expect(gateway).not.toBeNull();
    const session = await gateway!.createCheckout({
      linkId: 'pl_test_1',
      amount: 150_000n,
      currency: 'MXN',
      description: 'Saldo vencido',
      expiresAt: new Date(clock.now().getTime() + 3_600_000),
      returnUrl: null,
      notificationUrl: null,
      payerEmail: null,
    });
    expect(session.url).toMatch(/^https?:\/\//);
    expect(stripe.requests.at(-1)?.headers.authorization).toBe(`Bearer ${stripe.secretKey}`);
    expect(await runtime.gateways.checkout('stripe', 'other')).toBeNull();
    expect(await runtime.gateways.mercadoPagoPayments('acme')).toBeNull();
  });
});
