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
import { failStaleJobs, recordRunningJob, releaseJob, runningJob, trackJob, type JobKind, type JobTracker } from '../shared/job-liveness.ts';

/** What a run whose process ended says afterwards. */
export const STALE_RUN_REASON =
  'la ejecución diaria se interrumpió (el servidor se reinició o el proceso terminó) y no cambió ninguna cuenta; vuelva a ejecutarla / the daily run was interrupted (the server restarted or the process ended) and no account was changed; run it again';

type RunRow = typeof runs.$inferSelect;

const RUNS: JobKind = { table: runs, staleColumns: sql`error = ${STALE_RUN_REASON}` };

/** Records a new running run with `insert` (which returns its row) as this process's; the run must then be tracked. */
export function recordRunningRun(database: Database, insert: () => Promise<RunRow>): Promise<RunRow> {
  return recordRunningJob(database, RUNS, insert);
}

/** Ends this process's claim on a run that will not run after all (its row says why). */
export function releaseRun(database: Database, runId: number): void {
  releaseJob(database, RUNS, runId);
}

/** Registers a running run with this process and, on PostgreSQL, keeps its heartbeat current; `stop` after its outcome is on its row. */
export function trackRun(ctx: Ctx, runId: number): JobTracker<never> {
  return trackJob(ctx, RUNS, runId);
}

/** The run's row as this process is running it; undefined when this process is not running it (the database has its row). */
export function runningRun(ctx: Ctx, runId: number): RunRow | undefined {
  return runningJob<RunRow, never>(ctx.database, RUNS, ctx.companyId, runId)?.row;
}

/** Marks `failed` the running runs no live process answers for, of one company or of all; returns how many. */
export function failStaleRuns(database: Database, options: { clock: Clock; companyId?: number }): Promise<number> {
  return failStaleJobs(database, RUNS, options);
}
