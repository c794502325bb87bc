/**
 * Payment links over HTTP and through the module: targets and default amounts, idempotent creation, the sandbox's
 * one-click payment applied through the portfolio's allocation, replays, cancellation and bank-transfer references.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clabeProblem, completeSandboxPayment, createPaymentLink, listPaymentAlerts, referenceIsValid, setPaymentSettings } from '../../src/modules/payments/index.ts';
import { createPaymentsWorld, type PaymentsWorld } from './helpers.ts';

let w: PaymentsWorld;
let ana = 0;
let oblA1 = 0;

beforeAll(async () => {
  w = await createPaymentsWorld();
  ana = await w.debtor('ANA', { email: 'ana@example.com' });
  oblA1 = await w.obligation('ANA', 'A-1', '2026-02-01', '1000.00');
  await w.obligation('ANA', 'A-2', '2026-03-01', '500.50');
  await w.obligation('ANA', 'A-3', '2026-04-30', '300.00'); // not yet due
  await w.debtor('BETO');
});

afterAll(async () => {
  await w?.close();
});

describe('POST /payment-links', () => {
  it('defaults a debtor link to the overdue total and the sandbox, with our own page as URL (201)', async () => {
    const res = await w.api('POST', '/payment-links', { debtor_external_id: 'ANA', currency: 'MXN' });
    expect(res.statusCode, res.body).toBe(201);
    const link = res.json();
    expect(link).toMatchObject({ amount: '1500.50', currency: 'MXN', provider: 'sandbox', status: 'open', target: { kind: 'debtor', id: null } });
    expect(link.url).toBe(`https://cobranza.example.com/pay/${link.public_id}`);
    expect(link.expires_at).toBe('2026-03-18T18:00:00.000Z'); // 72 h default
    const again = await w.api('POST', '/payment-links', { debtor_external_id: 'ANA', currency: 'MXN' });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(link.id);
  });

  it('an obligation link defaults to its balance and names the obligation', async () => {
    const res = await w.api('POST', '/payment-links', { debtor_external_id: 'ANA', currency: 'MXN', target: { kind: 'obligation', obligation_external_id: 'A-2' } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ amount: '500.50', target: { kind: 'obligation', obligation_external_id: 'A-2' } });
  });

  it('installment and settlement links need the amount and keep the target id', async () => {
    const missing = await w.api('POST', '/payment-links', { debtor_external_id: 'ANA', currency: 'MXN', target: { kind: 'installment', id: 77 } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().details[0].path).toBe('amount');
    const ok = await w.api('POST', '/payment-links', { debtor_external_id: 'ANA', currency: 'MXN', amount: '250.00', target: { kind: 'settlement', id: 9 } });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ amount: '250.00', target: { kind: 'settlement', id: 9 } });
  });

  it('refuses clearly: nothing overdue, a currency the obligation is not in, unknown debtor, an unconfigured provider, another key', async () => {
    const nothing = await w.api('POST', '/payment-links', { debtor_external_id: 'BETO', currency: 'MXN' });
    expect(nothing.statusCode).toBe(400);
    expect(nothing.json().message).toMatch(/nothing overdue/);
    const wrongCurrency = await w.api('POST', '/payment-links', { debtor_external_id: 'ANA', currency: 'USD', target: { kind: 'obligation', obligation_external_id: 'A-1' } });
    expect(wrongCurrency.statusCode).toBe(400);
    expect((await w.api('POST', '/payment-links', { debtor_external_id: 'NOBODY', currency: 'MXN' })).statusCode).toBe(404);
    const stripe = await w.api('POST', '/payment-links', { debtor_external_id: 'ANA', currency: 'MXN', provider: 'stripe' });
    expect(stripe.statusCode).toBe(400);
    expect(stripe.json().message).toMatch(/STRIPE_SECRET_KEY/);
    expect((await w.api('POST', '/payment-links', { debtor_external_id: 'ANA', currency: 'MXN' }, w.otherKey)).statusCode).toBe(404);
    expect((await w.api('POST', '/payment-links', { debtor_external_id: 'ANA', currency: 'MXN' }, null)).statusCode).toBe(401);
  });

  it('an explicit idempotency key reused for a different link is a conflict', async () => {
    const first = await w.api('POST', '/payment-links', { debtor_external_id: 'ANA', currency: 'MXN', amount: '10.00', idempotency_key: 'k-1' });
    expect(first.statusCode).toBe(201);
    const other = await w.api('POST', '/payment-links', { debtor_external_id: 'ANA', currency: 'MXN', amount: '11.00', idempotency_key: 'k-1' });
    expect(other.statusCode).toBe(409);
  });

  it('audits the creation', async () => {
    const rows = await w.database.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE company_id = ${w.ctx.companyId} AND action = 'payment_link.create'`);
    expect(rows[0]!.n).toBeGreaterThanOrEqual(4);
  });
});

describe('sandbox payment', () => {
  it('one click pays the link in full through allocation; a second click applies nothing', async () => {
    const link = await createPaymentLink(w.ctx, { debtorId: ana, target: { kind: 'obligation', id: oblA1 }, currency: 'MXN', amount: 40_000n });
    const res = await w.api('POST', `/payment-links/${link.id}/sandbox-complete`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ link: { status: 'paid', payment_external_id: `sandbox:sbx_pay_${link.publicId}` }, result: { outcome: 'applied' } });
    expect(await w.balanceOf('A-1')).toBe(60_000n);
    const payments = await w.count('payments');
    const again = await w.api('POST', `/payment-links/${link.id}/sandbox-complete`);
    expect(again.statusCode).toBe(200);
    expect(again.json().result).toMatchObject({ outcome: 'duplicate', reason: null });
    expect((await completeSandboxPayment(w.ctx, { id: link.id })).result.outcome).toBe('duplicate');
    expect(await w.count('payments')).toBe(payments);
    expect(await w.balanceOf('A-1')).toBe(60_000n);
    const portfolioPayment = await w.api('GET', `/payments/${encodeURIComponent(`sandbox:sbx_pay_${link.publicId}`)}`);
    expect(portfolioPayment.statusCode, portfolioPayment.body).toBe(200);
    expect(portfolioPayment.json()).toMatchObject({ amount: '400.00', obligation_external_id: 'A-1', method: 'sandbox' });
  });

  it('the public page shows the button, and posting it pays once (303 back to the page)', async () => {
    const link = await createPaymentLink(w.ctx, { debtorId: ana, target: { kind: 'debtor' }, currency: 'MXN', amount: 1_000n });
    const page = await w.app.inject({ method: 'GET', url: `/pay/${link.publicId}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Pagar $10.00 MXN');
    const click = await w.app.inject({ method: 'POST', url: `/pay/${link.publicId}/sandbox-complete`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
    expect(click.statusCode, click.body).toBe(303);
    expect(click.headers.location).toBe(`/pay/${link.publicId}`);
    expect((await w.app.inject({ method: 'GET', url: `/pay/${link.publicId}` })).body).toContain('Pagado');
    expect((await w.app.inject({ method: 'GET', url: '/pay/pl_doesnotexist123' })).statusCode).toBe(404);
  });

  it('a cancelled link cannot be paid', async () => {
    const link = await createPaymentLink(w.ctx, { debtorId: ana, target: { kind: 'debtor' }, currency: 'MXN', amount: 2_000n });
    const cancel = await w.api('POST', `/payment-links/${link.id}/cancel`, { reason: 'sent by mistake' });
    expect(cancel.statusCode, cancel.body).toBe(200);
    expect(cancel.json().status).toBe('cancelled');
    expect((await w.api('POST', `/payment-links/${link.id}/sandbox-complete`)).statusCode).toBe(409);
  });

  it('an expired link reads as expired and cannot be paid', async () => {
    const link = await createPaymentLink(w.ctx, { debtorId: ana, target: { kind: 'debtor' }, currency: 'MXN', amount: 3_000n });
    w.clock.advance(73 * 3600_000);
    try {
      const got = await w.api('GET', `/payment-links/${link.id}`);
      expect(got.json().status).toBe('expired');
      expect((await w.api('POST', `/payment-links/${link.id}/sandbox-complete`)).statusCode).toBe(409);
      const listed = await w.api('GET', '/payment-links?debtor_external_id=ANA&status=expired');
      expect(listed.json().data.map((l: { id: number }) => l.id)).toContain(link.id);
    } finally {
      w.clock.set('2026-03-15T18:00:00Z');
    }
  });
});

describe('bank-transfer references', () => {
  it('refuses an invalid CLABE in the settings', async () => {
    const res = await w.api('PUT', '/payment-settings', { bank_reference: { clabe: '032180000118359718' } });
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json().details)).toMatch(/check digit/);
  });

  it('gives each link its own CLABE and check-digit reference, shown on the instructions page', async () => {
    const saved = await setPaymentSettings(w.ctx, {
      provider: 'bank_reference',
      bank_reference: { clabe_prefix: '6461801234', reference_prefix: '77', reference_length: 10, check_digit: 'luhn', bank_name: 'STP', beneficiary: 'Acme SA de CV', cash_stores: ['OXXO'] },
    });
    expect(saved.provider).toBe('bank_reference');
    const link = await createPaymentLink(w.ctx, { debtorId: ana, target: { kind: 'debtor' }, currency: 'MXN', amount: 12_345n });
    expect(link.provider).toBe('bank_reference');
    expect(link.status).toBe('open');
    expect(clabeProblem(link.clabe!)).toBeNull();
    expect(link.clabe!.startsWith('6461801234')).toBe(true);
    expect(link.reference).toMatch(/^77\d{8}$/);
    expect(referenceIsValid(link.reference!, 'luhn')).toBe(true);
    const page = await w.app.inject({ method: 'GET', url: `/pay/${link.publicId}` });
    expect(page.body).toContain(link.clabe!);
    expect(page.body).toContain(link.reference!);
    expect(page.body).toContain('OXXO');
    await setPaymentSettings(w.ctx, { provider: null });
  });
});

describe('alerts are per company', () => {
  it('the other company sees none of ours', async () => {
    expect(await listPaymentAlerts(w.otherCtx, { status: 'all' })).toEqual([]);
  });
});
