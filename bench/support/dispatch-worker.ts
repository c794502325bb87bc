/**
 * One dispatch worker process for the messaging bench: loops `dispatchDue` with the real Twilio SMS provider (pointed
 * at the loopback) until no SMS row is due or in flight, then prints its totals as one JSON line on stdout.
 *
 *   node bench/support/dispatch-worker.ts '<json WorkerArgs>'
 *
 * The clock runs at real speed from the bench's fixed "now" (clockOffsetMs), so leases expire in real time.
 */
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../src/db/connection.ts';
import { dispatchDue, emptyDispatchSummary, type DispatchSummary } from '../../src/modules/messaging/index.ts';
import type { OutboundSms } from '../../src/modules/messaging/ports.ts';
import type { Clock } from '../../src/modules/shared/clock.ts';
import type { Ctx } from '../../src/modules/shared/context.ts';
import { keepAliveFetch } from '../../src/providers/http.ts';
import { createTwilioSmsProvider } from '../../src/providers/sms-twilio.ts';
import { KEY_HEADER, LOOPBACK_ACCOUNT_SID, WORKER_HEADER } from './twilio-loopback.ts';

export interface WorkerArgs {
  databaseUrl: string;
  companyId: number;
  loopbackUrl: string;
  clockOffsetMs: number;
  limit: number;
  concurrency: number;
  leaseMs?: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as WorkerArgs;
const clock: Clock = { now: () => new Date(Date.now() + args.clockOffsetMs) };
const database = await openDatabase({ databaseUrl: args.databaseUrl, poolSize: Math.max(4, Math.min(args.concurrency + 2, 20)) });
if (database.backend.kind === 'postgres') database.backend.client.on('error', () => {});
const ctx: Ctx = { database, clock, companyId: args.companyId, actor: 'bench-worker' };

const twilioOptions = { baseUrl: args.loopbackUrl, accountSid: LOOPBACK_ACCOUNT_SID, authToken: 'bench', from: '+15005550006', timeoutMs: 10_000 };
// The real provider, per message, with the provider's own keep-alive transport (shared by every message) wrapped to
// add the bench's counting headers (Twilio itself takes no key). Sends and lookups (the Messages list, asked before
// resending a row whose earlier attempt's outcome is unknown) both go through it.
const transport = keepAliveFetch();
const twilioFor = (message: OutboundSms) => {
  const tagged: typeof fetch = (input, init) =>
    transport(input, { ...init, headers: { ...(init?.headers as Record<string, string>), [KEY_HEADER]: message.idempotencyKey, [WORKER_HEADER]: String(process.pid) } });
  return createTwilioSmsProvider({ ...twilioOptions, fetch: tagged });
};
const sms = {
  name: 'sms-twilio',
  channel: 'sms' as const,
  send: (message: OutboundSms) => twilioFor(message).send(message),
  findAccepted: (message: OutboundSms, options: { since: Date }) => twilioFor(message).findAccepted!(message, options),
};

const total: DispatchSummary = emptyDispatchSummary();
let rounds = 0;
process.stdout.write(JSON.stringify({ ready: process.pid }) + '\n');
// Every worker starts sending on the bench's word, so process start-up is not timed.
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
process.stdin.pause();
const started = performance.now();
for (;;) {
  const s = await dispatchDue(ctx, { providers: { sms }, limit: args.limit, concurrency: args.concurrency, ...(args.leaseMs ? { leaseMs: args.leaseMs } : {}) });
  rounds++;
  for (const k of Object.keys(s) as Array<keyof DispatchSummary>) total[k] += s[k];
  if (s.claimed > 0) continue;
  // Nothing claimable right now: done only when nothing SMS is due or in flight (another worker's lease may lapse).
  const [left] = await database.query<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM outbox_messages
     WHERE company_id = ${args.companyId} AND channel = 'sms'
       AND ((status = 'pending' AND next_attempt_at <= ${clock.now().toISOString()}::timestamptz) OR status = 'sending')`);
  if (Number(left?.n ?? 0) === 0) break;
  await new Promise((r) => setTimeout(r, 50));
}
process.stdout.write(JSON.stringify({ pid: process.pid, rounds, ms: Math.round(performance.now() - started), ...total }) + '\n');
await database.close();
process.exit(0);
