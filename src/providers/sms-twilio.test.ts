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

describe("sms-twilio finds a message Twilio already accepted, through the Messages list", () => {
  const at = fixedClock('2026-03-31T14:00:00Z');
  let twilio: FakeTwilio;
  let provider: ChannelProvider<OutboundSms>;
  const since = new Date('2026-03-31T13:30:00Z');

  beforeAll(async () => {
    // Pages of two, so a lookup has to follow next_page_uri.
    twilio = await startFakeTwilio({ clock: at, maxPageSize: 2 });
    provider = createTwilioSmsProvider({ baseUrl: twilio.baseUrl, accountSid: twilio.accountSid, authToken: twilio.authToken, from: '+15005550006', timeoutMs: 2_000, clock: at });
  });
  afterAll(() => twilio.close());
  beforeEach(() => {
    twilio.requests.length = 0;
  });

  it('reads every page, filtered by To, From and DateSent>=, and returns the matches oldest first', async () => {
    const other = createTwilioSmsProvider({ baseUrl: twilio.baseUrl, accountSid: twilio.accountSid, authToken: twilio.authToken, from: '+15005550007', timeoutMs: 2_000 });
    at.set('2026-03-30T23:00:00Z');
    await provider.send(sms); // the day before: outside DateSent>=
    at.set('2026-03-31T14:00:00Z');
    const first = await provider.send(sms);
    at.advance(60_000);
    await provider.send({ ...sms, body: 'Acme: otro mensaje.' });
    await provider.send({ ...sms, to: '+56987654321' });
    await other.send(sms);
    at.advance(60_000);
    const second = await provider.send(sms);
    await provider.send({ ...sms, body: 'Acme: uno más.' });
    twilio.requests.length = 0;

    const found = await provider.findAccepted!(sms, { since });
    expect(found.map((f) => f.providerMessageId)).toEqual([first.providerMessageId, second.providerMessageId]);
    expect(found[0]).toEqual({
      providerMessageId: first.providerMessageId,
      status: 'sent',
      acceptedAt: new Date('2026-03-31T14:00:00Z'),
      delivery: { kind: 'status', channel: 'sms', providerMessageId: first.providerMessageId, status: 'sent', at: new Date('2026-03-31T14:00:00Z') },
    });

    // Four messages to this number from this sender since that day: two pages of two.
    expect(twilio.requests.map((r) => r.method)).toEqual(['GET', 'GET']);
    const [page1, page2] = twilio.requests;
    expect(page1!.query).toEqual({ To: sms.to, From: '+15005550006', 'DateSent>': '2026-03-31', PageSize: '100' });
    // Written as Twilio documents it, DateSent>=YYYY-MM-DD: the parameter "DateSent>" with the date.
    expect(page1!.path).toContain('DateSent%3E=2026-03-31');
    expect(page1!.path).toContain('To=%2B56912345678');
    expect(page1!.headers.authorization).toBe(`Basic ${Buffer.from(`${twilio.accountSid}:${twilio.authToken}`).toString('base64')}`);
    expect(page2!.query).toMatchObject({ To: sms.to, From: '+15005550006', 'DateSent>': '2026-03-31', Page: '1', PageToken: expect.stringMatching(/^PASM/) });
  });

  it('finds nothing for a message never accepted, and looks back one more day just after midnight', async () => {
    expect(await provider.findAccepted!({ ...sms, body: 'Acme: nunca enviado.' }, { since })).toEqual([]);
    twilio.requests.length = 0;
    const found = await provider.findAccepted!(sms, { since: new Date('2026-04-01T00:20:00Z') });
    expect(twilio.requests[0]!.query['DateSent>']).toBe('2026-03-31');
    expect(found).toHaveLength(2);
  });

  it("reports a found message's delivery failure as the status callback would have", async () => {
    at.set('2026-03-31T15:00:00Z');
    const body = 'Acme: recordatorio que no llegó.';
    const { providerMessageId } = await provider.send({ ...sms, body });
    const message = twilio.messages.find((m) => m.sid === providerMessageId)!;
    message.status = 'undelivered';
    message.errorCode = 30003;
    const [found] = await provider.findAccepted!({ ...sms, body }, { since });
    expect(found!.delivery).toMatchObject({ kind: 'status', status: 'failed', error: '30003 unreachable destination handset', providerMessageId });
  });

  it('through a Messaging Service: no From filter, matched by the service', async () => {
    const service = `MG${'b'.repeat(32)}`;
    const viaService = createTwilioSmsProvider({ baseUrl: twilio.baseUrl, accountSid: twilio.accountSid, authToken: twilio.authToken, messagingServiceSid: service, timeoutMs: 2_000, clock: at });
    const body = 'Acme: por el servicio.';
    await provider.send({ ...sms, body }); // same text from the number: not the service's
    const { providerMessageId } = await viaService.send({ ...sms, body });
    twilio.requests.length = 0;
    expect((await viaService.findAccepted!({ ...sms, body }, { since })).map((f) => f.providerMessageId)).toEqual([providerMessageId]);
    expect(twilio.requests[0]!.query).toEqual({ To: sms.to, 'DateSent>': '2026-03-31', PageSize: '100' });
  });

  it('a refused or failed lookup is an error, never "not found"', async () => {
    const lookup = () =>
      provider.findAccepted!(sms, { since }).then(
        () => null,
        (e: unknown) => e,
      );
    twilio.replyNextList({ kind: 'twilio-error', status: 401, code: 20003, message: 'Authenticate' });
    expect(await lookup()).toMatchObject({ name: 'ProviderError', retryable: false, providerCode: '20003' });
    twilio.replyNextList({ kind: 'raw', status: 503, body: 'Service Unavailable' });
    expect(await lookup()).toMatchObject({ retryable: true, providerCode: 'http_503', message: expect.stringMatching(/temporarily failed/) });
    twilio.replyNextList({ kind: 'raw', status: 200, body: '{"end": 0}', headers: { 'content-type': 'application/json' } });
    expect(await lookup()).toMatchObject({ retryable: true, providerCode: 'malformed_response' });
    twilio.replyNextList({ kind: 'twilio-error', status: 400, code: 20001, message: 'Invalid parameter' });
    expect(await lookup()).toMatchObject({ retryable: false, providerCode: '20001', message: expect.stringMatching(/^Twilio refused the message lookup/) });
  });

  it('gives up, as an error, on a list longer than it reads', async () => {
    const to = '+56911112222';
    for (let i = 0; i < 41; i++) await provider.send({ ...sms, to });
    const error = await provider.findAccepted!({ ...sms, to }, { since }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ retryable: false, providerCode: 'lookup_too_long' });
    expect(twilio.requests.filter((r) => r.method === 'GET')).toHaveLength(20);
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
