import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeMetaGraph, type FakeMetaGraph } from '../../test/fakes/meta-graph.ts';
import { closedPort } from '../../test/fakes/smtp.ts';
import { fixedClock } from '../modules/shared/clock.ts';
import { ProviderError, type ChannelProvider, type OutboundWhatsApp, type WhatsAppDocument } from '../modules/messaging/ports.ts';
import { keepAliveFetch } from './http.ts';
import { createWhatsAppCloudProvider, handleVerificationChallenge, parseWhatsAppWebhook, verifyWhatsAppSignature } from './whatsapp-cloud.ts';

const clock = fixedClock('2026-03-31T14:00:00Z');

const reminder: OutboundWhatsApp = {
  channel: 'whatsapp',
  idempotencyKey: 'msg:acme:debtor-42:2026-03-31:reminder-1',
  to: '+5215512345678',
  template: { name: 'recordatorio_pago', language: 'es_MX', bodyParameters: ['Juan Pérez', '$1,500.00 MXN', '15/03/2026'] },
};

/** A PDF-looking file with every byte value in it, so a text decoding anywhere on the way would show. */
const agreementPdf: WhatsAppDocument = {
  filename: 'convenio-12.pdf',
  contentType: 'application/pdf',
  content: Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from('\n%%EOF\n')]),
};
const { template: _reminderTemplate, ...reminderTo } = reminder;
const agreementDocument: OutboundWhatsApp = {
  ...reminderTo,
  idempotencyKey: 'agreement:12',
  document: { ...agreementPdf, caption: 'Hola Ana, le saluda Financiera Acme. Registramos su convenio de pago por $10,000.00.' },
};

