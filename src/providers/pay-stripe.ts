/**
 * Stripe: Checkout Sessions over the REST API (form-encoded, Bearer secret key, amounts in Stripe's minor units) and
 * the webhook side (the Stripe-Signature check and the checkout.session events).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { exponentOf } from '../domain/money.ts';
import { PaymentProviderError, type CheckoutGateway, type CheckoutRequest, type CheckoutSession } from '../modules/payments/ports.ts';
import { payFetch } from './pay-http.ts';

export interface StripeOptions {
  secretKey: string;
  /** Default https://api.stripe.com */
  baseUrl?: string | undefined;
  timeoutMs: number;
  fetch?: typeof fetch;
}

/** Currencies Stripe charges in whole units (its "zero-decimal" list), whatever their ISO exponent. */
const STRIPE_ZERO_DECIMAL = new Set(['BIF', 'CLP', 'DJF', 'GNF', 'JPY', 'KMF', 'KRW', 'MGA', 'PYG', 'RWF', 'UGX', 'VND', 'VUV', 'XAF', 'XOF', 'XPF']);
/** Currencies of ours Stripe cannot charge (units of account). */
const STRIPE_UNSUPPORTED = new Set(['CLF', 'UF']);

function stripeExponent(currency: string): number {
  return STRIPE_ZERO_DECIMAL.has(currency) ? 0 : 2;
}

/**
 * Our minor units (ISO exponent) as Stripe's `unit_amount`. CLP and PYG have no decimals in either; a currency whose
 * exponents differ is scaled exactly, and refused when the amount has a fraction Stripe cannot express.
 */
export function toStripeAmount(amount: bigint, currency: string): bigint {
  if (STRIPE_UNSUPPORTED.has(currency)) throw new PaymentProviderError(`Stripe cannot charge in ${currency}`, { retryable: false, providerCode: 'currency' });
  const ours = exponentOf(currency);
  const theirs = stripeExponent(currency);
  if (ours === theirs) return amount;
  if (theirs > ours) return amount * 10n ** BigInt(theirs - ours);
  const factor = 10n ** BigInt(ours - theirs);
  if (amount % factor !== 0n) throw new PaymentProviderError(`${currency} amounts at Stripe have ${theirs} decimals`, { retryable: false, providerCode: 'amount' });
  return amount / factor;
}

/** Stripe's minor units back to ours (exact; the inverse of {@link toStripeAmount}). */
export function fromStripeAmount(amount: bigint, currency: string): bigint {
  const ours = exponentOf(currency);
  const theirs = stripeExponent(currency);
  if (ours >= theirs) return amount * 10n ** BigInt(ours - theirs);
  const factor = 10n ** BigInt(theirs - ours);
  if (amount % factor !== 0n) throw new PaymentProviderError(`Stripe reported ${amount} ${currency}, which has a fraction our ${currency} cannot hold`, { retryable: false, providerCode: 'amount' });
  return amount / factor;
}

const sessionCreated = z.object({ id: z.string().startsWith('cs_'), url: z.string().url() });
const stripeError = z.object({ error: z.object({ type: z.string().optional(), code: z.string().optional(), message: z.string().optional() }) });

