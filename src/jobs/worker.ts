/**
 * A worker: the job handlers over the queue. Any number of workers may run against one PostgreSQL (each job is
 * taken by one of them; every handler is idempotent anyway); on PGlite, the process that owns the database runs it.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/connection.ts';
import { dateInZone } from '../domain/calendar.ts';
import { runPortfolio } from '../modules/collection-runs/index.ts';
import { refreshBackOffice } from '../modules/analytics/index.ts';
import { dispatchDue, emptyDispatchSummary, loadAutomationSettings, type DispatchSummary, type ProviderRegistry } from '../modules/messaging/index.ts';
import type { Clock } from '../modules/shared/clock.ts';
import type { Ctx } from '../modules/shared/context.ts';
import { AppError } from '../modules/shared/errors.ts';
import { planDay, type PlanDaySummary } from '../modules/strategies/index.ts';
import { evaluateCommitments } from '../modules/negotiation/index.ts';
import { sendAlertDigests } from '../modules/worklists/index.ts';
import { openJobQueue, type JobQueue, type JobQueueOptions } from './queue.ts';
import { companyKey, companySchedules, ownedSchedules, QUEUE_DEFINITIONS, QUEUES } from './schedules.ts';

export interface WorkerOptions {
  database: Database;
  clock: Clock;
  /** The providers, one set for every company or looked up per company (saved credentials, src/cli/providers.ts). */
  providers: ProviderSource;
  /** Companies whose schedules this worker keeps; default: every company in the database. */
  companyIds?: number[];
  /** Rows claimed per dispatch round (default 200). */
  dispatchBatch?: number;
  /** How long one dispatch job keeps sending before it hands over to a new job (default 50 s). */
  dispatchBudgetMs?: number;
  /** Dispatch jobs handled at once by this worker (default 2). */
  dispatchConcurrency?: number;
  queue?: JobQueueOptions;
  /** How often the schedules are re-read from the companies' settings (default 5 minutes). */
  resyncMs?: number;
  log?: (line: string) => void;
  /** The app's public address, linked from the daily alert digest. */
  appUrl?: string;
}

export interface Worker {
  readonly queue: JobQueue;
  /** Re-reads the companies' automation settings and updates their schedules. */
  syncSchedules(): Promise<void>;
  /** Runs one company's daily run now (as the schedule would). */
  runDaily(companyId: number): Promise<void>;
  stop(): Promise<void>;
}

const companyJob = z.object({ companyId: z.number().int().positive() });

/** Providers for every company alike, or looked up for the company of a context. */
export type ProviderSource = ProviderRegistry | ((ctx: Ctx) => Promise<ProviderRegistry>);

/** The providers `source` gives the company of `ctx`. */
export async function providersFor(source: ProviderSource, ctx: Ctx): Promise<ProviderRegistry> {
  return typeof source === 'function' ? source(ctx) : source;
}

