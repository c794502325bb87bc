/**
 * Opens the system of record: PGlite in-process (embedded default) or a PostgreSQL server (DATABASE_URL).
 * Both go through Drizzle's first-party driver for that back end, so one schema, one set of migrations and one
 * query layer serve both.
 */
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { initializeDataDir } from './pglite-init.ts';
import { pgliteStartParams } from './pglite-options.ts';
import * as schema from './schema.ts';

export type Schema = typeof schema;
/** The query layer every module uses, whichever back end is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export type Backend = { kind: 'pglite'; client: PGlite; dataDir: string } | { kind: 'postgres'; client: pg.Pool; url: string };

export interface Database {
  readonly db: Db;
  readonly backend: Backend;
  /** Runs raw SQL and returns its rows (the result shapes of the two drivers differ; this hides it). */
  query<T = Record<string, unknown>>(statement: SQL): Promise<T[]>;
  close(): Promise<void>;
}

const MIGRATIONS = fileURLToPath(new URL('./migrations', import.meta.url));

// bigint (int8) arrives as a string from pg by default; money columns are read as bigint by Drizzle's mode: 'bigint'.
// Dates stay ISO strings ('YYYY-MM-DD') so no time zone can move a calendar date.
pg.types.setTypeParser(1082, (v: string) => v);

export interface OpenOptions {
  /** postgres://… — when set, the PostgreSQL server is used. */
  databaseUrl?: string | undefined;
  /** PGlite data directory; `memory://` for a throwaway in-memory database (tests). */
  dataDir?: string;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
}

/** Opens the database without migrating. The caller owns the data directory lock for PGlite. */
export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    // An idle connection the server closed (restart, failover, a dropped database) must not crash the process:
    // the pool discards it and the next query opens a new one.
    pool.on('error', (error) => {
      if ((error as { code?: string }).code !== '57P01') process.stderr.write(`database connection lost: ${error.message}\n`);
    });
    // Fail fast with the server's own message rather than on the first query.
    const probe = await pool.connect();
    probe.release();
    const db = drizzlePg({ client: pool, schema }) as unknown as Db;
    return wrap(db, { kind: 'postgres', client: pool, url: options.databaseUrl });
  }
  const dataDir = options.dataDir ?? './data';
  if (dataDir !== 'memory://') await initializeDataDir(dataDir);
  const client = await PGlite.create({ ...(dataDir === 'memory://' ? {} : { dataDir }), startParams: pgliteStartParams() });
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  return wrap(db, { kind: 'pglite', client, dataDir });
}

function wrap(db: Db, backend: Backend): Database {
  let closed = false;
  return {
    db,
    backend,
    async query<T>(statement: SQL): Promise<T[]> {
      const result = (await db.execute(statement)) as unknown as { rows: T[] };
      return result.rows;
    },
    async close() {
      if (closed) return;
      closed = true;
      if (backend.kind === 'postgres') await backend.client.end();
      else await backend.client.close();
    },
  };
}

/** How many migrations the database records as applied (0 before the first). */
async function appliedMigrations(query: (text: string) => Promise<Array<{ n: number }>>): Promise<number> {
  // Two statements: a table named in a statement must exist when it is planned, whatever CASE would skip.
  const [table] = await query("SELECT (to_regclass('drizzle.__drizzle_migrations') IS NOT NULL)::int AS n");
  if (!table?.n) return 0;
  const [row] = await query('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations');
  return row?.n ?? 0;
}

/**
 * Applies pending migrations and returns how many it applied. Safe to run twice and, on PostgreSQL, from several
 * processes at once: an advisory lock serialises them and the migrator skips what is recorded as applied.
 */
export async function migrateDatabase(database: Database): Promise<number> {
  if (database.backend.kind === 'pglite') {
    const pglite = database.backend.client;
    const count = () => appliedMigrations(async (text) => (await pglite.query<{ n: number }>(text)).rows);
    const before = await count();
    await migratePglite(database.db as never, { migrationsFolder: MIGRATIONS });
    return (await count()) - before;
  }
  const client = await database.backend.client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(7261001)');
    try {
      const count = () => appliedMigrations(async (text) => (await client.query<{ n: number }>(text)).rows);
      const before = await count();
      await migratePg(drizzlePg({ client, schema }), { migrationsFolder: MIGRATIONS });
      return (await count()) - before;
    } finally {
      await client.query('SELECT pg_advisory_unlock(7261001)');
    }
  } finally {
    client.release();
  }
}

/**
 * For a long-running server on PostgreSQL: opens every connection of the pool now and keeps them open when idle.
 * A new connection costs its first requests the backend's start, the catalog reads of every table a page touches and
 * the first plans of each prepared statement (tens of milliseconds for the worklist); a pool that closes idle
 * connections (pg's default, after 10 s) pays that again at each burst after a quiet spell. A no-op on PGlite.
 */
export async function keepPoolWarm(database: Database): Promise<void> {
  if (database.backend.kind !== 'postgres') return;
  const pool = database.backend.client;
  const options = (pool as unknown as { options: { min: number; max: number } }).options;
  options.min = options.max;
  // Holding max clients at once makes the pool open whatever it lacks (idle ones are handed out first).
  const clients = await Promise.all(Array.from({ length: options.max }, () => pool.connect()));
  for (const client of clients) client.release();
}

export { sql };
