/**
 * Imports in the background: POST /imports/:entity?async=true (or Prefer: respond-async) answers 202 with the import's
 * id once the file has arrived; GET /imports/:id follows it to completed, validated or rejected (every bad row, nothing
 * written), GET /imports lists the history, GET /imports/:id/errors downloads the problems. Another company sees none
 * of it. An import whose process ended is marked failed (at startup and when the history is read), and one that
 * breaks mid-file leaves nothing behind. On PostgreSQL a running import reports its progress as it reads.
 */
import { PassThrough } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/http/server.ts';
import { importFile, STALE_IMPORT_REASON } from '../../src/modules/portfolio/index.ts';
import { call, multipart, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const onPostgres = Boolean(process.env.DATABASE_URL);

function upload(entity: string, fields: Record<string, string>, file: { name: string; content: string }, options: { key?: string; query?: string; headers?: Record<string, string> } = {}) {
  const { payload, headers } = multipart(fields, file);
  return h.app.inject({
    method: 'POST',
    url: `/imports/${entity}${options.query ?? '?async=true'}`,
    payload,
    headers: { ...headers, ...options.headers, authorization: `Bearer ${options.key ?? h.a.key}` },
  });
}

/** Polls GET /imports/:id until the import is no longer running. */
async function settled(id: number, key = h.a.key) {
  for (let i = 0; i < 400; i++) {
    const res = await call(h.app, key, 'GET', `/imports/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    if (body.status !== 'running') return body;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`import ${id} did not finish`);
}

async function debtorCount(companyId = h.a.companyId): Promise<number> {
  const [row] = await h.database.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM debtors WHERE company_id = ${companyId}`);
  return row!.n;
}

const GOOD = ['id_cliente;nombre;estado', 'AS-1;Uno SA;Jalisco', 'AS-2;Dos SA;Nuevo León', 'AS-3;Tres SA;CDMX'].join('\n');
const BAD = ['external_id,name,email', 'AB-1,Bien SA,bien@example.com', 'AB-2,,dos@example.com', 'AB-3,Tres SA,no-es-correo'].join('\n');

describe('imports in the background', () => {
  it('answers 202 at once and completes in the background with the counts', async () => {
    const res = await upload('debtors', {}, { name: 'deudores.csv', content: GOOD });
    expect(res.statusCode, res.body).toBe(202);
    const accepted = res.json();
    expect(accepted).toEqual({ import_id: expect.any(Number), entity: 'debtors', status: 'running', dry_run: false });
    expect(res.headers.location).toBe(`/imports/${accepted.import_id}`);
    const done = await settled(accepted.import_id);
    expect(done).toMatchObject({
      id: accepted.import_id,
      entity: 'debtors',
      file_name: 'deudores.csv',
      status: 'completed',
      rows: 3,
      inserted: 3,
      updated: 0,
      error_count: 0,
      errors: [],
      file_bytes: Buffer.byteLength(GOOD),
      bytes_read: Buffer.byteLength(GOOD),
      created_by: 'api-key:a',
      finished_at: expect.any(String),
    });
    expect((await call(h.app, h.a.key, 'GET', '/debtors/AS-2')).json()).toMatchObject({ name: 'Dos SA', region: 'NLE' });
    // Without the option the same route keeps answering synchronously.
    const sync = await upload('debtors', {}, { name: 'deudores.csv', content: GOOD }, { query: '' });
    expect(sync.statusCode).toBe(200);
    expect(sync.json()).toMatchObject({ status: 'completed', unchanged: 3 });
  });

  it('takes "Prefer: respond-async" too, and runs a dry run without writing', async () => {
    const file = ['external_id,name', 'PF-1,Prefiere SA'].join('\n');
    const res = await upload('debtors', { dry_run: 'true' }, { name: 'prefer.csv', content: file }, { query: '', headers: { prefer: 'respond-async' } });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({ dry_run: true });
    expect(await settled(res.json().import_id)).toMatchObject({ status: 'validated', dry_run: true, inserted: 1 });
    expect((await call(h.app, h.a.key, 'GET', '/debtors/PF-1')).statusCode).toBe(404);
  });

  it('ends a bad file as rejected with every bad row, writes nothing, and offers the problems as CSV', async () => {
    const before = await debtorCount();
    const res = await upload('debtors', {}, { name: 'malo.csv', content: BAD });
    expect(res.statusCode).toBe(202);
    const id = res.json().import_id;
    const done = await settled(id);
    expect(done).toMatchObject({ status: 'rejected', error_count: 2, inserted: 0 });
    expect(done.errors).toEqual([
      { line: 3, column: 'name', reason: expect.any(String) },
      { line: 4, column: 'email', reason: expect.any(String) },
    ]);
    // All or nothing: the good row on line 2 was not written either.
    expect((await call(h.app, h.a.key, 'GET', '/debtors/AB-1')).statusCode).toBe(404);
    expect(await debtorCount()).toBe(before);

    const csv = await call(h.app, h.a.key, 'GET', `/imports/${id}/errors`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="import-errors-${id}.csv"`);
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(csv.headers['content-language']).toBe('en');
    expect(csv.headers.vary).toContain('Accept-Language');
    expect(lines[0]).toBe('line,column,reason');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 2).join(','))).toEqual(['3,name', '4,email']);
    for (const [query, language] of [['', 'es-MX'], ['?language=es', 'en']] as const) {
      const es = await h.app.inject({ method: 'GET', url: `/imports/${id}/errors${query}`, headers: { authorization: `Bearer ${h.a.key}`, 'accept-language': language } });
      expect(es.headers['content-language']).toBe('es-MX');
      expect(es.headers['content-disposition']).toBe(`attachment; filename="errores-importacion-${id}.csv"`);
      const esLines = es.body.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
      expect(esLines[0]).toBe('línea,columna,motivo');
      expect(esLines[1]).not.toBe(lines[1]);
    }
    const xlsx = await call(h.app, h.a.key, 'GET', `/imports/${id}/errors?format=xlsx`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const audit = await h.database.query<{ action: string; entity_id: string }>(sql`SELECT action, entity_id FROM audit_log WHERE company_id = ${h.a.companyId} AND entity = 'import'`);
    expect(audit).toContainEqual({ action: 'report.export', entity_id: String(id) });
  });

  it('refuses a bad form before accepting anything', async () => {
    expect((await upload('debtors', { dry_run: 'quizá' }, { name: 'x.csv', content: GOOD })).statusCode).toBe(400);
    expect((await upload('debtors', {}, { name: 'viejo.xls', content: GOOD })).statusCode).toBe(400);
    expect((await upload('debtors', {}, { name: 'x.csv', content: GOOD }, { query: '?async=maybe' })).statusCode).toBe(400);
    const listed = (await call(h.app, h.a.key, 'GET', '/imports?limit=100')).json().data as Array<{ file_name: string }>;
    expect(listed.map((i) => i.file_name)).not.toContain('viejo.xls');
  });

  it('lists the history newest first, paged, and filtered', async () => {
    const first = (await call(h.app, h.a.key, 'GET', '/imports?limit=2')).json();
    expect(first.data).toHaveLength(2);
    expect(first.data[0].id).toBeGreaterThan(first.data[1].id);
    expect(first.next_cursor).toEqual(expect.any(String));
    const second = (await call(h.app, h.a.key, 'GET', `/imports?limit=2&cursor=${first.next_cursor}`)).json();
    expect(second.data[0].id).toBeLessThan(first.data[1].id);
    const rejected = (await call(h.app, h.a.key, 'GET', '/imports?status=rejected')).json();
    expect(rejected.data.map((i: { file_name: string }) => i.file_name)).toEqual(['malo.csv']);
    expect(rejected.data[0]).not.toHaveProperty('errors');
  });

  it("keeps each company's imports to itself", async () => {
    const mine = (await call(h.app, h.a.key, 'GET', '/imports?limit=1')).json().data[0];
    for (const url of [`/imports/${mine.id}`, `/imports/${mine.id}/errors`]) {
      const res = await call(h.app, h.b.key, 'GET', url);
      expect(res.statusCode, url).toBe(404);
      expect(res.body).not.toContain(mine.file_name);
    }
    expect((await call(h.app, h.b.key, 'GET', '/imports')).json().data).toEqual([]);
    const theirs = await upload('debtors', {}, { name: 'de-b.csv', content: 'external_id,name\nBB-1,De B' }, { key: h.b.key });
    expect(await settled(theirs.json().import_id, h.b.key)).toMatchObject({ status: 'completed' });
    expect((await call(h.app, h.a.key, 'GET', `/imports/${theirs.json().import_id}`)).statusCode).toBe(404);
    expect((await call(h.app, h.a.key, 'GET', '/debtors/BB-1')).statusCode).toBe(404);
  });

  it('marks an import whose process ended as failed, at startup and when read, and leaves live ones alone', async () => {
    const insert = async (name: string, heartbeat: string) => {
      const [row] = await h.database.query<{ id: number }>(sql`
        INSERT INTO imports (company_id, entity, file_name, status, started_at, heartbeat_at)
        VALUES (${h.a.companyId}, 'debtors', ${name}, 'running', now(), ${sql.raw(heartbeat)}) RETURNING id::int AS id`);
      return row!.id;
    };
    const stale = await insert('huerfano.csv', "now() - interval '10 minutes'");
    const fresh = await insert('otro-proceso.csv', 'now()');
    // A restarted server checks at startup.
    const restarted = buildServer({ database: h.database, clock: h.clock, webRoot: false });
    await restarted.ready();
    await restarted.close();
    const status = async (id: number) => (await h.database.query<{ status: string; errors: unknown }>(sql`SELECT status, errors FROM imports WHERE id = ${id}`))[0]!;
    expect(await status(stale)).toEqual({ status: 'failed', errors: [{ line: 0, column: 'import', reason: STALE_IMPORT_REASON }] });
    // PGlite has one owner process: a running import it is not running is gone. PostgreSQL may have other processes,
    // whose heartbeat says they are alive.
    expect((await status(fresh)).status).toBe(onPostgres ? 'running' : 'failed');
    if (onPostgres) {
      await h.database.query(sql`UPDATE imports SET heartbeat_at = now() - interval '5 minutes' WHERE id = ${fresh}`);
      expect((await call(h.app, h.a.key, 'GET', `/imports/${fresh}`)).json()).toMatchObject({ status: 'failed', error_count: 1 });
    }
  });

  it('leaves nothing behind when the file breaks off mid-import', async () => {
    const before = await debtorCount();
    const stream = new PassThrough();
    const rows = ['external_id,name'];
    for (let i = 0; i < 6000; i++) rows.push(`CUT-${i},Cortado ${i}`);
    stream.write(rows.join('\n') + '\n');
    const running = importFile(h.a.ctx, { entity: 'debtors', stream, fileName: 'cortado.csv' });
    setTimeout(() => stream.destroy(new Error('connection reset by peer')), 50);
    const outcome = await running.then(
      (r) => r.status,
      (e: Error) => e.message,
    );
    expect(['rejected', 'connection reset by peer']).toContain(outcome);
    expect(await debtorCount()).toBe(before);
    const [row] = await h.database.query<{ status: string }>(sql`SELECT status FROM imports WHERE company_id = ${h.a.companyId} AND file_name = 'cortado.csv'`);
    expect(['rejected', 'failed']).toContain(row!.status);
  });

  it.skipIf(!onPostgres)('reports the rows read so far while it runs (PostgreSQL)', async () => {
    const stream = new PassThrough();
    const head = ['external_id,name'];
    for (let i = 0; i < 6000; i++) head.push(`PG-${i},Progreso ${i}`);
    stream.write(head.join('\n') + '\n');
    const running = importFile(h.a.ctx, { entity: 'debtors', stream, fileName: 'progreso.csv' });
    // The first 5,000 rows are reported while the file is still open.
    let seen: { id: number; status: string; rows: number } | undefined;
    for (let i = 0; i < 400 && !(seen && seen.rows >= 5000); i++) {
      [seen] = await h.database.query<{ id: number; status: string; rows: number }>(sql`SELECT id::int AS id, status, rows FROM imports WHERE file_name = 'progreso.csv'`);
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(seen).toMatchObject({ status: 'running', rows: 5000 });
    expect((await call(h.app, h.a.key, 'GET', `/imports/${seen!.id}`)).json()).toMatchObject({ status: 'running', rows: 5000 });
    stream.end('PG-6000,Progreso final\n');
    expect(await running).toMatchObject({ status: 'completed', rows: 6001 });
    expect((await call(h.app, h.a.key, 'GET', `/imports/${seen!.id}`)).json()).toMatchObject({ status: 'completed', rows: 6001, inserted: 6001 });
  });
});
