/**
 * Each company's provider credentials: the plain settings and the secrets, which are sealed before they reach the
 * database and never leave it in the clear through the API (only whether one is set and its last four characters).
 */
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { providerSettings, type StoredSecret } from '../../db/tables/settings.ts';
import { recordAudit } from '../access/audit.ts';
import type { Ctx } from '../shared/context.ts';
import { AppError } from '../shared/errors.ts';
import { open, seal } from './secret-box.ts';
import { issueText, zodText } from '../../domain/zod-issues.ts';
import { t } from '../../domain/text.ts';

export const PROVIDERS = ['smtp', 'whatsapp', 'twilio', 'stripe', 'mercadopago'] as const;
export type ProviderId = (typeof PROVIDERS)[number];

const text = z.string().trim().min(1).max(500);
const url = z.string().trim().regex(/^https?:\/\/[^\s]+$/, zodText(t('use an http:// or https:// URL', 'use una URL http:// o https://'))).max(500);
/** A secret in a PUT: absent or "" keeps the stored one, null removes it, text replaces it. */
const secret = z.union([z.literal(''), z.string().min(4, zodText(t('a credential has at least 4 characters', 'una credencial tiene al menos 4 caracteres'))).max(4000)]).nullable().optional();

/** Which fields of each provider are secret (sealed) and which are plain settings. */
export const PROVIDER_FIELDS = {
  smtp: { plain: ['host', 'port', 'secure', 'user', 'from'], secret: ['password'] },
  whatsapp: { plain: ['phone_number_id', 'api_version', 'base_url'], secret: ['access_token', 'app_secret', 'verify_token'] },
  twilio: { plain: ['account_sid', 'from', 'messaging_service_sid', 'base_url'], secret: ['auth_token'] },
  stripe: { plain: ['base_url'], secret: ['secret_key', 'webhook_secret'] },
  mercadopago: { plain: ['base_url'], secret: ['access_token', 'webhook_secret'] },
} as const satisfies Record<ProviderId, { plain: readonly string[]; secret: readonly string[] }>;

/** The body of PUT /settings/providers/:provider, per provider. Plain fields left out are cleared. */
export const providerInputSchemas = {
  smtp: z.strictObject({
    host: text.optional(),
    port: z.number().int().min(1).max(65535).optional(),
    secure: z.boolean().optional(),
    user: text.optional(),
    from: text.regex(/[^\s<>@]+@[^\s<>@]+/, zodText(t('include an email address, e.g. "Cobranza ACME <cobranza@acme.mx>"', 'incluya un correo electrónico, p. ej. "Cobranza ACME <cobranza@acme.mx>"'))).optional(),
    password: secret,
  }),
  whatsapp: z.strictObject({
    phone_number_id: z.string().trim().regex(/^\d+$/, zodText(t('the phone number id is digits only', 'el id del número de teléfono solo tiene dígitos'))).optional(),
    api_version: z.string().trim().regex(/^v\d+\.\d+$/, zodText(t('looks like v21.0', 'tiene la forma v21.0'))).optional(),
    base_url: url.optional(),
    access_token: secret,
    app_secret: secret,
    verify_token: secret,
  }),
  twilio: z
    .strictObject({
      account_sid: z.string().trim().regex(/^AC[0-9a-fA-F]{32}$/, zodText(t('a Twilio account SID is AC followed by 32 hexadecimal characters', 'un SID de cuenta de Twilio es AC seguido de 32 caracteres hexadecimales'))).optional(),
      from: z.string().trim().regex(/^\+[1-9]\d{6,14}$/, zodText(t('use an E.164 number such as +525512345678', 'use un número E.164 como +525512345678'))).optional(),
      messaging_service_sid: z.string().trim().regex(/^MG[0-9a-fA-F]{32}$/, zodText(t('a messaging service SID is MG followed by 32 hexadecimal characters', 'un SID de servicio de mensajería es MG seguido de 32 caracteres hexadecimales'))).optional(),
      base_url: url.optional(),
      auth_token: secret,
    })
    .refine((v) => !(v.from && v.messaging_service_sid), {
      message: zodText(t('give a sender number or a messaging service, not both', 'indique un número remitente o un servicio de mensajería, no ambos')),
      path: ['from'],
    }),
  stripe: z.strictObject({ base_url: url.optional(), secret_key: secret, webhook_secret: secret }),
  mercadopago: z.strictObject({ base_url: url.optional(), access_token: secret, webhook_secret: secret }),
} as const;

export type ProviderInput<P extends ProviderId> = z.infer<(typeof providerInputSchemas)[P]>;

/** What the API shows of one secret. */
export interface SecretView {
  set: boolean;
  last4: string | null;
}

/** One provider's settings as the API shows them: plain values, and of each secret only whether it is set. */
export interface ProviderSettingsView {
  provider: ProviderId;
  settings: Record<string, unknown>;
  secrets: Record<string, SecretView>;
  updated_at: string | null;
  updated_by: string | null;
}

export function isProviderId(value: string): value is ProviderId {
  return (PROVIDERS as readonly string[]).includes(value);
}

