/**
 * A company's saved provider credentials, opened for the code that talks to the providers: the settings of each
 * provider complete enough to send with (null when not), and the webhook secrets one by one. The callers fall back to
 * the environment for whatever is null here (docs/adr/0009-provider-secrets-encrypted-at-rest.md).
 *
 * Each provider carries a fingerprint of what is stored (plain settings and sealed values; a save seals afresh, so
 * every save changes it): a caller that keeps a built provider rebuilds it when the fingerprint changes, which makes a
 * saved change take effect at the next lookup, in every process, without a restart.
 */
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/connection.ts';
import { companies } from '../../db/schema.ts';
import { providerSettings } from '../../db/tables/settings.ts';
import { openSecrets, PROVIDERS, type ProviderId } from './provider-settings.ts';

export interface SavedSmtp {
  host: string;
  port: number;
  secure: boolean;
  auth: { user: string; pass: string } | null;
  from: string;
}
export interface SavedWhatsApp {
  phoneNumberId: string;
  accessToken: string;
  apiVersion: string | null;
  baseUrl: string | null;
}
export interface SavedTwilio {
  accountSid: string;
  authToken: string;
  from: string | null;
  messagingServiceSid: string | null;
  baseUrl: string | null;
}
export interface SavedStripe {
  secretKey: string;
  baseUrl: string | null;
}
export interface SavedMercadoPago {
  accessToken: string;
  baseUrl: string | null;
}

/** The secrets webhooks check signatures with (the names match src/http/webhook-config.ts). */
export interface SavedWebhookSecrets {
  whatsappAppSecret?: string;
  whatsappVerifyToken?: string;
  twilioAuthToken?: string;
  stripeWebhookSecret?: string;
  mercadoPagoWebhookSecret?: string;
}

export interface SavedCredentials {
  companyId: number;
  companySlug: string;
  /** Changes whenever the provider's stored settings change; absent for a provider never saved. */
  fingerprints: Partial<Record<ProviderId, string>>;
  smtp: SavedSmtp | null;
  whatsapp: SavedWhatsApp | null;
  twilio: SavedTwilio | null;
  stripe: SavedStripe | null;
  mercadopago: SavedMercadoPago | null;
  webhooks: SavedWebhookSecrets;
}

type Stored = { settings: Record<string, unknown>; secrets: Record<string, string> };

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

function smtpOf(p: Stored | undefined): SavedSmtp | null {
  const host = str(p?.settings.host);
  const from = str(p?.settings.from);
  if (!p || !host || !from) return null;
  const port = typeof p.settings.port === 'number' ? p.settings.port : null;
  const secure = typeof p.settings.secure === 'boolean' ? p.settings.secure : port === 465;
  const user = str(p.settings.user);
  const pass = p.secrets.password ?? null;
  return { host, port: port ?? (secure ? 465 : 587), secure, auth: user && pass ? { user, pass } : null, from };
}

function whatsAppOf(p: Stored | undefined): SavedWhatsApp | null {
  const phoneNumberId = str(p?.settings.phone_number_id);
  const accessToken = p?.secrets.access_token;
  if (!p || !phoneNumberId || !accessToken) return null;
  return { phoneNumberId, accessToken, apiVersion: str(p.settings.api_version), baseUrl: str(p.settings.base_url) };
}

function twilioOf(p: Stored | undefined): SavedTwilio | null {
  const accountSid = str(p?.settings.account_sid);
  const authToken = p?.secrets.auth_token;
  const from = str(p?.settings.from);
  const messagingServiceSid = str(p?.settings.messaging_service_sid);
  if (!p || !accountSid || !authToken || !(from || messagingServiceSid)) return null;
  return { accountSid, authToken, from: messagingServiceSid ? null : from, messagingServiceSid, baseUrl: str(p.settings.base_url) };
}

function fingerprint(row: { settings: Record<string, unknown>; secrets: Record<string, { sealed: string }> }): string {
  const sealed = Object.entries(row.secrets)
    .map(([field, s]) => [field, s.sealed])
    .sort(([a], [b]) => String(a).localeCompare(String(b)));
  return createHash('sha256').update(JSON.stringify([row.settings, sealed])).digest('base64url');
}

/**
 * The saved credentials of the company with this id or slug, opened with `key`; null when there is no such company.
 * Throws SecretsKeyError when `key` is not the key they were sealed with.
 */
export async function loadSavedCredentials(database: Database, key: Buffer, company: { id: number } | { slug: string }): Promise<SavedCredentials | null> {
  const rows = await database.db
    .select({ companyId: companies.id, slug: companies.slug, provider: providerSettings.provider, settings: providerSettings.settings, secrets: providerSettings.secrets })
    .from(companies)
    .leftJoin(providerSettings, eq(providerSettings.companyId, companies.id))
    .where('id' in company ? eq(companies.id, company.id) : eq(companies.slug, company.slug));
  const first = rows[0];
  if (!first) return null;
  const stored: Partial<Record<ProviderId, Stored>> = {};
  const fingerprints: Partial<Record<ProviderId, string>> = {};
  for (const row of rows) {
    const provider = PROVIDERS.find((p) => p === row.provider);
    if (!provider || !row.settings || !row.secrets) continue;
    stored[provider] = { settings: row.settings, secrets: openSecrets(key, first.companyId, provider, row.secrets) };
    fingerprints[provider] = fingerprint({ settings: row.settings, secrets: row.secrets });
  }
  const webhooks: SavedWebhookSecrets = {};
  const secret = (provider: ProviderId, field: string): string | undefined => stored[provider]?.secrets[field];
  const put = (name: keyof SavedWebhookSecrets, value: string | undefined) => {
    if (value) webhooks[name] = value;
  };
  put('whatsappAppSecret', secret('whatsapp', 'app_secret'));
  put('whatsappVerifyToken', secret('whatsapp', 'verify_token'));
  put('twilioAuthToken', secret('twilio', 'auth_token'));
  put('stripeWebhookSecret', secret('stripe', 'webhook_secret'));
  put('mercadoPagoWebhookSecret', secret('mercadopago', 'webhook_secret'));
  const stripeKey = secret('stripe', 'secret_key');
  const mpToken = secret('mercadopago', 'access_token');
  return {
    companyId: first.companyId,
    companySlug: first.slug,
    fingerprints,
    smtp: smtpOf(stored.smtp),
    whatsapp: whatsAppOf(stored.whatsapp),
    twilio: twilioOf(stored.twilio),
    stripe: stripeKey ? { secretKey: stripeKey, baseUrl: str(stored.stripe?.settings.base_url) } : null,
    mercadopago: mpToken ? { accessToken: mpToken, baseUrl: str(stored.mercadopago?.settings.base_url) } : null,
    webhooks,
  };
}