async function sendError(provider: ChannelProvider<OutboundWhatsApp>, message: OutboundWhatsApp = reminder): Promise<ProviderError> {
  const error = await provider.send(message).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('whatsapp-cloud sends against a loopback Graph API', () => {
  let graph: FakeMetaGraph;
  let provider: ChannelProvider<OutboundWhatsApp>;

  beforeAll(async () => {
    graph = await startFakeMetaGraph();
    provider = createWhatsAppCloudProvider({
      baseUrl: graph.baseUrl,
      apiVersion: graph.apiVersion,
      phoneNumberId: graph.phoneNumberId,
      accessToken: graph.accessToken,
      timeoutMs: 2_000,
      clock,
    });
  });
  afterAll(() => graph.close());
  beforeEach(() => {
    graph.requests.length = 0;
  });

  it('sends a template with body parameters in the documented shape', async () => {
    const result = await provider.send(reminder);
    expect(result.status).toBe('accepted');
    expect(result.providerMessageId).toMatch(/^wamid\./);

    expect(graph.requests).toHaveLength(1);
    const [request] = graph.requests;
    expect(request!.method).toBe('POST');
    expect(request!.path).toBe(`/v21.0/${graph.phoneNumberId}/messages`);
    expect(request!.headers.authorization).toBe(`Bearer ${graph.accessToken}`);
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '+5215512345678',
      biz_opaque_callback_data: 'msg:acme:debtor-42:2026-03-31:reminder-1',
      type: 'template',
      template: {
        name: 'recordatorio_pago',
        language: { code: 'es_MX' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Juan Pérez' },
              { type: 'text', text: '$1,500.00 MXN' },
              { type: 'text', text: '15/03/2026' },
            ],
          },
        ],
      },
    });
  });

  it('a template without parameters has no components', async () => {
    await provider.send({ ...reminder, template: { name: 'aviso_portal', language: 'es', bodyParameters: [] } });
    expect(graph.requests[0]!.body).toMatchObject({ type: 'template', template: { name: 'aviso_portal', language: { code: 'es' } } });
    expect((graph.requests[0]!.body as { template: object }).template).not.toHaveProperty('components');
  });

  it('sends free text without link previews', async () => {
    const { template: _template, ...rest } = reminder;
    const result = await provider.send({ ...rest, text: 'Gracias, registramos su promesa de pago para el 05/04.' });
    expect(result.providerMessageId).toMatch(/^wamid\./);
    expect(graph.requests[0]!.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '+5215512345678',
      biz_opaque_callback_data: 'msg:acme:debtor-42:2026-03-31:reminder-1',
      type: 'text',
      text: { body: 'Gracias, registramos su promesa de pago para el 05/04.', preview_url: false },
    });
  });

  it('refuses a message with both or neither of template and text, without calling the API', async () => {
    const both = await sendError(provider, { ...reminder, text: 'hola' });
    const { template: _template, ...neither } = reminder;
    const none = await sendError(provider, neither);
    for (const error of [both, none]) {
      expect(error.retryable).toBe(false);
      expect(error.providerCode).toBe('invalid_message');
    }
    expect(graph.requests).toHaveLength(0);
  });

  it('429 with Retry-After in seconds → retryable with the delay', async () => {
    graph.replyNext({ kind: 'graph-error', status: 429, retryAfter: '7', error: { message: '(#130429) Rate limit hit', type: 'OAuthException', code: 130429 } });
    const error = await sendError(provider);
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 7_000, providerCode: '130429' });
  });

  it('429 with Retry-After as an HTTP-date → the delay from the injected clock', async () => {
    graph.replyNext({ kind: 'raw', status: 429, body: '', headers: { 'retry-after': 'Tue, 31 Mar 2026 14:02:00 GMT' } });
    const error = await sendError(provider);
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 120_000, providerCode: 'http_429' });
  });

  it.each([
    [130429, '(#130429) Rate limit hit'],
    [131056, '(#131056) (Business Account, Consumer Account) pair rate limit hit'],
    [80007, '(#80007) Rate limit issues'],
  ])('Graph rate-limit code %i (HTTP 400, no Retry-After) → retryable', async (code, message) => {
    graph.replyNext({ kind: 'graph-error', status: 400, error: { message, type: 'OAuthException', code } });
    const error = await sendError(provider);
    expect(error).toMatchObject({ retryable: true, retryAfterMs: null, providerCode: String(code) });
    expect(error.message).toMatch(/rate limit/i);
  });

  it('500 without a body → retryable', async () => {
    graph.replyNext({ kind: 'raw', status: 500, body: 'Internal Server Error' });
    expect(await sendError(provider)).toMatchObject({ retryable: true, providerCode: 'http_500' });
  });

  it('503 with a Graph service error → retryable with its code', async () => {
    graph.replyNext({ kind: 'graph-error', status: 503, error: { message: '(#131016) Service unavailable', type: 'OAuthException', code: 131016 } });
    expect(await sendError(provider)).toMatchObject({ retryable: true, providerCode: '131016' });
  });

  it('131047 (outside the 24-hour window) → permanent, telling to use a template', async () => {
    graph.replyNext({
      kind: 'graph-error',
      status: 400,
      error: {
        message: '(#131047) Re-engagement message',
        type: 'OAuthException',
        code: 131047,
        error_data: { messaging_product: 'whatsapp', details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.' },
      },
    });
    const error = await sendError(provider);
    expect(error).toMatchObject({ retryable: false, providerCode: '131047' });
    expect(error.message).toMatch(/24-hour/);
    expect(error.message).toMatch(/approved template/);
    expect(error.message).toContain('more than 24 hours have passed');
  });

  it('131026 (undeliverable) → permanent', async () => {
    graph.replyNext({ kind: 'graph-error', status: 400, error: { message: '(#131026) Message Undeliverable', type: 'OAuthException', code: 131026 } });
    const error = await sendError(provider);
    expect(error).toMatchObject({ retryable: false, providerCode: '131026' });
    expect(error.message).toMatch(/could not deliver/);
  });

  it('190 (bad token, from the fake itself) → permanent', async () => {
    const wrongToken = createWhatsAppCloudProvider({ baseUrl: graph.baseUrl, apiVersion: 'v21.0', phoneNumberId: graph.phoneNumberId, accessToken: 'EAAexpired', timeoutMs: 2_000 });
    const error = await sendError(wrongToken);
    expect(error).toMatchObject({ retryable: false, providerCode: '190' });
    expect(error.message).toMatch(/access token/);
  });

  it('an invalid parameter (#100) → permanent, with Meta’s details', async () => {
    const error = await sendError(provider, { ...reminder, to: 'not-a-number' });
    expect(error).toMatchObject({ retryable: false, providerCode: '100' });
    expect(error.message).toContain('to:');
  });

  it('a 200 without a message id → permanent (a retry could send twice)', async () => {
    graph.replyNext({ kind: 'raw', status: 200, body: '{"messaging_product":"whatsapp"}', headers: { 'content-type': 'application/json' } });
    expect(await sendError(provider)).toMatchObject({ retryable: false, providerCode: 'malformed_response' });
  });

  it('a server that never answers → retryable timeout', async () => {
    const quick = createWhatsAppCloudProvider({
      baseUrl: graph.baseUrl,
      apiVersion: graph.apiVersion,
      phoneNumberId: graph.phoneNumberId,
      accessToken: graph.accessToken,
      timeoutMs: 200,
    });
    graph.replyNext({ kind: 'hang' });
    expect(await sendError(quick)).toMatchObject({ retryable: true, providerCode: 'timeout' });
  });

  describe('documents: the file is uploaded to /media, then sent by its media id', () => {
    const uploads = () => graph.requests.filter((r) => r.path.endsWith('/media'));
    const messages = () => graph.requests.filter((r) => r.path.endsWith('/messages'));

    it('a document message: a multipart upload with the PDF bytes, then type document with filename and caption', async () => {
      const result = await provider.send(agreementDocument);
      expect(result).toMatchObject({ status: 'accepted', providerMessageId: expect.stringMatching(/^wamid\./) });
      expect(graph.requests.map((r) => r.path)).toEqual([`/v21.0/${graph.phoneNumberId}/media`, `/v21.0/${graph.phoneNumberId}/messages`]);

      const [upload] = graph.requests;
      expect(upload!.method).toBe('POST');
      expect(upload!.headers.authorization).toBe(`Bearer ${graph.accessToken}`);
      expect(upload!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
      expect(upload!.upload!.fields).toEqual({ messaging_product: 'whatsapp', type: 'application/pdf' });
      expect(upload!.upload!.file).toMatchObject({ filename: 'convenio-12.pdf', contentType: 'application/pdf' });
      expect(upload!.upload!.file.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(Buffer.compare(upload!.upload!.file.bytes, Buffer.from(agreementPdf.content))).toBe(0);
      // The raw multipart body itself carries the file, byte for byte.
      expect(upload!.upload!.raw.includes(Buffer.from(agreementPdf.content))).toBe(true);

      const [mediaId] = [...graph.media.keys()].slice(-1);
      expect(messages()[0]!.body).toEqual({
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: '+5215512345678',
        biz_opaque_callback_data: 'agreement:12',
        type: 'document',
        document: { id: mediaId, filename: 'convenio-12.pdf', caption: agreementDocument.document!.caption },
      });
    });

    it('a template approved with a document header: the file in the header, the values in the body', async () => {
      await provider.send({ ...reminder, template: { ...reminder.template!, headerDocument: agreementPdf } });
      expect(uploads()).toHaveLength(1);
      const [mediaId] = [...graph.media.keys()].slice(-1);
      expect((messages()[0]!.body as { template: unknown }).template).toEqual({
        name: 'recordatorio_pago',
        language: { code: 'es_MX' },
        components: [
          { type: 'header', parameters: [{ type: 'document', document: { id: mediaId, filename: 'convenio-12.pdf' } }] },
          { type: 'body', parameters: reminder.template!.bodyParameters.map((text) => ({ type: 'text', text })) },
        ],
      });
    });

    it('an upload that fails for now (500) → retryable, and no message is sent: a retry cannot deliver the text twice', async () => {
      graph.replyNext({ kind: 'graph-error', status: 500, error: { message: 'An unknown error has occurred.', type: 'OAuthException', code: 1 } });
      const error = await sendError(provider, agreementDocument);
      expect(error).toMatchObject({ retryable: true, providerCode: '1' });
      expect(error.message).toMatch(/file upload/);
      expect(uploads()).toHaveLength(1);
      expect(messages()).toHaveLength(0);
      // The retry uploads again and sends one message.
      await provider.send(agreementDocument);
      expect(uploads()).toHaveLength(2);
      expect(messages()).toHaveLength(1);
    });

    it('an upload refused (400) → permanent, naming the upload; an answer without a media id → retryable; neither sends', async () => {
      graph.replyNext({ kind: 'graph-error', status: 400, error: { message: '(#100) Param file must be a file with one of the following types', type: 'OAuthException', code: 100 } });
      const refused = await sendError(provider, agreementDocument);
      expect(refused).toMatchObject({ retryable: false, providerCode: '100' });
      expect(refused.message).toMatch(/refused the file upload/);
      graph.replyNext({ kind: 'raw', status: 200, body: '{}', headers: { 'content-type': 'application/json' } });
      expect(await sendError(provider, agreementDocument)).toMatchObject({ retryable: true, providerCode: 'malformed_response' });
      graph.replyNext({ kind: 'hang' });
      const quick = createWhatsAppCloudProvider({ baseUrl: graph.baseUrl, apiVersion: graph.apiVersion, phoneNumberId: graph.phoneNumberId, accessToken: graph.accessToken, timeoutMs: 200 });
      const timedOut = await sendError(quick, agreementDocument);
      expect(timedOut).toMatchObject({ retryable: true, providerCode: 'timeout' });
      expect(timedOut.message).toMatch(/media upload/);
      expect(messages()).toHaveLength(0);
    });

    it('refuses, without calling the API, a document next to text or a template, and a caption over 1024 characters', async () => {
      const withText = await sendError(provider, { ...agreementDocument, text: 'hola' });
      const withTemplate = await sendError(provider, { ...agreementDocument, template: reminder.template! });
      const long = await sendError(provider, { ...agreementDocument, document: { ...agreementPdf, caption: 'x'.repeat(1025) } });
      for (const error of [withText, withTemplate, long]) expect(error).toMatchObject({ retryable: false, providerCode: 'invalid_message' });
      expect(graph.requests).toHaveLength(0);
    });

    it('the keep-alive fetch carries the upload’s bytes too', async () => {
      const keepAlive = createWhatsAppCloudProvider({ baseUrl: graph.baseUrl, apiVersion: graph.apiVersion, phoneNumberId: graph.phoneNumberId, accessToken: graph.accessToken, timeoutMs: 2_000, fetch: keepAliveFetch({ maxSockets: 2 }) });
      await keepAlive.send(agreementDocument);
      expect(Buffer.compare(uploads()[0]!.upload!.file.bytes, Buffer.from(agreementPdf.content))).toBe(0);
      expect(messages()).toHaveLength(1);
    });
  });

  it('uses the injected fetch', async () => {
    const seen: string[] = [];
    const viaFake = createWhatsAppCloudProvider({
      baseUrl: graph.baseUrl,
      apiVersion: graph.apiVersion,
      phoneNumberId: graph.phoneNumberId,
      accessToken: graph.accessToken,
      timeoutMs: 2_000,
      fetch: (input, init) => {
        seen.push(String(input));
        return fetch(input, init);
      },
    });
    await viaFake.send(reminder);
    expect(seen).toEqual([`${graph.baseUrl}/v21.0/${graph.phoneNumberId}/messages`]);
  });
});

it('whatsapp-cloud: nothing listening → retryable network error', async () => {
  const provider = createWhatsAppCloudProvider({ baseUrl: `http://127.0.0.1:${await closedPort()}`, apiVersion: 'v21.0', phoneNumberId: '1', accessToken: 't', timeoutMs: 2_000 });
  expect(await sendError(provider)).toMatchObject({ retryable: true, providerCode: 'network' });
});

describe('verifyWhatsAppSignature', () => {
  // Inputs: app secret "meta-app-secret-for-tests", the exact bytes below; expected = hex HMAC-SHA256 computed here.
  const appSecret = 'meta-app-secret-for-tests';
  const rawBody = Buffer.from('{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[]}]}');
  const good = `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;

  it('accepts the HMAC-SHA256 of the raw body', () => {
    expect(verifyWhatsAppSignature(rawBody, good, appSecret)).toBe(true);
  });

  it('rejects a wrong secret, a missing or malformed header, and an empty secret', () => {
    expect(verifyWhatsAppSignature(rawBody, good, 'another-secret')).toBe(false);
    expect(verifyWhatsAppSignature(rawBody, undefined, appSecret)).toBe(false);
    expect(verifyWhatsAppSignature(rawBody, '', appSecret)).toBe(false);
    expect(verifyWhatsAppSignature(rawBody, good.slice('sha256='.length), appSecret)).toBe(false);
    expect(verifyWhatsAppSignature(rawBody, `sha1=${createHmac('sha1', appSecret).update(rawBody).digest('hex')}`, appSecret)).toBe(false);
    expect(verifyWhatsAppSignature(rawBody, good.slice(0, -2), appSecret)).toBe(false);
    expect(verifyWhatsAppSignature(rawBody, `sha256=${createHmac('sha256', '').update(rawBody).digest('hex')}`, '')).toBe(false);
  });

  it('rejects a tampered body (one byte changed, or re-serialised JSON)', () => {
    const tampered = Buffer.from(rawBody);
    tampered[tampered.length - 3] = 0x20;
    expect(verifyWhatsAppSignature(tampered, good, appSecret)).toBe(false);
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(rawBody.toString()), null, 1));
    expect(verifyWhatsAppSignature(reserialised, good, appSecret)).toBe(false);
  });
});

describe('handleVerificationChallenge', () => {
  const query = { 'hub.mode': 'subscribe', 'hub.verify_token': 'token-de-verificacion', 'hub.challenge': '1158201444' };

  it('echoes the challenge when the token matches', () => {
    expect(handleVerificationChallenge(query, 'token-de-verificacion')).toEqual({ status: 200, body: '1158201444' });
  });

  it('403 for a wrong token or another mode; 400 when it is not a handshake', () => {
    expect(handleVerificationChallenge(query, 'otro-token')).toEqual({ status: 403, body: '' });
    expect(handleVerificationChallenge({ ...query, 'hub.verify_token': 'token-de-verificacio' }, 'token-de-verificacion').status).toBe(403);
    expect(handleVerificationChallenge({ ...query, 'hub.mode': 'unsubscribe' }, 'token-de-verificacion').status).toBe(403);
    expect(handleVerificationChallenge(query, '').status).toBe(403);
    expect(handleVerificationChallenge({}, 'token-de-verificacion').status).toBe(400);
    expect(handleVerificationChallenge({ ...query, 'hub.challenge': ['a', 'b'] }, 'token-de-verificacion').status).toBe(400);
  });
});

/** A `messages` webhook as Meta documents it, wrapping one change value. */
function webhook(value: Record<string, unknown>, field = 'messages') {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
              ...value,
            },
            field,
          },
        ],
      },
    ],
  };
}

describe('parseWhatsAppWebhook', () => {
  const wamid = 'wamid.HBgNNTIxNTUxMjM0NTY3OBUCABEYEjdCMzRDNUI5NjZFMTk3NDY3MgA=';

  it('reads sent, delivered and read statuses', () => {
    const payload = webhook({
      statuses: [
        {
          id: wamid,
          status: 'sent',
          timestamp: '1774965600',
          recipient_id: '5215512345678',
          biz_opaque_callback_data: 'msg:acme:debtor-42:2026-03-31:reminder-1',
          conversation: { id: 'CONVERSATION_ID', expiration_timestamp: '1775052000', origin: { type: 'utility' } },
          pricing: { billable: true, pricing_model: 'PMP', category: 'utility', type: 'regular' },
        },
        { id: wamid, status: 'delivered', timestamp: '1774965605', recipient_id: '5215512345678' },
        { id: wamid, status: 'read', timestamp: '1774965700', recipient_id: '5215512345678' },
      ],
    });
    expect(parseWhatsAppWebhook(payload)).toEqual([
      { kind: 'status', channel: 'whatsapp', providerMessageId: wamid, status: 'sent', at: new Date('2026-03-31T14:00:00Z') },
      { kind: 'status', channel: 'whatsapp', providerMessageId: wamid, status: 'delivered', at: new Date('2026-03-31T14:00:05Z') },
      { kind: 'status', channel: 'whatsapp', providerMessageId: wamid, status: 'read', at: new Date('2026-03-31T14:01:40Z') },
    ]);
  });

  it('reads a failed status with its error', () => {
    const payload = webhook({
      statuses: [
        {
          id: wamid,
          status: 'failed',
          timestamp: '1774965600',
          recipient_id: '5215512345678',
          errors: [
            {
              code: 131026,
              title: 'Message undeliverable',
              message: 'Message undeliverable',
              error_data: { details: 'Message Undeliverable.' },
              href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
            },
          ],
        },
      ],
    });
    expect(parseWhatsAppWebhook(payload)).toEqual([
      {
        kind: 'status',
        channel: 'whatsapp',
        providerMessageId: wamid,
        status: 'failed',
        at: new Date('2026-03-31T14:00:00Z'),
        error: '131026 Message undeliverable: Message Undeliverable.',
      },
    ]);
  });

  it('reads a text message, with the sender in E.164', () => {
    const payload = webhook({
      contacts: [{ profile: { name: 'Juan Pérez' }, wa_id: '5215512345678' }],
      messages: [{ from: '5215512345678', id: 'wamid.IN1', timestamp: '1774965900', type: 'text', text: { body: 'Pago el viernes, ¿me manda el enlace?' } }],
    });
    expect(parseWhatsAppWebhook(payload)).toEqual([
      { kind: 'message', channel: 'whatsapp', providerMessageId: 'wamid.IN1', from: '+5215512345678', text: 'Pago el viernes, ¿me manda el enlace?', at: new Date('2026-03-31T14:05:00Z') },
    ]);
  });

  it('reads interactive button and list replies and template quick-reply buttons as text', () => {
    const context = { from: '15550783881', id: wamid };
    const payload = webhook({
      contacts: [{ profile: { name: 'Juan Pérez' }, wa_id: '5215512345678' }],
      messages: [
        { context, from: '5215512345678', id: 'wamid.IN2', timestamp: '1774965900', type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'promise', title: 'Prometer pago' } } },
        { context, from: '5215512345678', id: 'wamid.IN3', timestamp: '1774965901', type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'plan-3', title: '3 cuotas', description: 'Tres cuotas mensuales' } } },
        { context, from: '5215512345678', id: 'wamid.IN4', timestamp: '1774965902', type: 'button', button: { payload: 'BAJA', text: 'No recibir más' } },
      ],
    });
    expect(parseWhatsAppWebhook(payload).map((e) => (e.kind === 'message' ? [e.providerMessageId, e.text] : null))).toEqual([
      ['wamid.IN2', 'Prometer pago'],
      ['wamid.IN3', '3 cuotas'],
      ['wamid.IN4', 'No recibir más'],
    ]);
  });

  it('skips media messages, unknown statuses, malformed items and other fields, keeping the good items', () => {
    const payload = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '102290129340398',
          changes: [
            {
              field: 'messages',
              value: {
                messages: [
                  { from: '5215512345678', id: 'wamid.IMG', timestamp: '1774965900', type: 'image', image: { id: 'media-1', mime_type: 'image/jpeg' } },
                  { from: '5215512345678', id: 'wamid.BAD', timestamp: 'yesterday', type: 'text', text: { body: 'x' } },
                  { id: 'wamid.NOFROM', timestamp: '1774965900', type: 'text', text: { body: 'x' } },
                  { from: '5215512345678', id: 'wamid.OK', timestamp: '1774965900', type: 'text', text: { body: 'sí' } },
                ],
                statuses: [{ id: wamid, status: 'deleted', timestamp: '1774965600' }, { status: 'sent' }],
              },
            },
            { field: 'message_template_status_update', value: { event: 'APPROVED', message_template_name: 'recordatorio_pago' } },
          ],
        },
      ],
    };
    expect(parseWhatsAppWebhook(payload)).toEqual([
      { kind: 'message', channel: 'whatsapp', providerMessageId: 'wamid.OK', from: '+5215512345678', text: 'sí', at: new Date('2026-03-31T14:05:00Z') },
    ]);
  });

  it('unknown shapes give an empty list, never a throw', () => {
    for (const body of [null, undefined, 'texto', 42, [], {}, { object: 'page', entry: [] }, { object: 'whatsapp_business_account' }, { object: 'whatsapp_business_account', entry: [{ changes: 'x' }] }, webhook({ statuses: 'x' })]) {
      expect(parseWhatsAppWebhook(body)).toEqual([]);
    }
  });
});
