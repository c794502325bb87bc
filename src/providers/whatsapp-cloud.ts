/**
 * WhatsApp through Meta's Cloud API (Graph API): template, free-text and document sends, and the webhook side —
 * signature check, the subscription handshake and the normalisation of status and message notifications.
 *
 * A file (a document message, or the document header of a template) is first uploaded with `POST /{phone-number-id}/media`
 * (multipart: `messaging_product=whatsapp`, `type` = its MIME type, `file`), and the message names the media id Meta
 * answers. The message is one request after the upload: an upload that fails sends nothing, so retrying the row
 * never delivers the text twice.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { systemClock, type Clock } from '../modules/shared/clock.ts';
import { ProviderError, WHATSAPP_CAPTION_MAX, type ChannelProvider, type InboundEvent, type OutboundWhatsApp, type SendResult, type WhatsAppDocument } from '../modules/messaging/ports.ts';
import { parseRetryAfter, postWithTimeout } from './http.ts';

/** Settings of the WhatsApp Cloud API provider. */
export interface WhatsAppCloudOptions {
  /** Default https://graph.facebook.com */
  baseUrl?: string;
  /** Graph API version, e.g. 'v21.0'. */
  apiVersion: string;
  /** The business phone number's id (not the number itself). */
  phoneNumberId: string;
  /** A system-user access token with whatsapp_business_messaging. */
  accessToken: string;
  /** Limit for the whole request, response body included. */
  timeoutMs: number;
  fetch?: typeof fetch;
  /** Used to turn an HTTP-date Retry-After into a delay. */
  clock?: Clock;
}

/**
 * Graph error codes that mean "slow down and try again": 4 (app call rate), 80007 (business account rate),
 * 130429 (Cloud API throughput), 131056 (too many messages to the same recipient).
 */
const RATE_LIMIT_CODES = new Set([4, 80007, 130429, 131056]);
/** Graph error codes for Meta-side trouble that its documentation says to retry: 2 (service), 131000, 131016. */
const TRANSIENT_CODES = new Set([2, 131000, 131016]);
/** Permanent failures with a message that tells the operator what to do. */
const PERMANENT_MESSAGES: Record<number, string> = {
  131047:
    'WhatsApp refused a free-form message outside the 24-hour customer service window (131047): send an approved template instead',
  131026: 'WhatsApp could not deliver to this number (131026): it may not use WhatsApp, may have blocked the business, or runs an old app',
  190: 'WhatsApp access token is invalid or expired (190): renew the system-user token in the configuration',
  131048: 'WhatsApp limited this business number for spam reports (131048): check its quality rating before sending more',
};

/** The biz_opaque_callback_data limit; longer keys are simply not echoed. */
const OPAQUE_DATA_MAX = 512;

