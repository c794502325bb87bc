/**
 * Mercado Pago: Checkout Pro preferences (POST /checkout/preferences, Bearer access token), payments read back with
 * GET /v1/payments/{id}, and the webhook side (the x-signature check over Mercado Pago's manifest).
 *
 * Mercado Pago writes amounts as JSON numbers in major units (e.g. 1234.5). We send them as exact decimal text in the
 * JSON, and read them back through the number's shortest round-trip decimal form, which is the text Mercado Pago wrote
 * for any amount with at most 15 significant digits.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { formatDecimal, isKnownCurrency, MoneyError, parseDecimal } from '../domain/money.ts';
import { PaymentProviderError, type CheckoutGateway, type CheckoutRequest, type CheckoutSession, type PaymentReader, type ProviderPaymentInfo } from '../modules/payments/ports.ts';
import { payFetch } from './pay-http.ts';

export interface MercadoPagoOptions {
  accessToken: string;
  /** Default https://api.mercadopago.com */
  baseUrl?: string | undefined;
  timeoutMs: number;
  fetch?: typeof fetch;
  /** Open the sandbox checkout (sandbox_init_point) with test credentials. */
  useSandboxUrl?: boolean | undefined;
}

/** Currencies Mercado Pago settles (one per country it operates in). */
const MP_CURRENCIES = new Set(['ARS', 'BRL', 'CLP', 'COP', 'MXN', 'PEN', 'UYU', 'USD']);

const preferenceCreated = z.object({ id: z.string().min(1), init_point: z.string().url(), sandbox_init_point: z.string().url().optional() });
const mpError = z.object({ message: z.string().optional(), error: z.string().optional(), status: z.number().optional() });

/** Placeholder replaced by the amount's exact decimal text, so unit_price is a JSON number never made from a float. */
const AMOUNT = '\u0000amount\u0000';

function errorOf(status: number, json: unknown, what: string): PaymentProviderError {
  const parsed = mpError.safeParse(json);
  const detail = parsed.success ? (parsed.data.message ?? parsed.data.error ?? '') : '';
  return new PaymentProviderError(`Mercado Pago answered ${status} to ${what}${detail ? `: ${detail}` : ''}`, {
    retryable: status === 429 || status >= 500,
    providerCode: parsed.success ? (parsed.data.error ?? null) : null,
  });
}

const paymentSchema = z.looseObject({
  id: z.union([z.number().int(), z.string()]),
  status: z.string(),
  transaction_amount: z.number().nonnegative(),
  currency_id: z.string(),
  external_reference: z.string().nullable().optional(),
  date_approved: z.string().nullable().optional(),
  status_detail: z.string().nullable().optional(),
  payment_method_id: z.string().nullable().optional(),
});

