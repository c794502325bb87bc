/**
 * A loopback stand-in for Mercado Pago: `POST /checkout/preferences` (Bearer access token, JSON body with items whose
 * unit_price is a JSON number and currency_id, external_reference; X-Idempotency-Key honoured) and
 * `GET /v1/payments/{id}` for payments a test registers. Records every request with its raw body.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { listenOnLoopback, onBody, playReply, type HangReply, type RawReply } from './http-server.ts';

export interface MercadoPagoRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  rawBody: string;
}

export interface FakeMercadoPago {
  baseUrl: string;
  accessToken: string;
  requests: MercadoPagoRequest[];
  preferences: Map<string, Record<string, unknown>>;
  /** Registers a payment GET /v1/payments/{id} answers with (Mercado Pago's shape; transaction_amount a number). */
  addPayment(payment: { id: number; status: string; transaction_amount: number; currency_id: string; external_reference: string | null; date_approved?: string }): void;
  replyNext(...replies: Array<RawReply | HangReply>): void;
  close(): Promise<void>;
}

export async function startFakeMercadoPago(options: { accessToken?: string } = {}): Promise<FakeMercadoPago> {
  const accessToken = options.accessToken ?? 'APP_USR-fake-token';
  const requests: MercadoPagoRequest[] = [];
  const preferences = new Map<string, Record<string, unknown>>();
  const byKey = new Map<string, string>();
  const payments = new Map<string, Record<string, unknown>>();
  const queue: Array<RawReply | HangReply> = [];
  let n = 0;

  const server = createServer((req, res) => {
    onBody(req, (rawBody) => {
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, rawBody });
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const next = queue.shift();
      if (next) return playReply(res, next);
      if (req.headers.authorization !== `Bearer ${accessToken}`) return send(401, { message: 'invalid access token', error: 'unauthorized', status: 401 });
      const payment = /^\/v1\/payments\/(\d+)$/.exec(req.url ?? '');
      if (req.method === 'GET' && payment) {
        const p = payments.get(payment[1]!);
        return p ? send(200, p) : send(404, { message: 'Payment not found', error: 'not_found', status: 404 });
      }
      if (req.method !== 'POST' || req.url !== '/checkout/preferences') return send(404, { message: 'resource not found', error: 'not_found', status: 404 });
      if (!String(req.headers['content-type']).startsWith('application/json')) return send(400, { message: 'content-type must be application/json', error: 'bad_request', status: 400 });
      let body: { items?: Array<{ unit_price?: unknown; currency_id?: unknown; quantity?: unknown; title?: unknown }>; external_reference?: unknown };
      try {
        body = JSON.parse(rawBody);
      } catch {
        return send(400, { message: 'invalid JSON', error: 'bad_request', status: 400 });
      }
      const item = body.items?.[0];
      if (!item || typeof item.unit_price !== 'number' || typeof item.currency_id !== 'string' || item.quantity !== 1 || typeof item.title !== 'string') {
        return send(400, { message: 'items[0] needs title, quantity, currency_id and a numeric unit_price', error: 'invalid_items', status: 400 });
      }
      const key = req.headers['x-idempotency-key'];
      if (typeof key === 'string' && byKey.has(key)) return send(201, preferences.get(byKey.get(key)!));
      const id = `123456789-${String(++n).padStart(8, '0')}`;
      const created = { id, ...body, init_point: `https://www.mercadopago.com.mx/checkout/v1/redirect?pref_id=${id}`, sandbox_init_point: `https://sandbox.mercadopago.com.mx/checkout/v1/redirect?pref_id=${id}` };
      preferences.set(id, created);
      if (typeof key === 'string') byKey.set(key, id);
      send(201, created);
    });
  });
  const { baseUrl, close } = await listenOnLoopback(server, 'fake Mercado Pago');
  return {
    baseUrl,
    accessToken,
    requests,
    preferences,
    addPayment: (p) => void payments.set(String(p.id), { ...p, status_detail: p.status === 'approved' ? 'accredited' : 'pending_contingency', payment_method_id: 'visa' }),
    replyNext: (...r) => void queue.push(...r),
    close,
  };
}