/** Creates the WhatsApp Cloud API provider. */
export function createWhatsAppCloudProvider(options: WhatsAppCloudOptions): ChannelProvider<OutboundWhatsApp> {
  const baseUrl = (options.baseUrl ?? 'https://graph.facebook.com').replace(/\/+$/, '');
  const phoneNumberUrl = `${baseUrl}/${encodeURIComponent(options.apiVersion)}/${encodeURIComponent(options.phoneNumberId)}`;
  const endpoint = `${phoneNumberUrl}/messages`;
  const doFetch = options.fetch ?? fetch;
  const clock = options.clock ?? systemClock;
  const authorization = `Bearer ${options.accessToken}`;

  /** Uploads a file; returns its media id. Nothing has been sent to the debtor when this throws. */
  async function upload(file: WhatsAppDocument): Promise<string> {
    const form = new FormData();
    form.append('messaging_product', 'whatsapp');
    form.append('type', file.contentType);
    form.append('file', new Blob([new Uint8Array(file.content)], { type: file.contentType }), file.filename);
    // The platform's multipart encoder gives the body and its boundary; sent as bytes, so any fetch can carry it.
    const encoded = new Response(form);
    const body = new Uint8Array(await encoded.arrayBuffer());
    const { response, json } = await postWithTimeout(
      doFetch,
      `${phoneNumberUrl}/media`,
      { headers: { authorization, 'content-type': encoded.headers.get('content-type')!, accept: 'application/json' }, body, timeoutMs: options.timeoutMs },
      'WhatsApp Cloud API (media upload)',
    );
    if (!response.ok) throw graphError(response, json, clock, 'the file upload');
    const media = mediaResponse.safeParse(json);
    // Nothing was sent yet, so trying again is safe.
    if (!media.success) throw new ProviderError(`WhatsApp answered the file upload (${response.status}) without a media id`, { retryable: true, providerCode: 'malformed_response' });
    return media.data.id;
  }

  return {
    name: 'whatsapp-cloud',
    channel: 'whatsapp',
    async send(message: OutboundWhatsApp): Promise<SendResult> {
      checkShape(message);
      const file = message.document ?? message.template?.headerDocument;
      const payload = requestBody(message, file ? await upload(file) : null);
      // A timeout after the request left may still have sent the message; the API takes no idempotency key, so the
      // outbox's retry policy decides whether a rare duplicate beats a missed reminder.
      const { response, json } = await postWithTimeout(
        doFetch,
        endpoint,
        {
          headers: { authorization, 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify(payload),
          timeoutMs: options.timeoutMs,
        },
        'WhatsApp Cloud API',
      );
      if (!response.ok) throw graphError(response, json, clock, 'the message');
      const id = sendResponse.safeParse(json);
      if (!id.success) {
        // The request was accepted (2xx) but the answer is unreadable: retrying could send the message twice.
        throw new ProviderError(`WhatsApp answered ${response.status} without a message id`, { retryable: false, providerCode: 'malformed_response' });
      }
      return { providerMessageId: id.data.messages[0]!.id, status: 'accepted' };
    },
  };
}

const sendResponse = z.object({ messages: z.array(z.object({ id: z.string().min(1) })).min(1) });
const mediaResponse = z.object({ id: z.string().min(1) });

/** Refuses, before any request, a message the API would refuse or that would need more than one message. */
function checkShape(message: OutboundWhatsApp): void {
  const invalid = (why: string) => new ProviderError(why, { retryable: false, providerCode: 'invalid_message' });
  const kinds = [message.template, message.text, message.document].filter((k) => k !== undefined).length;
  if (kinds !== 1) throw invalid('a WhatsApp message needs exactly one of template, text or document');
  if ((message.document?.caption ?? '').length > WHATSAPP_CAPTION_MAX) throw invalid(`a WhatsApp document caption has at most ${WHATSAPP_CAPTION_MAX} characters`);
}

function requestBody(message: OutboundWhatsApp, mediaId: string | null): Record<string, unknown> {
  const common = {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: message.to,
    // Echoed back in status webhooks, so a status can be traced to its outbox row even before the wamid is stored.
    ...(message.idempotencyKey.length <= OPAQUE_DATA_MAX ? { biz_opaque_callback_data: message.idempotencyKey } : {}),
  };
  if (message.template) {
    const { name, language, bodyParameters, headerDocument } = message.template;
    const components = [
      ...(headerDocument ? [{ type: 'header', parameters: [{ type: 'document', document: { id: mediaId, filename: headerDocument.filename } }] }] : []),
      ...(bodyParameters.length > 0 ? [{ type: 'body', parameters: bodyParameters.map((text) => ({ type: 'text', text })) }] : []),
    ];
    return { ...common, type: 'template', template: { name, language: { code: language }, ...(components.length > 0 ? { components } : {}) } };
  }
  if (message.document) {
    const { filename, caption } = message.document;
    return { ...common, type: 'document', document: { id: mediaId, filename, ...(caption ? { caption } : {}) } };
  }
  return { ...common, type: 'text', text: { body: message.text, preview_url: false } };
}

const graphErrorBody = z.object({
  error: z.object({
    message: z.string().optional(),
    type: z.string().optional(),
    code: z.number().optional(),
    error_subcode: z.number().optional(),
    error_data: z.object({ details: z.string().optional() }).optional(),
    fbtrace_id: z.string().optional(),
  }),
});

/** A Graph API error answer as a ProviderError; `what` names what was refused ("the message", "the file upload"). */
function graphError(response: Response, json: unknown, clock: Clock, what: string): ProviderError {
  const parsed = graphErrorBody.safeParse(json);
  const error = parsed.success ? parsed.data.error : null;
  const code = error?.code;
  const details = error?.error_data?.details;
  const described = [error?.message, details, error?.fbtrace_id && `fbtrace_id ${error.fbtrace_id}`].filter(Boolean).join(' — ');
  const providerCode = code !== undefined ? String(code) : `http_${response.status}`;
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), clock.now());

  if (code !== undefined && PERMANENT_MESSAGES[code]) {
    return new ProviderError(`${PERMANENT_MESSAGES[code]}${described ? ` [${described}]` : ''}`, { retryable: false, providerCode });
  }
  if (response.status === 429 || (code !== undefined && RATE_LIMIT_CODES.has(code))) {
    return new ProviderError(`WhatsApp rate limit (${providerCode}) on ${what}${described ? `: ${described}` : ''}`, { retryable: true, retryAfterMs, providerCode });
  }
  if (response.status >= 500 || (code !== undefined && TRANSIENT_CODES.has(code))) {
    return new ProviderError(`WhatsApp temporarily failed (HTTP ${response.status}, ${providerCode}) on ${what}${described ? `: ${described}` : ''}`, {
      retryable: true,
      retryAfterMs,
      providerCode,
    });
  }
  return new ProviderError(`WhatsApp refused ${what} (HTTP ${response.status}, ${providerCode})${described ? `: ${described}` : ''}`, {
    retryable: false,
    providerCode,
  });
}

// ---------------------------------------------------------------------------------------------------------------------
// Webhooks

/**
 * Checks `X-Hub-Signature-256: sha256=<hex>`: the HMAC-SHA256 of the exact raw body under the app secret, compared in
 * constant time. A missing or malformed header, or an empty secret, is never valid.
 */
