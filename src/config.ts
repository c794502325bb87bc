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

export interface ProvidersConfig {
  email: EmailProviderConfig;
  whatsapp: WhatsAppProviderConfig;
  sms: SmsProviderConfig;
  /** Without a trailing slash; null when not set. */
  publicUrl: string | null;
  /** Root folder of letter PDFs; each day's letters go to a `YYYY-MM-DD` folder under it. */
  lettersDir: string;
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
    providers: {
      email,
      whatsapp,
      sms,
      publicUrl: e.COBRANZA_PUBLIC_URL ? trimSlash(e.COBRANZA_PUBLIC_URL) : null,
      lettersDir: e.COBRANZA_LETTERS_DIR ?? joinPath(dataDir, 'letters'),
    },
  };
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function joinPath(dir: string, name: string): string {
  return `${dir.replace(/[\\/]+$/, '')}/${name}`;
}
