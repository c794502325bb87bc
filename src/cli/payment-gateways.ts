/**
 * The payment gateways `serve` installs, from the configuration: Stripe and Mercado Pago when their credentials are
 * set (server-wide, or per company with the `__<SLUG>` suffix as for webhook secrets), the sandbox and bank
 * references always.
 */
import type { Config } from '../config.ts';
import type { PaymentsRuntime } from '../modules/payments/index.ts';
import { createMercadoPagoGateway } from '../providers/pay-mercadopago.ts';
import { createStripeGateway } from '../providers/pay-stripe.ts';
import { PROVIDER_TIMEOUT_MS } from './providers.ts';

/** The runtime for `configurePayments`; `env` supplies per-company credentials (STRIPE_SECRET_KEY__ACME, …). */
export function paymentsRuntimeFromConfig(config: Pick<Config, 'providers'>, env: NodeJS.ProcessEnv = process.env): PaymentsRuntime {
  const p = config.providers.payments;
  const perCompany = (name: string, slug: string, fallback: string | null): string | null => {
    const own = env[`${name}__${slug.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`]?.trim();
    return own ? own : fallback;
  };
  return {
    defaultProvider: p.defaultProvider,
    publicUrl: config.providers.publicUrl,
    gateways: {
      checkout(provider, slug) {
        if (provider === 'stripe') {
          const key = perCompany('STRIPE_SECRET_KEY', slug, p.stripe.secretKey);
          return key ? createStripeGateway({ secretKey: key, baseUrl: p.stripe.baseUrl, timeoutMs: PROVIDER_TIMEOUT_MS }) : null;
        }
        const token = perCompany('MERCADOPAGO_ACCESS_TOKEN', slug, p.mercadoPago.accessToken);
        return token ? createMercadoPagoGateway({ accessToken: token, baseUrl: p.mercadoPago.baseUrl, timeoutMs: PROVIDER_TIMEOUT_MS }) : null;
      },
      mercadoPagoPayments(slug) {
        const token = perCompany('MERCADOPAGO_ACCESS_TOKEN', slug, p.mercadoPago.accessToken);
        return token ? createMercadoPagoGateway({ accessToken: token, baseUrl: p.mercadoPago.baseUrl, timeoutMs: PROVIDER_TIMEOUT_MS }) : null;
      },
    },
  };
}
