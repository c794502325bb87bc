/**
 * The channel providers `serve` and `worker` dispatch through, chosen by the configuration: the sandbox (the demo
 * default) or the real provider for each of email, WhatsApp and SMS; letters are always written as PDF files.
 */
import type { Config } from '../config.ts';
import type { ProviderRegistry } from '../modules/messaging/index.ts';
import type { Clock } from '../modules/shared/clock.ts';
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
