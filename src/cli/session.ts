/**
 * A command's access to the system of record. Locally it opens the database on first use — for PGlite only after
 * taking the data directory's lock — migrates it, and makes sure the company exists. Inside a running server it
 * reuses the server's open database, so no process ever opens a PGlite directory twice.
 */
import type { Config } from '../config.ts';
import { migrateDatabase, openDatabase, type Database } from '../db/connection.ts';
import { acquireLock, type HeldLock } from '../db/data-dir-lock.ts';
import { ensureCompany, type CompanyRow } from '../modules/access/ensure-company.ts';
import type { Clock } from '../modules/shared/clock.ts';
import type { Ctx } from '../modules/shared/context.ts';

export interface Session {
  readonly config: Config;
  readonly clock: Clock;
  /** True inside a running server (the command was forwarded to it). */
  readonly remote: boolean;
  database(): Promise<Database>;
  /** How many migrations opening the database applied (0 when it was up to date, or inside a running server). */
  migrationsApplied(): number;
  company(): Promise<{ company: CompanyRow; created: boolean }>;
  ctx(actor?: string): Promise<Ctx>;
  /** The held lock, for `serve` to advertise its URL (local PGlite sessions only). */
  lock(): HeldLock | null;
  close(): Promise<void>;
}

export function localSession(config: Config, clock: Clock): Session {
  let database: Database | null = null;
  let held: HeldLock | null = null;
  let company: { company: CompanyRow; created: boolean } | null = null;
  let applied = 0;
  const session: Session = {
    config,
    clock,
    remote: false,
    migrationsApplied: () => applied,
    async database() {
      if (database) return database;
      if (!config.databaseUrl) held = acquireLock(config.dataDir, clock.now());
      try {
        database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
        applied = await migrateDatabase(database);
      } catch (error) {
        held?.release();
        held = null;
        throw error;
      }
      return database;
    },
    async company() {
      if (company) return company;
      company = await ensureCompany({ database: await session.database(), slug: config.company, country: config.country });
      return company;
    },
    async ctx(actor = 'cli') {
      const { company: c } = await session.company();
      return { database: await session.database(), clock, companyId: c.id, actor };
    },
    lock: () => held,
    async close() {
      await database?.close();
      database = null;
      held?.release();
      held = null;
    },
  };
  return session;
}

/** A session over a server's already-open database. */
export function serverSession(config: Config, clock: Clock, database: Database): Session {
  let company: { company: CompanyRow; created: boolean } | null = null;
  const session: Session = {
    config,
    clock,
    remote: true,
    database: async () => database,
    migrationsApplied: () => 0,
    async company() {
      company ??= await ensureCompany({ database, slug: config.company, country: config.country });
      return company;
    },
    async ctx(actor = 'cli') {
      const { company: c } = await session.company();
      return { database, clock, companyId: c.id, actor };
    },
    lock: () => null,
    close: async () => {},
  };
  return session;
}
