/**
 * SMS through Twilio's Programmable Messaging REST API (2010-04-01), and the webhook side: the X-Twilio-Signature
 * check, status callbacks and incoming messages. Twilio's Messages API takes no idempotency key, so after an attempt
 * whose outcome is unknown the provider finds what Twilio already accepted through the Messages list
 * (`findAccepted`), rather than sending blind.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { systemClock, type Clock } from '../modules/shared/clock.ts';
import { ProviderError, type AcceptedMessage, type ChannelProvider, type InboundEvent, type OutboundSms, type SendResult } from '../modules/messaging/ports.ts';
import { getWithTimeout, keepAliveFetch, parseRetryAfter, postWithTimeout } from './http.ts';

/** Settings of the Twilio SMS provider; the sender is a number (`from`) or a Messaging Service. */
export type TwilioSmsOptions = {
  /** Default https://api.twilio.com */
  baseUrl?: string;
  accountSid: string;
  authToken: string;
  /** Default StatusCallback when the message does not name one. */
  statusCallbackUrl?: string;
  /** Limit for the whole request, response body included. */
  timeoutMs: number;
  fetch?: typeof fetch;
  /** Used to turn an HTTP-date Retry-After into a delay. */
  clock?: Clock;
} & ({ from: string; messagingServiceSid?: undefined } | { messagingServiceSid: string; from?: undefined });

/** Twilio error codes that are permanent whatever the HTTP status, with a message an operator can act on. */
const PERMANENT_MESSAGES: Record<number, string> = {
  21211: "Twilio says the 'To' number is not a valid phone number (21211): correct the debtor's phone",
  21610: 'The recipient replied STOP to this sender (21610): SMS is not allowed until they reply START',
  21614: "Twilio says the 'To' number is not a mobile number (21614): it cannot receive SMS",
  20003: 'Twilio rejected the credentials (20003): check the Account SID and Auth Token',
};

