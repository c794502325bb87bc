/**
 * Where provider webhooks find their secrets. A webhook names its company in the path (`/webhooks/whatsapp/acme`,
 * `/webhooks/twilio/acme/status`); the secrets are per company, never from the request. A secret the company saved
 * in its provider settings (sealed at rest, docs/adr/0009-provider-secrets-encrypted-at-rest.md) is used first
 * (src/http/routes/webhooks/shared.ts); otherwise it comes from the environment, read here:
 *
 * | variable                          | what                                                                 |
 * |-----------------------------------|----------------------------------------------------------------------|
 * | WHATSAPP_APP_SECRET               | Meta app secret: key of the X-Hub-Signature-256 HMAC                  |
 * | WHATSAPP_VERIFY_TOKEN             | token Meta's subscription handshake (GET) must present                |
 * | TWILIO_AUTH_TOKEN                 | Twilio auth token: key of the X-Twilio-Signature HMAC                 |
 * | STRIPE_WEBHOOK_SECRET             | Stripe endpoint signing secret (whsec_…): key of the Stripe-Signature HMAC |
 * | MERCADOPAGO_WEBHOOK_SECRET        | Mercado Pago webhook secret: key of the x-signature HMAC              |
 * | COBRANZA_PUBLIC_URL               | public base URL (e.g. https://cobranza.acme.mx) Twilio calls; without it the request's own scheme and Host are used |
 *
 * Each secret may be given for one company by suffixing `__` and the company slug in upper case with every other
 * character as `_` (TWILIO_AUTH_TOKEN__ACME for slug "acme"); the suffixed value wins over the plain one.
 * A webhook whose company does not exist or whose secret is not configured answers 404. The unsuffixed names are the
 * ones src/config.ts validates for the outbound providers, so one setting serves both directions.
 */

export interface WebhookSecrets {
  whatsappAppSecret?: string | undefined;
  whatsappVerifyToken?: string | undefined;
  twilioAuthToken?: string | undefined;
  stripeWebhookSecret?: string | undefined;
  mercadoPagoWebhookSecret?: string | undefined;
}

export interface WebhookConfig {
  secretsFor(companySlug: string): WebhookSecrets;
  /** Scheme, host and optional path prefix the providers call, without a trailing slash. */
  publicBaseUrl?: string | undefined;
}

/** No webhook is configured: every webhook answers 404. */
export const NO_WEBHOOKS: WebhookConfig = { secretsFor: () => ({}) };

/** Reads the variables above. */
export function webhookConfigFromEnv(env: NodeJS.ProcessEnv): WebhookConfig {
  const read = (name: string, slug: string): string | undefined => {
    const own = env[`${name}__${slug.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`];
    const value = own !== undefined && own !== '' ? own : env[name];
    return value === '' ? undefined : value;
  };
  const base = env.COBRANZA_PUBLIC_URL?.trim();
  return {
    secretsFor: (slug) => ({
      whatsappAppSecret: read('WHATSAPP_APP_SECRET', slug),
      whatsappVerifyToken: read('WHATSAPP_VERIFY_TOKEN', slug),
      twilioAuthToken: read('TWILIO_AUTH_TOKEN', slug),
      stripeWebhookSecret: read('STRIPE_WEBHOOK_SECRET', slug),
      mercadoPagoWebhookSecret: read('MERCADOPAGO_WEBHOOK_SECRET', slug),
    }),
    publicBaseUrl: base ? base.replace(/\/+$/, '') : undefined,
  };
}
