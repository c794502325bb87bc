/**
 * The channel providers `serve` and `worker` dispatch through. Per company, its saved credentials come first (the
 * settings page, sealed at rest: docs/adr/0009-provider-secrets-encrypted-at-rest.md); a channel the company has not
 * configured completely uses the configuration's provider: the sandbox (the demo default) or the real provider for
 * each of email, WhatsApp and SMS. Letters are always written as PDF files.
 */
import type { Config } from '../config.ts';
import type { Mailer } from '../modules/access/password-reset.ts';
import type { ChannelProvider, ProviderRegistry } from '../modules/messaging/index.ts';
import type { Clock } from '../modules/shared/clock.ts';
import type { Ctx } from '../modules/shared/context.ts';
import { loadSavedCredentials } from '../modules/settings/index.ts';
import { createSmtpProvider } from '../providers/email-smtp.ts';
import { createLetterFileProvider } from '../providers/letter-files.ts';
import { createSandboxProvider } from '../providers/sandbox.ts';
import { createTwilioSmsProvider } from '../providers/sms-twilio.ts';
import { createWhatsAppCloudProvider } from '../providers/whatsapp-cloud.ts';

/** How long one provider call may take before it counts as a (retryable) failure. */
export const PROVIDER_TIMEOUT_MS = 30_000;

/** Where Twilio posts delivery statuses for a company, given the public URL (matches the webhook route). */
export function twilioStatusCallbackUrl(publicUrl: string, companySlug: string): string {
  return `${publicUrl}/webhooks/twilio/${encodeURIComponent(companySlug)}/status`;
}

/** The provider for each channel, per `config.providers`. */
export function providersFromConfig(config: Pick<Config, 'providers' | 'company'>, clock: Clock): ProviderRegistry {
  const p = config.providers;
  const email =
    p.email.kind === 'smtp'
      ? createSmtpProvider({
          host: p.email.host,
          port: p.email.port,
          secure: p.email.secure,
          ...(p.email.auth ? { auth: p.email.auth } : {}),
          from: p.email.from,
          timeoutMs: PROVIDER_TIMEOUT_MS,
          clock,
        })
      : createSandboxProvider('email', { clock });
  const whatsapp =
    p.whatsapp.kind === 'cloud'
      ? createWhatsAppCloudProvider({
          baseUrl: p.whatsapp.baseUrl,
          apiVersion: p.whatsapp.apiVersion,
          phoneNumberId: p.whatsapp.phoneNumberId,
          accessToken: p.whatsapp.accessToken,
          timeoutMs: PROVIDER_TIMEOUT_MS,
          clock,
        })
      : createSandboxProvider('whatsapp', { clock });
  let sms;
  if (p.sms.kind === 'twilio') {
    const common = {
      baseUrl: p.sms.baseUrl,
      accountSid: p.sms.accountSid,
      authToken: p.sms.authToken,
      timeoutMs: PROVIDER_TIMEOUT_MS,
      clock,
      ...(p.publicUrl ? { statusCallbackUrl: twilioStatusCallbackUrl(p.publicUrl, config.company) } : {}),
    };
    sms = p.sms.messagingServiceSid !== undefined ? createTwilioSmsProvider({ ...common, messagingServiceSid: p.sms.messagingServiceSid }) : createTwilioSmsProvider({ ...common, from: p.sms.from });
  } else {
    sms = createSandboxProvider('sms', { clock });
  }
  return { email, whatsapp, sms, letter: createLetterFileProvider({ dir: p.lettersDir }) };
}

/** The providers of the company a context names. */
export type CompanyProviders = (ctx: Ctx) => Promise<ProviderRegistry>;

/** Graph API version for saved WhatsApp settings that name none (the configuration's default). */
const DEFAULT_WHATSAPP_API_VERSION = 'v21.0';

/**
 * Each company's providers: the ones its saved credentials make (opened with `secretsKey`), the configuration's for
 * every other channel. The saved settings are read at each call (one small query), and a provider built from them is
 * kept until they change, so a save takes effect at the next dispatch round, in every worker, without a restart.
 */
