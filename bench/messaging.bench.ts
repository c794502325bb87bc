/**
 * Messaging benchmark (issue 3, "Speed"): on the demo portfolio loaded through the import path, with a strategy that
 * has steps in every phase,
 *   1. step selection for a whole day (planDay) against the daily run's own time (target: planning ≤ 3× the run);
 *   2. dispatch throughput with N worker processes looping dispatchDue, sending through the real Twilio SMS provider to
 *      a loopback Twilio (target: ≥ 2,000 messages/s with 4 workers);
 *   3. crash safety: the same outbox again under new keys, one worker kill -9'd mid-dispatch and replaced, the lease
 *      left to lapse; every row must reach the loopback exactly once. The rows the killed worker had claimed are
 *      reclaimed with an unknown outcome: dispatch first reads the loopback's Messages list, records a message the
 *      provider already accepted (sent just before the kill, never recorded) and sends only the others. Every key
 *      received twice counts as a duplicate, whatever the cause.
 * Prints a table and writes bench/out/messaging.json.
 *
 *   node bench/messaging.bench.ts                 200k debtors / 1M obligations on PostgreSQL
 *   node bench/messaging.bench.ts --scale 0.1     a tenth of that
 *   options: --workers 4 --batch 400 --concurrency 32 --lease-ms 10000 --kill-at 0.3
 *            --analyze   ANALYZE the database between the daily run and planning (the product does not; without
 *                        statistics on the fresh `accounts` rows the planning query's plan goes quadratic)
 *
 * Dispatch sends a batch in waves of `concurrency` rows and renews each wave's leases just before its provider calls
 * (in the statement that records the previous wave), so the lease only has to outlast one wave's provider calls; a
 * row whose lease lapsed anyway is skipped by the worker that lost it, not sent twice.
 *
 * DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) is used only to create a throwaway database
 * cobranza_bench_<random>, dropped at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { migrateDatabase, type Database } from '../src/db/connection.ts';
import { ensureCompany } from '../src/modules/access/ensure-company.ts';
import { runPortfolio } from '../src/modules/collection-runs/index.ts';
import { emptyDispatchSummary, setAutomationSettings, type DispatchSummary } from '../src/modules/messaging/index.ts';
import { importFile } from '../src/modules/portfolio/index.ts';
import { fixedClock } from '../src/modules/shared/clock.ts';
import type { Ctx } from '../src/modules/shared/context.ts';
import { applyStrategy, planDay, type PlanDaySummary } from '../src/modules/strategies/index.ts';
import type { WorkerArgs } from './support/dispatch-worker.ts';
import { startTwilioLoopback, type TwilioLoopback } from './support/twilio-loopback.ts';
import { AS_OF, cleanUp, cleanups, ENTITIES, openThrowawayPostgres, writeFiles } from './support/book.ts';

/** 11:00 in Mexico City, within lawful hours everywhere in Mexico. */
const NOW = '2026-03-31T17:00:00Z';
const FULL_DEBTORS = 200_000;

const TARGETS = { planVsRun: 3, messagesPerSecond: 2000, workers: 4, duplicates: 0, lost: 0 };

/**
 * Steps in every phase: day offsets from the oldest open due date before and after it, event steps where offsets no
 * longer reach (no reply for N days, entering a phase, a payment). Every message is an SMS; the fallback is a call
 * task, so the outbox holds only what the Twilio loopback receives.
 */
