/**
 * A loopback stand-in for Meta's Graph API `POST /{version}/{phone-number-id}/messages` (WhatsApp Cloud API). It
 * checks the bearer token and the documented request shape, records every request, and can be told how to answer the
 * next sends: a Graph error, a bare HTTP status, or no answer at all.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { z } from 'zod';
import { listenOnLoopback, onBody, playReply, type HangReply, type RawReply } from './http-server.ts';

/** A request as the fake received it. */
export interface GraphRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

/** A Graph API error object, as Meta documents it. */
export interface GraphErrorObject {
  message: string;
  type: string;
  code: number;
  error_subcode?: number;
  error_data?: { messaging_product: 'whatsapp'; details: string };
  fbtrace_id: string;
}

/** How the fake answers one send instead of accepting it. */
export type GraphReply =
  | { kind: 'graph-error'; status: number; error: Omit<GraphErrorObject, 'fbtrace_id'>; retryAfter?: string }
  | RawReply
  | HangReply;

/** A running fake Graph API. */
export interface FakeMetaGraph {
  baseUrl: string;
  apiVersion: string;
  phoneNumberId: string;
  accessToken: string;
  requests: GraphRequest[];
  /** Queue answers for the next sends (first in, first used); sends beyond the queue are accepted. */
  replyNext(...replies: GraphReply[]): void;
  close(): Promise<void>;
}

const textParameter = z.object({ type: z.literal('text'), text: z.string().min(1) }).strict();
const common = {
  messaging_product: z.literal('whatsapp'),
  recipient_type: z.literal('individual'),
  to: z.string().regex(/^\+?\d{8,15}$/),
  biz_opaque_callback_data: z.string().max(512).optional(),
};
/** The request shapes this fake accepts: the documented template and text messages, nothing else. */
const sendRequest = z.discriminatedUnion('type', [
  z
    .object({
      ...common,
      type: z.literal('template'),
      template: z
        .object({
          name: z.string().regex(/^[a-z0-9_]+$/),
          language: z.object({ code: z.string().min(2), policy: z.literal('deterministic').optional() }).strict(),
          components: z
            .array(z.object({ type: z.literal('body'), parameters: z.array(textParameter).min(1) }).strict())
            .optional(),
        })
        .strict(),
    })
    .strict(),
  z
    .object({
      ...common,
      type: z.literal('text'),
      text: z.object({ body: z.string().min(1).max(4096), preview_url: z.boolean().optional() }).strict(),
    })
    .strict(),
]);

/** Starts the fake on 127.0.0.1 with the given identity (defaults are test values). */
export async function startFakeMetaGraph(
  options: { apiVersion?: string; phoneNumberId?: string; accessToken?: string } = {},
): Promise<FakeMetaGraph> {
  const apiVersion = options.apiVersion ?? 'v21.0';
  const phoneNumberId = options.phoneNumberId ?? '106540352242922';
  const accessToken = options.accessToken ?? 'EAAtest-system-user-token';
  const requests: GraphRequest[] = [];
  const queue: GraphReply[] = [];
  let traceCounter = 0;
  let messageCounter = 0;

  const sendGraphError = (res: ServerResponse, status: number, error: Omit<GraphErrorObject, 'fbtrace_id'>, headers: Record<string, string> = {}) => {
    const body: { error: GraphErrorObject } = { error: { ...error, fbtrace_id: `AbCdTrace${++traceCounter}` } };
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  const server = createServer((req, res) => {
    onBody(req, (text) => {
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // kept as text; the shape check below refuses it
      }
      const path = req.url ?? '';
      requests.push({ method: req.method ?? '', path, headers: req.headers, body });

      if (req.method !== 'POST' || path !== `/${apiVersion}/${phoneNumberId}/messages`) {
        sendGraphError(res, 400, { message: `Unsupported ${req.method} request.`, type: 'GraphMethodException', code: 100, error_subcode: 33 });
        return;
      }
      if (req.headers.authorization !== `Bearer ${accessToken}`) {
        sendGraphError(res, 401, { message: 'Invalid OAuth access token - Cannot parse access token', type: 'OAuthException', code: 190 });
        return;
      }
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
        sendGraphError(res, 400, { message: '(#100) Invalid parameter', type: 'OAuthException', code: 100 });
        return;
      }
      const parsed = sendRequest.safeParse(body);
      if (!parsed.success) {
        sendGraphError(res, 400, {
          message: '(#100) Invalid parameter',
          type: 'OAuthException',
          code: 100,
          error_data: { messaging_product: 'whatsapp', details: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') },
        });
        return;
      }

      const reply = queue.shift();
      if (reply?.kind === 'hang' || reply?.kind === 'raw') {
        playReply(res, reply);
        return;
      }
      if (reply?.kind === 'graph-error') {
        sendGraphError(res, reply.status, reply.error, reply.retryAfter !== undefined ? { 'retry-after': reply.retryAfter } : {});
        return;
      }

      const to = parsed.data.to;
      const id = `wamid.${Buffer.from(`fake-${phoneNumberId}-${++messageCounter}`).toString('base64')}`;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          messaging_product: 'whatsapp',
          contacts: [{ input: to, wa_id: to.replace(/^\+/, '') }],
          messages: [parsed.data.type === 'template' ? { id, message_status: 'accepted' } : { id }],
        }),
      );
    });
  });

  const { baseUrl, close } = await listenOnLoopback(server, 'fake Graph API');

  return {
    baseUrl,
    apiVersion,
    phoneNumberId,
    accessToken,
    requests,
    replyNext(...replies) {
      queue.push(...replies);
    },
    close,
  };
}