/** Creates the Twilio SMS provider. */
export function createTwilioSmsProvider(options: TwilioSmsOptions): ChannelProvider<OutboundSms> {
  if (!options.from && !options.messagingServiceSid) throw new Error('Twilio SMS needs a from number or a messagingServiceSid');
  const baseUrl = (options.baseUrl ?? 'https://api.twilio.com').replace(/\/+$/, '');
  const endpoint = `${baseUrl}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`, 'utf8').toString('base64')}`;
  /** Twilio's own record of a message is the one we would send: same To, same sender, same Body, sent by the API. */
  const isThis = (m: ListedMessage, message: OutboundSms) =>
    m.direction.startsWith('outbound') &&
    m.status !== 'canceled' &&
    m.to === message.to &&
    m.body === message.body &&
    (options.messagingServiceSid ? m.messaging_service_sid === options.messagingServiceSid : m.from === options.from);
  // Keep-alive connections to Twilio, reused across messages (a dispatch worker sends thousands).
  const doFetch = options.fetch ?? keepAliveFetch();
  const clock = options.clock ?? systemClock;

  return {
    name: 'sms-twilio',
    channel: 'sms',
    async send(message: OutboundSms): Promise<SendResult> {
      const form = new URLSearchParams();
      form.set('To', message.to);
      // A Messaging Service picks the sender itself (and handles STOP lists per service).
      if (options.messagingServiceSid) form.set('MessagingServiceSid', options.messagingServiceSid);
      else form.set('From', options.from!);
      form.set('Body', message.body);
      const callback = message.statusCallbackUrl ?? options.statusCallbackUrl;
      if (callback) form.set('StatusCallback', callback);

      // Twilio's Messages API takes no idempotency key: a timeout after the request left may still send the SMS.
      const { response, json } = await postWithTimeout(
        doFetch,
        endpoint,
        {
          headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: form.toString(),
          timeoutMs: options.timeoutMs,
        },
        'Twilio',
      );
      if (!response.ok) throw twilioError(response, json, clock, 'refused the SMS');
      const created = createdMessage.safeParse(json);
      if (!created.success) {
        // Twilio accepted (2xx) but the answer is unreadable: retrying could send the SMS twice.
        throw new ProviderError(`Twilio answered ${response.status} without a message SID`, { retryable: false, providerCode: 'malformed_response' });
      }
      return { providerMessageId: created.data.sid, status: created.data.status === 'sent' ? 'sent' : 'accepted' };
    },

    /**
     * Reads Twilio's Messages list (GET …/Messages.json filtered by To, From and `DateSent>=` the day of `since`, an
     * hour earlier for clock differences; every page through `next_page_uri`) for messages with this To, sender and
     * Body. A message still waiting in Twilio's queue has no date_sent yet and is not listed under a DateSent filter.
     */
    async findAccepted(message: OutboundSms, { since }: { since: Date }): Promise<AcceptedMessage[]> {
      const query = new URLSearchParams();
      query.set('To', message.to);
      if (options.from) query.set('From', options.from);
      // Twilio spells "sent on or after midnight (GMT) of this day" as the parameter `DateSent>` with the date.
      query.set('DateSent>', new Date(since.getTime() - 3_600_000).toISOString().slice(0, 10));
      query.set('PageSize', String(LOOKUP_PAGE_SIZE));
      const found: AcceptedMessage[] = [];
      let url: string | null = `${endpoint}?${query.toString()}`;
      for (let pages = 0; url !== null; pages++) {
        if (pages === LOOKUP_MAX_PAGES) {
          throw new ProviderError(`Twilio lists more than ${LOOKUP_MAX_PAGES} pages of messages to ${message.to} since ${query.get('DateSent>')}: cannot tell whether this one was sent`, {
            retryable: false,
            providerCode: 'lookup_too_long',
          });
        }
        const { response, json } = await getWithTimeout(doFetch, url, { headers: { authorization, accept: 'application/json' }, timeoutMs: options.timeoutMs }, 'Twilio');
        if (!response.ok) throw twilioError(response, json, clock, 'refused the message lookup');
        const page = messagePage.safeParse(json);
        if (!page.success) throw new ProviderError(`Twilio answered the message lookup (HTTP ${response.status}) without a messages list`, { retryable: true, providerCode: 'malformed_response' });
        for (const m of page.data.messages) if (isThis(m, message)) found.push(accepted(m, clock));
        url = page.data.next_page_uri ? `${baseUrl}${page.data.next_page_uri}` : null;
      }
      // Twilio lists the most recent first.
      return found.reverse();
    },
  };
}

/** Messages per page of a lookup (Twilio's default is 50, its maximum 1000), and how many pages it may read. */
const LOOKUP_PAGE_SIZE = 100;
const LOOKUP_MAX_PAGES = 20;

/** The fields of a listed Message resource a lookup reads. */
const listedMessage = z.object({
  sid: z.string().min(1),
  to: z.string().nullable(),
  from: z.string().nullable(),
  body: z.string().nullable(),
  direction: z.string(),
  status: z.string(),
  messaging_service_sid: z.string().nullable().optional(),
  date_created: z.string().nullable().optional(),
  date_sent: z.string().nullable().optional(),
  date_updated: z.string().nullable().optional(),
  error_code: z.number().nullable().optional(),
});
type ListedMessage = z.infer<typeof listedMessage>;

const messagePage = z.object({ messages: z.array(listedMessage), next_page_uri: z.string().nullable().optional() });

/** Twilio's dates are RFC 2822 ("Tue, 31 Mar 2026 14:00:00 +0000"). */
function twilioDate(value: string | null | undefined): Date | null {
  const at = value ? Date.parse(value) : Number.NaN;
  return Number.isNaN(at) ? null : new Date(at);
}

/** A listed message as found: its sid, when Twilio sent (or created) it, and its delivery status as a callback would report it. */
function accepted(m: ListedMessage, clock: Clock): AcceptedMessage {
  const acceptedAt = twilioDate(m.date_sent) ?? twilioDate(m.date_created);
  const delivery = parseTwilioStatusCallback(
    { MessageSid: m.sid, MessageStatus: m.status, ...(m.error_code ? { ErrorCode: String(m.error_code) } : {}) },
    twilioDate(m.date_updated) ?? acceptedAt ?? clock.now(),
  );
  return {
    providerMessageId: m.sid,
    status: m.status === 'queued' || m.status === 'accepted' ? 'accepted' : 'sent',
    acceptedAt,
    delivery: delivery?.kind === 'status' ? delivery : null,
  };
}

const createdMessage = z.object({ sid: z.string().regex(/^[SM]M[0-9a-fA-F]{32}$/), status: z.string() });

const errorBody = z.object({
  code: z.number().nullable().optional(),
  message: z.string().optional(),
  more_info: z.string().optional(),
  status: z.number().optional(),
});

/** A Twilio error answer as a ProviderError; `refusal` says what was refused ("refused the SMS"). */
function twilioError(response: Response, json: unknown, clock: Clock, refusal: string): ProviderError {
  const parsed = errorBody.safeParse(json);
  const body = parsed.success ? parsed.data : null;
  const code = body?.code ?? undefined;
  const providerCode = code !== undefined ? String(code) : `http_${response.status}`;
  const described = [body?.message, body?.more_info].filter(Boolean).join(' — ');
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), clock.now());

  if (code !== undefined && PERMANENT_MESSAGES[code]) {
    return new ProviderError(`${PERMANENT_MESSAGES[code]}${described ? ` [${described}]` : ''}`, { retryable: false, providerCode });
  }
  if (response.status === 429 || code === 20429) {
    return new ProviderError(`Twilio rate limit (${providerCode})${described ? `: ${described}` : ''}`, { retryable: true, retryAfterMs, providerCode });
  }
  if (response.status >= 500) {
    return new ProviderError(`Twilio temporarily failed (HTTP ${response.status}, ${providerCode})${described ? `: ${described}` : ''}`, {
      retryable: true,
      retryAfterMs,
      providerCode,
    });
  }
  return new ProviderError(`Twilio ${refusal} (HTTP ${response.status}, ${providerCode})${described ? `: ${described}` : ''}`, {
    retryable: false,
    providerCode,
  });
}

// ---------------------------------------------------------------------------------------------------------------------
// Webhooks

/** Twilio's request signature: base64 HMAC-SHA1, keyed by the auth token, of the URL then each POST param's key+value, keys sorted. */
export function twilioSignature(url: string, params: Record<string, string>, authToken: string): string {
  // Keys sort by UTF-16 code units, i.e. case-sensitive byte order for the ASCII names Twilio uses.
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/**
 * Checks `X-Twilio-Signature` for a form-encoded webhook. `url` must be the exact URL Twilio called (scheme, host, path
 * and query string as configured, which may differ from what a proxy forwards); `params` every POST parameter.
 */
export function verifyTwilioSignature(url: string, params: Record<string, string>, header: string | undefined, authToken: string): boolean {
  if (!authToken || typeof header !== 'string' || header === '') return false;
  const expected = createHash('sha256').update(twilioSignature(url, params, authToken)).digest();
  const given = createHash('sha256').update(header.trim()).digest();
  return timingSafeEqual(expected, given);
}

const STATUS_MAP: Record<string, 'sent' | 'delivered' | 'read' | 'failed'> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  undelivered: 'failed',
  failed: 'failed',
};

/** Meanings of the delivery error codes most often seen in status callbacks. */
const DELIVERY_ERRORS: Record<string, string> = {
  '21610': 'recipient unsubscribed (STOP)',
  '30003': 'unreachable destination handset',
  '30004': 'message blocked',
  '30005': 'unknown destination handset',
  '30006': 'landline or unreachable carrier',
  '30007': 'filtered by the carrier',
  '30008': 'unknown error',
};

const statusCallback = z.object({
  MessageSid: z.string().min(1),
  MessageStatus: z.string().min(1),
  ErrorCode: z.string().optional(),
  ErrorMessage: z.string().optional(),
});

/**
 * Normalises a status callback: sent/delivered/read, and undelivered/failed as 'failed' with the ErrorCode. Interim
 * statuses (queued, accepted, sending, scheduled, canceled) and malformed params give null. Twilio sends no event time,
 * so `at` is when the callback arrived (`receivedAt`).
 */
export function parseTwilioStatusCallback(params: Record<string, string>, receivedAt: Date = new Date()): InboundEvent | null {
  const parsed = statusCallback.safeParse(params);
  if (!parsed.success) return null;
  const status = STATUS_MAP[parsed.data.MessageStatus];
  if (!status) return null;
  const code = parsed.data.ErrorCode;
  const error = code && code !== '0' ? `${code} ${DELIVERY_ERRORS[code] ?? parsed.data.ErrorMessage ?? 'see https://www.twilio.com/docs/api/errors/' + code}` : undefined;
  return {
    kind: 'status',
    channel: 'sms',
    providerMessageId: parsed.data.MessageSid,
    status,
    at: receivedAt,
    ...(error ? { error } : {}),
  };
}

const inbound = z.object({
  MessageSid: z.string().min(1),
  From: z.string().min(1),
  Body: z.string(),
});

/** Normalises an incoming SMS webhook (MessageSid, From, Body) into a message event; malformed params give null. */
export function parseTwilioInbound(params: Record<string, string>, receivedAt: Date = new Date()): InboundEvent | null {
  const parsed = inbound.safeParse(params);
  if (!parsed.success) return null;
  return { kind: 'message', channel: 'sms', providerMessageId: parsed.data.MessageSid, from: parsed.data.From, text: parsed.data.Body, at: receivedAt };
}