const strategyFor = (name: string, portfolio: string) => `
name: ${name}
portfolio: "${portfolio}"
catch_up_days: 3
rules:
  - phase: preventive
    steps:
      - { id: pre-5, trigger: -5, channel: sms, template: preventive_reminder, fallback: call_task }
      - { id: pre-1, trigger: -1, channel: sms, template: preventive_reminder, fallback: call_task }
      - { id: due-0, trigger: 0, channel: sms, template: due_today, fallback: call_task }
  - phase: administrative
    steps:
      - { id: late-3, trigger: 3, channel: sms, template: late_3_days, fallback: call_task }
      - { id: late-7, trigger: 7, channel: sms, template: late_3_days, fallback: call_task }
      - { id: late-10, trigger: 10, channel: sms, template: late_10_days, fallback: call_task }
      - { id: late-20, trigger: 20, channel: sms, template: late_10_days, fallback: call_task }
      - { id: late-30, trigger: 30, channel: sms, template: late_30_days, fallback: call_task }
      - { id: late-45, trigger: 45, channel: sms, template: late_30_days, fallback: call_task }
      - { id: late-60, trigger: 60, channel: sms, template: late_30_days, fallback: call_task }
      - { id: adm-silent, trigger: { event: no_reply_days, days: 7 }, channel: sms, template: late_30_days, fallback: call_task }
      - { id: adm-promise, trigger: { event: promise_broken }, channel: sms, template: promise_reminder, fallback: call_task }
  - phase: extrajudicial
    steps:
      - { id: ext-enter, trigger: { event: entered_phase, phase: extrajudicial }, channel: sms, template: final_notice_before_extrajudicial, fallback: call_task }
      - { id: ext-silent, trigger: { event: no_reply_days, days: 7 }, channel: sms, template: late_30_days, fallback: call_task }
      - { id: ext-call, trigger: { event: no_reply_days, days: 14 }, channel: call_task, template: late_30_days }
  - phase: judicial
    steps:
      - { id: jud-silent, trigger: { event: no_reply_days, days: 14 }, channel: sms, template: late_30_days, fallback: call_task }
      - { id: jud-agency, trigger: { event: entered_phase, phase: judicial }, channel: agency_referral, template: late_30_days }
  - phase: written_off
    steps:
      - { id: wo-silent, trigger: { event: no_reply_days, days: 30 }, channel: sms, template: late_30_days, fallback: call_task }
  - phase: settled
    steps:
      - { id: paid, trigger: { event: payment_received }, channel: sms, template: payment_received }
`;

interface DispatchFigures {
  workers: number;
  messages: number;
  /** From the bench's "go" to the last worker's exit. */
  seconds: number;
  messagesPerSecond: number;
  /** First to last request received by the loopback. */
  loopbackSeconds: number;
  loopbackMessagesPerSecond: number;
  received: number;
  /** Message list requests: lookups before resending a row whose earlier attempt's outcome is unknown. */
  lookups: number;
  /** Rows the loopback received more than once. */
  duplicates: number;
  lost: number;
  statuses: Record<string, number>;
  /** Why rows failed or were refused at send time, most frequent first. */
  reasons: Record<string, number>;
  summary: DispatchSummary;
}

interface CrashFigures extends DispatchFigures {
  killedPid: number;
  killedAfterReceived: number;
  leaseMs: number;
  /** Of the duplicates, rows one of whose receipts came from the killed worker (accepted, never recorded, resent). */
  duplicatesAfterKill: number;
  /** Rows sent (in the outbox) that the loopback never received, or rows not sent at all. */
  notSent: number;
  /** Rows claimed more than once (the killed worker's claims, taken over after the lease). */
  reclaimed: number;
}

const seconds = (ms: number) => Math.round(ms) / 1000;

