/**
 * A loopback stand-in for Twilio's `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`. It checks HTTP Basic auth
 * and the form body as Twilio documents them, records every request, and can be told how to answer the next sends: a
 * Twilio error, a bare HTTP status, or no answer at all.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback, onBody, playReply, type HangReply, type RawReply } from './http-server.ts';

/** A request as the fake received it; `form` is the decoded form body. */
export interface TwilioRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  rawBody: string;
  form: Record<string, string>;
}

/** How the fake answers one send instead of creating the message. */
export type TwilioReply =
  | { kind: 'twilio-error'; status: number; code: number; message: string; retryAfter?: string }
  | RawReply
  | HangReply;

/** A running fake Twilio API. */
export interface FakeTwilio {
  baseUrl: string;
  accountSid: string;
  authToken: string;
  requests: TwilioRequest[];
  /** Queue answers for the next sends (first in, first used); sends beyond the queue are created. */
  replyNext(...replies: TwilioReply[]): void;
  close(): Promise<void>;
}

const FORM_KEYS = new Set(['To', 'From', 'MessagingServiceSid', 'Body', 'StatusCallback']);

/** Starts the fake on 127.0.0.1 with test credentials. */
export async function startFakeTwilio(options: { accountSid?: string; authToken?: string } = {}): Promise<FakeTwilio> {
  const accountSid = options.accountSid ?? `AC${'0123456789abcdef'.repeat(2)}`;
  const authToken = options.authToken ?? 'twilio-auth-token-for-tests';
  const requests: TwilioRequest[] = [];
  const queue: TwilioReply[] = [];

  const sendError = (res: ServerResponse, status: number, code: number, message: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }));
  };

  const server = createServer((req, res) => {
    onBody(req, (rawBody) => {
      const form = Object.fromEntries(new URLSearchParams(rawBody));
      const path = req.url ?? '';
      requests.push({ method: req.method ?? '', path, headers: req.headers, rawBody, form });

      if (req.method !== 'POST' || path !== `/2010-04-01/Accounts/${accountSid}/Messages.json`) {
        sendError(res, 404, 20404, `The requested resource ${path} was not found`);
        return;
      }
      const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
      if (req.headers.authorization !== expectedAuth) {
        sendError(res, 401, 20003, 'Authenticate', { 'www-authenticate': 'Basic realm="Twilio API"' });
        return;
      }
      if (req.headers['content-type'] !== 'application/x-www-form-urlencoded') {
        sendError(res, 400, 21601, 'Request body must be application/x-www-form-urlencoded');
        return;
      }
      const unknown = Object.keys(form).filter((key) => !FORM_KEYS.has(key));
      if (unknown.length > 0) {
        sendError(res, 400, 21601, `Unexpected parameters: ${unknown.join(', ')}`);
        return;
      }
      if (!form.To) {
        sendError(res, 400, 21604, "A 'To' phone number is required.");
        return;
      }
      if (!/^\+[1-9]\d{7,14}$/.test(form.To)) {
        sendError(res, 400, 21211, `The 'To' number ${form.To} is not a valid phone number.`);
        return;
      }
      if (!form.From && !form.MessagingServiceSid) {
        sendError(res, 400, 21603, "A 'From' phone number is required.");
        return;
      }
      if (!form.Body) {
        sendError(res, 400, 21602, 'Message body is required.');
        return;
      }

      const reply = queue.shift();
      if (reply?.kind === 'hang' || reply?.kind === 'raw') {
        playReply(res, reply);
        return;
      }
      if (reply?.kind === 'twilio-error') {
        sendError(res, reply.status, reply.code, reply.message, reply.retryAfter !== undefined ? { 'retry-after': reply.retryAfter } : {});
        return;
      }

      const sid = `SM${randomBytes(16).toString('hex')}`;
      const viaService = Boolean(form.MessagingServiceSid);
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          account_sid: accountSid,
          api_version: '2010-04-01',
          body: form.Body,
          date_created: 'Tue, 31 Mar 2026 14:00:00 +0000',
          date_sent: null,
          date_updated: 'Tue, 31 Mar 2026 14:00:00 +0000',
          direction: 'outbound-api',
          error_code: null,
          error_message: null,
          from: form.From ?? null,
          messaging_service_sid: form.MessagingServiceSid ?? null,
          num_media: '0',
          num_segments: '1',
          price: null,
          price_unit: 'USD',
          sid,
          status: viaService ? 'accepted' : 'queued',
          subresource_uris: { media: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}/Media.json` },
          to: form.To,
          uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
        }),
      );
    });
  });

  const { baseUrl, close } = await listenOnLoopback(server, 'fake Twilio');

  return {
    baseUrl,
    accountSid,
    authToken,
    requests,
    replyNext(...replies) {
      queue.push(...replies);
    },
    close,
  };
}
