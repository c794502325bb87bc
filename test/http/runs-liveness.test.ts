/**
 * A daily run whose process ended (a crash, a restart) changed nothing (the run is one transaction) but its row would
 * say "running" forever. It is shown failed with the reason when the run is read or listed and when the server starts,
 * and it holds up no new run. A live run is left alone: on PGlite one this process is running, on PostgreSQL also one
 * another process is running, whose heartbeat (written outside the run's transaction) says it is alive.
 */
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.ts';
import { buildServer } from '../../src/http/server.ts';
import { createRun, parseAsOf, runPortfolio, STALE_RUN_REASON } from '../../src/modules/collection-runs/index.ts';
import { saveRecords } from '../../src/modules/portfolio/index.ts';
import { HEARTBEAT_MS } from '../../src/modules/shared/job-liveness.ts';
import { call, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await saveRecords(h.a.ctx, { entity: 'debtors', rows: [{ external_id: 'RL-1', name: 'Vivo SA' }] });
  await saveRecords(h.a.ctx, { entity: 'obligations', rows: [{ external_id: 'RL-O1', debtor_external_id: 'RL-1', currency: 'MXN', amount: '800.00', due_on: '2026-02-01' }] });
});
afterAll(async () => {
  await h?.close();
});

const onPostgres = Boolean(process.env.DATABASE_URL);

/** A run row as a process leaves it that inserted it and ended before finishing; `heartbeat` is SQL for its last beat. */
async function abandonedRun(heartbeat = "now() - interval '10 minutes'", companyId = h.a.companyId): Promise<number> {
  const [row] = await h.database.query<{ id: number }>(sql`
    INSERT INTO runs (company_id, as_of, status, started_at, heartbeat_at)
    VALUES (${companyId}, '2026-03-14', 'running', now() - interval '10 minutes', ${sql.raw(heartbeat)}) RETURNING id::int AS id`);
  return row!.id;
}

async function stored(id: number) {
  const [row] = await h.database.query<{ status: string; error: string | null; finished: boolean }>(
    sql`SELECT status, error, finished_at IS NOT NULL AS finished FROM runs WHERE id = ${id}`,
  );
  return row!;
}

async function settled(id: number) {
  for (let i = 0; i < 400; i++) {
    const run = (await call(h.app, h.a.key, 'GET', `/runs/${id}`)).json();
    if (run.status !== 'running') return run;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`run ${id} did not finish`);
}

