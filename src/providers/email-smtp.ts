/**
 * Email over SMTP with nodemailer. The Message-ID is derived from the outbox row's idempotency key, so a message
 * re-sent after a crash carries the same id as the first attempt and bounces can be matched back to the row.
 */
import { createHash } from 'node:crypto';
import { createTransport } from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import { systemClock, type Clock } from '../modules/shared/clock.ts';
import { ProviderError, type ChannelProvider, type InboundEvent, type OutboundEmail, type SendResult } from '../modules/messaging/ports.ts';

/** Connection and sender settings of the SMTP provider. */
export interface SmtpProviderOptions {
  host: string;
  port: number;
  /** true: TLS from the first byte (port 465); false: plain, upgraded with STARTTLS when the server offers it. */
  secure: boolean;
  auth?: { user: string; pass: string };
  /** Refuse to send unless the server upgrades with STARTTLS. */
  requireTLS?: boolean;
  /**
   * The system's sender, e.g. `Cobranza <avisos@acme.example>`. Its address is the envelope sender (bounces come back
   * to it) and its domain names the Message-IDs; a message without its own `from` uses it as the From header too.
   */
  from: string;
  /** Limit for connecting, the greeting and any silence on the socket. */
  timeoutMs: number;
  clock?: Clock;
}

/** The SMTP provider: a `ChannelProvider` for email. `close()` releases the transport. */
export interface SmtpProvider extends ChannelProvider<OutboundEmail> {
  close(): void;
}

/** The Message-ID for an outbox row: the same key always gives the same id, and the id does not reveal the key. */
export function messageIdFor(idempotencyKey: string, domain: string): string {
  const digest = createHash('sha256').update(idempotencyKey, 'utf8').digest('hex').slice(0, 40);
  return `<${digest}@${domain}>`;
}

/** Creates the SMTP email provider. One transport (one connection per message, no pool) serves every send. */
export function createSmtpProvider(options: SmtpProviderOptions): SmtpProvider {
  const sender = parseMailbox(options.from);
  if (!sender) throw new Error(`SMTP "from" setting "${options.from}" has no email address`);
  const domain = sender.slice(sender.lastIndexOf('@') + 1);
  const clock = options.clock ?? systemClock;

  const transport = createTransport({
    host: options.host,
    port: options.port,
    secure: options.secure,
    requireTLS: options.requireTLS ?? false,
    ...(options.auth ? { auth: { user: options.auth.user, pass: options.auth.pass } } : {}),
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
    dnsTimeout: options.timeoutMs,
    // Content comes from our templates and the outbox, never from paths or URLs nodemailer would fetch.
    disableFileAccess: true,
    disableUrlAccess: true,
  });

  return {
    name: 'email-smtp',
    channel: 'email',
    async send(message: OutboundEmail): Promise<SendResult> {
      const messageId = messageIdFor(message.idempotencyKey, domain);
      const headers: Record<string, string> = {};
      if (message.unsubscribeUrl !== undefined) {
        const url = unsubscribeTarget(message.unsubscribeUrl);
        headers['List-Unsubscribe'] = `<${url.href}>`;
        // RFC 8058 one-click unsubscribe is defined for HTTPS targets only.
        if (url.protocol === 'https:') headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
      }
      try {
        await transport.sendMail({
          from: message.from || options.from,
          to: message.to,
          ...(message.replyTo ? { replyTo: message.replyTo } : {}),
          subject: message.subject,
          text: message.text,
          html: message.html,
          messageId,
          date: clock.now(),
          headers,
          envelope: { from: sender, to: message.to },
          attachments: (message.attachments ?? []).map((a) => ({
            filename: a.filename,
            contentType: a.contentType,
            content: Buffer.from(a.content.buffer, a.content.byteOffset, a.content.byteLength),
          })),
        });
      } catch (error) {
        throw toProviderError(error);
      }
      return { providerMessageId: messageId, status: 'accepted' };
    },
    close() {
      transport.close();
    },
  };
}

/** The address of a `Name <address>` or bare address string, or null. */
function parseMailbox(value: string): string | null {
  for (const entry of addressparser(value, { flatten: true })) {
    if (entry.address) return entry.address;
  }
  return null;
}

