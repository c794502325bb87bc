/**
 * A fresh, migrated database per test file: in-memory PGlite by default, or a throwaway database on the
 * PostgreSQL server named by DATABASE_URL (created here and dropped on close). Never a mock.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrateDatabase, openDatabase, type Database } from '../../src/db/connection.ts';
import { ensureCompany, type CompanyRow } from '../../src/modules/access/ensure-company.ts';

export interface TestDatabase extends Database {
  /** postgres URL of the throwaway database, when on a server. */
  url?: string;
}

/** `migrate: false` leaves it empty, for a test that migrates it step by step. */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  const migrate = options.migrate ?? true;
  if (!serverUrl) {
    const database = await openDatabase({ dataDir: 'memory://' });
    if (migrate) await migrateDatabase(database);
    return database;
  }
  const name = `cobranza_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 4 });
  if (migrate) await migrateDatabase(database);
  return {
    ...database,
    url: url.toString(),
    async close() {
      await database.close();
      const drop = new pg.Client({ connectionString: serverUrl });
      await drop.connect();
      await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await drop.end();
    },
  };
}

/** A database with one company (country MX unless told) and its default portfolio. */
export async function createTestCompany(database: Database, slug = 'acme', country = 'MX'): Promise<CompanyRow> {
  const { company } = await ensureCompany({ database, slug, name: `Test ${slug}`, country });
  return company;
}
