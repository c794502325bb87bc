/**
 * What the payments module needs from payment providers, and the process-wide set of them. Adapters (src/providers/
 * pay-stripe.ts, pay-mercadopago.ts) implement these ports; the sandbox and bank references need no network and live
 * in this module.
 *
 * The gateways are installed once at start (`configurePayments`, from the environment) rather than passed on every
 * call, so any module (the portal, the WhatsApp conversation) can create a link with nothing but its `ctx`.
 */

/** Every provider a link can use. */
export const PAYMENT_PROVIDERS = ['sandbox', 'stripe', 'mercadopago', 'bank_reference'] as const;
export type PaymentProvider = (typeof PAYMENT_PROVIDERS)[number];

/** Providers with a hosted checkout reached over the network. */
export type CheckoutProvider = 'stripe' | 'mercadopago';

/** A hosted checkout to create for one link. */
export interface CheckoutRequest {
  /** Our link's public id: carried back by the provider (metadata, external_reference) and used as idempotency key. */
  linkId: string;
  /** Minor units of `currency` (our exponent table); the adapter converts to the provider's convention. */
  amount: bigint;
  currency: string;
  /** What the payer sees on the checkout page. */
  description: string;
  expiresAt: Date;
  /** Where the payer's browser goes afterwards; null when the server has no public URL. */
  returnUrl: string | null;
  /** Where the provider posts notifications (Mercado Pago takes it per preference); null without a public URL. */
  notificationUrl: string | null;
  payerEmail: string | null;
}

/** What the provider created. */
export interface CheckoutSession {
  /** Stripe Checkout Session id (cs_…), Mercado Pago preference id. */
  reference: string;
  /** The page the payer opens. */
  url: string;
}

/** A provider with a hosted checkout page. */
export interface CheckoutGateway {
  readonly provider: CheckoutProvider;
  createCheckout(request: CheckoutRequest): Promise<CheckoutSession>;
}

/** A payment as the provider reports it when asked (Mercado Pago's GET /v1/payments/{id}). */
export interface ProviderPaymentInfo {
  id: string;
  /** The provider's own status word ("approved", "pending", "rejected", …). */
  status: string;
  approved: boolean;
  /** Minor units in our exponent table. */
  amount: bigint;
  currency: string;
  /** Our link's public id when the payment came from one of our preferences. */
  externalReference: string | null;
  paidAt: Date | null;
  /** The provider's fields treasury may want to see. */
  raw: Record<string, unknown>;
}

/** Reads a payment from a provider that notifies by id only. */
export interface PaymentReader {
  getPayment(id: string): Promise<ProviderPaymentInfo>;
}

/** A provider call that failed; `retryable` when trying again later may work (timeouts, 5xx, 429). */
export class PaymentProviderError extends Error {
  override name = 'PaymentProviderError';
  readonly retryable: boolean;
  readonly providerCode: string | null;
  constructor(message: string, options: { retryable: boolean; providerCode?: string | null }) {
    super(message);
    this.retryable = options.retryable;
    this.providerCode = options.providerCode ?? null;
  }
}

/**
 * The adapters of one company; a provider that is not configured answers null. They may be looked up (the company's
 * saved credentials, src/cli/payment-gateways.ts), so callers await the answer.
 */
export interface PaymentGateways {
  checkout(provider: CheckoutProvider, companySlug: string): CheckoutGateway | null | Promise<CheckoutGateway | null>;
  mercadoPagoPayments(companySlug: string): PaymentReader | null | Promise<PaymentReader | null>;
}

/** How the server takes payments. */
export interface PaymentsRuntime {
  gateways: PaymentGateways;
  /** Provider of new links for companies whose settings name none. */
  defaultProvider: PaymentProvider;
  /** Public base URL of this server (no trailing slash): sandbox pages, return and notification URLs. */
  publicUrl: string | null;
}

const NO_GATEWAYS: PaymentGateways = { checkout: () => null, mercadoPagoPayments: () => null };

let runtime: PaymentsRuntime = { gateways: NO_GATEWAYS, defaultProvider: 'sandbox', publicUrl: null };

/** Installs the process's payment gateways (at start; tests install loopback adapters). Unset fields keep their value. */
export function configurePayments(options: Partial<PaymentsRuntime>): void {
  runtime = { ...runtime, ...options };
}

/** The installed runtime. Without configuration only the sandbox and bank references work. */
export function paymentsRuntime(): PaymentsRuntime {
  return runtime;
}