export function verifyWhatsAppSignature(rawBody: Buffer, header: string | undefined, appSecret: string): boolean {
  if (!appSecret || typeof header !== 'string') return false;
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
  if (!match) return false;
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(match[1]!, 'hex'));
}

/**
 * Answers Meta's subscription handshake (GET with hub.mode=subscribe, hub.verify_token, hub.challenge): 200 echoing
 * the challenge when the token matches, 403 otherwise, 400 when the request is not a handshake at all.
 */
export function handleVerificationChallenge(query: Record<string, unknown>, verifyToken: string): { status: 200 | 400 | 403; body: string } {
  const mode = query['hub.mode'];
  const token = query['hub.verify_token'];
  const challenge = query['hub.challenge'];
  if (typeof mode !== 'string' || typeof token !== 'string' || typeof challenge !== 'string' || challenge === '') {
    return { status: 400, body: '' };
  }
  if (mode !== 'subscribe' || !verifyToken || !constantTimeEqual(token, verifyToken)) return { status: 403, body: '' };
  return { status: 200, body: challenge };
}

function constantTimeEqual(a: string, b: string): boolean {
  // Digests have one length whatever the inputs, so the comparison does not reveal the expected token's length.
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

const unixSeconds = z.string().regex(/^\d+$/);

const statusSchema = z.object({
  id: z.string().min(1),
  status: z.string(),
  timestamp: unixSeconds,
  recipient_id: z.string().optional(),
  errors: z
    .array(
      z.object({
        code: z.number().optional(),
        title: z.string().optional(),
        message: z.string().optional(),
        error_data: z.object({ details: z.string().optional() }).optional(),
      }),
    )
    .optional(),
});

const messageSchema = z.object({
  from: z.string().min(1),
  id: z.string().min(1),
  timestamp: unixSeconds,
  type: z.string(),
  text: z.object({ body: z.string() }).optional(),
  button: z.object({ text: z.string().optional(), payload: z.string().optional() }).optional(),
  interactive: z
    .object({
      type: z.string(),
      button_reply: z.object({ id: z.string().optional(), title: z.string() }).optional(),
      list_reply: z.object({ id: z.string().optional(), title: z.string(), description: z.string().optional() }).optional(),
    })
    .optional(),
});

const envelopeSchema = z.object({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(
    z.object({
      changes: z.array(z.object({ field: z.string().optional(), value: z.unknown() })),
    }),
  ),
});

const valueSchema = z.object({
  statuses: z.array(z.unknown()).optional(),
  messages: z.array(z.unknown()).optional(),
});

const STATUS_MAP: Record<string, 'sent' | 'delivered' | 'read' | 'failed'> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  failed: 'failed',
};

/**
 * Normalises a `messages` webhook: each `statuses[]` item (sent/delivered/read/failed) becomes a status event for the
 * wamid, each incoming text, quick-reply button or interactive (button/list) reply becomes a message event whose
 * `from` is E.164 (`+` and the wa_id). Anything else — other fields, media messages, malformed items — is skipped, so
 * a strange payload gives fewer events, never an exception.
 */
export function parseWhatsAppWebhook(body: unknown): InboundEvent[] {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) return [];
  const events: InboundEvent[] = [];
  for (const entry of envelope.data.entry) {
    for (const change of entry.changes) {
      if (change.field !== undefined && change.field !== 'messages') continue;
      const value = valueSchema.safeParse(change.value);
      if (!value.success) continue;
      for (const raw of value.data.statuses ?? []) {
        const item = statusSchema.safeParse(raw);
        if (!item.success) continue;
        const status = STATUS_MAP[item.data.status];
        if (!status) continue;
        const error = item.data.errors?.[0];
        events.push({
          kind: 'status',
          channel: 'whatsapp',
          providerMessageId: item.data.id,
          status,
          at: fromUnixSeconds(item.data.timestamp),
          ...(error ? { error: describeWebhookError(error) } : {}),
        });
      }
      for (const raw of value.data.messages ?? []) {
        const item = messageSchema.safeParse(raw);
        if (!item.success) continue;
        const text = messageText(item.data);
        if (text === null) continue;
        events.push({
          kind: 'message',
          channel: 'whatsapp',
          providerMessageId: item.data.id,
          from: item.data.from.startsWith('+') ? item.data.from : `+${item.data.from}`,
          text,
          at: fromUnixSeconds(item.data.timestamp),
        });
      }
    }
  }
  return events;
}

function messageText(message: z.infer<typeof messageSchema>): string | null {
  switch (message.type) {
    case 'text':
      return message.text?.body ?? null;
    case 'button':
      return message.button?.text ?? message.button?.payload ?? null;
    case 'interactive':
      return message.interactive?.button_reply?.title ?? message.interactive?.list_reply?.title ?? null;
    default:
      return null;
  }
}

function describeWebhookError(error: NonNullable<z.infer<typeof statusSchema>['errors']>[number]): string {
  const head = [error.code, error.title ?? error.message].filter((part) => part !== undefined).join(' ');
  const details = error.error_data?.details;
  return details ? `${head}: ${details}` : head || 'failed';
}

function fromUnixSeconds(seconds: string): Date {
  return new Date(Number(seconds) * 1000);
}
