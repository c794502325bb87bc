import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closedPort } from '../../test/fakes/smtp.ts';
import { startFakeTwilio, type FakeTwilio } from '../../test/fakes/twilio.ts';
import { fixedClock } from '../modules/shared/clock.ts';
import { ProviderError, type ChannelProvider, type OutboundSms } from '../modules/messaging/ports.ts';
import { createTwilioSmsProvider, parseTwilioInbound, parseTwilioStatusCallback, twilioSignature, verifyTwilioSignature } from './sms-twilio.ts';

const clock = fixedClock('2026-03-31T14:00:00Z');

const sms: OutboundSms = {
  channel: 'sms',
  idempotencyKey: 'msg:acme:debtor-42:2026-03-31:sms-1',
  to: '+56912345678',
  body: 'Acme: su cuota de $150.000 venció el 15/03. Pague en https://pago.acme.example/p/abc. Responda BAJA para no recibir SMS.',
};

async function sendError(provider: ChannelProvider<OutboundSms>, message: OutboundSms = sms): Promise<ProviderError> {
  const error = await provider.send(message).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('sms-twilio sends against a loopback Twilio API', () => {
  let twilio: FakeTwilio;
  let provider: ChannelProvider<OutboundSms>;

  beforeAll(async () => {
    twilio = await startFakeTwilio();
    provider = createTwilioSmsProvider({
      baseUrl: twilio.baseUrl,
      accountSid: twilio.accountSid,
      authToken: twilio.authToken,
      from: '+15005550006',
      statusCallbackUrl: 'https://cobranza.acme.example/webhooks/twilio/status',
      timeoutMs: 2_000,
      clock,
    });
  });
  afterAll(() => twilio.close());
  beforeEach(() => {
    twilio.requests.length = 0;
  });

  it('posts the form with Basic auth and returns the SM sid', async () => {
    const result = await provider.send(sms);
    expect(result.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
    expect(result.status).toBe('accepted');

    const [request] = twilio.requests;
    expect(request!.method).toBe('POST');
    expect(request!.path).toBe(`/2010-04-01/Accounts/${twilio.accountSid}/Messages.json`);
    // Decoded independently: "AccountSid:AuthToken" in base64.
    const [scheme, credentials] = request!.headers.authorization!.split(' ');
    expect(scheme).toBe('Basic');
    expect(Buffer.from(credentials!, 'base64').toString()).toBe(`${twilio.accountSid}:${twilio.authToken}`);
    expect(request!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request!.form).toEqual({
      To: '+56912345678',
      From: '+15005550006',
      Body: sms.body,
      StatusCallback: 'https://cobranza.acme.example/webhooks/twilio/status',
    });
    // "+" must travel percent-encoded, or the form decodes it as a space.
    expect(request!.rawBody).toContain('To=%2B56912345678');
  });

  it("the message's own StatusCallback wins over the default", async () => {
    await provider.send({ ...sms, statusCallbackUrl: 'https://cobranza.acme.example/webhooks/twilio/status?company=acme' });
    expect(twilio.requests[0]!.form.StatusCallback).toBe('https://cobranza.acme.example/webhooks/twilio/status?company=acme');
  });

  it('sends through a Messaging Service instead of a From number, without StatusCallback when none is set', async () => {
    const viaService = createTwilioSmsProvider({
      baseUrl: twilio.baseUrl,
      accountSid: twilio.accountSid,
      authToken: twilio.authToken,
      messagingServiceSid: `MG${'a'.repeat(32)}`,
      timeoutMs: 2_000,
    });
    const result = await viaService.send(sms);
    expect(result.status).toBe('accepted');
    expect(twilio.requests[0]!.form).toEqual({ To: '+56912345678', MessagingServiceSid: `MG${'a'.repeat(32)}`, Body: sms.body });
  });

  it('wrong credentials (401, 20003) → permanent', async () => {
    const wrong = createTwilioSmsProvider({ baseUrl: twilio.baseUrl, accountSid: twilio.accountSid, authToken: 'otro', from: '+15005550006', timeoutMs: 2_000 });
    const error = await sendError(wrong);
    expect(error).toMatchObject({ retryable: false, providerCode: '20003' });
    expect(error.message).toMatch(/credentials/);
  });

  it('21211 (invalid number, from the fake itself) → permanent', async () => {
    const error = await sendError(provider, { ...sms, to: '+56-9-1234' });
    expect(error).toMatchObject({ retryable: false, providerCode: '21211' });
    expect(error.message).toMatch(/not a valid phone number/);
  });

  it('21610 (recipient sent STOP) → permanent', async () => {
    twilio.replyNext({ kind: 'twilio-error', status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' });
    const error = await sendError(provider);
    expect(error).toMatchObject({ retryable: false, providerCode: '21610' });
    expect(error.message).toMatch(/STOP/);
  });

  it('429 (20429) with Retry-After → retryable with the delay', async () => {
    twilio.replyNext({ kind: 'twilio-error', status: 429, code: 20429, message: 'Too Many Requests', retryAfter: '3' });
    expect(await sendError(provider)).toMatchObject({ retryable: true, retryAfterMs: 3_000, providerCode: '20429' });
  });

  it('429 without Retry-After → retryable, no delay given', async () => {
    twilio.replyNext({ kind: 'twilio-error', status: 429, code: 20429, message: 'Too Many Requests' });
    expect(await sendError(provider)).toMatchObject({ retryable: true, retryAfterMs: null });
  });

  it('5xx → retryable, with or without a Twilio body', async () => {
    twilio.replyNext({ kind: 'twilio-error', status: 503, code: 20503, message: 'Service unavailable' }, { kind: 'raw', status: 502, body: '<html>Bad Gateway</html>' });
    expect(await sendError(provider)).toMatchObject({ retryable: true, providerCode: '20503' });
    expect(await sendError(provider)).toMatchObject({ retryable: true, providerCode: 'http_502' });
  });

  it('another 4xx → permanent with the Twilio code', async () => {
    twilio.replyNext({ kind: 'twilio-error', status: 400, code: 21408, message: 'Permission to send an SMS has not been enabled for the region indicated by the To number' });
    const error = await sendError(provider);
    expect(error).toMatchObject({ retryable: false, providerCode: '21408' });
    expect(error.message).toContain('region');
  });

  it('a 201 without a sid → permanent (a retry could send twice)', async () => {
    twilio.replyNext({ kind: 'raw', status: 201, body: '{}' });
    expect(await sendError(provider)).toMatchObject({ retryable: false, providerCode: 'malformed_response' });
  });

  it('a server that never answers → retryable timeout', async () => {
    const quick = createTwilioSmsProvider({ baseUrl: twilio.baseUrl, accountSid: twilio.accountSid, authToken: twilio.authToken, from: '+15005550006', timeoutMs: 200 });
    twilio.replyNext({ kind: 'hang' });
    expect(await sendError(quick)).toMatchObject({ retryable: true, providerCode: 'timeout' });
  });
});

it('sms-twilio: nothing listening → retryable network error', async () => {
  const provider = createTwilioSmsProvider({ baseUrl: `http://127.0.0.1:${await closedPort()}`, accountSid: 'AC1', authToken: 't', from: '+15005550006', timeoutMs: 2_000 });
  expect(await sendError(provider)).toMatchObject({ retryable: true, providerCode: 'network' });
});

it('sms-twilio: refuses a configuration without a sender', () => {
  expect(() => createTwilioSmsProvider({ accountSid: 'AC1', authToken: 't', timeoutMs: 1_000 } as never)).toThrow(/from number or a messagingServiceSid/);
});

describe('Twilio request signatures', () => {
  // Vector 1 — the example in Twilio's webhook security documentation: auth token "12345", URL
  // https://mycompany.com/myapp.php?foo=1&bar=2 and five POST params. Its published signature is
  // RSOYDt4T1cUTdK1PDd93/VVr8B8=; the test also recomputes it from the concatenation written out by hand.
  const docToken = '12345';
  const docUrl = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const docParams = { To: '+18005551212', From: '+14158675309', Digits: '1234', Caller: '+14158675309', CallSid: 'CA1234567890ABCDE' };
  const docSignature = 'RSOYDt4T1cUTdK1PDd93/VVr8B8=';

  it('reproduces the documented vector, recomputed independently', () => {
    const signed = 'https://mycompany.com/myapp.php?foo=1&bar=2' + 'CallSidCA1234567890ABCDE' + 'Caller+14158675309' + 'Digits1234' + 'From+14158675309' + 'To+18005551212';
    expect(createHmac('sha1', docToken).update(signed).digest('base64')).toBe(docSignature);
    expect(twilioSignature(docUrl, docParams, docToken)).toBe(docSignature);
    expect(verifyTwilioSignature(docUrl, docParams, docSignature, docToken)).toBe(true);
  });

  // Vector 2 — a status callback for this product: token "twilio-auth-token-for-tests", URL with a query string, and
  // the params below; the expected value is the HMAC-SHA1 of the hand-sorted concatenation.
  const token = 'twilio-auth-token-for-tests';
  const url = 'https://cobranza.acme.example/webhooks/twilio/status?company=acme';
  const params = {
    SmsStatus: 'undelivered',
    MessageStatus: 'undelivered',
    ErrorCode: '30003',
    To: '+56912345678',
    MessageSid: 'SM0123456789abcdef0123456789abcdef',
    AccountSid: 'AC0123456789abcdef0123456789abcdef',
    From: '+15005550006',
    ApiVersion: '2010-04-01',
    SmsSid: 'SM0123456789abcdef0123456789abcdef',
  };
  const expected = createHmac('sha1', token)
    .update(
      url +
        'AccountSidAC0123456789abcdef0123456789abcdef' +
        'ApiVersion2010-04-01' +
        'ErrorCode30003' +
        'From+15005550006' +
        'MessageSidSM0123456789abcdef0123456789abcdef' +
        'MessageStatusundelivered' +
        'SmsSidSM0123456789abcdef0123456789abcdef' +
        'SmsStatusundelivered' +
        'To+56912345678',
    )
    .digest('base64');

  it('accepts a status callback signed over the sorted params', () => {
    expect(verifyTwilioSignature(url, params, expected, token)).toBe(true);
  });

  it('rejects a tampered param, another URL, a wrong token, a missing or empty header', () => {
    expect(verifyTwilioSignature(url, { ...params, MessageStatus: 'delivered' }, expected, token)).toBe(false);
    expect(verifyTwilioSignature(url, { ...params, Extra: '1' }, expected, token)).toBe(false);
    expect(verifyTwilioSignature('https://cobranza.acme.example/webhooks/twilio/status', params, expected, token)).toBe(false);
    expect(verifyTwilioSignature(url, params, expected, 'otro-token')).toBe(false);
    expect(verifyTwilioSignature(url, params, undefined, token)).toBe(false);
    expect(verifyTwilioSignature(url, params, '', token)).toBe(false);
    expect(verifyTwilioSignature(url, params, expected, '')).toBe(false);
  });
});

describe('Twilio webhooks', () => {
  const receivedAt = new Date('2026-03-31T14:00:09Z');
  const base = { MessageSid: 'SM0123456789abcdef0123456789abcdef', AccountSid: 'AC0123456789abcdef0123456789abcdef', From: '+15005550006', To: '+56912345678', ApiVersion: '2010-04-01' };

  it('maps sent, delivered, undelivered and failed; interim statuses give null', () => {
    const status = (MessageStatus: string, extra: Record<string, string> = {}) => parseTwilioStatusCallback({ ...base, MessageStatus, SmsStatus: MessageStatus, ...extra }, receivedAt);
    expect(status('sent')).toEqual({ kind: 'status', channel: 'sms', providerMessageId: base.MessageSid, status: 'sent', at: receivedAt });
    expect(status('delivered')).toEqual({ kind: 'status', channel: 'sms', providerMessageId: base.MessageSid, status: 'delivered', at: receivedAt });
    expect(status('undelivered', { ErrorCode: '30003' })).toEqual({
      kind: 'status',
      channel: 'sms',
      providerMessageId: base.MessageSid,
      status: 'failed',
      at: receivedAt,
      error: '30003 unreachable destination handset',
    });
    expect(status('failed', { ErrorCode: '30410' })).toMatchObject({ status: 'failed', error: '30410 see https://www.twilio.com/docs/api/errors/30410' });
    for (const interim of ['queued', 'accepted', 'sending', 'scheduled', 'canceled']) expect(status(interim)).toBeNull();
  });

  it('malformed status callbacks give null', () => {
    expect(parseTwilioStatusCallback({}, receivedAt)).toBeNull();
    expect(parseTwilioStatusCallback({ MessageStatus: 'delivered' }, receivedAt)).toBeNull();
  });

  it('reads an incoming SMS', () => {
    const params = { ...base, From: '+56912345678', To: '+15005550006', Body: 'BAJA', NumMedia: '0', NumSegments: '1', SmsMessageSid: base.MessageSid, FromCountry: 'CL' };
    expect(parseTwilioInbound(params, receivedAt)).toEqual({ kind: 'message', channel: 'sms', providerMessageId: base.MessageSid, from: '+56912345678', text: 'BAJA', at: receivedAt });
    expect(parseTwilioInbound({ From: '+56912345678' }, receivedAt)).toBeNull();
  });
});