/** Creates the Mercado Pago gateway (checkout preferences and payment reads). */
export function createMercadoPagoGateway(options: MercadoPagoOptions): CheckoutGateway & PaymentReader {
  const base = (options.baseUrl ?? 'https://api.mercadopago.com').replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const auth = `Bearer ${options.accessToken}`;
  return {
    provider: 'mercadopago',
    async createCheckout(request: CheckoutRequest): Promise<CheckoutSession> {
      if (!MP_CURRENCIES.has(request.currency)) throw new PaymentProviderError(`Mercado Pago cannot charge in ${request.currency}`, { retryable: false, providerCode: 'currency' });
      const preference: Record<string, unknown> = {
        items: [{ id: request.linkId, title: request.description, quantity: 1, currency_id: request.currency, unit_price: AMOUNT }],
        external_reference: request.linkId,
        metadata: { payment_link_id: request.linkId },
        expires: true,
        expiration_date_to: request.expiresAt.toISOString(),
      };
      if (request.payerEmail) preference.payer = { email: request.payerEmail };
      if (request.notificationUrl) preference.notification_url = request.notificationUrl;
      if (request.returnUrl) {
        preference.back_urls = { success: `${request.returnUrl}?resultado=pagado`, pending: `${request.returnUrl}?resultado=pendiente`, failure: `${request.returnUrl}?resultado=rechazado` };
        preference.auto_return = 'approved';
      }
      const body = JSON.stringify(preference).replace(JSON.stringify(AMOUNT), formatDecimal(request.amount, request.currency));
      const { status, json } = await payFetch(
        doFetch,
        `${base}/checkout/preferences`,
        { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json', 'x-idempotency-key': `preference-${request.linkId}` }, body, timeoutMs: options.timeoutMs },
        'Mercado Pago',
      );
      if (status < 200 || status >= 300) throw errorOf(status, json, 'the preference');
      const created = preferenceCreated.safeParse(json);
      if (!created.success) throw new PaymentProviderError(`Mercado Pago answered ${status} without a preference id and init_point`, { retryable: false, providerCode: 'malformed_response' });
      const url = options.useSandboxUrl && created.data.sandbox_init_point ? created.data.sandbox_init_point : created.data.init_point;
      return { reference: created.data.id, url };
    },
    async getPayment(id: string): Promise<ProviderPaymentInfo> {
      if (!/^[0-9A-Za-z_-]{1,64}$/.test(id)) throw new PaymentProviderError('not a Mercado Pago payment id', { retryable: false, providerCode: 'bad_id' });
      const { status, json } = await payFetch(doFetch, `${base}/v1/payments/${id}`, { method: 'GET', headers: { authorization: auth, accept: 'application/json' }, timeoutMs: options.timeoutMs }, 'Mercado Pago');
      if (status < 200 || status >= 300) throw errorOf(status, json, `payment ${id}`);
      const parsed = paymentSchema.safeParse(json);
      if (!parsed.success) throw new PaymentProviderError(`Mercado Pago payment ${id} is not in the documented shape`, { retryable: false, providerCode: 'malformed_response' });
      const p = parsed.data;
      const currency = p.currency_id.toUpperCase();
      if (!isKnownCurrency(currency)) throw new PaymentProviderError(`Mercado Pago payment ${id} is in ${currency}, a currency we do not handle`, { retryable: false, providerCode: 'currency' });
      let amount: bigint;
      try {
        amount = parseDecimal(String(p.transaction_amount), currency);
      } catch (error) {
        throw new PaymentProviderError(`Mercado Pago payment ${id} has an amount we cannot read exactly (${p.transaction_amount}): ${(error as MoneyError).message}`, { retryable: false, providerCode: 'amount' });
      }
      return {
        id: String(p.id),
        status: p.status,
        approved: p.status === 'approved',
        amount,
        currency,
        externalReference: p.external_reference ?? null,
        paidAt: p.date_approved ? new Date(p.date_approved) : null,
        raw: { id: String(p.id), status: p.status, status_detail: p.status_detail ?? null, transaction_amount: p.transaction_amount, currency_id: p.currency_id, payment_method_id: p.payment_method_id ?? null, external_reference: p.external_reference ?? null },
      };
    },
  };
}

/**
 * The manifest Mercado Pago signs: `id:<data.id>;request-id:<x-request-id>;ts:<ts>;`, leaving out any part whose value
 * is absent. data.id comes from the notification URL's query string, lower-cased when alphanumeric.
 */
export function mercadoPagoManifest(parts: { dataId: string | undefined; requestId: string | undefined; ts: string }): string {
  let manifest = '';
  if (parts.dataId) manifest += `id:${/[a-z]/i.test(parts.dataId) ? parts.dataId.toLowerCase() : parts.dataId};`;
  if (parts.requestId) manifest += `request-id:${parts.requestId};`;
  manifest += `ts:${parts.ts};`;
  return manifest;
}

/** Checks an `x-signature` header (`ts=<ts>,v1=<hex>`): v1 must be HMAC-SHA256(secret, manifest). */
export function verifyMercadoPagoSignature(options: { header: string | undefined; requestId: string | undefined; dataId: string | undefined; secret: string }): boolean {
  if (!options.header) return false;
  let ts: string | null = null;
  let v1: string | null = null;
  for (const part of options.header.split(',')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    const key = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (key === 'ts') ts = value;
    else if (key === 'v1') v1 = value;
  }
  if (!ts || !/^\d{1,16}$/.test(ts) || !v1 || !/^[0-9a-f]{64}$/i.test(v1)) return false;
  const expected = createHmac('sha256', options.secret).update(mercadoPagoManifest({ dataId: options.dataId, requestId: options.requestId, ts })).digest();
  return timingSafeEqual(Buffer.from(v1, 'hex'), expected);
}

/** The x-signature header Mercado Pago would send (tests and the loopback fake). */
export function mercadoPagoSignatureHeader(options: { dataId: string; requestId: string; ts: string; secret: string }): string {
  const v1 = createHmac('sha256', options.secret).update(mercadoPagoManifest(options)).digest('hex');
  return `ts=${options.ts},v1=${v1}`;
}
