/**
 * A loopback stand-in for Stripe's `POST /v1/checkout/sessions`. It checks what Stripe checks (Bearer secret key, a
 * form-encoded body, mode, one line item with price_data, an integer unit_amount, a lower-case currency, expires_at
 * within 30 minutes to 24 hours), answers with a Checkout Session object or a Stripe error body, honours the
 * Idempotency-Key header (same key → same session), and records every request.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback, onBody, playReply, type HangReply, type RawReply } from './http-server.ts';

export interface StripeRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  form: Record<string, string>;
}

export interface FakeStripe {
  baseUrl: string;
  secretKey: string;
  requests: StripeRequest[];
  /** The sessions created, by id. */
  sessions: Map<string, Record<string, unknown>>;
  replyNext(...replies: Array<RawReply | HangReply>): void;
  close(): Promise<void>;
}

/** Starts the fake; `now` is the clock its expires_at check uses (seconds). */
export async function startFakeStripe(options: { secretKey?: string; now: () => Date }): Promise<FakeStripe> {
  const secretKey = options.secretKey ?? 'sk_test_fake_0123456789';
  const requests: StripeRequest[] = [];
  const sessions = new Map<string, Record<string, unknown>>();
  const byKey = new Map<string, string>();
  const queue: Array<RawReply | HangReply> = [];

  const error = (res: ServerResponse, status: number, type: string, message: string, param?: string) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { type, message, ...(param ? { param } : {}) } }));
  };

  const server = createServer((req, res) => {
    onBody(req, (raw) => {
      const form = Object.fromEntries(new URLSearchParams(raw));
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, form });
      const next = queue.shift();
      if (next) return playReply(res, next);
      if (req.method !== 'POST' || req.url !== '/v1/checkout/sessions') return error(res, 404, 'invalid_request_error', `Unrecognized request URL (${req.method}: ${req.url})`);
      if (req.headers.authorization !== `Bearer ${secretKey}`) return error(res, 401, 'invalid_request_error', 'Invalid API Key provided');
      if (req.headers['content-type'] !== 'application/x-www-form-urlencoded') return error(res, 400, 'invalid_request_error', 'Invalid request: expected application/x-www-form-urlencoded');
      if (form.mode !== 'payment') return error(res, 400, 'invalid_request_error', 'Missing required param: mode.', 'mode');
      const currency = form['line_items[0][price_data][currency]'] ?? '';
      const unit = form['line_items[0][price_data][unit_amount]'] ?? '';
      if (!/^[a-z]{3}$/.test(currency)) return error(res, 400, 'invalid_request_error', 'Invalid currency', 'line_items[0][price_data][currency]');
      if (!/^\d+$/.test(unit)) return error(res, 400, 'invalid_request_error', 'Invalid integer: unit_amount', 'line_items[0][price_data][unit_amount]');
      if (!form['line_items[0][price_data][product_data][name]']) return error(res, 400, 'invalid_request_error', 'Missing required param: line_items[0][price_data][product_data][name].');
      if (form['line_items[0][quantity]'] !== '1') return error(res, 400, 'invalid_request_error', 'quantity must be 1 here');
      const now = Math.floor(options.now().getTime() / 1000);
      const expires = Number(form.expires_at ?? now + 86_400);
      if (expires < now + 1800 || expires > now + 86_400) return error(res, 400, 'invalid_request_error', 'expires_at must be between 30 minutes and 24 hours from now', 'expires_at');
      const key = req.headers['idempotency-key'];
      if (typeof key === 'string' && byKey.has(key)) {
        res.writeHead(200, { 'content-type': 'application/json', 'idempotent-replayed': 'true' });
        return res.end(JSON.stringify(sessions.get(byKey.get(key)!)));
      }
      const id = `cs_test_${randomBytes(24).toString('hex')}`;
      const metadata: Record<string, string> = {};
      for (const [k, v] of Object.entries(form)) {
        const m = /^metadata\[(.+)\]$/.exec(k);
        if (m) metadata[m[1]!] = v;
      }
      const session = {
        id,
        object: 'checkout.session',
        amount_total: Number(unit),
        currency,
        client_reference_id: form.client_reference_id ?? null,
        metadata,
        mode: 'payment',
        payment_status: 'unpaid',
        status: 'open',
        expires_at: expires,
        success_url: form.success_url ?? null,
        url: `https://checkout.stripe.com/c/pay/${id}`,
      };
      sessions.set(id, session);
      if (typeof key === 'string') byKey.set(key, id);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(session));
    });
  });
  const { baseUrl, close } = await listenOnLoopback(server, 'fake Stripe');
  return { baseUrl, secretKey, requests, sessions, replyNext: (...r) => void queue.push(...r), close };
}
