/**
 * The payment gateways `serve` installs. Per company, its saved credentials come first (the provider settings, sealed
 * at rest: docs/adr/0009-provider-secrets-encrypted-at-rest.md); otherwise Stripe and Mercado Pago are there when their
 * credentials are set in the environment (server-wide, or per company with the `__<SLUG>` suffix as for webhook
 * secrets). The sandbox and bank references are always there.
 */
import type { Config } from '../config.ts';
import type { Database } from '../db/connection.ts';
import type { PaymentsRuntime } from '../modules/payments/index.ts';
import { loadSavedCredentials } from '../modules/settings/index.ts';
import { createMercadoPagoGateway } from '../providers/pay-mercadopago.ts';
import { createStripeGateway } from '../providers/pay-stripe.ts';
import { PROVIDER_TIMEOUT_MS } from './providers.ts';

/**
 * The runtime for `configurePayments`; `env` supplies per-company credentials (STRIPE_SECRET_KEY__ACME, …), `saved`
 * the database and key the companies' saved credentials are read with (without it only the environment counts).
 */
export function paymentsRuntimeFromConfig(config: Pick<Config, 'providers'>, env: NodeJS.ProcessEnv = process.env, saved?: { database: Database; secretsKey: Buffer }): PaymentsRuntime {
  const p = config.providers.payments;
  const perCompany = (name: string, slug: string, fallback: string | null): string | null => {
    const own = env[`${name}__${slug.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`]?.trim();
    return own ? own : fallback;
  };
  const savedFor = async (slug: string) => (saved ? loadSavedCredentials(saved.database, saved.secretsKey, { slug }) : null);
  const mercadoPago = async (slug: string) => {
    const own = (await savedFor(slug))?.mercadopago;
    const token = own?.accessToken ?? perCompany('MERCADOPAGO_ACCESS_TOKEN', slug, p.mercadoPago.accessToken);
    return token ? createMercadoPagoGateway({ accessToken: token, baseUrl: own?.baseUrl ?? p.mercadoPago.baseUrl, timeoutMs: PROVIDER_TIMEOUT_MS }) : null;
  };
  return {
    defaultProvider: p.defaultProvider,
    publicUrl: config.providers.publicUrl,
    gateways: {
      async checkout(provider, slug) {
        if (provider === 'mercadopago') return mercadoPago(slug);
        const own = (await savedFor(slug))?.stripe;
        const key = own?.secretKey ?? perCompany('STRIPE_SECRET_KEY', slug, p.stripe.secretKey);
        return key ? createStripeGateway({ secretKey: key, baseUrl: own?.baseUrl ?? p.stripe.baseUrl, timeoutMs: PROVIDER_TIMEOUT_MS }) : null;
      },
      mercadoPagoPayments: mercadoPago,
    },
  };
}