function unsubscribeTarget(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ProviderError(`unsubscribe URL "${raw}" is not a URL`, { retryable: false, providerCode: 'invalid_unsubscribe_url' });
  }
  // The header wraps the URL in <…>; a URL that could close the bracket or fold the line is refused.
  if (!['mailto:', 'https:', 'http:'].includes(url.protocol) || /[<>\s]/.test(url.href)) {
    throw new ProviderError(`unsubscribe URL "${raw}" must be a mailto: or https: URL without spaces or angle brackets`, {
      retryable: false,
      providerCode: 'invalid_unsubscribe_url',
    });
  }
  return url;
}

interface NodemailerFailure {
  message?: string;
  code?: string;
  responseCode?: number;
  response?: string;
}

/** Nodemailer error codes that mean the message never reached a server that could refuse it. */
const TRANSIENT_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'EABORT', 'ECONNREFUSED', 'ECONNRESET']);

/**
 * SMTP replies decide (RFC 5321): 4xx is transient, 5xx permanent. 503 (bad sequence of commands) is the exception
 * nodemailer also makes: it describes the session's state, not the message, so a new connection may succeed.
 */
function toProviderError(error: unknown): ProviderError {
  const failure = (typeof error === 'object' && error !== null ? error : {}) as NodemailerFailure;
  const detail = failure.response ?? failure.message ?? String(error);
  const code = failure.responseCode;
  if (typeof code === 'number' && code >= 400 && code < 600) {
    const retryable = code < 500 || code === 503;
    return new ProviderError(`SMTP server answered ${code}: ${detail}`, { retryable, providerCode: String(code) });
  }
  if (failure.code && TRANSIENT_CODES.has(failure.code)) {
    return new ProviderError(`SMTP server unreachable (${failure.code}): ${detail}`, { retryable: true, providerCode: failure.code });
  }
  // Configuration problems (TLS required but not offered, bad credentials without a reply code, …) do not heal by retrying.
  return new ProviderError(`SMTP send failed${failure.code ? ` (${failure.code})` : ''}: ${detail}`, {
    retryable: false,
    providerCode: failure.code ?? null,
  });
}

// ---------------------------------------------------------------------------------------------------------------------
// Delivery status notifications (RFC 3464): multipart/report; report-type=delivery-status

interface MimePart {
  headers: Map<string, string>;
  body: string;
}

/**
 * Reads a bounce: a delivery status notification (multipart/report; report-type=delivery-status) becomes a 'bounced'
 * event when a recipient's Action is `failed` (a 'delivered' one when every recipient was delivered). The event's
 * `providerMessageId` is the returned message's Message-ID (as `messageIdFor` made it), or '' when the DSN does not
 * quote the original headers; `error` carries the status code, diagnostic and recipient. Anything that is not a DSN,
 * and delays (`Action: delayed`), give null. `at` is the DSN's Date header, else `receivedAt`.
 */
export function parseBounce(rawMessage: string | Uint8Array, receivedAt: Date = new Date()): InboundEvent | null {
  const raw = typeof rawMessage === 'string' ? rawMessage : Buffer.from(rawMessage).toString('utf8');
  const root = parsePart(raw);
  const report = findReport(root, 0);
  if (!report) return null;

  let statusPart: MimePart | undefined;
  let originalPart: MimePart | undefined;
  for (const part of report) {
    const type = contentType(part).type;
    if (type === 'message/delivery-status' || type === 'message/global-delivery-status') statusPart ??= part;
    else if (['message/rfc822', 'text/rfc822-headers', 'message/global', 'message/global-headers'].includes(type)) originalPart ??= part;
  }
  if (!statusPart) return null;

  // The status body is a per-message block then one block per recipient, each shaped like a header section.
  const blocks = decodeBody(statusPart)
    .split(/\r?\n(?:[ \t]*\r?\n)+/)
    .map((block) => parseHeaders(block))
    .filter((fields) => fields.size > 0);
  const recipients = blocks.filter((fields) => fields.has('action'));
  if (recipients.length === 0) return null;
  const failed = recipients.find((fields) => fields.get('action')!.toLowerCase().startsWith('failed'));
  const allDelivered = recipients.every((fields) => fields.get('action')!.toLowerCase().startsWith('delivered'));
  if (!failed && !allDelivered) return null;

  let providerMessageId = '';
  if (originalPart) {
    const original = parseHeaders(splitHeaderBody(decodeBody(originalPart)).head);
    const id = original.get('message-id')?.match(/<[^<>\s]+>/)?.[0];
    if (id) providerMessageId = id;
  }
  const dated = root.headers.get('date');
  const at = dated && !Number.isNaN(Date.parse(dated)) ? new Date(dated) : receivedAt;

  if (!failed) return { kind: 'status', channel: 'email', providerMessageId, status: 'delivered', at };
  const recipient = stripAddressType(failed.get('final-recipient') ?? failed.get('original-recipient') ?? '');
  const error = [failed.get('status'), failed.get('diagnostic-code') && stripAddressType(failed.get('diagnostic-code')!)]
    .filter(Boolean)
    .join(' ')
    .replace(/\s+/g, ' ');
  return {
    kind: 'status',
    channel: 'email',
    providerMessageId,
    status: 'bounced',
    at,
    error: recipient ? `${error || 'failed'} (${recipient})` : error || 'failed',
  };
}