function parseOptions() {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string', default: '1' },
      workers: { type: 'string', default: '4' },
      batch: { type: 'string', default: '400' },
      concurrency: { type: 'string', default: '32' },
      'lease-ms': { type: 'string', default: '10000' },
      analyze: { type: 'boolean', default: false },
      'kill-at': { type: 'string', default: '0.3' },
    },
    strict: true,
  });
  const scale = Number(values.scale);
  if (!(scale > 0 && scale <= 1)) throw new Error(`--scale must be a fraction in (0, 1], got "${values.scale}"`);
  const int = (name: string, v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number ≥ 1, got "${v}"`);
    return n;
  };
  const killAt = Number(values['kill-at']);
  if (!(killAt > 0 && killAt < 1)) throw new Error(`--kill-at must be a fraction in (0, 1), got "${values['kill-at']}"`);
  return {
    scale,
    workers: int('workers', values.workers),
    batch: int('batch', values.batch),
    concurrency: int('concurrency', values.concurrency),
    leaseMs: int('lease-ms', values['lease-ms']),
    killAt,
    analyze: values.analyze,
  };
}
type Options = ReturnType<typeof parseOptions>;

// ---------------------------------------------------------------------------------------------------------------------
// Worker processes

const WORKER_SCRIPT = fileURLToPath(new URL('./support/dispatch-worker.ts', import.meta.url));
const live = new Set<ChildProcess>();

interface Worker {
  child: ChildProcess;
  pid: number;
  ready: Promise<void>;
  /** Totals printed at exit; null if the process died (e.g. killed). */
  done: Promise<(DispatchSummary & { pid: number; rounds: number; ms: number }) | null>;
}

function startWorker(args: WorkerArgs): Worker {
  const child = spawn(process.execPath, [WORKER_SCRIPT, JSON.stringify(args)], { stdio: ['pipe', 'pipe', 'inherit'] });
  live.add(child);
  let onReady!: () => void;
  const ready = new Promise<void>((r) => (onReady = r));
  type Totals = DispatchSummary & { pid: number; rounds: number; ms: number };
  let result: Totals | null = null;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const msg = JSON.parse(line) as Record<string, unknown>;
    if ('ready' in msg) onReady();
    else result = msg as never;
  });
  const done = new Promise<Totals | null>((resolve, reject) => {
    // 'close' comes after the process's stdout is drained, so its last line (the totals) has been read.
    child.on('close', (code, signal) => {
      live.delete(child);
      if (signal === 'SIGKILL') resolve(null);
      else if (code !== 0) reject(new Error(`worker ${child.pid} exited with ${code ?? signal}`));
      else resolve(result);
    });
  });
  return { child, pid: child.pid!, ready, done };
}

const go = (w: Worker) => w.child.stdin!.write('go\n');

function sumSummaries(list: Array<DispatchSummary | null>): DispatchSummary {
  const total = emptyDispatchSummary();
  for (const s of list) if (s) for (const k of Object.keys(total) as Array<keyof DispatchSummary>) total[k] += s[k];
  return total;
}

/** SMS rows of the set (idempotency keys ending in `suffix`, or all when empty) by status, and their keys. */
async function outboxRows(database: Database, companyId: number, suffix: string): Promise<{ statuses: Record<string, number>; keys: Map<string, string> }> {
  const rows = await database.query<{ idempotency_key: string; status: string }>(sql`
    SELECT idempotency_key, status FROM outbox_messages
     WHERE company_id = ${companyId} AND channel = 'sms' AND (${suffix} = '' OR idempotency_key LIKE ${'%' + suffix})`);
  const statuses: Record<string, number> = {};
  const keys = new Map<string, string>();
  for (const r of rows) {
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    keys.set(r.idempotency_key, r.status);
  }
  return { statuses, keys };
}

async function failureReasons(database: Database, companyId: number, suffix: string): Promise<Record<string, number>> {
  const rows = await database.query<{ reason: string; n: number }>(sql`
    SELECT status || ': ' || CASE WHEN status = 'failed' THEN coalesce(left(last_error, 100), '?') ELSE coalesce(gate_rule, '?') END AS reason, count(*)::int AS n FROM outbox_messages
     WHERE company_id = ${companyId} AND channel = 'sms' AND status IN ('failed', 'refused')
       AND (${suffix} = '' OR idempotency_key LIKE ${'%' + suffix})
     GROUP BY 1 ORDER BY 2 DESC LIMIT 10`);
  return Object.fromEntries(rows.map((r) => [r.reason, Number(r.n)]));
}


/** Counts every row sent in the outbox against what the loopback received. */
function tally(loopback: TwilioLoopback, keys: Map<string, string>): { duplicates: string[]; lost: string[]; strays: number } {
  const receipts = loopback.receipts();
  const duplicates: string[] = [];
  const lost: string[] = [];
  for (const [key, status] of keys) {
    const r = receipts.get(key);
    if (status === 'sent' && !r) lost.push(key);
    if (r && r.count > 1) duplicates.push(key);
  }
  let strays = 0;
  for (const key of receipts.keys()) if (!keys.has(key)) strays++;
  return { duplicates, lost, strays };
}

async function dispatchRun(
  o: { database: Database; url: string; companyId: number; loopback: TwilioLoopback; options: Options; expected: number; suffix: string; leaseMs?: number },
  crash: boolean,
): Promise<DispatchFigures | CrashFigures> {
  const { loopback, options } = o;
  // One clock for every worker of the run, the replacement included (leases are compared across processes): the
  // benchmark's day, moving at real speed from NOW. The loopback dates the messages it accepts by it too.
  const clockOffsetMs = Date.parse(NOW) - Date.now();
  loopback.reset(() => new Date(Date.now() + clockOffsetMs));
  const args = (): WorkerArgs => ({
    databaseUrl: o.url,
    companyId: o.companyId,
    loopbackUrl: loopback.baseUrl,
    clockOffsetMs,
    limit: options.batch,
    concurrency: options.concurrency,
    ...(o.leaseMs ? { leaseMs: o.leaseMs } : {}),
  });
  const workers = Array.from({ length: options.workers }, () => startWorker(args()));
  await Promise.all(workers.map((w) => w.ready));
  let first = 0;
  let last = 0;
  const started = performance.now();
  const sampler = setInterval(() => {
    const n = loopback.total();
    if (n > 0 && first === 0) first = performance.now();
  }, 1);
  workers.forEach(go);

  let killedPid = 0;
  let killedAfterReceived = 0;
  if (crash) {
    const threshold = Math.max(1, Math.floor(o.expected * options.killAt));
    while (loopback.total() < threshold) await new Promise((r) => setTimeout(r, 2));
    const victim = workers[0]!;
    killedPid = victim.pid;
    killedAfterReceived = loopback.total();
    victim.child.kill('SIGKILL');
    process.stderr.write(`  killed worker ${killedPid} (kill -9) after ${killedAfterReceived} messages received; starting a replacement\n`);
    const replacement = startWorker(args());
    await replacement.ready;
    go(replacement);
    workers.push(replacement);
  }
  // Track the last receipt.
  let lastTotal = -1;
  const lastWatch = setInterval(() => {
    const n = loopback.total();
    if (n !== lastTotal) {
      lastTotal = n;
      last = performance.now();
    }
  }, 1);
  const results = await Promise.all(workers.map((w) => w.done));
  const ms = performance.now() - started;
  clearInterval(sampler);
  clearInterval(lastWatch);

  const { statuses, keys } = await outboxRows(o.database, o.companyId, o.suffix);
  const t = tally(loopback, keys);
  const receipts = loopback.receipts();
  const messages = statuses.sent ?? 0;
  const loopMs = Math.max(1, last - first);
  const base: DispatchFigures = {
    workers: options.workers,
    messages,
    seconds: seconds(ms),
    messagesPerSecond: Math.round(messages / (ms / 1000)),
    loopbackSeconds: seconds(loopMs),
    loopbackMessagesPerSecond: Math.round(loopback.total() / (loopMs / 1000)),
    received: loopback.total(),
    lookups: loopback.lookups(),
    duplicates: t.duplicates.length,
    lost: t.lost.length,
    statuses,
    reasons: await failureReasons(o.database, o.companyId, o.suffix),
    summary: sumSummaries(results),
  };
  if (t.strays) process.stderr.write(`  note: the loopback received ${t.strays} keys that are not SMS rows of this set\n`);
  if (!crash) return base;
  const afterKill = t.duplicates.filter((k) => receipts.get(k)!.workers.includes(killedPid));
  const notSent = [...keys.values()].filter((s) => s !== 'sent').length;
  return {
    ...base,
    killedPid,
    killedAfterReceived,
    leaseMs: o.leaseMs ?? 300_000,
    duplicatesAfterKill: afterKill.length,
    reclaimed: Number(
      (await o.database.query<{ n: number }>(sql`
        SELECT count(*)::int AS n FROM outbox_messages
         WHERE company_id = ${o.companyId} AND channel = 'sms' AND idempotency_key LIKE ${'%' + o.suffix} AND attempts > 1`))[0]?.n ?? 0,
    ),
    notSent,
  };
}

// ---------------------------------------------------------------------------------------------------------------------

function table(r: Report): string {
  const rows: Array<[string, string]> = [];
  const add = (label: string, value: string) => rows.push([label, value]);
  const plan = r.planning;
  add('portfolio', `${r.debtors} debtors, ${r.obligations} obligations, ${r.payments} payments`);
  add('statistics before planning', r.options.analyze ? 'ANALYZE after the daily run (--analyze)' : 'as the product leaves them (no ANALYZE after the daily run)');
  add('daily run', `${plan.runAccounts} accounts in ${plan.runSeconds.toFixed(2)} s`);
  add('planDay (whole day)', `${plan.accounts} accounts, ${plan.due} due, ${plan.messages} messages (${plan.deferred} deferred, ${plan.refused} refused), ${plan.tasks} tasks in ${plan.planSeconds.toFixed(2)} s`);
  add(`plan ÷ run (≤ ${TARGETS.planVsRun})`, `${plan.planVsRun.toFixed(2)} ${plan.planVsRun <= TARGETS.planVsRun ? 'ok' : 'MISSED'}`);
  const d = r.dispatch;
  add(`dispatch, ${d.workers} workers (≥ ${TARGETS.messagesPerSecond}/s)`, `${d.messages} sent in ${d.seconds.toFixed(2)} s = ${d.messagesPerSecond.toLocaleString('en-US')}/s ${d.messagesPerSecond >= TARGETS.messagesPerSecond ? 'ok' : 'MISSED'}`);
  add('  at the loopback', `${d.received} received, first→last ${d.loopbackSeconds.toFixed(2)} s = ${d.loopbackMessagesPerSecond.toLocaleString('en-US')}/s; ${d.duplicates} duplicates, ${d.lost} lost, ${d.lookups} lookups`);
  add('  outbox after', Object.entries(d.statuses).map(([k, v]) => `${k} ${v}`).join(', '));
  for (const [k, v] of Object.entries(d.reasons)) add('', `${v} × ${k}`);
  const c = r.crash;
  add(`crash: kill -9 + restart, lease ${c.leaseMs} ms`, `killed ${c.killedPid} after ${c.killedAfterReceived}/${c.messages + c.notSent} received; ${c.reclaimed} rows reclaimed after the lease; all done in ${c.seconds.toFixed(2)} s`);
  add('  reclaimed rows', `${c.lookups} looked up at the loopback before resending; ${c.summary.recovered} found already accepted (sent just before the kill) and recorded without sending again`);
  add('  duplicates at the loopback (= 0)', `${c.duplicates} ${c.duplicates === 0 ? 'ok' : 'MISSED'} (keys received more than once; ${c.duplicatesAfterKill} of them with a receipt from the killed worker)`);
  add('  lost (= 0)', `${c.lost + c.notSent} ${c.lost + c.notSent === 0 ? 'ok' : 'MISSED'} (${c.notSent} rows not sent, ${c.lost} sent but never received)`);
  add('  outbox after', Object.entries(c.statuses).map(([k, v]) => `${k} ${v}`).join(', '));
  const width = Math.max(...rows.map(([l]) => l.length));
  return rows.map(([l, v]) => `${l.padEnd(width)}  ${v}`).join('\n') + '\n';
}

interface Report {
  scale: number;
  asOf: string;
  now: string;
  machine: Record<string, unknown>;
  options: Options;
  targets: typeof TARGETS;
  debtors: number;
  obligations: number;
  payments: number;
  planning: {
    runSeconds: number;
    runAccounts: number;
    planSeconds: number;
    planVsRun: number;
    accounts: number;
    due: number;
    messages: number;
    deferred: number;
    refused: number;
    tasks: number;
    strategies: PlanDaySummary['strategies'];
  };
  dispatch: DispatchFigures;
  crash: CrashFigures;
  totalSeconds: number;
}

async function main(): Promise<void> {
  const options = parseOptions();
  const workDir = await mkdtemp(join(tmpdir(), 'cobranza-bench-'));
  cleanups.push(() => rm(workDir, { recursive: true, force: true }));
  cleanups.push(async () => {
    for (const c of live) c.kill('SIGKILL');
  });
  const interrupt = () => {
    process.stderr.write('\ninterrupted; cleaning up…\n');
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  const started = performance.now();
  const machine = { cores: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 1024 ** 3), node: process.version, platform: `${process.platform}-${process.arch}` };

  let report: Report;
  try {
    const debtors = Math.max(10, Math.round(FULL_DEBTORS * options.scale));
    process.stderr.write(`generating ${debtors} debtors…\n`);
    const files = await writeFiles(workDir, debtors);
    const { database, url } = await openThrowawayPostgres();
    await migrateDatabase(database);
    const { company } = await ensureCompany({ database, slug: 'bench', name: 'Bench', country: 'MX' });
    const clock = fixedClock(NOW);
    const ctx: Ctx = { database, clock, companyId: company.id, actor: 'bench' };
    for (const entity of ENTITIES) {
      process.stderr.write(`importing ${entity}…\n`);
      const result = await importFile(ctx, { entity, path: files.paths[entity], fileName: `${entity}.csv`, format: 'csv' });
      if (result.errors.length > 0) throw new Error(`${entity} import rejected: ${JSON.stringify(result.errors.slice(0, 5))}`);
    }

    // Templates render only with a sender (creditor, links), as `cobranza automation set` would save it.
    await setAutomationSettings(ctx, {
      sender: {
        creditor: { name: 'Financiera Bench', legal_id: 'FBE010101AB1', phone: '800 123 4567' },
        email_from: 'Financiera Bench <cobranza@bench.example>',
        payment_link: 'https://pagos.bench.example/p/{debtor}',
        portal_link: 'https://portal.bench.example/{debtor}',
      },
    });
    const portfolios = await database.query<{ name: string }>(sql`
      SELECT p.name FROM portfolios p WHERE p.company_id = ${company.id}
         AND EXISTS (SELECT 1 FROM obligations o WHERE o.portfolio_id = p.id) ORDER BY p.name`);
    for (const [i, p] of portfolios.entries()) await applyStrategy(ctx, { source: strategyFor(`bench-${i + 1}`, p.name) });
    process.stderr.write(`strategies applied to ${portfolios.map((p) => p.name).join(', ')}\n`);

    process.stderr.write('daily run…\n');
    let t = performance.now();
    const run = await runPortfolio(ctx, { asOf: AS_OF });
    const runMs = performance.now() - t;
    if (options.analyze) {
      process.stderr.write('ANALYZE (--analyze)…\n');
      await database.query(sql`ANALYZE`);
    }
    process.stderr.write(`planning the day…\n`);
    t = performance.now();
    const plan = await planDay(ctx, { asOf: AS_OF });
    const planMs = performance.now() - t;
    const sum = (f: (s: PlanDaySummary['strategies'][number]) => number) => plan.strategies.reduce((a, s) => a + f(s), 0);
    const planning = {
      runSeconds: seconds(runMs),
      runAccounts: run.accounts,
      planSeconds: seconds(planMs),
      planVsRun: Math.round((planMs / runMs) * 100) / 100,
      accounts: sum((s) => s.accounts),
      due: sum((s) => s.due),
      messages: sum((s) => s.messages.created),
      deferred: sum((s) => s.messages.deferred),
      refused: sum((s) => s.messages.refused),
      tasks: sum((s) => s.tasks.created),
      strategies: plan.strategies,
    };
    process.stderr.write(`planned ${planning.messages} messages in ${planning.planSeconds} s (daily run ${planning.runSeconds} s)\n`);

    const loopback = await startTwilioLoopback();
    cleanups.push(() => loopback.close());
    const [due] = await database.query<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM outbox_messages
       WHERE company_id = ${company.id} AND channel = 'sms' AND status = 'pending' AND next_attempt_at <= ${NOW}::timestamptz`);
    const expected = Number(due?.n ?? 0);
    if (expected === 0) throw new Error('planning produced no SMS due today: nothing to dispatch');

    process.stderr.write(`dispatching ${expected} SMS with ${options.workers} workers…\n`);
    const dispatch = (await dispatchRun({ database, url, companyId: company.id, loopback, options, expected, suffix: '' }, false)) as DispatchFigures;

    // A fresh outbox: the rows just sent, back to pending under new keys, their send-time decisions forgotten.
    const [reset] = await database.query<{ n: number }>(sql`
      WITH r AS (
        UPDATE outbox_messages SET status = 'pending', attempts = 0, lease_until = NULL, provider = NULL, provider_message_id = NULL,
               sent_at = NULL, payload = NULL, last_error = NULL, gate_rule = NULL, idempotency_key = idempotency_key || ':crash'
         WHERE company_id = ${company.id} AND channel = 'sms' AND status = 'sent' RETURNING id)
      SELECT count(*)::int AS n FROM r`);
    await database.query(sql`DELETE FROM contact_decisions WHERE company_id = ${company.id} AND stage = 'dispatch'`);
    process.stderr.write(`crash run: ${reset?.n} SMS, lease ${options.leaseMs} ms…\n`);
    const crash = (await dispatchRun(
      { database, url, companyId: company.id, loopback, options, expected: Number(reset?.n ?? 0), suffix: ':crash', leaseMs: options.leaseMs },
      true,
    )) as CrashFigures;

    report = {
      scale: options.scale,
      asOf: AS_OF,
      now: NOW,
      machine,
      options,
      targets: TARGETS,
      debtors: files.rows.debtors,
      obligations: files.rows.obligations,
      payments: files.rows.payments,
      planning,
      dispatch,
      crash,
      totalSeconds: 0,
    };
  } finally {
    await cleanUp();
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
  report.totalSeconds = seconds(performance.now() - started);
  const outDir = fileURLToPath(new URL('./out/', import.meta.url));
  await mkdir(outDir, { recursive: true });
  const outFile = join(outDir, 'messaging.json');
  await writeFile(outFile, JSON.stringify(report, null, 2) + '\n');
  process.stdout.write(`cobranza messaging bench — scale ${options.scale}, ${AS_OF} at ${NOW}, ${machine.cores} cores (${machine.cpu}), ${machine.memoryGb} GB, Node ${machine.node}\n\n`);
  process.stdout.write(table(report));
  process.stdout.write(`\nfigures: ${outFile} (${(await stat(outFile)).size} bytes); total ${report.totalSeconds} s\n`);
}

main().catch(async (error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  await cleanUp();
  process.exitCode = 1;
});
