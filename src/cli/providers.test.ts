import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { systemClock } from '../modules/shared/clock.ts';
import { providersFromConfig, twilioStatusCallbackUrl } from './providers.ts';

describe('providersFromConfig', () => {
  it('uses the sandbox by default and always writes letters', () => {
    const r = providersFromConfig(loadConfig({}), systemClock);
    expect([r.email?.name, r.whatsapp?.name, r.sms?.name, r.letter?.name]).toEqual(['sandbox-email', 'sandbox-whatsapp', 'sandbox-sms', 'letter-pdf']);
  });

  it('builds the real providers the configuration names', () => {
    const config = loadConfig({
      COBRANZA_EMAIL: 'smtp',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: '2525',
      SMTP_FROM: 'Cobranza <avisos@acme.example>',
      COBRANZA_WHATSAPP: 'cloud',
      WHATSAPP_PHONE_NUMBER_ID: '1',
      WHATSAPP_ACCESS_TOKEN: 't',
      COBRANZA_SMS: 'twilio',
      TWILIO_ACCOUNT_SID: 'AC1',
      TWILIO_AUTH_TOKEN: 't',
      TWILIO_FROM: '+15005550006',
    });
    const r = providersFromConfig(config, systemClock);
    expect([r.email?.name, r.whatsapp?.name, r.sms?.name, r.letter?.name]).toEqual(['email-smtp', 'whatsapp-cloud', 'sms-twilio', 'letter-pdf']);
    (r.email as unknown as { close(): void }).close();
    expect(twilioStatusCallbackUrl('https://c.acme.example', 'acme')).toBe('https://c.acme.example/webhooks/twilio/acme/status');
  });
});
