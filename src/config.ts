/** The one environment schema, parsed once at start. */
import { z } from 'zod';

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));
const optionalUrl = (name: string) =>
  optionalText.refine((v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v), `${name} must be an http:// or https:// URL`);
const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .optional()
  .transform((v) => (v === undefined || v === '' ? undefined : v === 'true' || v === '1' || v === 'yes'));

const EnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres:// or postgresql://')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  COBRANZA_DATA_DIR: z.string().min(1).default('./data'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  /** Overrides "now" (ISO instant or date) so an operator or a test can move the clock. */
  COBRANZA_NOW: z.string().optional(),
  COBRANZA_COMPANY: z.string().default('default'),
  COBRANZA_COUNTRY: z.string().length(2).default('MX'),
  /** Size of the demo portfolio the quick start loads into an empty database. */
  COBRANZA_DEMO_DEBTORS: z.coerce.number().int().min(1).max(1_000_000).default(2000),
  /** The URL providers reach this server at (status callbacks, webhooks). */
  COBRANZA_PUBLIC_URL: optionalUrl('COBRANZA_PUBLIC_URL'),
  /** Where letters are written as PDF (default `<data dir>/letters`, one folder per day). */
  COBRANZA_LETTERS_DIR: optionalText,
  /** Signs debtor portal links (/p/…); unset, each company's links use a random key kept in its portal settings. */
  COBRANZA_PORTAL_SECRET: optionalText.refine((v) => v === undefined || v.length >= 32, 'COBRANZA_PORTAL_SECRET must have at least 32 characters'),
  /** Encrypts provider credentials at rest: 32 bytes, base64 (see docs/adr/0009-provider-secrets-encrypted-at-rest.md). */
  COBRANZA_SECRETS_KEY: optionalText.refine((v) => v === undefined || Buffer.from(v, 'base64').length === 32, 'COBRANZA_SECRETS_KEY must be 32 bytes in base64 (openssl rand -base64 32)'),

  /** The session cookie's Secure flag; default: on, except when serving plain http on a loopback host. */
  COBRANZA_COOKIE_SECURE: flag,
  COBRANZA_SESSION_HOURS: z.coerce.number().positive().max(24 * 90).default(12),
  COBRANZA_SESSION_IDLE_MINUTES: z.coerce.number().int().positive().max(24 * 60 * 30).default(60),
  COBRANZA_LOCKOUT_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(5),
  COBRANZA_LOCKOUT_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  COBRANZA_RESET_MINUTES: z.coerce.number().int().min(5).max(7 * 24 * 60).default(60),

  COBRANZA_EMAIL: z.enum(['sandbox', 'smtp']).default('sandbox'),
  SMTP_HOST: optionalText,
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  SMTP_SECURE: flag,
  SMTP_USER: optionalText,
  SMTP_PASSWORD: z.string().optional(),
  SMTP_FROM: optionalText,

  COBRANZA_WHATSAPP: z.enum(['sandbox', 'cloud']).default('sandbox'),
  WHATSAPP_PHONE_NUMBER_ID: optionalText,
  WHATSAPP_ACCESS_TOKEN: optionalText,
  WHATSAPP_API_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/, 'WHATSAPP_API_VERSION must look like v21.0')
    .default('v21.0'),
  WHATSAPP_BASE_URL: optionalUrl('WHATSAPP_BASE_URL'),
  WHATSAPP_APP_SECRET: optionalText,
  WHATSAPP_VERIFY_TOKEN: optionalText,

  COBRANZA_SMS: z.enum(['sandbox', 'twilio']).default('sandbox'),
  TWILIO_ACCOUNT_SID: optionalText,
  TWILIO_AUTH_TOKEN: optionalText,
  TWILIO_FROM: optionalText,
  TWILIO_MESSAGING_SERVICE_SID: optionalText,
  TWILIO_BASE_URL: optionalUrl('TWILIO_BASE_URL'),

  /** Provider of payment links for companies whose payment settings name none. */
  COBRANZA_PAYMENTS: z.enum(['sandbox', 'stripe', 'mercadopago', 'bank_reference']).default('sandbox'),
  STRIPE_SECRET_KEY: optionalText,
  STRIPE_WEBHOOK_SECRET: optionalText,
  STRIPE_BASE_URL: optionalUrl('STRIPE_BASE_URL'),
  MERCADOPAGO_ACCESS_TOKEN: optionalText,
  MERCADOPAGO_WEBHOOK_SECRET: optionalText,
  MERCADOPAGO_BASE_URL: optionalUrl('MERCADOPAGO_BASE_URL'),
});

