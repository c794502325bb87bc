/**
 * Which imports are really running, and their progress while they do.
 *
 * An import writes everything in one transaction, so a process that dies mid-import leaves nothing half-written; only
 * its row in `imports` would still say `running`. This module tells the live ones from those:
 * - every process keeps the ids of the imports it is running (per open database);
 * - on PostgreSQL, where several processes may share the database, a running import also stamps `heartbeat_at` with
 *   the database's clock every {@link HEARTBEAT_MS}, and reports the rows (and bytes of the file) read so far, from
 *   outside its transaction so readers see them at once;
 * - {@link failStaleImports} marks `failed` the running imports no process answers for: on PGlite every one this
 *   process is not running (one process owns the data directory), on PostgreSQL those whose heartbeat is older than
 *   {@link STALE_AFTER_SECONDS}. The server runs it when it starts, and the imports list before it reads.
 *
 * Heartbeats measure real elapsed time between processes, not business dates, so they use the database's clock rather
 * than the injected one. On PGlite progress cannot be written while the import runs: its one connection is held by the
 * import's transaction until the end, so the row shows the outcome only.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/connection.ts';
import type { Clock } from '../shared/clock.ts';
import type { Ctx } from '../shared/context.ts';

/** How often a running import stamps its heartbeat (PostgreSQL). */
export const HEARTBEAT_MS = 15_000;
/** A running import without a heartbeat for this long belongs to a process that is gone. */
export const STALE_AFTER_SECONDS = 120;
/** Progress is written at most this often. */
const PROGRESS_MS = 500;

/** What a stale import's row says afterwards. */
export const STALE_IMPORT_REASON =
  'la importación se interrumpió (el servidor se reinició o el proceso terminó) y no se escribió nada; vuelva a importar el archivo / the import was interrupted (the server restarted or the process ended) and nothing was written; import the file again';

/** Per open database: the imports this process runs, and how many it is recording right now (ids not known yet). */
const registries = new WeakMap<Database, { ids: Set<number>; recording: number }>();

function registryOf(database: Database) {
  let registry = registries.get(database);
  if (!registry) registries.set(database, (registry = { ids: new Set(), recording: 0 }));
  return registry;
}

/**
 * Records a new running import with `insert` (which returns its id) as this process's, so no sweep can take it for
 * an orphan between its insert and its start. The import must then run, and `trackImport(…).stop()` or
 * {@link releaseImport} ends the claim.
 */
export async function recordRunningImport(database: Database, insert: () => Promise<number>): Promise<number> {
  const registry = registryOf(database);
  registry.recording++;
  try {
    const id = await insert();
    registry.ids.add(id);
    return id;
  } finally {
    registry.recording--;
  }
}

/** Ends this process's claim on an import that will not run after all (its row says why). */
export function releaseImport(database: Database, importId: number): void {
  registryOf(database).ids.delete(importId);
}

/** Reports one running import's progress; `stop` when it is over, whatever the outcome. */
export interface ImportTracker {
  /** Rows read so far and, when the file is on disk, bytes read so far. */
  progress(rows: number, bytesRead: number | null): void;
  stop(): Promise<void>;
}

/** Registers a running import with this process and, on PostgreSQL, keeps its heartbeat and progress current. */
export function trackImport(ctx: Ctx, importId: number): ImportTracker {
  const ids = registryOf(ctx.database).ids;
  ids.add(importId);
  const shared = ctx.database.backend.kind === 'postgres';
  let latest: { rows: number; bytes: number | null } | null = null;
  let writing: Promise<void> | null = null;
  let lastWrite = 0;
  let stopped = false;
  const write = () => {
    if (writing || stopped) return;
    const figures = latest;
    lastWrite = performance.now();
    writing = ctx.database.db
      .execute(
        sql`UPDATE imports SET heartbeat_at = now()${figures ? sql`, rows = ${figures.rows}, bytes_read = ${figures.bytes}` : sql``}
            WHERE id = ${importId} AND company_id = ${ctx.companyId} AND status = 'running'`,
      )
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
    progress(rows, bytesRead) {
      latest = { rows, bytes: bytesRead };
      if (shared && performance.now() - lastWrite >= PROGRESS_MS) write();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      // The outcome is written after this; a progress write still in flight must not land after it.
      await writing;
      ids.delete(importId);
    },
  };
}

/**
 * Marks `failed` the running imports no live process answers for (see the module comment), of one company or of all.
 * Returns how many it marked.
 */
export async function failStaleImports(database: Database, options: { clock: Clock; companyId?: number }): Promise<number> {
  const registry = registryOf(database);
  // A row being recorded right now is not in the list yet; on PGlite it would look orphaned, so wait for the next sweep.
  if (database.backend.kind === 'pglite' && registry.recording > 0) return 0;
  const live = [...registry.ids];
  const orphaned =
    database.backend.kind === 'pglite'
      ? sql`true`
      : sql`(heartbeat_at IS NULL OR heartbeat_at < now() - make_interval(secs => ${STALE_AFTER_SECONDS}))`;
  const marked = await database.query<{ id: number }>(sql`
    UPDATE imports
       SET status = 'failed', finished_at = ${options.clock.now().toISOString()}::timestamptz, error_count = 1,
           errors = ${JSON.stringify([{ line: 0, column: 'import', reason: STALE_IMPORT_REASON }])}::jsonb
     WHERE status = 'running'
       ${options.companyId === undefined ? sql`` : sql`AND company_id = ${options.companyId}`}
       ${live.length > 0 ? sql`AND id <> ALL(${`{${live.join(',')}}`}::bigint[])` : sql``}
       AND ${orphaned}
    RETURNING id::int AS id`);
  return marked.length;
}
