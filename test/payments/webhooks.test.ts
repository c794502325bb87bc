/**
 * Payment webhooks over HTTP, with links created through the real adapters against loopback Stripe and Mercado Pago
 * servers: a valid event applies one payment; a bad signature is a 401 that applies nothing; a replay applies once; an
 * amount or currency that differs from the link is refused and raised as an alert.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaymentLink, listPaymentAlerts, type PaymentLink } from '../../src/modules/payments/index.ts';
import { createMercadoPagoGateway, mercadoPagoSignatureHeader } from '../../src/providers/pay-mercadopago.ts';
import { createStripeGateway, stripeSignatureHeader } from '../../src/providers/pay-stripe.ts';
import { startFakeMercadoPago, type FakeMercadoPago } from '../fakes/mercadopago.ts';
import { startFakeStripe, type FakeStripe } from '../fakes/stripe.ts';
import { createPaymentsWorld, MP_WEBHOOK_SECRET, STRIPE_WEBHOOK_SECRET, type PaymentsWorld } from './helpers.ts';

let w: PaymentsWorld;
let stripe: FakeStripe;
let mp: FakeMercadoPago;
let debtorId = 0;
let obligationId = 0;
const NOW = '2026-03-15T18:00:00Z';

beforeAll(async () => {
  const now = () => new Date(NOW);
  stripe = await startFakeStripe({ now });
  mp = await startFakeMercadoPago();
  const stripeGateway = createStripeGateway({ secretKey: stripe.secretKey, baseUrl: stripe.baseUrl, timeoutMs: 5000 });
  const mpGateway = createMercadoPagoGateway({ accessToken: mp.accessToken, baseUrl: mp.baseUrl, timeoutMs: 5000 });
  w = await createPaymentsWorld({
    now: NOW,
    gateways: { checkout: (provider, slug) => (slug !== 'acme' ? null : provider === 'stripe' ? stripeGateway : mpGateway), mercadoPagoPayments: (slug) => (slug === 'acme' ? mpGateway : null) },
  });
  debtorId = await w.debtor('ANA', { email: 'ana@example.com' });
  obligationId = await w.obligation('ANA', 'A-1', '2026-02-01', '1000.00');
});

afterAll(async () => {
  await w?.close();
  await stripe?.close();
  await mp?.close();
});

const link = (provider: 'stripe' | 'mercadopago', amount: bigint, key: string): Promise<PaymentLink> =>
  createPaymentLink(w.ctx, { debtorId, target: { kind: 'obligation', id: obligationId }, currency: 'MXN', amount, provider, idempotencyKey: key });

function stripeEvent(l: PaymentLink, overrides: { amount_total?: number; currency?: string; id?: string; type?: string } = {}): string {
  return JSON.stringify({
    id: overrides.id ?? `evt_${l.publicId}`,
    object: 'event',
    type: overrides.type ?? 'checkout.session.completed',
    created: Math.floor(new Date(NOW).getTime() / 1000),
    livemode: false,
    data: {
      object: {
        id: l.reference,
        object: 'checkout.session',
        amount_total: overrides.amount_total ?? Number(l.amount),
        currency: overrides.currency ?? 'mxn',
        payment_status: 'paid',
        client_reference_id: l.publicId,
        metadata: { payment_link_id: l.publicId },
        payment_intent: 'pi_123',
      },
    },
  });
}

const postStripe = (body: string, signature: string | null, company = 'acme') =>
  w.app.inject({ method: 'POST', url: `/webhooks/stripe/${company}`, headers: { 'content-type': 'application/json', ...(signature ? { 'stripe-signature': signature } : {}) }, payload: body });

const ts = () => Math.floor(new Date(NOW).getTime() / 1000);

describe('Stripe', () => {
  it('creates a Checkout Session in Stripe\'s wire format', async () => {
    const l = await link('stripe', 40_000n, 'stripe-shape');
    expect(l.status).toBe('open');
    expect(l.reference).toMatch(/^cs_test_/);
    expect(l.url).toBe(`https://checkout.stripe.com/c/pay/${l.reference}`);
    const request = stripe.requests.at(-1)!;
    expect(request.headers.authorization).toBe(`Bearer ${stripe.secretKey}`);
    expect(request.headers['idempotency-key']).toBe(`checkout-${l.publicId}`);
    expect(request.form).toMatchObject({
      mode: 'payment',
      'line_items[0][price_data][currency]': 'mxn',
      'line_items[0][price_data][unit_amount]': '40000',
      'line_items[0][quantity]': '1',
      'metadata[payment_link_id]': l.publicId,
      client_reference_id: l.publicId,
      customer_email: 'ana@example.com',
      success_url: `https://cobranza.example.com/pay/${l.publicId}?resultado=pagado`,
    });
    // Capped to Stripe's 24 h maximum even though links live 72 h by default.
    expect(Number(request.form.expires_at) - ts()).toBeLessThanOrEqual(86_400);
  });

  it('a valid checkout.session.completed applies one payment; the replay applies nothing', async () => {
    const l = await link('stripe', 25_000n, 'stripe-valid');
    const body = stripeEvent(l);
    const before = await w.count('payments');
    const res = await postStripe(body, stripeSignatureHeader(body, STRIPE_WEBHOOK_SECRET, ts()));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ outcome: 'applied' });
    expect(await w.count('payments')).toBe(before + 1);
    const balance = await w.balanceOf('A-1');
    const replay = await postStripe(body, stripeSignatureHeader(body, STRIPE_WEBHOOK_SECRET, ts() + 30));
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toMatchObject({ outcome: 'duplicate' });
    expect(await w.count('payments')).toBe(before + 1);
    expect(await w.balanceOf('A-1')).toBe(balance);
    const audited = await w.database.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'payment_link.paid' AND entity_id = ${String(l.id)}`);
    expect(audited[0]!.n).toBe(1);
  });

  it('a bad, missing or stale signature is a 401 and applies nothing', async () => {
    const l = await link('stripe', 10_000n, 'stripe-bad-sig');
    const body = stripeEvent(l);
    const before = await w.count('provider_payments');
    expect((await postStripe(body, stripeSignatureHeader(body, 'whsec_wrong', ts()))).statusCode).toBe(401);
    expect((await postStripe(body, null)).statusCode).toBe(401);
    expect((await postStripe(body, stripeSignatureHeader(body, STRIPE_WEBHOOK_SECRET, ts() - 301))).statusCode).toBe(401);
    expect((await postStripe(body.replace('"paid"', '"paid" '), stripeSignatureHeader(body, STRIPE_WEBHOOK_SECRET, ts()))).statusCode).toBe(401);
    expect(await w.count('provider_payments')).toBe(before);
    expect((await w.api('GET', `/payment-links/${l.id}`)).json().status).toBe('open');
    // A company without a Stripe secret has no Stripe webhook.
    expect((await postStripe(body, stripeSignatureHeader(body, STRIPE_WEBHOOK_SECRET, ts()), 'other')).statusCode).toBe(404);
  });

  it('an amount or currency that differs from the link is refused and raised as an alert', async () => {
    const l = await link('stripe', 30_000n, 'stripe-mismatch');
    const payments = await w.count('payments');
    const short = stripeEvent(l, { amount_total: 29_999 });
    const res = await postStripe(short, stripeSignatureHeader(short, STRIPE_WEBHOOK_SECRET, ts()));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ outcome: 'refused', reason: 'amount_mismatch' });
    const usd = stripeEvent(l, { currency: 'usd', id: 'evt_other' });
    // A different event for the same session is the same payment: refused once, not twice.
    expect((await postStripe(usd, stripeSignatureHeader(usd, STRIPE_WEBHOOK_SECRET, ts()))).json()).toMatchObject({ outcome: 'duplicate', reason: 'amount_mismatch' });
    expect(await w.count('payments')).toBe(payments);
    const alerts = await listPaymentAlerts(w.ctx);
    expect(alerts.find((a) => a.linkPublicId === l.publicId)).toMatchObject({ kind: 'amount_mismatch', amount: 29_999n, expectedAmount: 30_000n, currency: 'MXN' });
    expect((await w.api('GET', `/payment-links/${l.id}`)).json().status).toBe('open');

    const l2 = await link('stripe', 31_000n, 'stripe-currency');
    const wrong = stripeEvent(l2, { currency: 'usd' });
    expect((await postStripe(wrong, stripeSignatureHeader(wrong, STRIPE_WEBHOOK_SECRET, ts()))).json()).toMatchObject({ outcome: 'refused', reason: 'currency_mismatch' });
    const listed = await w.api('GET', '/payment-alerts');
    expect(listed.json().data.map((a: { kind: string }) => a.kind)).toEqual(expect.arrayContaining(['amount_mismatch', 'currency_mismatch']));
    expect(await w.count('payments')).toBe(payments);
  });

  it('other event types are acknowledged and ignored', async () => {
    const body = JSON.stringify({ id: 'evt_x', object: 'event', type: 'payment_intent.created', created: ts(), data: { object: { id: 'pi_1', object: 'payment_intent' } } });
    const res = await postStripe(body, stripeSignatureHeader(body, STRIPE_WEBHOOK_SECRET, ts()));
    expect(res.statusCode).toBe(200);
    expect(res.json().outcome).toBe('ignored');
  });

  it('a Stripe error becomes a 502 and the link stays pending; the retry with the same key opens it', async () => {
    stripe.replyNext({ kind: 'raw', status: 500, body: JSON.stringify({ error: { type: 'api_error', message: 'boom' } }), headers: { 'content-type': 'application/json' } });
    const res = await w.api('POST', '/payment-links', { debtor_external_id: 'ANA', currency: 'MXN', amount: '12.00', provider: 'stripe', idempotency_key: 'retry-me' });
    expect(res.statusCode).toBe(502);
    expect(res.json().message).toMatch(/boom/);
    const retry = await w.api('POST', '/payment-links', { debtor_external_id: 'ANA', currency: 'MXN', amount: '12.00', provider: 'stripe', idempotency_key: 'retry-me' });
    expect(retry.statusCode, retry.body).toBe(200);
    expect(retry.json().status).toBe('open');
  });
});

describe('Stripe amounts', () => {
  it('CLP is zero-decimal at Stripe and in our table: 15000 pesos is unit_amount 15000', async () => {
    const gateway = createStripeGateway({ secretKey: stripe.secretKey, baseUrl: stripe.baseUrl, timeoutMs: 5000 });
    await gateway.createCheckout({ linkId: 'pl_clp_test_0001', amount: 15_000n, currency: 'CLP', description: 'x', expiresAt: new Date(Date.parse(NOW) + 3600_000), returnUrl: null, notificationUrl: null, payerEmail: null });
    expect(stripe.requests.at(-1)!.form).toMatchObject({ 'line_items[0][price_data][currency]': 'clp', 'line_items[0][price_data][unit_amount]': '15000' });
  });
});

function notify(paymentId: string, requestId: string, signature: string | null, company = 'acme') {
  return w.app.inject({
    method: 'POST',
    url: `/webhooks/mercadopago/${company}?data.id=${paymentId}&type=payment`,
    headers: { 'content-type': 'application/json', 'x-request-id': requestId, ...(signature ? { 'x-signature': signature } : {}) },
    payload: JSON.stringify({ action: 'payment.updated', api_version: 'v1', type: 'payment', data: { id: paymentId }, live_mode: false }),
  });
}

const sign = (paymentId: string, requestId: string, secret = MP_WEBHOOK_SECRET) => mercadoPagoSignatureHeader({ dataId: paymentId, requestId, ts: String(ts()), secret });

describe('Mercado Pago', () => {
  it('creates a Checkout Pro preference with an exact numeric unit_price and our link as external_reference', async () => {
    const l = await link('mercadopago', 123_456n, 'mp-shape');
    expect(l.reference).toMatch(/^123456789-/);
    expect(l.url).toContain('pref_id=');
    const request = mp.requests.at(-1)!;
    expect(request.headers.authorization).toBe(`Bearer ${mp.accessToken}`);
    expect(request.headers['x-idempotency-key']).toBe(`preference-${l.publicId}`);
    expect(request.rawBody).toContain('"unit_price":1234.56');
    const body = JSON.parse(request.rawBody);
    expect(body).toMatchObject({ external_reference: l.publicId, items: [{ quantity: 1, currency_id: 'MXN', unit_price: 1234.56 }], notification_url: 'https://cobranza.example.com/webhooks/mercadopago/acme' });
  });

  it('an approved payment applies once; the replay applies nothing', async () => {
    const l = await link('mercadopago', 20_050n, 'mp-valid');
    mp.addPayment({ id: 9001, status: 'approved', transaction_amount: 200.5, currency_id: 'MXN', external_reference: l.publicId, date_approved: '2026-03-15T12:00:00.000-06:00' });
    const before = await w.count('payments');
    const res = await notify('9001', 'req-1', sign('9001', 'req-1'));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ outcome: 'applied' });
    expect(mp.requests.at(-1)).toMatchObject({ method: 'GET', path: '/v1/payments/9001' });
    const replay = await notify('9001', 'req-2', sign('9001', 'req-2'));
    expect(replay.json()).toMatchObject({ outcome: 'duplicate' });
    expect(await w.count('payments')).toBe(before + 1);
    expect((await w.api('GET', `/payment-links/${l.id}`)).json()).toMatchObject({ status: 'paid', payment_external_id: 'mercadopago:9001' });
  });

  it('a bad signature is a 401 and nothing is read or applied', async () => {
    const l = await link('mercadopago', 5_000n, 'mp-bad');
    mp.addPayment({ id: 9002, status: 'approved', transaction_amount: 50, currency_id: 'MXN', external_reference: l.publicId });
    const reads = mp.requests.length;
    expect((await notify('9002', 'req-3', sign('9002', 'req-3', 'wrong-secret'))).statusCode).toBe(401);
    expect((await notify('9002', 'req-3', null)).statusCode).toBe(401);
    // Signed for another payment id.
    expect((await notify('9002', 'req-3', sign('9003', 'req-3'))).statusCode).toBe(401);
    expect(mp.requests.length).toBe(reads);
    expect((await w.api('GET', `/payment-links/${l.id}`)).json().status).toBe('open');
  });

  it('an amount or currency that differs is refused with an alert', async () => {
    const l = await link('mercadopago', 7_000n, 'mp-mismatch');
    mp.addPayment({ id: 9004, status: 'approved', transaction_amount: 69.99, currency_id: 'MXN', external_reference: l.publicId });
    mp.addPayment({ id: 9005, status: 'approved', transaction_amount: 70, currency_id: 'ARS', external_reference: l.publicId });
    const payments = await w.count('payments');
    expect((await notify('9004', 'r4', sign('9004', 'r4'))).json()).toMatchObject({ outcome: 'refused', reason: 'amount_mismatch' });
    expect((await notify('9005', 'r5', sign('9005', 'r5'))).json()).toMatchObject({ outcome: 'refused', reason: 'currency_mismatch' });
    expect(await w.count('payments')).toBe(payments);
    const alerts = (await listPaymentAlerts(w.ctx)).filter((a) => a.linkPublicId === l.publicId);
    expect(alerts.map((a) => a.kind).sort()).toEqual(['amount_mismatch', 'currency_mismatch']);
  });

  it('a payment not approved yet is acknowledged and not applied', async () => {
    const l = await link('mercadopago', 8_000n, 'mp-pending');
    mp.addPayment({ id: 9006, status: 'in_process', transaction_amount: 80, currency_id: 'MXN', external_reference: l.publicId });
    expect((await notify('9006', 'r6', sign('9006', 'r6'))).json()).toMatchObject({ outcome: 'ignored', reason: 'in_process' });
    expect((await w.api('GET', `/payment-links/${l.id}`)).json().status).toBe('open');
  });
});
