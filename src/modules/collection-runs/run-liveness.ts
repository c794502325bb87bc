/**
 * Which daily runs are really running: runs as one kind of long job (shared/job-liveness.ts tells the live ones from
 * those whose process ended). A run changes the accounts in one transaction and records its outcome in it, so a run
 * whose process died changed nothing; its row says so once found. On PostgreSQL the run's transaction waits for and
 * holds the company's advisory lock; the heartbeat is written from another pool connection, outside it, and the lock
 * of a dead process's run went with its connection, so the next run is not held up.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/connection.ts';
import { runs } from '../../db/schema.ts';
import type { Clock } from '../shared/clock.ts';
import type { Ctx } from '../shared/context.ts';
import { failStaleJobs, jobKind, recentJobs, recordRunningJob, releaseJob, runningJob, trackJob, type JobKind, type JobTracker } from '../shared/job-liveness.ts';

/** What a run whose process ended says afterwards. */
export const STALE_RUN_REASON =
  'la ejecución diaria se interrumpió (el servidor se reinició o el proceso terminó) y no cambió ninguna cuenta; vuelva a ejecutarla / the daily run was interrupted (the server restarted or the process ended) and no account was changed; run it again';

type RunRow = typeof runs.$inferSelect;

/**
 * What a running run is doing: `preparing` (reading the portfolios and segments), `waiting` (for the company's run
 * lock, held by another run, or for the database), `accounts` (working out and writing every account, the bulk of a
 * run), `history` (closing the history rows of the accounts that changed), `statistics` (the run is recorded; the
 * planner's statistics are refreshed after a run that created many accounts).
 */
export const RUN_STAGES = ['preparing', 'waiting', 'accounts', 'history', 'statistics'] as const;
export type RunStage = (typeof RUN_STAGES)[number];

/** A running run reports the stage it entered; kept in memory only (a handful of reports per run). */
export interface RunProgress {
  stage: RunStage;
}

/** Each company's latest runs kept in memory while a job holds the embedded database: the runs page's list. */
export const RECENT_RUNS = 100;

const RUNS: JobKind<RunProgress> = jobKind({
  table: runs,
  staleColumns: sql`error = ${STALE_RUN_REASON}`,
  recent: { rows: RECENT_RUNS, read: (database, condition) => database.db.select().from(runs).where(condition) },
});

/** Records a new running run with `insert` (which returns its row) as this process's; the run must then be tracked. */
export function recordRunningRun(database: Database, insert: () => Promise<RunRow>): Promise<RunRow> {
  return recordRunningJob(database, RUNS, insert);
}

/** Ends this process's claim on a run that will not run after all (its row says why). */
export function releaseRun(database: Database, runId: number): void {
  releaseJob(database, RUNS, runId);
}

/**
 * Registers a running run with this process and, on PostgreSQL, keeps its heartbeat current; `progress` reports its
 * stage to this process's readers; `stop` after its outcome is on its row.
 */
export function trackRun(ctx: Ctx, runId: number): JobTracker<RunProgress> {
  return trackJob(ctx, RUNS, runId);
}

/** A run as this process knows it: its row, and the stage it is in when this process is running it. */
export interface KnownRun {
  row: RunRow;
  stage: RunStage | null;
}

/** The run's row as this process is running it, with its stage; undefined when this process is not running it (the database has its row). */
export function runningRun(ctx: Ctx, runId: number): KnownRun | undefined {
  const job = runningJob<RunRow, RunProgress>(ctx.database, RUNS, ctx.companyId, runId);
  return job && { row: job.row, stage: job.progress?.stage ?? null };
}

/**
 * While a job of this process holds the embedded database, the company's runs as stored, newest first, without the
 * database (shared/job-liveness.ts, recentJobs): every one from id `from` on (0: all), those this process runs with
 * their stage. Undefined: read the database.
 */
export function recentRuns(ctx: Ctx): { rows: KnownRun[]; from: number } | undefined {
  const recent = recentJobs<RunRow, RunProgress>(ctx.database, RUNS, ctx.companyId);
  return recent && { rows: recent.rows.map((j) => ({ row: j.row, stage: j.progress?.stage ?? null })), from: recent.from };
}

/** Marks `failed` the running runs no live process answers for, of one company or of all; returns how many. */
export function failStaleRuns(database: Database, options: { clock: Clock; companyId?: number }): Promise<number> {
  return failStaleJobs(database, RUNS, options);
}
