/**
 * A loopback Twilio: answers POST /2010-04-01/Accounts/<sid>/Messages.json the way Twilio's Messages API does (201,
 * a JSON message with an SM… sid) and counts what it received; answers GET on the same path with Twilio's Messages
 * list over what it accepted (filters, most recent first, pages through next_page_uri: test/fakes/twilio-messages.ts),
 * which dispatch reads before resending a row whose earlier attempt's outcome is unknown. Twilio's API takes no
 * idempotency key, so the bench's worker adds the outbox row's key (and its own pid) as extra headers; Twilio would
 * ignore them, the loopback counts by them. Runs inside the bench process: it only parses headers and the form.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTwilioMessageLog } from '../../test/fakes/twilio-messages.ts';

export const KEY_HEADER = 'x-bench-idempotency-key';
export const WORKER_HEADER = 'x-bench-worker';

export interface Receipt {
  count: number;
  /** Pids of the workers that sent it, in order. */
  workers: number[];
}

export interface TwilioLoopback {
  readonly baseUrl: string;
  /** Messages accepted (POSTs) since the last reset. */
  total(): number;
  /** Message list requests (GETs: lookups before a resend) since the last reset. */
  lookups(): number;
  /** Requests without the key header or not in Twilio's shape. */
  malformed(): number;
  receipts(): ReadonlyMap<string, Receipt>;
  /** Forgets every message and count; `now` is the provider's clock from then on (default: the real time). */
  reset(now?: () => Date): void;
  close(): Promise<void>;
}

/** The account the loopback serves: the bench's worker sends as it. */
export const LOOPBACK_ACCOUNT_SID = 'AC00000000000000000000000000000000';
const PATH = `/2010-04-01/Accounts/${LOOPBACK_ACCOUNT_SID}/Messages.json`;


export async function startTwilioLoopback(): Promise<TwilioLoopback> {
  let received = new Map<string, Receipt>();
  let total = 0;
  let lookups = 0;
  let malformed = 0;
  let now = () => new Date();
  const log = createTwilioMessageLog(LOOPBACK_ACCOUNT_SID);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const [pathname, search = ''] = (req.url ?? '').split('?', 2) as [string, string?];
      if (req.method === 'GET' && pathname === PATH) {
        lookups++;
        const answer = log.list(new URLSearchParams(search));
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify('json' in answer ? answer.json : { code: answer.code, message: answer.message, status: answer.status }));
        return;
      }
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const key = req.headers[KEY_HEADER];
      const to = form.get('To');
      const body = form.get('Body');
      if (req.method !== 'POST' || req.url !== PATH || typeof key !== 'string' || !to || !body) {
        malformed++;
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: 21211, message: 'bad request', status: 400 }));
        return;
      }
      total++;
      const worker = Number(req.headers[WORKER_HEADER] ?? 0);
      const r = received.get(key);
      if (r) {
        r.count++;
        r.workers.push(worker);
      } else received.set(key, { count: 1, workers: [worker] });
      const { sid } = log.accept({ To: to, From: form.get('From') ?? undefined, MessagingServiceSid: form.get('MessagingServiceSid') ?? undefined, Body: body }, now());
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ sid, status: 'queued', to, body }));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    total: () => total,
    lookups: () => lookups,
    malformed: () => malformed,
    receipts: () => received,
    reset(clock) {
      received = new Map();
      total = 0;
      lookups = 0;
      malformed = 0;
      now = clock ?? (() => new Date());
      log.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
