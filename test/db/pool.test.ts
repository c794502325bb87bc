import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepPoolWarm, sql } from '../../src/db/connection.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

describe('keepPoolWarm', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  it.skipIf(!process.env.DATABASE_URL)('opens every connection of the pool and keeps them open when idle', async () => {
    if (database.backend.kind !== 'postgres') throw new Error('expected PostgreSQL');
    const pool = database.backend.client;
    // A short idle timeout, so a pool that closed idle connections would show it within the test.
    (pool as unknown as { options: { idleTimeoutMillis: number } }).options.idleTimeoutMillis = 50;
    await keepPoolWarm(database);
    expect(pool.totalCount).toBe(4);
    expect(pool.idleCount).toBe(4);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(pool.totalCount).toBe(4);
    const rows = await database.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
    expect(rows[0]!.n).toBeGreaterThanOrEqual(3);
  });

  it('is harmless on the embedded database', async () => {
    if (database.backend.kind === 'postgres') return;
    await keepPoolWarm(database);
    expect((await database.query<{ one: number }>(sql`SELECT 1 AS one`))[0]!.one).toBe(1);
  });
});