export type EmailProviderConfig =
  | { kind: 'sandbox' }
  | { kind: 'smtp'; host: string; port: number; secure: boolean; auth: { user: string; pass: string } | null; from: string };

export type WhatsAppProviderConfig =
  | { kind: 'sandbox' }
  | { kind: 'cloud'; phoneNumberId: string; accessToken: string; apiVersion: string; baseUrl: string;
      /** For the webhook (X-Hub-Signature-256 and the GET handshake); sending does not need them. */
      appSecret: string | null;
      verifyToken: string | null;
    };

export type SmsProviderConfig =
  | { kind: 'sandbox' }
  | ({ kind: 'twilio'; accountSid: string; authToken: string; baseUrl: string } & (
      | { from: string; messagingServiceSid?: undefined }
      | { messagingServiceSid: string; from?: undefined }
    ));

/** Payment providers: the default for new links and the server-wide credentials (per-company ones: see webhook-config.ts). */
export interface PaymentsConfig {
  defaultProvider: 'sandbox' | 'stripe' | 'mercadopago' | 'bank_reference';
  stripe: { secretKey: string | null; baseUrl: string };
  mercadoPago: { accessToken: string | null; baseUrl: string };
}

export interface ProvidersConfig {
  email: EmailProviderConfig;
  whatsapp: WhatsAppProviderConfig;
  sms: SmsProviderConfig;
  /** Without a trailing slash; null when not set. */
  publicUrl: string | null;
  /** Root folder of letter PDFs; each day's letters go to a `YYYY-MM-DD` folder under it. */
  lettersDir: string;
  payments: PaymentsConfig;
}

/** Sign-in policy and the session cookie (see src/modules/access/settings.ts). */
export interface AuthConfig {
  /** undefined: decided from the host and public URL when serving. */
  cookieSecure: boolean | undefined;
  sessionTtlMs: number;
  idleTimeoutMs: number;
  maxFailedLogins: number;
  lockoutMs: number;
  resetTtlMs: number;
}

export type Config = {
  databaseUrl: string | undefined;
  dataDir: string;
  port: number;
  host: string;
  now: string | undefined;
  company: string;
  country: string;
  demoDebtors: number;
  providers: ProvidersConfig;
  auth: AuthConfig;
  /** COBRANZA_PORTAL_SECRET, or null to use each company's stored key. */
  portalSecret: string | null;
  /** COBRANZA_SECRETS_KEY (base64), or null: the embedded demo keeps one in the data directory (src/cli/secrets-key.ts). */
  secretsKey: string | null;
};

