/**
 * A loopback stand-in for Twilio's Messages API: `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` creates a
 * message, `GET` on the same path lists the messages it accepted (test/fakes/twilio-messages.ts). It checks HTTP Basic
 * auth and the form body as Twilio documents them, records every request, and can be told how to answer the next
 * sends: a Twilio error, a bare HTTP status, no answer at all, or accepting the message and then not answering.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Clock } from '../../src/modules/shared/clock.ts';
import { listenOnLoopback, onBody, playReply, type HangReply, type RawReply } from './http-server.ts';
import { createTwilioMessageLog, twilioMessageResource, type TwilioMessage } from './twilio-messages.ts';

/** A request as the fake received it; `form` is the decoded form body, `query` the decoded query string. */
export interface TwilioRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
  rawBody: string;
  form: Record<string, string>;
}

/** How the fake answers one send instead of creating the message and answering 201. */
export type TwilioReply =
  | { kind: 'twilio-error'; status: number; code: number; message: string; retryAfter?: string }
  /** Creates the message (it is listed from then on) but never answers, as when a response is lost. */
  | { kind: 'accept-and-hang' }
  | RawReply
  | HangReply;

/** A running fake Twilio API. */
export interface FakeTwilio {
  baseUrl: string;
  accountSid: string;
  authToken: string;
  requests: TwilioRequest[];
  /** Every message accepted, oldest first; a test may change one's status or error code. */
  readonly messages: readonly TwilioMessage[];
  /** Queue answers for the next sends (first in, first used); sends beyond the queue are created. */
  replyNext(...replies: TwilioReply[]): void;
  /** Queue answers for the next message lists instead of the page. */
  replyNextList(...replies: Array<Exclude<TwilioReply, { kind: 'accept-and-hang' }>>): void;
  close(): Promise<void>;
}

const FORM_KEYS = new Set(['To', 'From', 'MessagingServiceSid', 'Body', 'StatusCallback']);

/**
 * Starts the fake on 127.0.0.1 with test credentials. `clock` dates the messages it accepts (default: the real time);
 * `maxPageSize` caps the list's page size so a test can page through a few messages.
 */
export async function startFakeTwilio(options: { accountSid?: string; authToken?: string; clock?: Clock; maxPageSize?: number } = {}): Promise<FakeTwilio> {
  const accountSid = options.accountSid ?? `AC${'0123456789abcdef'.repeat(2)}`;
  const authToken = options.authToken ?? 'twilio-auth-token-for-tests';
  const now = () => options.clock?.now() ?? new Date();
  const requests: TwilioRequest[] = [];
  const queue: TwilioReply[] = [];
  const listQueue: Array<Exclude<TwilioReply, { kind: 'accept-and-hang' }>> = [];
  const log = createTwilioMessageLog(accountSid, options.maxPageSize !== undefined ? { maxPageSize: options.maxPageSize } : {});

  const sendError = (res: ServerResponse, status: number, code: number, message: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }));
  };

  const server = createServer((req, res) => {
    onBody(req, (rawBody) => {
      const form = Object.fromEntries(new URLSearchParams(rawBody));
      const path = req.url ?? '';
      const [pathname, search = ''] = path.split('?', 2) as [string, string?];
      const query = new URLSearchParams(search);
      requests.push({ method: req.method ?? '', path, query: Object.fromEntries(query), headers: req.headers, rawBody, form });

      if ((req.method !== 'POST' && req.method !== 'GET') || pathname !== `/2010-04-01/Accounts/${accountSid}/Messages.json` || (req.method === 'POST' && search !== '')) {
        sendError(res, 404, 20404, `The requested resource ${path} was not found`);
        return;
      }
      const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
      if (req.headers.authorization !== expectedAuth) {
        sendError(res, 401, 20003, 'Authenticate', { 'www-authenticate': 'Basic realm="Twilio API"' });
        return;
      }
      if (req.method === 'GET') {
        const reply = listQueue.shift();
        if (reply?.kind === 'twilio-error') sendError(res, reply.status, reply.code, reply.message);
        else if (reply) playReply(res, reply);
        if (reply) return;
        const answer = log.list(query);
        if ('json' in answer) {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(answer.json));
        } else sendError(res, answer.status, answer.code, answer.message);
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

      // The fake sends at once (the list shows the message 'sent'); the answer to the create is Twilio's, still queued.
      const message = log.accept({ To: form.To, From: form.From, MessagingServiceSid: form.MessagingServiceSid, Body: form.Body }, now());
      if (reply?.kind === 'accept-and-hang') return;
      const viaService = Boolean(form.MessagingServiceSid);
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ...twilioMessageResource(accountSid, message), date_sent: null, status: viaService ? 'accepted' : 'queued' }));
    });
  });

  const { baseUrl, close } = await listenOnLoopback(server, 'fake Twilio');

  return {
    baseUrl,
    accountSid,
    authToken,
    requests,
    get messages() {
      return log.messages;
    },
    replyNext(...replies) {
      queue.push(...replies);
    },
    replyNextList(...replies) {
      listQueue.push(...replies);
    },
    close,
  };
}
