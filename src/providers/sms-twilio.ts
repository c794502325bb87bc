/**
 * SMS through Twilio's Programmable Messaging REST API (2010-04-01), and the webhook side: the X-Twilio-Signature
 * check, status callbacks and incoming messages.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { systemClock, type Clock } from '../modules/shared/clock.ts';
import { ProviderError, type ChannelProvider, type InboundEvent, type OutboundSms, type SendResult } from '../modules/messaging/ports.ts';
import { keepAliveFetch, parseRetryAfter, postWithTimeout } from './http.ts';

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
      if (!response.ok) throw twilioError(response, json, clock);
      const created = createdMessage.safeParse(json);
      if (!created.success) {
        // Twilio accepted (2xx) but the answer is unreadable: retrying could send the SMS twice.
        throw new ProviderError(`Twilio answered ${response.status} without a message SID`, { retryable: false, providerCode: 'malformed_response' });
      }
      return { providerMessageId: created.data.sid, status: created.data.status === 'sent' ? 'sent' : 'accepted' };
    },
  };
}

const createdMessage = z.object({ sid: z.string().regex(/^[SM]M[0-9a-fA-F]{32}$/), status: z.string() });

const errorBody = z.object({
  code: z.number().nullable().optional(),
  message: z.string().optional(),
  more_info: z.string().optional(),
  status: z.number().optional(),
});

function twilioError(response: Response, json: unknown, clock: Clock): ProviderError {
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
  return new ProviderError(`Twilio refused the SMS (HTTP ${response.status}, ${providerCode})${described ? `: ${described}` : ''}`, {
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