/** Parses the environment; throws with every problem listed (a chosen real provider lists each setting it lacks). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid environment:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  const dataDir = e.COBRANZA_DATA_DIR;
  const problems: string[] = [];
  const need = (provider: string, values: Record<string, string | undefined>): void => {
    const missing = Object.entries(values)
      .filter(([, v]) => v === undefined)
      .map(([k]) => k);
    if (missing.length) problems.push(`${provider} needs ${missing.join(', ')}`);
  };

  let email: EmailProviderConfig = { kind: 'sandbox' };
  if (e.COBRANZA_EMAIL === 'smtp') {
    need('COBRANZA_EMAIL=smtp', { SMTP_HOST: e.SMTP_HOST, SMTP_FROM: e.SMTP_FROM });
    if ((e.SMTP_USER === undefined) !== (e.SMTP_PASSWORD === undefined || e.SMTP_PASSWORD === '')) {
      problems.push('COBRANZA_EMAIL=smtp: give both SMTP_USER and SMTP_PASSWORD, or neither');
    }
    const secure = e.SMTP_SECURE ?? e.SMTP_PORT === 465;
    email = {
      kind: 'smtp',
      host: e.SMTP_HOST ?? '',
      port: e.SMTP_PORT ?? (secure ? 465 : 587),
      secure,
      auth: e.SMTP_USER !== undefined && e.SMTP_PASSWORD ? { user: e.SMTP_USER, pass: e.SMTP_PASSWORD } : null,
      from: e.SMTP_FROM ?? '',
    };
  }

  let whatsapp: WhatsAppProviderConfig = { kind: 'sandbox' };
  if (e.COBRANZA_WHATSAPP === 'cloud') {
    need('COBRANZA_WHATSAPP=cloud', {
      WHATSAPP_PHONE_NUMBER_ID: e.WHATSAPP_PHONE_NUMBER_ID,
      WHATSAPP_ACCESS_TOKEN: e.WHATSAPP_ACCESS_TOKEN,
    });
    whatsapp = {
      kind: 'cloud',
      phoneNumberId: e.WHATSAPP_PHONE_NUMBER_ID ?? '',
      accessToken: e.WHATSAPP_ACCESS_TOKEN ?? '',
      apiVersion: e.WHATSAPP_API_VERSION,
      baseUrl: trimSlash(e.WHATSAPP_BASE_URL ?? 'https://graph.facebook.com'),
      appSecret: e.WHATSAPP_APP_SECRET ?? null,
      verifyToken: e.WHATSAPP_VERIFY_TOKEN ?? null,
    };
  }

  let sms: SmsProviderConfig = { kind: 'sandbox' };
  if (e.COBRANZA_SMS === 'twilio') {
    need('COBRANZA_SMS=twilio', { TWILIO_ACCOUNT_SID: e.TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN: e.TWILIO_AUTH_TOKEN });
    if (e.TWILIO_FROM === undefined && e.TWILIO_MESSAGING_SERVICE_SID === undefined) {
      problems.push('COBRANZA_SMS=twilio needs TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID');
    } else if (e.TWILIO_FROM !== undefined && e.TWILIO_MESSAGING_SERVICE_SID !== undefined) {
      problems.push('COBRANZA_SMS=twilio: give TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID, not both');
    }
    const base = { kind: 'twilio' as const, accountSid: e.TWILIO_ACCOUNT_SID ?? '', authToken: e.TWILIO_AUTH_TOKEN ?? '', baseUrl: trimSlash(e.TWILIO_BASE_URL ?? 'https://api.twilio.com') };
    sms = e.TWILIO_MESSAGING_SERVICE_SID !== undefined ? { ...base, messagingServiceSid: e.TWILIO_MESSAGING_SERVICE_SID } : { ...base, from: e.TWILIO_FROM ?? '' };
  }

  if (e.COBRANZA_PAYMENTS === 'stripe') need('COBRANZA_PAYMENTS=stripe', { STRIPE_SECRET_KEY: e.STRIPE_SECRET_KEY });
  if (e.COBRANZA_PAYMENTS === 'mercadopago') need('COBRANZA_PAYMENTS=mercadopago', { MERCADOPAGO_ACCESS_TOKEN: e.MERCADOPAGO_ACCESS_TOKEN });
  if (problems.length) throw new Error(`invalid environment:\n  ${problems.join('\n  ')}`);
  return {
    databaseUrl: e.DATABASE_URL,
    dataDir,
    port: e.PORT,
    host: e.HOST,
    now: e.COBRANZA_NOW,
    company: e.COBRANZA_COMPANY,
    country: e.COBRANZA_COUNTRY.toUpperCase(),
    demoDebtors: e.COBRANZA_DEMO_DEBTORS,
    auth: {
      cookieSecure: e.COBRANZA_COOKIE_SECURE,
      sessionTtlMs: e.COBRANZA_SESSION_HOURS * 3_600_000,
      idleTimeoutMs: e.COBRANZA_SESSION_IDLE_MINUTES * 60_000,
      maxFailedLogins: e.COBRANZA_LOCKOUT_ATTEMPTS,
      lockoutMs: e.COBRANZA_LOCKOUT_MINUTES * 60_000,
      resetTtlMs: e.COBRANZA_RESET_MINUTES * 60_000,
    },
    portalSecret: e.COBRANZA_PORTAL_SECRET ?? null,
    secretsKey: e.COBRANZA_SECRETS_KEY ?? null,
    providers: {
      email,
      whatsapp,
      sms,
      publicUrl: e.COBRANZA_PUBLIC_URL ? trimSlash(e.COBRANZA_PUBLIC_URL) : null,
      lettersDir: e.COBRANZA_LETTERS_DIR ?? joinPath(dataDir, 'letters'),
      payments: {
        defaultProvider: e.COBRANZA_PAYMENTS,
        stripe: { secretKey: e.STRIPE_SECRET_KEY ?? null, baseUrl: trimSlash(e.STRIPE_BASE_URL ?? 'https://api.stripe.com') },
        mercadoPago: { accessToken: e.MERCADOPAGO_ACCESS_TOKEN ?? null, baseUrl: trimSlash(e.MERCADOPAGO_BASE_URL ?? 'https://api.mercadopago.com') },
      },
    },
  };
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function joinPath(dir: string, name: string): string {
  return `${dir.replace(/[\\/]+$/, '')}/${name}`;
}
