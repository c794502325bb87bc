/**
 * A loopback stand-in for Meta's Graph API (WhatsApp Cloud API): `POST /{version}/{phone-number-id}/messages` and the
 * media upload `POST /{version}/{phone-number-id}/media` (multipart/form-data with `messaging_product=whatsapp`,
 * `type` and `file`, answered with `{ id }`). It checks the bearer token and the documented request shapes, records
 * every request (an upload with its parts and raw bytes), refuses a message naming a media id it never issued, and can
 * be told how to answer the next requests: a Graph error, a bare HTTP status, or no answer at all.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { z } from 'zod';
import { listenOnLoopback, onBodyBytes, playReply, type HangReply, type RawReply } from './http-server.ts';

/** A media upload as the fake received it. */
export interface GraphUpload {
  /** The text parts (`messaging_product`, `type`). */
  fields: Record<string, string>;
  /** The `file` part. */
  file: { filename: string; contentType: string; bytes: Buffer };
  /** The whole multipart body, as sent. */
  raw: Buffer;
}

/** A request as the fake received it. */
export interface GraphRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** JSON (or the text when it is not JSON); for an upload, its text parts. */
  body: unknown;
  /** Present for a media upload whose multipart body could be read. */
  upload?: GraphUpload;
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
  /** Files accepted by the media endpoint, by the media id answered. */
  media: Map<string, GraphUpload>;
  /** Queue answers for the next requests, uploads and sends alike (first in, first used); beyond the queue they are accepted. */
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
/** Document types the Cloud API takes (a subset: what a collections system sends). */
const SUPPORTED_MEDIA = new Set(['application/pdf', 'text/plain', 'image/jpeg', 'image/png']);
/** A document by the id of an uploaded file (hosted links are not used by cobranza). */
const documentById = { id: z.string().regex(/^\d+$/), filename: z.string().min(1).optional() };
const headerDocument = z.object({ type: z.literal('document'), document: z.object(documentById).strict() }).strict();
/** The request shapes this fake accepts: the documented template, text and document messages, nothing else. */
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
            .array(
              z.union([
                z.object({ type: z.literal('header'), parameters: z.array(headerDocument).length(1) }).strict(),
                z.object({ type: z.literal('body'), parameters: z.array(textParameter).min(1) }).strict(),
              ]),
            )
            .optional(),
        })
        .strict(),
    })
    .strict(),
  z
    .object({
      ...common,
      type: z.literal('document'),
      document: z.object({ ...documentById, caption: z.string().min(1).max(1024).optional() }).strict(),
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
  const media = new Map<string, GraphUpload>();
  let traceCounter = 0;
  let messageCounter = 0;
  let mediaCounter = 0;

  const sendGraphError = (res: ServerResponse, status: number, error: Omit<GraphErrorObject, 'fbtrace_id'>, headers: Record<string, string> = {}) => {
    const body: { error: GraphErrorObject } = { error: { ...error, fbtrace_id: `AbCdTrace${++traceCounter}` } };
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  const invalidParameter = (res: ServerResponse, details: string) =>
    sendGraphError(res, 400, { message: '(#100) Invalid parameter', type: 'OAuthException', code: 100, error_data: { messaging_product: 'whatsapp', details } });

  /** Plays the next queued reply, if any; true when it answered. */
  const scripted = (res: ServerResponse): boolean => {
    const reply = queue.shift();
    if (reply?.kind === 'hang' || reply?.kind === 'raw') playReply(res, reply);
    else if (reply?.kind === 'graph-error') sendGraphError(res, reply.status, reply.error, reply.retryAfter !== undefined ? { 'retry-after': reply.retryAfter } : {});
    return reply !== undefined;
  };

  const authorized = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.headers.authorization === `Bearer ${accessToken}`) return true;
    sendGraphError(res, 401, { message: 'Invalid OAuth access token - Cannot parse access token', type: 'OAuthException', code: 190 });
    return false;
  };

  /** POST …/media: multipart with messaging_product=whatsapp, the file's MIME type and the file. */
  const handleUpload = async (req: IncomingMessage, res: ServerResponse, raw: Buffer) => {
    const contentType = req.headers['content-type'] ?? '';
    let upload: GraphUpload | undefined;
    if (contentType.startsWith('multipart/form-data')) {
      try {
        // The platform's multipart parser: a malformed body throws.
        const form = await new Request('http://fake.invalid/', { method: 'POST', headers: { 'content-type': contentType }, body: raw }).formData();
        const file = form.get('file');
        const fields = Object.fromEntries([...form.entries()].filter((e): e is [string, string] => typeof e[1] === 'string'));
        if (file instanceof File) upload = { fields, file: { filename: file.name, contentType: file.type, bytes: Buffer.from(await file.arrayBuffer()) }, raw };
      } catch {
        // refused below
      }
    }
    requests.push({ method: 'POST', path: req.url ?? '', headers: req.headers, body: upload?.fields ?? raw.toString('utf8'), ...(upload ? { upload } : {}) });
    if (!authorized(req, res)) return;
    if (!upload) return invalidParameter(res, 'expected multipart/form-data with a file part');
    if (upload.fields.messaging_product !== 'whatsapp') return invalidParameter(res, 'messaging_product must be whatsapp');
    if (!upload.fields.type || upload.fields.type !== upload.file.contentType) return invalidParameter(res, 'type must be the file’s MIME type');
    if (!SUPPORTED_MEDIA.has(upload.fields.type)) return invalidParameter(res, `unsupported media type ${upload.fields.type}`);
    if (upload.file.bytes.length === 0) return invalidParameter(res, 'the file is empty');
    if (scripted(res)) return;
    const id = String(4_490_709_327_384_000 + ++mediaCounter);
    media.set(id, upload);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id }));
  };

  const handleMessage = (req: IncomingMessage, res: ServerResponse, text: string) => {
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // kept as text; the shape check below refuses it
    }
    requests.push({ method: 'POST', path: req.url ?? '', headers: req.headers, body });
    if (!authorized(req, res)) return;
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      sendGraphError(res, 400, { message: '(#100) Invalid parameter', type: 'OAuthException', code: 100 });
      return;
    }
    const parsed = sendRequest.safeParse(body);
    if (!parsed.success) return invalidParameter(res, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const data = parsed.data;
    const mediaIds = data.type === 'document' ? [data.document.id] : data.type === 'template' ? (data.template.components ?? []).flatMap((c) => (c.type === 'header' ? c.parameters.map((p) => p.document.id) : [])) : [];
    const unknown = mediaIds.find((id) => !media.has(id));
    if (unknown !== undefined) return invalidParameter(res, `media id ${unknown} was never uploaded`);
    if (scripted(res)) return;

    const to = data.to;
    const id = `wamid.${Buffer.from(`fake-${phoneNumberId}-${++messageCounter}`).toString('base64')}`;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        messaging_product: 'whatsapp',
        contacts: [{ input: to, wa_id: to.replace(/^\+/, '') }],
        messages: [data.type === 'template' ? { id, message_status: 'accepted' } : { id }],
      }),
    );
  };

  const server = createServer((req, res) => {
    onBodyBytes(req, (raw) => {
      const path = req.url ?? '';
      if (req.method === 'POST' && path === `/${apiVersion}/${phoneNumberId}/media`) {
        handleUpload(req, res, raw).catch(() => res.destroy());
        return;
      }
      if (req.method === 'POST' && path === `/${apiVersion}/${phoneNumberId}/messages`) {
        handleMessage(req, res, raw.toString('utf8'));
        return;
      }
      requests.push({ method: req.method ?? '', path, headers: req.headers, body: raw.toString('utf8') });
      sendGraphError(res, 400, { message: `Unsupported ${req.method} request.`, type: 'GraphMethodException', code: 100, error_subcode: 33 });
    });
  });

  const { baseUrl, close } = await listenOnLoopback(server, 'fake Graph API');

  return {
    baseUrl,
    apiVersion,
    phoneNumberId,
    accessToken,
    requests,
    media,
    replyNext(...replies) {
      queue.push(...replies);
    },
    close,
  };
}
