import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('provider settings', () => {
  it('defaults every channel to the sandbox and letters to <data dir>/letters', () => {
    const c = loadConfig({ COBRANZA_DATA_DIR: '/var/lib/cobranza/' });
    expect(c.providers).toEqual({ email: { kind: 'sandbox' }, whatsapp: { kind: 'sandbox' }, sms: { kind: 'sandbox' }, publicUrl: null,
      lettersDir: '/var/lib/cobranza/letters',
      payments: { defaultProvider: 'sandbox', stripe: { secretKey: null, baseUrl: 'https://api.stripe.com' }, mercadoPago: { accessToken: null, baseUrl: 'https://api.mercadopago.com' } },
    });
    expect(loadConfig({ COBRANZA_LETTERS_DIR: '/srv/print' }).providers.lettersDir).toBe('/srv/print');
  });

  it('a payment provider chosen as default needs its credentials', () => {
    expect(() => loadConfig({ COBRANZA_PAYMENTS: 'stripe' })).toThrow(/COBRANZA_PAYMENTS=stripe needs STRIPE_SECRET_KEY/);
    expect(() => loadConfig({ COBRANZA_PAYMENTS: 'mercadopago' })).toThrow(/MERCADOPAGO_ACCESS_TOKEN/);
    expect(loadConfig({ COBRANZA_PAYMENTS: 'stripe', STRIPE_SECRET_KEY: 'sk_live_x', STRIPE_BASE_URL: 'http://127.0.0.1:9/' }).providers.payments.stripe).toEqual({ secretKey: 'sk_live_x', baseUrl: 'http://127.0.0.1:9' });
  });

  it('reads the real providers', () => {
    const c = loadConfig({
      COBRANZA_EMAIL: 'smtp',
      SMTP_HOST: 'smtp.acme.example',
      SMTP_USER: 'u',
      SMTP_PASSWORD: 'p',
      SMTP_FROM: 'Cobranza <avisos@acme.example>',
      COBRANZA_WHATSAPP: 'cloud',
      WHATSAPP_PHONE_NUMBER_ID: '1234',
      WHATSAPP_ACCESS_TOKEN: 'EAAG',
      WHATSAPP_APP_SECRET: 's',
      COBRANZA_SMS: 'twilio',
      TWILIO_ACCOUNT_SID: 'AC1',
      TWILIO_AUTH_TOKEN: 't',
      TWILIO_MESSAGING_SERVICE_SID: 'MG1',
      COBRANZA_PUBLIC_URL: 'https://cobranza.acme.example/',
    });
    expect(c.providers.email).toEqual({ kind: 'smtp', host: 'smtp.acme.example', port: 587, secure: false, auth: { user: 'u', pass: 'p' }, from: 'Cobranza <avisos@acme.example>' });
    expect(c.providers.whatsapp).toEqual({ kind: 'cloud', phoneNumberId: '1234', accessToken: 'EAAG', apiVersion: 'v21.0', baseUrl: 'https://graph.facebook.com', appSecret: 's', verifyToken: null });
    expect(c.providers.sms).toEqual({ kind: 'twilio', accountSid: 'AC1', authToken: 't', baseUrl: 'https://api.twilio.com', messagingServiceSid: 'MG1' });
    expect(c.providers.publicUrl).toBe('https://cobranza.acme.example');
    const secure = loadConfig({ COBRANZA_EMAIL: 'smtp', SMTP_HOST: 'h', SMTP_FROM: 'a@b.c', SMTP_SECURE: 'true' }).providers.email;
    expect(secure).toMatchObject({ port: 465, secure: true, auth: null });
    expect(loadConfig({ COBRANZA_SMS: 'twilio', TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: 't', TWILIO_FROM: '+15005550006', TWILIO_BASE_URL: 'http://127.0.0.1:9/' }).providers.sms).toMatchObject({
      from: '+15005550006',
      baseUrl: 'http://127.0.0.1:9',
    });
  });

  it('lists every missing setting of a chosen real provider at once', () => {
    let message = '';
    try {
      loadConfig({ COBRANZA_EMAIL: 'smtp', COBRANZA_WHATSAPP: 'cloud', COBRANZA_SMS: 'twilio', SMTP_USER: 'u' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('COBRANZA_EMAIL=smtp needs SMTP_HOST, SMTP_FROM');
    expect(message).toContain('give both SMTP_USER and SMTP_PASSWORD');
    expect(message).toContain('COBRANZA_WHATSAPP=cloud needs WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_ACCESS_TOKEN');
    expect(message).toContain('COBRANZA_SMS=twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN');
    expect(message).toContain('COBRANZA_SMS=twilio needs TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID');
  });

  it('refuses unknown providers and malformed values', () => {
    expect(() => loadConfig({ COBRANZA_EMAIL: 'sendgrid' })).toThrow(/COBRANZA_EMAIL/);
    expect(() => loadConfig({ COBRANZA_PUBLIC_URL: 'cobranza.acme.example' })).toThrow(/COBRANZA_PUBLIC_URL must be an http/);
    expect(() => loadConfig({ WHATSAPP_API_VERSION: '21' })).toThrow(/v21\.0/);
    expect(() => loadConfig({ COBRANZA_SMS: 'twilio', TWILIO_ACCOUNT_SID: 'a', TWILIO_AUTH_TOKEN: 'b', TWILIO_FROM: '+1', TWILIO_MESSAGING_SERVICE_SID: 'MG' })).toThrow(/not both/);
  });
});
