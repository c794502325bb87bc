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
 * The history lists (imports, runs) are answered the same way meanwhile, from {@link recentJobs}: when a job is
 * recorded on PGlite (the connection is free then: its row was just inserted), each company's latest rows of every kind
 * that asks for it are read into memory; readers lay this process's recorded and running jobs, with their progress,
 * over them. That is exact, not a cache that might lag: only this process writes to the data directory, its jobs' rows
 * are the only rows that change (a finished row never does) and every new row is a recorded job. Whenever a job of the
 * kind ends or is released, or rows are marked failed here, the kind's rows changed in a way memory does not know, so
 * what was read is dropped and the readers wait for the database again (only while jobs overlap: once none holds it,
 * readers read the database). A page reaching past the rows kept (or while nothing is kept) waits for the database too.
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
  /**
   * Keep each company's latest `rows` rows in memory while a job holds the embedded database ({@link recentJobs}); `read`
   * reads the rows meeting `condition` (it may leave out what the lists do not show). Declare the kind with
   * {@link jobKind}, so every job's start reads them.
   */
  recent?: { rows: number; read: (database: Database, condition: SQL) => Promise<JobRow[]> };
}

/** The kinds whose latest rows are kept in memory (see the module comment). */
const RECENT_KINDS = new Set<JobKind<never>>();

/** Declares a kind of long job; one with `recent` has its latest rows read whenever any job starts on PGlite. */
export function jobKind<Progress>(kind: JobKind<Progress>): JobKind<Progress> {
  if (kind.recent) RECENT_KINDS.add(kind as JobKind<never>);
  return kind;
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
  /** Counts the changes to stored rows that memory does not follow: a job's end or release, rows marked failed. */
  changes: number;
  /** Each company's latest rows (PGlite; a company absent had none), read when a job was last recorded; null when unknown. */
  recent: Map<number, JobRow[]> | null;
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
  if (!registry) kinds.set(kind, (registry = { jobs: new Map(), recording: 0, changes: 0, recent: null }));
  return registry;
}

/**
 * Records a new running job with `insert` (which returns its row) as this process's, so no sweep can take it for an
 * orphan between its insert and its start. The job must then run ({@link trackJob}) or be released ({@link releaseJob}).
 */
export async function recordRunningJob<Row extends JobRow>(database: Database, kind: JobKind<never>, insert: () => Promise<Row>): Promise<Row> {
  const registry = registryOf(database, kind);
  registry.recording++;
  let row: Row;
  try {
    row = await insert();
    registry.jobs.set(row.id, { row, running: false, progress: null });
  } finally {
    registry.recording--;
  }
  if (database.backend.kind === 'pglite') await readRecent(database);
  return row;
}

/** Reads each company's latest rows of the kinds that keep them (see the module comment); what fails to read is not kept. */
async function readRecent(database: Database): Promise<void> {
  for (const kind of RECENT_KINDS) {
    const registry = registryOf(database, kind);
    const changes = registry.changes;
    const keep = kind.recent!.rows;
    const rows = await kind
      .recent!.read(
        database,
        sql`id IN (SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY company_id ORDER BY id DESC) AS n FROM ${kind.table}) latest WHERE n <= ${keep})`,
      )
      .catch(() => null);
    // A job of the kind that ended while they were read may have changed them after.
    if (registry.changes !== changes) continue;
    if (!rows) {
      registry.recent = null;
      continue;
    }
    const byCompany = new Map<number, JobRow[]>();
    for (const row of rows) {
      const company = byCompany.get(row.companyId);
      if (company) company.push(row);
      else byCompany.set(row.companyId, [row]);
    }
    registry.recent = byCompany;
  }
}

/** Stored rows of the kind changed in a way memory does not follow: what was read of them is no longer kept. */
function changed(registry: Registry): void {
  registry.changes++;
  registry.recent = null;
}

/** Ends this process's claim on a recorded job that will not run after all (its row says why); a running one ends with its tracker's `stop`. */
export function releaseJob(database: Database, kind: JobKind<never>, id: number): void {
  const registry = registryOf(database, kind);
  registry.jobs.delete(id);
  changed(registry);
}

/** Reports one running job's progress; `stop` once its outcome is on its row, whatever the outcome. */
export interface JobTracker<Progress> {
  progress(progress: Progress): void;
  stop(): Promise<void>;
}

/** Registers a running job with this process and, on PostgreSQL, keeps its heartbeat (and progress) current. */
export function trackJob<Progress>(ctx: Ctx, kind: JobKind<Progress>, id: number): JobTracker<Progress> {
  const state = stateOf(ctx.database);
  const registry = registryOf(ctx.database, kind as JobKind<never>);
  const jobs = registry.jobs;
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
      changed(registry);
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

/** A job's row as readers show it, with the progress this process holds for it (null when none). */
export interface ListedJob<Row, Progress> {
  row: Row;
  progress: Progress | null;
}

/**
 * While a job of this process holds the embedded database (PGlite), a company's rows of a kind as they are stored,
 * newest first, without reading the database (see the module comment): all of them from id `from` on (`from` 0: the
 * company's whole history), with the progress of those this process runs. Undefined when the database is free to read,
 * or when memory does not know the rows (a job of the kind ended since they were read): then read the database.
 */
export function recentJobs<Row extends JobRow, Progress>(database: Database, kind: JobKind<Progress>, companyId: number): { rows: Array<ListedJob<Row, Progress>>; from: number } | undefined {
  if (!holdsEmbeddedDatabase(database) || !kind.recent) return undefined;
  const registry = registryOf(database, kind as JobKind<never>);
  if (!registry.recent) return undefined;
  const stored = registry.recent.get(companyId) ?? [];
  // Fewer rows than are kept: they are all the company has.
  const from = stored.length < kind.recent.rows ? 0 : Math.min(...stored.map((r) => r.id));
  const byId = new Map<number, ListedJob<Row, Progress>>();
  for (const row of stored) byId.set(row.id, { row: row as Row, progress: null });
  // Rows recorded since were recorded here (no other process writes to the data directory); those already read are
  // shown as this process holds them, with their progress.
  for (const [id, job] of registry.jobs) {
    if (job.row && job.row.companyId === companyId && id >= from) byId.set(id, { row: job.row as Row, progress: job.progress as Progress | null });
  }
  return { rows: [...byId.values()].sort((a, b) => b.row.id - a.row.id), from };
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
  if (marked.length > 0) changed(registry);
  return marked.length;
}
