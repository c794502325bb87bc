/**
 * The history lists answer while a long job runs. On the embedded database (PGlite) an import's or a run's transaction
 * holds the one connection until it ends, so anything that read the database would wait for the job: GET /imports and
 * GET /runs answer from what the process keeps in memory instead (the latest rows read when the job started, with the
 * running jobs' progress over them), and read the database again once the job is done. GET /runs/:id reports a running
 * run's stage and elapsed time. On PostgreSQL the same answers come from the database.
 *
 * The jobs are held at a known point: an import reads a stream the test has not finished writing (inside its
 * transaction, after 5,000 rows), and a run waits behind a transaction the test holds open (on PGlite, the one
 * connection; on PostgreSQL, a lock on the company's portfolios, which the run's last statement waits for).
 */
import { PassThrough } from 'node:stream';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRun, parseAsOf, runPortfolio } from '../../src/modules/collection-runs/index.ts';
import { createImport, importFile, saveRecords, STALE_IMPORT_REASON } from '../../src/modules/portfolio/index.ts';
import { releaseImport } from '../../src/modules/portfolio/import-liveness.ts';
import { call, multipart, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const onPostgres = Boolean(process.env.DATABASE_URL);

/** Far quicker than any job here once it is held: an answer that waited for the job never comes before it is let go. */
const QUICK_MS = 2000;

/** `pending` if it settles within `ms`, else an error naming what did not answer. */
async function within<T>(what: string, pending: Promise<T>, ms = QUICK_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([pending, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** A GET that must answer at once, with 200. */
async function quickGet(url: string, key = h.a.key) {
  const res = await within(`GET ${url}`, call(h.app, key, 'GET', url));
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** True when a query of the test's own waits: the job holds the embedded database (what the answers must not do). */
async function databaseHeld(): Promise<boolean> {
  const read = h.database.query(sql`SELECT 1`);
  const held = await Promise.race([read.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 300))]);
  // The read still completes once the job lets go.
  void read.catch(() => undefined);
  return held;
}

function upload(name: string, content: string, key = h.a.key) {
  const { payload, headers } = multipart({}, { name, content });
  return h.app.inject({ method: 'POST', url: '/imports/debtors', payload, headers: { ...headers, authorization: `Bearer ${key}` } });
}

interface Listed {
  id: number;
  file_name: string | null;
  status: string;
  rows: number;
  inserted: number;
  error_count: number;
  bytes_read: number | null;
  finished_at: string | null;
}

describe('GET /imports while an import runs', () => {
  it('answers at once with the running import and its progress over the history, then shows it completed', async () => {
    // The history before: a completed import and a rejected one; another company's import.
    expect((await upload('primera.csv', 'external_id,name\nHL-1,Uno SA\nHL-2,Dos SA\n')).statusCode).toBe(200);
    expect((await upload('mala.csv', 'external_id,name\nHL-3,\n')).statusCode).toBe(422);
    expect((await upload('ajena.csv', 'external_id,name\nHB-1,Ajeno SA\n', h.b.key)).statusCode).toBe(200);
    const before = (await call(h.app, h.a.key, 'GET', '/imports')).json().data as Listed[];
    expect(before.map((i) => [i.file_name, i.status])).toEqual([
      ['mala.csv', 'rejected'],
      ['primera.csv', 'completed'],
    ]);
    expect((await call(h.app, h.b.key, 'GET', '/imports')).json().data).toHaveLength(1);

    // The import reads 6,000 rows of a file still being written, and waits for the rest inside its transaction.
    const stream = new PassThrough();
    const head = ['external_id,name'];
    for (let i = 0; i < 6000; i++) head.push(`HL-R${i},Retenido ${i}`);
    stream.write(head.join('\n') + '\n');
    const id = await createImport(h.a.ctx, { entity: 'debtors', fileName: 'retenida.csv', dryRun: false });
    const running = importFile(h.a.ctx, { entity: 'debtors', stream, fileName: 'retenida.csv', importId: id });
    try {
      let detail = await quickGet(`/imports/${id}`);
      for (let i = 0; i < 400 && detail.rows < 5000; i++) {
        await new Promise((r) => setTimeout(r, 25));
        detail = await quickGet(`/imports/${id}`);
      }
      expect(detail).toMatchObject({ status: 'running', rows: 5000 });
      // On PGlite the import's transaction now holds the one connection: a list that read the database would wait.
      expect(await databaseHeld()).toBe(!onPostgres);

      const listed = (await quickGet('/imports')).data as Listed[];
      expect(listed.map((i) => [i.file_name, i.status])).toEqual([
        ['retenida.csv', 'running'],
        ['mala.csv', 'rejected'],
        ['primera.csv', 'completed'],
      ]);
      expect(listed[0]).toMatchObject({ id, rows: 5000, inserted: 0, bytes_read: null, finished_at: null });
      expect(listed[1]).toMatchObject({ error_count: 1 });
      expect(listed[2]).toMatchObject({ rows: 2, inserted: 2, error_count: 0 });
      // Filters and pages answer at once too, and another company sees only its own.
      expect(((await quickGet('/imports?status=running')).data as Listed[]).map((i) => i.id)).toEqual([id]);
      expect(((await quickGet('/imports?status=completed')).data as Listed[]).map((i) => i.file_name)).toEqual(['primera.csv']);
      const first = await quickGet('/imports?limit=1');
      expect(first.data.map((i: Listed) => i.id)).toEqual([id]);
      const rest = await quickGet(`/imports?limit=5&cursor=${first.next_cursor}`);
      expect(rest.data.map((i: Listed) => i.file_name)).toEqual(['mala.csv', 'primera.csv']);
      expect(rest.next_cursor).toBeNull();
      expect(((await quickGet('/imports', h.b.key)).data as Listed[]).map((i) => i.file_name)).toEqual(['ajena.csv']);
    } finally {
      stream.end('HL-R6000,Retenido final\n');
    }
    expect(await running).toMatchObject({ status: 'completed', rows: 6001 });
    // Once it is done the list shows what is stored: completed, with its counts.
    const after = (await quickGet('/imports')).data as Listed[];
    expect(after[0]).toMatchObject({ id, status: 'completed', rows: 6001, inserted: 6001, finished_at: expect.any(String) });
    expect(after.map((i) => i.status)).toEqual(['completed', 'rejected', 'completed']);
  });

  it.skipIf(onPostgres)('waits for the database rather than show an import memory no longer knows (PGlite)', async () => {
    // Recorded and about to run, when the held import starts…
    const dropped = await createImport(h.a.ctx, { entity: 'debtors', fileName: 'descartada.csv', dryRun: false });
    const stream = new PassThrough();
    stream.write(['external_id,name', ...Array.from({ length: 5000 }, (_, i) => `HL-S${i},Segunda ${i}`)].join('\n') + '\n');
    const id = await createImport(h.a.ctx, { entity: 'debtors', fileName: 'segunda.csv', dryRun: false });
    const running = importFile(h.a.ctx, { entity: 'debtors', stream, fileName: 'segunda.csv', importId: id });
    let list: Promise<{ body: string; statusCode: number }> | undefined;
    try {
      for (let i = 0; i < 400 && (await quickGet(`/imports/${id}`)).rows < 5000; i++) await new Promise((r) => setTimeout(r, 25));
      expect(((await quickGet('/imports?limit=2')).data as Listed[]).map((i) => [i.id, i.status])).toEqual([
        [id, 'running'],
        [dropped, 'running'],
      ]);
      // …it is let go without running: its row, still "running", belongs to no process. Memory does not know what the
      // database will say of it, so the list waits for the database instead of showing it running.
      releaseImport(h.database, dropped);
      list = call(h.app, h.a.key, 'GET', '/imports?limit=2');
      const answered = await Promise.race([list.then(() => true), new Promise((r) => setTimeout(() => r(false), 500))]);
      expect(answered).toBe(false);
    } finally {
      stream.end();
    }
    expect(await running).toMatchObject({ status: 'completed', rows: 5000 });
    const res = await within('GET /imports after the import', list!);
    expect(res.statusCode, res.body).toBe(200);
    const listed = JSON.parse(res.body).data as Listed[];
    expect(listed.map((i) => [i.id, i.status])).toEqual([
      [id, 'completed'],
      [dropped, 'failed'],
    ]);
    expect((await quickGet(`/imports/${dropped}`)).errors).toEqual([{ line: 0, column: 'import', reason: STALE_IMPORT_REASON }]);
  });
});

/**
 * Holds the database so that a run started now waits at a known point: on PGlite a transaction of the test's holds
 * the one connection (the run waits before its first statement, 'preparing'); on PostgreSQL the company's portfolios
 * are locked, so the run waits inside its transaction for its last statement.
 */
async function holdForRun(): Promise<() => Promise<void>> {
  if (!onPostgres) {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let holding!: () => void;
    const held = new Promise<void>((r) => (holding = r));
    const transaction = h.database.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT 1`);
      holding();
      await gate;
    });
    await held;
    return async () => {
      release();
      await transaction;
    };
  }
  const blocker = new pg.Client({ connectionString: h.database.url! });
  await blocker.connect();
  await blocker.query('BEGIN');
  await blocker.query('SELECT id FROM portfolios WHERE company_id = $1 FOR UPDATE', [h.a.companyId]);
  return async () => {
    await blocker.query('ROLLBACK');
    await blocker.end();
  };
}

describe('GET /runs/:id and GET /runs while a run runs', () => {
  it('answer at once with the running run, its stage and elapsed time, then show it finished', async () => {
    await saveRecords(h.a.ctx, { entity: 'debtors', rows: [{ external_id: 'HL-D1', name: 'Corrida SA' }] });
    await saveRecords(h.a.ctx, { entity: 'obligations', rows: [{ external_id: 'HL-O1', debtor_external_id: 'HL-D1', currency: 'MXN', amount: '500.00', due_on: '2026-02-01' }] });
    const earlier = await call(h.app, h.a.key, 'POST', '/runs', { as_of: '2026-03-14' });
    expect(earlier.statusCode, earlier.body).toBe(202);
    for (let i = 0; i < 400 && (await call(h.app, h.a.key, 'GET', `/runs/${earlier.json().id}`)).json().status === 'running'; i++) await new Promise((r) => setTimeout(r, 25));
    // Read once, so the key is known before the run holds the database.
    expect((await call(h.app, h.a.key, 'GET', '/runs')).json().data).toEqual([expect.objectContaining({ id: earlier.json().id, status: 'succeeded', stage: null })]);

    const id = await createRun(h.a.ctx, { asOf: parseAsOf('2026-03-15'), portfolioId: null, forced: false });
    const release = await holdForRun();
    let running: Promise<unknown> | undefined;
    try {
      running = runPortfolio(h.a.ctx, { asOf: '2026-03-15', runId: id });
      h.clock.advance(75_000);
      let detail = await quickGet(`/runs/${id}`);
      // On PostgreSQL the run goes on until its last statement waits for the lock.
      for (let i = 0; onPostgres && i < 400 && detail.stage !== 'accounts' && detail.stage !== 'history'; i++) {
        await new Promise((r) => setTimeout(r, 25));
        detail = await quickGet(`/runs/${id}`);
      }
      expect(detail).toMatchObject({ id, status: 'running', as_of: '2026-03-15', finished_at: null, elapsed_ms: 75_000, stats: null, error: null });
      if (onPostgres) expect(['accounts', 'history']).toContain(detail.stage);
      else expect(detail.stage).toBe('preparing');
      expect(await databaseHeld()).toBe(!onPostgres);

      const listed = (await quickGet('/runs')).data;
      expect(listed).toEqual([
        { ...detail, started_at: expect.any(String) },
        expect.objectContaining({ id: earlier.json().id, status: 'succeeded', stage: null, stats: expect.objectContaining({ accounts: 1 }) }),
      ]);
      expect(((await quickGet('/runs?limit=1')).data as Array<{ id: number }>).map((r) => r.id)).toEqual([id]);
      expect((await quickGet('/runs', h.b.key)).data).toEqual([]);
    } finally {
      await release();
    }
    expect(await running).toMatchObject({ id, status: 'succeeded', accounts: 1 });
    const done = await quickGet(`/runs/${id}`);
    expect(done).toMatchObject({ id, status: 'succeeded', stage: null, elapsed_ms: 75_000, finished_at: expect.any(String) });
    expect((await quickGet('/runs')).data.map((r: { status: string }) => r.status)).toEqual(['succeeded', 'succeeded']);
  });
});
