/**
 * Tables of the settings module: each company's credentials for the external providers (email over SMTP, WhatsApp
 * Cloud, Twilio SMS, Stripe, Mercado Pago). Secret fields are stored only as AES-256-GCM ciphertext (see
 * src/modules/settings/secret-box.ts and docs/adr/0009-provider-secrets-encrypted-at-rest.md).
 */
import { sql } from 'drizzle-orm';
import { check, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { updatedAt } from '../columns.ts';
import { companyId } from '../schema.ts';

/** One encrypted secret: the sealed value and its last four characters (all the API ever shows of it). */
export interface StoredSecret {
  /** "v1:" + base64(iv ‖ tag ‖ ciphertext); the company, provider and field name are the associated data. */
  sealed: string;
  last4: string;
}

/** Per company and provider: the plain settings (host, sender, account id…) and the encrypted secrets by field. */
export const providerSettings = pgTable(
  'provider_settings',
  {
    companyId: companyId(),
    /** smtp | whatsapp | twilio | stripe | mercadopago */
    provider: text('provider').notNull(),
    settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
    secrets: jsonb('secrets').$type<Record<string, StoredSecret>>().notNull().default({}),
    updatedBy: text('updated_by'),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.companyId, t.provider] }),
    check('provider_settings_provider_check', sql`${t.provider} in ('smtp', 'whatsapp', 'twilio', 'stripe', 'mercadopago')`),
  ],
);