/** Starts pg-boss, registers the handlers and the schedules, and returns the running worker. */
export async function startWorker(options: WorkerOptions): Promise<Worker> {
  const log = options.log ?? (() => {});
  const queue = await openJobQueue(options.database, options.queue);
  await queue.define(QUEUE_DEFINITIONS);
  const ctxFor = (companyId: number): Ctx => ({ database: options.database, clock: options.clock, companyId, actor: 'worker' });

  const companies = async (): Promise<number[]> => {
    if (options.companyIds) return options.companyIds;
    const rows = await options.database.query<{ id: string | number }>(sql`SELECT id FROM companies ORDER BY id`);
    return rows.map((r) => Number(r.id));
  };

  const dailyRun = async (companyId: number): Promise<void> => {
    await runDailyCycle(ctxFor(companyId), log);
    // The back office follows the run: new accounts assigned, worklists scored, the day summed for the dashboards.
    const office = await refreshBackOffice(ctxFor(companyId));
    log(`company ${companyId}: back office: ${office.assignment.assigned} assigned, ${office.scores.accounts} scored, aggregates for ${office.analytics.asOf || '—'}`);
    await queue.send(QUEUES.dispatch, { companyId }, { singletonKey: companyKey(companyId) });
    // Last, so a slow mail server never holds up the day's messages; the run above is already committed.
    await alertDigest(companyId);
  };

  /** The users' alert digest for the company's day, through the same email provider as the messages. Never throws. */
  const alertDigest = async (companyId: number): Promise<void> => {
    try {
      const ctx = ctxFor(companyId);
      const provider = (await providersFor(options.providers, ctx)).email;
      if (!provider) {
        log(`company ${companyId}: alert digest not sent: no email provider`);
        return;
      }
      // The registry's provider takes any message; the digest only ever hands it emails.
      const email: Parameters<typeof sendAlertDigests>[1]['email'] = { name: provider.name, channel: 'email', send: (m) => provider.send(m) };
      const settings = await loadAutomationSettings(ctx);
      // The same From as the messages to debtors (render-message.ts).
      const from = settings.sender.email_from ?? `${settings.companyName} <no-reply@cobranza.invalid>`;
      const d = await sendAlertDigests(ctx, { email, from, ...(options.appUrl ? { appUrl: options.appUrl } : {}) });
      log(`company ${companyId}: alert digest ${d.day}: ${d.sent} sent, ${d.skipped} skipped, ${d.failed} failed`);
    } catch (error) {
      // The digest is a convenience over the day's work: its failure is logged, and the daily run stands.
      log(`company ${companyId}: alert digest failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  await queue.work<unknown>(QUEUES.dailyRun, async (data) => dailyRun(companyJob.parse(data).companyId));

  await queue.work<unknown>(
    QUEUES.dispatch,
    async (data) => {
      const { companyId } = companyJob.parse(data);
      const total = await dispatchAll(ctxFor(companyId), {
        providers: options.providers,
        limit: options.dispatchBatch ?? 200,
        budgetMs: options.dispatchBudgetMs ?? 50_000,
      });
      // Hand over rather than hold the job past its expiry; the next job goes on where this one stopped.
      if (total.budgetSpent) await queue.send(QUEUES.dispatch, { companyId });
      if (total.claimed) log(`company ${companyId}: dispatch: ${total.sent} sent, ${total.retried} retried, ${total.failed} failed, ${total.refused} refused, ${total.deferred} deferred`);
    },
    { concurrency: options.dispatchConcurrency ?? 2 },
  );

  const syncSchedules = async (): Promise<void> => {
    const specs = [];
    const owned = [];
    for (const companyId of await companies()) {
      const settings = await loadAutomationSettings(ctxFor(companyId));
      specs.push(...companySchedules(companyId, settings));
      owned.push(...ownedSchedules(companyId));
    }
    await queue.syncSchedules(specs, owned);
  };
  await syncSchedules();
  // Settings changed elsewhere (another process, the API) reach the schedules within a few minutes.
  const resync = setInterval(() => {
    syncSchedules().catch((error: unknown) => log(`schedules not updated: ${error instanceof Error ? error.message : String(error)}`));
  }, options.resyncMs ?? 300_000);
  resync.unref();

  return {
    queue,
    syncSchedules,
    runDaily: dailyRun,
    async stop() {
      clearInterval(resync);
      await queue.stop();
    },
  };
}

/**
 * One company's day: promises and plans evaluated, the daily run as of today (company time zone), then planning. A run already done for a later
 * date by hand is left alone; planning goes on with the accounts as they are.
 */
export async function runDailyCycle(ctx: Ctx, log: (line: string) => void = () => {}): Promise<PlanDaySummary> {
  const settings = await loadAutomationSettings(ctx);
  const asOf = dateInZone(ctx.clock.now(), settings.timeZone);
  // Promises and plans first: holds they release and the promise_broken / plan_broken events they record count in today's run and plan.
  const commitments = await evaluateCommitments(ctx, { asOf });
  log(`company ${ctx.companyId}: commitments ${asOf}: ${commitments.promises.kept} kept, ${commitments.promises.broken + commitments.promises.partiallyKept} broken promises; ${commitments.plans.completed} completed, ${commitments.plans.broken} broken plans`);
  try {
    const run = await runPortfolio(ctx, { asOf });
    log(`company ${ctx.companyId}: daily run ${asOf}: ${run.accounts} accounts`);
  } catch (error) {
    if (!(error instanceof AppError && error.code === 'run_out_of_order')) throw error;
    log(`company ${ctx.companyId}: daily run ${asOf} skipped: ${error.message}`);
  }
  const plan = await planDay(ctx, { asOf });
  for (const s of plan.strategies) {
    log(`company ${ctx.companyId}: ${s.name} v${s.version} ${asOf}: ${s.messages.created} messages (${s.messages.deferred} deferred, ${s.messages.refused} refused), ${s.tasks.created} tasks`);
  }
  return plan;
}

/** Dispatches rounds until nothing is due or the time budget is spent. */
export async function dispatchAll(ctx: Ctx, options: { providers: ProviderSource; limit: number; budgetMs: number }): Promise<DispatchSummary & { budgetSpent: boolean }> {
  const started = performance.now();
  const total = { ...emptyDispatchSummary(), budgetSpent: false };
  for (;;) {
    // Looked up each round: credentials saved meanwhile apply to the next round.
    const s = await dispatchDue(ctx, { providers: await providersFor(options.providers, ctx), limit: options.limit });
    for (const k of Object.keys(s) as Array<keyof DispatchSummary>) total[k] += s[k];
    // One row per debtor is claimed per round, so keep going until a round finds nothing due.
    if (s.claimed === 0) break;
    if (performance.now() - started > options.budgetMs) {
      total.budgetSpent = true;
      break;
    }
  }
  return total;
}
