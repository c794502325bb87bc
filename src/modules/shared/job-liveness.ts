/**
 * Which long jobs (imports, daily runs) are really running, and how far they got.
 *
 * A job writes its data in one transaction, so a process that dies mid-job leaves nothing half-written; only its row
 * would still say `running`. This module tells the live ones from those, for any table with `id`, `company_id`,
 * `status`, `finished_at` and `heartbeat_at` (a {@link JobKind} names the table and what a dead job's row says):
 * - every process keeps, per open database, the jobs it has recorded (row inserted, about to run) and those it is
 *   running, with the progress a running one reports;
 * - on PostgreSQL, where several processes may share the database, a running job stamps `heartbeat_at` with the
 *   database's clock every {@link HEARTBEAT_MS} (and writes its progress, where the table has columns for it) from a
 *   pool connection of its own, outside the job's transaction, so every reader sees them at once;
 * - {@link failStaleJobs} marks `failed` the running rows no live process answers for: on PGlite every one this process
 *   is not running (one process owns the data directory), on PostgreSQL those whose heartbeat is older than
 *   {@link STALE_AFTER_SECONDS}. The server runs it when it starts, and the readers of each kind before they read.
 *
 * On PGlite a job's transaction holds the one connection until it ends: nothing can be written meanwhile and every
 * other query waits. So the readers answer a job this process is running from {@link runningJob} (its row as inserted,
 * and the progress it reported), without the database, and {@link holdsEmbeddedDatabase} tells the credential check
 * when it may rely on what it verified before (see credential-cache.ts).
 *
 * Heartbeats measure real elapsed time between processes, not business dates, so they use the database's clock rather
 * than the injected one.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Database } from '../../db/connection.ts';
import type { Clock } from './clock.ts';
import type { Ctx } from './context.ts';

/** How often a running job stamps its heartbeat (PostgreSQL). */
export const HEARTBEAT_MS = 15_000;
/** A running job without a heartbeat for this long belongs to a process that is gone. */
export const STALE_AFTER_SECONDS = 120;
/** Progress is written to the database at most this often (PostgreSQL). */
const PROGRESS_MS = 500;

/** One kind of long job: where its rows are and what a row no process answers for says. */
export interface JobKind<Progress = never> {
  /** The jobs' table: `id`, `company_id`, `status` ('running' while it works), `finished_at`, `heartbeat_at`. */
  table: PgTable;
  /** The columns a dead job's row gets besides status 'failed' and finished_at: its reason, in the table's shape. */
  staleColumns: SQL;
  /** The table's columns for a running job's progress, written with its heartbeat (PostgreSQL). */
  progressColumns?: (progress: Progress) => SQL;
}

/** What a job's row must carry for this module. */
export interface JobRow {
  id: number;
  companyId: number;
}

interface Job {
  /** The row as inserted, when this process inserted it. */
  row: JobRow | null;
  running: boolean;
  progress: unknown;
}

interface Registry {
  jobs: Map<number, Job>;
  /** Rows being inserted right now (ids not known yet). */
  recording: number;
}

/** Per open database: each kind's jobs, and how many jobs of any kind are running. */
const databases = new WeakMap<Database, { kinds: Map<JobKind<never>, Registry>; running: number }>();

function stateOf(database: Database) {
  let state = databases.get(database);
  if (!state) databases.set(database, (state = { kinds: new Map(), running: 0 }));
  return state;
}

function registryOf(database: Database, kind: JobKind<never>): Registry {
  const kinds = stateOf(database).kinds;
  let registry = kinds.get(kind);
  if (!registry) kinds.set(kind, (registry = { jobs: new Map(), recording: 0 }));
  return registry;
}

/**
 * Records a new running job with `insert` (which returns its row) as this process's, so no sweep can take it for an
 * orphan between its insert and its start. The job must then run ({@link trackJob}) or be released ({@link releaseJob}).
 */
export async function recordRunningJob<Row extends JobRow>(database: Database, kind: JobKind<never>, insert: () => Promise<Row>): Promise<Row> {
  const registry = registryOf(database, kind);
  registry.recording++;
  try {
    const row = await insert();
    registry.jobs.set(row.id, { row, running: false, progress: null });
    return row;
  } finally {
    registry.recording--;
  }
}

/** Ends this process's claim on a recorded job that will not run after all (its row says why); a running one ends with its tracker's `stop`. */
export function releaseJob(database: Database, kind: JobKind<never>, id: number): void {
  registryOf(database, kind).jobs.delete(id);
}