/** Creates the Stripe gateway. */
export function createStripeGateway(options: StripeOptions): CheckoutGateway {
  const base = (options.baseUrl ?? 'https://api.stripe.com').replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  return {
    provider: 'stripe',
    async createCheckout(request: CheckoutRequest): Promise<CheckoutSession> {
      const form = new URLSearchParams();
      form.set('mode', 'payment');
      form.set('line_items[0][quantity]', '1');
      form.set('line_items[0][price_data][currency]', request.currency.toLowerCase());
      form.set('line_items[0][price_data][unit_amount]', toStripeAmount(request.amount, request.currency).toString());
      form.set('line_items[0][price_data][product_data][name]', request.description);
      form.set('client_reference_id', request.linkId);
      form.set('metadata[payment_link_id]', request.linkId);
      form.set('payment_intent_data[metadata][payment_link_id]', request.linkId);
      form.set('expires_at', String(Math.floor(request.expiresAt.getTime() / 1000)));
      if (request.returnUrl) {
        form.set('success_url', `${request.returnUrl}?resultado=pagado`);
        form.set('cancel_url', `${request.returnUrl}?resultado=cancelado`);
      }
      if (request.payerEmail) form.set('customer_email', request.payerEmail);
      const { status, json } = await payFetch(
        doFetch,
        `${base}/v1/checkout/sessions`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${options.secretKey}`,
            'content-type': 'application/x-www-form-urlencoded',
            // Our link id: a retried create returns the session the first attempt made.
            'idempotency-key': `checkout-${request.linkId}`,
          },
          body: form.toString(),
          timeoutMs: options.timeoutMs,
        },
        'Stripe',
      );
      if (status >= 200 && status < 300) {
        const created = sessionCreated.safeParse(json);
        if (!created.success) throw new PaymentProviderError(`Stripe answered ${status} without a Checkout Session id and URL`, { retryable: false, providerCode: 'malformed_response' });
        return { reference: created.data.id, url: created.data.url };
      }
      const parsed = stripeError.safeParse(json);
      const detail = parsed.success ? (parsed.data.error.message ?? parsed.data.error.code ?? parsed.data.error.type ?? '') : '';
      throw new PaymentProviderError(`Stripe answered ${status}${detail ? `: ${detail}` : ''}`, {
        retryable: status === 429 || status >= 500,
        providerCode: parsed.success ? (parsed.data.error.code ?? parsed.data.error.type ?? null) : null,
      });
    },
  };
}

/** Stripe's default tolerance between the signed timestamp and now. */
export const STRIPE_TOLERANCE_SECONDS = 300;

/**
 * Checks a `Stripe-Signature` header (`t=<unix seconds>,v1=<hex>[,v1=…]`) against the raw body: some v1 must equal
 * HMAC-SHA256(secret, "<t>.<body>") and t must be within `toleranceSeconds` of `now`. Other schemes (v0) are ignored.
 */
export function verifyStripeSignature(rawBody: Buffer, header: string | undefined, secret: string, now: Date, toleranceSeconds = STRIPE_TOLERANCE_SECONDS): boolean {
  if (!header) return false;
  let timestamp: string | null = null;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    const key = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (key === 't') timestamp = value;
    else if (key === 'v1') signatures.push(value);
  }
  if (timestamp === null || !/^\d{1,12}$/.test(timestamp) || signatures.length === 0) return false;
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
  return signatures.some((s) => {
    if (!/^[0-9a-f]{64}$/i.test(s)) return false;
    return timingSafeEqual(Buffer.from(s, 'hex'), expected);
  });
}

/** The header a Stripe endpoint would send for `rawBody` at `timestamp` (tests and the loopback fake). */
export function stripeSignatureHeader(rawBody: string | Buffer, secret: string, timestamp: number): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex')}`;
}

const checkoutSessionEvent = z.object({
  id: z.string(),
  type: z.string(),
  data: z.object({
    object: z.object({
      id: z.string(),
      object: z.literal('checkout.session'),
      amount_total: z.number().int().nonnegative().nullable(),
      currency: z.string().nullable(),
      payment_status: z.string(),
      client_reference_id: z.string().nullable().optional(),
      metadata: z.record(z.string(), z.string()).nullable().optional(),
      payment_intent: z.union([z.string(), z.object({ id: z.string() })]).nullable().optional(),
      created: z.number().int().optional(),
    }),
  }),
  created: z.number().int(),
});

/** A paid Checkout Session, as our module needs it. */
export interface StripePaidSession {
  eventId: string;
  sessionId: string;
  linkPublicId: string | null;
  /** Our minor units. */
  amount: bigint;
  currency: string;
  paidAt: Date;
  paymentIntent: string | null;
}

/**
 * Reads an event: a paid session for `checkout.session.completed` with payment_status "paid" and for
 * `checkout.session.async_payment_succeeded` (delayed methods, e.g. OXXO vouchers); null for any other event (it is
 * acknowledged and ignored). Throws PaymentProviderError for a body that is not a Stripe event.
 */
export function parseStripeEvent(body: unknown): StripePaidSession | null {
  const type = typeof body === 'object' && body !== null ? (body as { type?: unknown }).type : undefined;
  if (type !== 'checkout.session.completed' && type !== 'checkout.session.async_payment_succeeded') return null;
  const event = checkoutSessionEvent.safeParse(body);
  if (!event.success) throw new PaymentProviderError('not a Stripe checkout.session event', { retryable: false, providerCode: 'malformed_event' });
  const session = event.data.data.object;
  if (session.payment_status !== 'paid') return null;
  if (session.amount_total === null || !session.currency) throw new PaymentProviderError('the Checkout Session has no amount_total or currency', { retryable: false, providerCode: 'malformed_event' });
  const currency = session.currency.toUpperCase();
  const pi = session.payment_intent;
  return {
    eventId: event.data.id,
    sessionId: session.id,
    linkPublicId: session.metadata?.payment_link_id ?? session.client_reference_id ?? null,
    amount: fromStripeAmount(BigInt(session.amount_total), currency),
    currency,
    paidAt: new Date(event.data.created * 1000),
    paymentIntent: typeof pi === 'string' ? pi : (pi?.id ?? null),
  };
}
