/**
 * A loopback Twilio: answers POST /2010-04-01/Accounts/<sid>/Messages.json the way Twilio's Messages API does (201,
 * a JSON message with an SM… sid) and counts what it received. Twilio's API takes no idempotency key, so the bench's
 * worker adds the outbox row's key (and its own pid) as extra headers; Twilio would ignore them, the loopback counts
 * by them. Runs inside the bench process: it only parses headers and drains the body.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const KEY_HEADER = 'x-bench-idempotency-key';
export const WORKER_HEADER = 'x-bench-worker';

export interface Receipt {
  count: number;
  /** Pids of the workers that sent it, in order. */
  workers: number[];
}

export interface TwilioLoopback {
  readonly baseUrl: string;
  /** Requests accepted since the last reset. */
  total(): number;
  /** Requests without the key header or not in Twilio's shape. */
  malformed(): number;
  receipts(): ReadonlyMap<string, Receipt>;
  reset(): void;
  close(): Promise<void>;
}

const PATH = /^\/2010-04-01\/Accounts\/[^/]+\/Messages\.json$/;

export async function startTwilioLoopback(): Promise<TwilioLoopback> {
  let received = new Map<string, Receipt>();
  let total = 0;
  let malformed = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const key = req.headers[KEY_HEADER];
      if (req.method !== 'POST' || !PATH.test(req.url ?? '') || typeof key !== 'string' || !form.get('To') || !form.get('Body')) {
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
      const sid = `SM${randomBytes(16).toString('hex')}`;
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ sid, status: 'queued', to: form.get('To'), body: form.get('Body') }));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    total: () => total,
    malformed: () => malformed,
    receipts: () => received,
    reset() {
      received = new Map();
      total = 0;
      malformed = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