/** Reports one running job's progress; `stop` once its outcome is on its row, whatever the outcome. */
export interface JobTracker<Progress> {
  progress(progress: Progress): void;
  stop(): Promise<void>;
}

/** Registers a running job with this process and, on PostgreSQL, keeps its heartbeat (and progress) current. */
export function trackJob<Progress>(ctx: Ctx, kind: JobKind<Progress>, id: number): JobTracker<Progress> {
  const state = stateOf(ctx.database);
  const jobs = registryOf(ctx.database, kind as JobKind<never>).jobs;
  const job: Job = jobs.get(id) ?? { row: null, running: false, progress: null };
  if (!job.running) state.running++;
  job.running = true;
  jobs.set(id, job);
  const shared = ctx.database.backend.kind === 'postgres';
  let written: Progress | null = null;
  let writing: Promise<void> | null = null;
  let lastWrite = 0;
  let stopped = false;
  const write = () => {
    if (writing || stopped) return;
    const progress = job.progress as Progress | null;
    const columns = progress !== null && progress !== written && kind.progressColumns ? sql`, ${kind.progressColumns(progress)}` : sql``;
    written = progress;
    lastWrite = performance.now();
    writing = ctx.database.db
      .execute(sql`UPDATE ${kind.table} SET heartbeat_at = now()${columns} WHERE id = ${id} AND company_id = ${ctx.companyId} AND status = 'running'`)
      .then(
        () => undefined,
        // A missed beat or figure is harmless; the next one carries the same facts.
        () => undefined,
      )
      .finally(() => {
        writing = null;
      });
  };
  const timer = shared ? setInterval(write, HEARTBEAT_MS) : null;
  timer?.unref();
  return {
    progress(progress) {
      job.progress = progress;
      if (shared && kind.progressColumns && performance.now() - lastWrite >= PROGRESS_MS) write();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (timer) clearInterval(timer);
      // The outcome is on the row already; a write still in flight must not outlive the claim.
      await writing;
      jobs.delete(id);
      state.running--;
    },
  };
}

/**
 * A job of the company this process is running right now: its row as inserted and the progress it last reported
 * (null before the first report). Undefined for any other job, whose row the database has.
 */
export function runningJob<Row extends JobRow, Progress>(database: Database, kind: JobKind<Progress>, companyId: number, id: number): { row: Row; progress: Progress | null } | undefined {
  const job = registryOf(database, kind as JobKind<never>).jobs.get(id);
  if (!job?.running || !job.row || job.row.companyId !== companyId) return undefined;
  return { row: job.row as Row, progress: job.progress as Progress | null };
}

/**
 * True while a job of this process holds the embedded database's one connection (PGlite): every other query waits
 * until it ends, and nothing else can change what is stored meanwhile.
 */
export function holdsEmbeddedDatabase(database: Database): boolean {
  return database.backend.kind === 'pglite' && (databases.get(database)?.running ?? 0) > 0;
}

/**
 * Marks `failed` the running jobs of a kind no live process answers for (see the module comment), of one company or
 * of all. Returns how many it marked.
 */
export async function failStaleJobs(database: Database, kind: JobKind<never>, options: { clock: Clock; companyId?: number }): Promise<number> {
  const registry = registryOf(database, kind);
  // A row being recorded right now is not in the list yet; on PGlite it would look orphaned, so wait for the next sweep.
  if (database.backend.kind === 'pglite' && registry.recording > 0) return 0;
  const live = [...registry.jobs.keys()];
  const orphaned =
    database.backend.kind === 'pglite'
      ? sql`true`
      : sql`(heartbeat_at IS NULL OR heartbeat_at < now() - make_interval(secs => ${STALE_AFTER_SECONDS}))`;
  const marked = await database.query<{ id: number }>(sql`
    UPDATE ${kind.table}
       SET status = 'failed', finished_at = ${options.clock.now().toISOString()}::timestamptz, ${kind.staleColumns}
     WHERE status = 'running'
       ${options.companyId === undefined ? sql`` : sql`AND company_id = ${options.companyId}`}
       ${live.length > 0 ? sql`AND id <> ALL(${`{${live.join(',')}}`}::bigint[])` : sql``}
       AND ${orphaned}
    RETURNING id::int AS id`);
  return marked.length;
}