describe('runs whose process ended', () => {
  it('shows one failed with the reason when it is read', async () => {
    const id = await abandonedRun();
    const res = await call(h.app, h.a.key, 'GET', `/runs/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id, status: 'failed', error: STALE_RUN_REASON, finished_at: expect.any(String) });
    expect(STALE_RUN_REASON).toMatch(/^la ejecución diaria se interrumpió .* \/ the daily run was interrupted /);
  });

  it('shows one failed in the list, and leaves another company’s to that company', async () => {
    const mine = await abandonedRun(undefined);
    const theirs = await abandonedRun(undefined, h.b.companyId);
    const listed = (await call(h.app, h.a.key, 'GET', '/runs')).json().data as Array<{ id: number; status: string; error: string | null }>;
    expect(listed.find((r) => r.id === mine)).toMatchObject({ status: 'failed', error: STALE_RUN_REASON });
    expect(listed.map((r) => r.id)).not.toContain(theirs);
    // Company B's list has not been read yet: its row waits for that (or for the next start).
    expect((await stored(theirs)).status).toBe('running');
    expect((await call(h.app, h.b.key, 'GET', '/runs')).json().data).toEqual([expect.objectContaining({ id: theirs, status: 'failed' })]);
  });

  it('marks them failed when the server starts', async () => {
    const stale = await abandonedRun();
    const neverBeat = await abandonedRun('NULL');
    const fresh = await abandonedRun('now()');
    const restarted = buildServer({ database: h.database, clock: h.clock, webRoot: false });
    await restarted.ready();
    await restarted.close();
    expect(await stored(stale)).toEqual({ status: 'failed', error: STALE_RUN_REASON, finished: true });
    expect(await stored(neverBeat)).toMatchObject({ status: 'failed', error: STALE_RUN_REASON });
    // PGlite has one owner process, so a running row it is not running is gone; on PostgreSQL a fresh heartbeat is
    // another process's live run.
    expect((await stored(fresh)).status).toBe(onPostgres ? 'running' : 'failed');
    if (onPostgres) {
      await h.database.query(sql`UPDATE runs SET heartbeat_at = now() - interval '5 minutes' WHERE id = ${fresh}`);
      expect((await call(h.app, h.a.key, 'GET', `/runs/${fresh}`)).json()).toMatchObject({ status: 'failed', error: STALE_RUN_REASON });
    }
  });

  it('holds up no new run', async () => {
    const dead = await abandonedRun();
    const res = await call(h.app, h.a.key, 'POST', '/runs', { as_of: '2026-03-15' });
    expect(res.statusCode, res.body).toBe(202);
    expect(await settled(res.json().id)).toMatchObject({ status: 'succeeded', stats: { accounts: 1 } });
    expect((await call(h.app, h.a.key, 'GET', `/runs/${dead}`)).json()).toMatchObject({ status: 'failed' });
  });
});

describe('live runs', () => {
  // The runs below are as of the next two days: the company's day has come (a later date is refused).
  beforeAll(() => h.clock.set('2026-03-17T18:00:00Z'));

  it('leaves alone a run this process has recorded and is running', async () => {
    const id = await createRun(h.a.ctx, { asOf: parseAsOf('2026-03-16'), portfolioId: null, forced: false });
    // Recorded, about to start: no sweep takes it for an orphan.
    expect((await call(h.app, h.a.key, 'GET', `/runs/${id}`)).json()).toMatchObject({ id, status: 'running', error: null });
    expect((await call(h.app, h.a.key, 'GET', '/runs')).json().data[0]).toMatchObject({ id, status: 'running' });
    const running = runPortfolio(h.a.ctx, { asOf: '2026-03-16', runId: id });
    // While it runs this process answers for it from memory (on PGlite the run's transaction holds the database).
    expect((await call(h.app, h.a.key, 'GET', `/runs/${id}`)).json()).toMatchObject({ id, status: 'running', as_of: '2026-03-16' });
    await running;
    expect(await settled(id)).toMatchObject({ status: 'succeeded', error: null });
  });

  it.skipIf(!onPostgres)('leaves alone a run another process is running, held inside its transaction, whose heartbeat it keeps writing (PostgreSQL)', async () => {
    // "Another process": its own connections and its own record of what it runs.
    const other = await openDatabase({ databaseUrl: h.database.url!, poolSize: 3 });
    // A third connection keeps the portfolio's row locked, so the other process's run waits inside its transaction
    // (holding the company's run lock) until this lets go.
    const blocker = new pg.Client({ connectionString: h.database.url! });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('SELECT id FROM portfolios WHERE company_id = $1 FOR UPDATE', [h.a.companyId]);
      const ctx = { ...h.a.ctx, database: other };
      const id = await createRun(ctx, { asOf: parseAsOf('2026-03-17'), portfolioId: null, forced: false });
      const running = runPortfolio(ctx, { asOf: '2026-03-17', runId: id });
      const [{ pid } = { pid: 0 }] = await h.database.query<{ pid: number }>(sql`SELECT pg_backend_pid() AS pid`);
      // Wait until the run holds the company's lock: it is inside its transaction.
      for (let i = 0; i < 200; i++) {
        const [held] = await h.database.query<{ n: number }>(sql`
          SELECT count(*)::int AS n FROM pg_locks
           WHERE locktype = 'advisory' AND classid = 7261002 AND objid = ${h.a.companyId} AND granted AND pid <> ${pid}
             AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`);
        if (held!.n > 0) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      // Its last beat is made old; the next one, from outside the run's transaction, makes it current again.
      await h.database.query(sql`UPDATE runs SET heartbeat_at = now() - interval '100 seconds' WHERE id = ${id}`);
      let beat = false;
      for (let i = 0; i < (HEARTBEAT_MS + 5000) / 250 && !beat; i++) {
        await new Promise((r) => setTimeout(r, 250));
        const [row] = await h.database.query<{ fresh: boolean }>(sql`SELECT heartbeat_at > now() - interval '30 seconds' AS fresh FROM runs WHERE id = ${id}`);
        beat = row!.fresh;
      }
      expect(beat).toBe(true);
      // This server does not run it, yet reads, lists and starts leave it running.
      expect((await call(h.app, h.a.key, 'GET', `/runs/${id}`)).json()).toMatchObject({ id, status: 'running' });
      expect((await call(h.app, h.a.key, 'GET', '/runs')).json().data.find((r: { id: number }) => r.id === id)).toMatchObject({ status: 'running' });
      const restarted = buildServer({ database: h.database, clock: h.clock, webRoot: false });
      await restarted.ready();
      await restarted.close();
      expect((await stored(id)).status).toBe('running');
      await blocker.query('ROLLBACK');
      expect(await running).toMatchObject({ id, status: 'succeeded' });
      expect(await settled(id)).toMatchObject({ status: 'succeeded', error: null });
    } finally {
      await blocker.end();
      await other.close();
    }
  });
});
