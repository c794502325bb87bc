/**
 * Which imports are really running, and their progress while they do: imports as one kind of long job
 * (shared/job-liveness.ts tells the live ones from those whose process ended). A running import reports the rows, and
 * the bytes of the file, read so far: readers of this process take them from memory (on PGlite the import's
 * transaction holds the one connection until the end), and on PostgreSQL they are also written to the row for other
 * processes.
 */
import { getTableColumns, sql } from 'drizzle-orm';
import type { Database } from '../../db/connection.ts';
import { imports } from '../../db/schema.ts';
import type { Clock } from '../shared/clock.ts';
import type { Ctx } from '../shared/context.ts';
import { failStaleJobs, jobKind, recentJobs, recordRunningJob, releaseJob, runningJob, trackJob, type JobKind, type JobTracker } from '../shared/job-liveness.ts';

/** What a stale import's row says afterwards. */
export const STALE_IMPORT_REASON =
  'la importación se interrumpió (el servidor se reinició o el proceso terminó) y no se escribió nada; vuelva a importar el archivo / the import was interrupted (the server restarted or the process ended) and nothing was written; import the file again';

/** Rows read so far and, when the file is on disk, bytes read so far. */
export interface ImportProgress {
  rows: number;
  bytes: number | null;
}

type ImportRow = typeof imports.$inferSelect;

/** Each company's latest imports kept in memory while a job holds the embedded database: the history page's first pages. */
export const RECENT_IMPORTS = 100;

// The history list shows how many problems an import had, not the problems (up to a thousand per import): they are not kept.
const { errors: _errors, ...listedColumns } = getTableColumns(imports);

const IMPORTS: JobKind<ImportProgress> = jobKind({
  table: imports,
  staleColumns: sql`error_count = 1, errors = ${JSON.stringify([{ line: 0, column: 'import', reason: STALE_IMPORT_REASON }])}::jsonb`,
  progressColumns: (p: ImportProgress) => sql`rows = ${p.rows}, bytes_read = ${p.bytes}`,
  recent: {
    rows: RECENT_IMPORTS,
    read: async (database, condition) => {
      const rows = await database.db
        .select({ ...listedColumns, errorCount: sql<number>`greatest(${imports.errorCount}, coalesce(jsonb_array_length(${imports.errors}), 0))`.mapWith(Number) })
        .from(imports)
        .where(condition);
      return rows.map((r): ImportRow => ({ ...r, errors: null }));
    },
  },
});

/**
 * Records a new running import with `insert` (which returns its row) as this process's, so no sweep can take it for
 * an orphan between its insert and its start. The import must then run, and `trackImport(…).stop()` or
 * {@link releaseImport} ends the claim.
 */
export function recordRunningImport(database: Database, insert: () => Promise<ImportRow>): Promise<ImportRow> {
  return recordRunningJob(database, IMPORTS, insert);
}

/** Ends this process's claim on an import that will not run after all (its row says why). */
export function releaseImport(database: Database, importId: number): void {
  releaseJob(database, IMPORTS, importId);
}

/** Reports one running import's progress; `stop` once its outcome is on its row, whatever the outcome. */
export type ImportTracker = JobTracker<ImportProgress>;

/** Registers a running import with this process and, on PostgreSQL, keeps its heartbeat and progress current. */
export function trackImport(ctx: Ctx, importId: number): ImportTracker {
  return trackJob(ctx, IMPORTS, importId);
}

/**
 * The import's row as this process is running it, with the rows and bytes read so far; undefined when this process
 * is not running it (the database has its row).
 */
export function runningImport(ctx: Ctx, importId: number): ImportRow | undefined {
  const job = runningJob<ImportRow, ImportProgress>(ctx.database, IMPORTS, ctx.companyId, importId);
  return job && withProgress(job.row, job.progress);
}

/** An import as listed, with the rows and bytes this process has read of it when it is running it. */
function withProgress(row: ImportRow, progress: ImportProgress | null): ImportRow {
  return progress ? { ...row, rows: progress.rows, bytesRead: progress.bytes } : row;
}

/**
 * While a job of this process holds the embedded database, the company's imports as stored, newest first, without the
 * database (shared/job-liveness.ts, recentJobs): every one from id `from` on (0: all), running ones with their
 * progress, and without their problems (`errors` null; `errorCount` counts them). Undefined: read the database.
 */
export function recentImports(ctx: Ctx): { rows: ImportRow[]; from: number } | undefined {
  const recent = recentJobs<ImportRow, ImportProgress>(ctx.database, IMPORTS, ctx.companyId);
  return recent && { rows: recent.rows.map((j) => withProgress(j.row, j.progress)), from: recent.from };
}

/**
 * Marks `failed` the running imports no live process answers for (see job-liveness.ts), of one company or of all.
 * Returns how many it marked.
 */
export function failStaleImports(database: Database, options: { clock: Clock; companyId?: number }): Promise<number> {
  return failStaleJobs(database, IMPORTS, options);
}