export function companyProvidersFromConfig(config: Pick<Config, 'providers' | 'company'>, clock: Clock, secretsKey: Buffer): CompanyProviders {
  const fallback = providersFromConfig(config, clock);
  const p = config.providers;
  const built = new Map<string, { fingerprint: string; provider: ChannelProvider }>();
  const kept = (key: string, fingerprint: string | undefined, build: () => ChannelProvider): ChannelProvider => {
    const cached = built.get(key);
    if (cached && cached.fingerprint === fingerprint) return cached.provider;
    const provider = build();
    built.set(key, { fingerprint: fingerprint ?? '', provider });
    // A replaced SMTP transport is released (it pools nothing, so a send still in flight on it completes).
    (cached?.provider as { close?: () => void } | undefined)?.close?.();
    return provider;
  };
  return async (ctx) => {
    const saved = await loadSavedCredentials(ctx.database, secretsKey, { id: ctx.companyId });
    const registry: ProviderRegistry = { ...fallback };
    if (!saved) return registry;
    const id = saved.companyId;
    const { smtp, whatsapp, twilio } = saved;
    if (smtp) {
      registry.email = kept(`${id}/smtp`, saved.fingerprints.smtp, () =>
        createSmtpProvider({ host: smtp.host, port: smtp.port, secure: smtp.secure, ...(smtp.auth ? { auth: smtp.auth } : {}), from: smtp.from, timeoutMs: PROVIDER_TIMEOUT_MS, clock }),
      );
    }
    if (whatsapp) {
      registry.whatsapp = kept(`${id}/whatsapp`, saved.fingerprints.whatsapp, () =>
        createWhatsAppCloudProvider({
          ...(whatsapp.baseUrl ? { baseUrl: whatsapp.baseUrl } : {}),
          apiVersion: whatsapp.apiVersion ?? (p.whatsapp.kind === 'cloud' ? p.whatsapp.apiVersion : DEFAULT_WHATSAPP_API_VERSION),
          phoneNumberId: whatsapp.phoneNumberId,
          accessToken: whatsapp.accessToken,
          timeoutMs: PROVIDER_TIMEOUT_MS,
          clock,
        }),
      );
    }
    if (twilio) {
      registry.sms = kept(`${id}/twilio`, saved.fingerprints.twilio, () =>
        createTwilioSmsProvider({
          accountSid: twilio.accountSid,
          authToken: twilio.authToken,
          ...(twilio.baseUrl ? { baseUrl: twilio.baseUrl } : {}),
          ...(twilio.messagingServiceSid ? { messagingServiceSid: twilio.messagingServiceSid } : { from: twilio.from! }),
          ...(p.publicUrl ? { statusCallbackUrl: twilioStatusCallbackUrl(p.publicUrl, saved.companySlug) } : {}),
          timeoutMs: PROVIDER_TIMEOUT_MS,
          clock,
        }),
      );
    }
    return registry;
  };
}

/** Name of the sandbox's email provider (src/providers/sandbox.ts): what it accepts never leaves the process. */
const SANDBOX_EMAIL = 'sandbox-email';

/**
 * Where a company's password reset emails go: the email provider dispatch uses for it (`providers`, from
 * companyProvidersFromConfig: its saved SMTP settings, else the configuration's SMTP, else the sandbox), so reset
 * emails and messages follow one lookup. When it is the sandbox nothing leaves the machine, and `print` (if given)
 * shows the link instead, as the quick start's way to reset a password.
 */
export function resetMailer(providers: CompanyProviders, print?: (line: string) => void): Mailer {
  return async (ctx) => {
    const email = (await providers(ctx)).email as Awaited<ReturnType<Mailer>>;
    if (!print || email.name !== SANDBOX_EMAIL) return email;
    return {
      name: email.name,
      channel: 'email',
      async send(message) {
        const link = /https?:\/\/\S+reset-password\S+/.exec(message.text)?.[0];
        if (link) print(`[sandbox] password reset for ${message.to}: ${link}\n`);
        return email.send(message);
      },
    };
  };
}