/** The associated data a secret is sealed with: it cannot be moved to another company, provider or field. */
function sealContext(companyId: number, provider: ProviderId, field: string): string {
  return `${companyId}/${provider}/${field}`;
}

/** Opens every stored secret of one provider row; throws SecretsKeyError under a wrong key. */
export function openSecrets(key: Buffer, companyId: number, provider: ProviderId, stored: Record<string, StoredSecret>): Record<string, string> {
  const secrets: Record<string, string> = {};
  for (const [field, s] of Object.entries(stored)) secrets[field] = open(key, s.sealed, sealContext(companyId, provider, field));
  return secrets;
}

type Row = typeof providerSettings.$inferSelect;

function view(provider: ProviderId, row: Row | undefined): ProviderSettingsView {
  const secrets: Record<string, SecretView> = {};
  for (const field of PROVIDER_FIELDS[provider].secret) {
    const stored = row?.secrets[field];
    secrets[field] = stored ? { set: true, last4: stored.last4 } : { set: false, last4: null };
  }
  return { provider, settings: row?.settings ?? {}, secrets, updated_at: row ? row.updatedAt.toISOString() : null, updated_by: row?.updatedBy ?? null };
}

/** Every provider's settings for the company (providers never saved appear empty). Secrets are never included. */
export async function listProviderSettings(ctx: Ctx): Promise<ProviderSettingsView[]> {
  const rows = await ctx.database.db.select().from(providerSettings).where(eq(providerSettings.companyId, ctx.companyId));
  return PROVIDERS.map((p) => view(p, rows.find((r) => r.provider === p)));
}

/**
 * Saves one provider's settings: plain fields replace the stored ones; each secret given is sealed under `key`,
 * null removes it, absent or "" keeps it. Audited with which secrets changed, never their values.
 */
export async function setProviderSettings(ctx: Ctx, input: { key: Buffer; provider: string; body: unknown }): Promise<ProviderSettingsView> {
  const { provider, key } = input;
  if (!isProviderId(provider)) throw new AppError('not_found', t(`provider "${provider}" does not exist; use one of ${PROVIDERS.join(', ')}`, `no existe el proveedor "${provider}"; use uno de ${PROVIDERS.join(', ')}`));
  const parsed = providerInputSchemas[provider].safeParse(input.body);
  if (!parsed.success) {
    throw new AppError(
      'validation_failed',
      t(`the ${provider} settings are not valid`, `la configuración de ${provider} no es válida`),
      parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), reason: issueText(i) })),
    );
  }
  const body = parsed.data as Record<string, unknown>;
  const fields = PROVIDER_FIELDS[provider];
  return ctx.database.db.transaction(async (tx) => {
    const [current] = await tx
      .select()
      .from(providerSettings)
      .where(and(eq(providerSettings.companyId, ctx.companyId), eq(providerSettings.provider, provider)))
      .for('update');
    const settings: Record<string, unknown> = {};
    for (const field of fields.plain) if (body[field] !== undefined) settings[field] = body[field];
    const secrets: Record<string, StoredSecret> = { ...(current?.secrets ?? {}) };
    const changedSecrets: Record<string, 'set' | 'removed'> = {};
    for (const field of fields.secret) {
      const value = body[field];
      if (value === null) {
        if (secrets[field]) changedSecrets[field] = 'removed';
        delete secrets[field];
      } else if (typeof value === 'string' && value !== '') {
        secrets[field] = { sealed: seal(key, value, sealContext(ctx.companyId, provider, field)), last4: value.slice(-4) };
        changedSecrets[field] = 'set';
      }
    }
    const now = ctx.clock.now();
    const [row] = await tx
      .insert(providerSettings)
      .values({ companyId: ctx.companyId, provider, settings, secrets, updatedBy: ctx.actor, updatedAt: now })
      .onConflictDoUpdate({ target: [providerSettings.companyId, providerSettings.provider], set: { settings, secrets, updatedBy: ctx.actor, updatedAt: now } })
      .returning();
    const before = view(provider, current);
    const after = view(provider, row);
    // The audit keeps the plain settings and which secrets were set or removed; never a secret or its last digits.
    await recordAudit(
      ctx,
      {
        action: 'provider_settings.update',
        entity: 'provider_settings',
        entityId: provider,
        before: current ? { settings: before.settings, secrets_set: Object.keys(current.secrets) } : null,
        after: { settings: after.settings, secrets_set: Object.keys(secrets), secrets_changed: changedSecrets },
      },
      tx,
    );
    return after;
  });
}

/**
 * The decrypted secrets of one provider, for the code that talks to it (an empty object when none were saved).
 * Throws SecretsKeyError when `key` is not the key they were saved with.
 */
export async function loadProviderSecrets(ctx: Ctx, input: { key: Buffer; provider: ProviderId }): Promise<{ settings: Record<string, unknown>; secrets: Record<string, string> }> {
  const [row] = await ctx.database.db
    .select()
    .from(providerSettings)
    .where(and(eq(providerSettings.companyId, ctx.companyId), eq(providerSettings.provider, input.provider)));
  return { settings: row?.settings ?? {}, secrets: openSecrets(input.key, ctx.companyId, input.provider, row?.secrets ?? {}) };
}