/** `rfc822; jdoe@example.com` → `jdoe@example.com`; `smtp; 550 5.1.1 …` → `550 5.1.1 …`. */
function stripAddressType(value: string): string {
  const semi = value.indexOf(';');
  return (semi >= 0 ? value.slice(semi + 1) : value).trim();
}

/** The parts of the first multipart/report with report-type=delivery-status, looking inside nested multiparts. */
function findReport(part: MimePart, depth: number): MimePart[] | null {
  const { type, params } = contentType(part);
  if (!type.startsWith('multipart/') || !params.boundary || depth > 4) return null;
  const children = splitMultipart(part.body, params.boundary);
  if (type === 'multipart/report' && (params['report-type'] ?? '').toLowerCase() === 'delivery-status') return children;
  for (const child of children) {
    const found = findReport(child, depth + 1);
    if (found) return found;
  }
  return null;
}

function splitHeaderBody(raw: string): { head: string; body: string } {
  const match = /\r?\n\r?\n/.exec(raw);
  if (!match) return { head: raw, body: '' };
  return { head: raw.slice(0, match.index), body: raw.slice(match.index + match[0].length) };
}

function parsePart(raw: string): MimePart {
  const { head, body } = splitHeaderBody(raw);
  return { headers: parseHeaders(head), body };
}

/** Header fields by lower-case name (the first occurrence wins), with folded lines unfolded. */
function parseHeaders(head: string): Map<string, string> {
  const fields = new Map<string, string>();
  const unfolded = head.replace(/\r?\n(?=[ \t])/g, '');
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!fields.has(name)) fields.set(name, line.slice(colon + 1).trim());
  }
  return fields;
}

function contentType(part: MimePart): { type: string; params: Record<string, string> } {
  const value = part.headers.get('content-type') ?? 'text/plain';
  const [type = '', ...rest] = splitOutsideQuotes(value, ';');
  const params: Record<string, string> = {};
  for (const param of rest) {
    const eq = param.indexOf('=');
    if (eq <= 0) continue;
    let v = param.slice(eq + 1).trim();
    if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) v = v.slice(1, -1).replace(/\\(.)/g, '$1');
    params[param.slice(0, eq).trim().toLowerCase()] = v;
  }
  return { type: type.trim().toLowerCase(), params };
}

function splitOutsideQuotes(value: string, separator: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch === '\\' && quoted && i + 1 < value.length) {
      current += ch + value[++i];
      continue;
    }
    if (ch === '"') quoted = !quoted;
    if (ch === separator && !quoted) {
      out.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  out.push(current);
  return out;
}

function splitMultipart(body: string, boundary: string): MimePart[] {
  const parts: MimePart[] = [];
  const delimiter = `--${boundary}`;
  let current: string[] | null = null;
  for (const line of body.split(/\r?\n/)) {
    if (line.startsWith(delimiter)) {
      const rest = line.slice(delimiter.length);
      if (rest.startsWith('--')) {
        if (current) parts.push(parsePart(current.join('\r\n')));
        return parts;
      }
      if (rest.trim() === '') {
        if (current) parts.push(parsePart(current.join('\r\n')));
        current = [];
        continue;
      }
    }
    current?.push(line);
  }
  if (current) parts.push(parsePart(current.join('\r\n')));
  return parts;
}

function decodeBody(part: MimePart): string {
  const encoding = (part.headers.get('content-transfer-encoding') ?? '').toLowerCase();
  if (encoding === 'base64') return Buffer.from(part.body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    const bytes = part.body.replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return part.body;
}
