/**
 * Following an import while it runs. On the embedded database (PGlite) an import's one transaction holds the only
 * connection until it ends, so GET /imports/:id answers a row this process is running from memory (rows and bytes read
 * so far), and the request is authenticated with what the process verified before (an API key, or a session past the
 * few seconds it is otherwise remembered), without waiting for the database. The list shows the same figures for those
 * rows, with the others (see live-job-lists.test.ts). On PostgreSQL the same answers come from the same place.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREDENTIAL_CACHE_MS } from '../../src/modules/access/credential-cache.ts';
import { createUser } from '../../src/modules/access/create-user.ts';
import { browser, signIn } from '../access/harness.ts';
import { call, multipart, startHarness, type Harness } from './harness.ts';

let h: Harness;
/** A signed-in user's session cookie, as the web page sends it. */
let session: string;
let verifiedAt: number;
beforeAll(async () => {
  h = await startHarness();
  await createUser(h.a.ctx, { email: 'importa@acme.test', name: 'Importadora', role: 'admin', password: 'clave-de-prueba-123' });
  session = await signIn(h.app, 'importa@acme.test', 'clave-de-prueba-123');
  // The page has loaded: the session was verified, and is remembered for a few seconds.
  expect((await browser(h.app, session, 'GET', '/imports')).statusCode).toBe(200);
  verifiedAt = performance.now();
});
afterAll(async () => {
  await h?.close();
});

const ROWS = 50_000;

/** A debtors file large enough that importing it takes seconds, not milliseconds. */
function bigFile(prefix: string): string {
  const lines = ['external_id,name,email,region'];
  for (let i = 0; i < ROWS; i++) lines.push(`${prefix}-${i},Deudor ${prefix} ${i},d${i}@${prefix.toLowerCase()}.example.com,JAL`);
  return lines.join('\n') + '\n';
}

interface Seen {
  by: 'key' | 'session';
  ms: number;
  status: string;
  rows: number;
  bytes_read: number | null;
  file_bytes: number | null;
}

describe('progress of a running import', () => {
  it('answers GET /imports/:id at once with the rows and bytes read so far, before the import ends, to a key and to the web page', async () => {
    // Past the time a verified session is remembered, so reading it again would wait for the import.
    await new Promise((r) => setTimeout(r, Math.max(0, verifiedAt + CREDENTIAL_CACHE_MS + 100 - performance.now())));
    const content = bigFile('PRG');
    const { payload, headers } = multipart({}, { name: 'grande.csv', content });
    const started = performance.now();
    const res = await h.app.inject({ method: 'POST', url: '/imports/debtors?async=true', payload, headers: { ...headers, authorization: `Bearer ${h.a.key}` } });
    expect(res.statusCode, res.body).toBe(202);
    const id = res.json().import_id as number;

    // The API key polls until the import is inside its transaction (rows read), then the signed-in page polls.
    const seen: Seen[] = [];
    for (let i = 0; i < 2000; i++) {
      const by = seen.some((s) => s.rows > 0) ? 'session' : 'key';
      const t0 = performance.now();
      const got = by === 'key' ? await call(h.app, h.a.key, 'GET', `/imports/${id}`) : await browser(h.app, session, 'GET', `/imports/${id}`);
      const ms = performance.now() - t0;
      expect(got.statusCode, got.body).toBe(200);
      const body = got.json();
      seen.push({ by, ms, status: body.status, rows: body.rows, bytes_read: body.bytes_read, file_bytes: body.file_bytes });
      if (body.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const took = performance.now() - started;
    expect(seen.at(-1)).toMatchObject({ status: 'completed', rows: ROWS });

    const running = seen.filter((s) => s.status === 'running');
    // The import took long enough for the bound below to mean something.
    expect(took).toBeGreaterThan(1000);
    // Answers came while it ran, to both, each far quicker than the import: a GET that waited for it would take seconds.
    expect(running.filter((s) => s.by === 'key' && s.rows > 0)).not.toEqual([]);
    expect(running.filter((s) => s.by === 'session').length).toBeGreaterThan(1);
    expect(Math.max(...running.map((s) => s.ms))).toBeLessThan(Math.min(500, took / 3));
    // ...and they carry the progress: rows and bytes read grow while the file is read, never past its size.
    const progressed = running.filter((s) => s.rows > 0);
    expect(progressed.every((s) => s.file_bytes === Buffer.byteLength(content) && s.bytes_read !== null && s.bytes_read > 0 && s.bytes_read <= s.file_bytes)).toBe(true);
    for (let i = 1; i < running.length; i++) expect(running[i]!.rows).toBeGreaterThanOrEqual(running[i - 1]!.rows);
  });

  it('lists a running import with the same progress, to its company only', async () => {
    const { payload, headers } = multipart({}, { name: 'lista.csv', content: bigFile('LST') });
    const res = await h.app.inject({ method: 'POST', url: '/imports/debtors?async=true', payload, headers: { ...headers, authorization: `Bearer ${h.a.key}` } });
    expect(res.statusCode, res.body).toBe(202);
    const id = res.json().import_id as number;
    // Another company never sees it, running or not.
    expect((await call(h.app, h.b.key, 'GET', `/imports/${id}`)).statusCode).toBe(404);
    let detail: { status: string; rows: number } = { status: 'running', rows: 0 };
    while (detail.status === 'running' && detail.rows === 0) {
      await new Promise((r) => setTimeout(r, 20));
      detail = (await call(h.app, h.a.key, 'GET', `/imports/${id}`)).json();
    }
    // The list answers at once (on PGlite from memory, live-job-lists.test.ts); the import may have ended meanwhile.
    const listed = (await call(h.app, h.a.key, 'GET', '/imports?limit=5')).json().data as Array<{ id: number; status: string; rows: number }>;
    const row = listed.find((i) => i.id === id)!;
    if (row.status === 'running') expect(row.rows).toBeGreaterThanOrEqual(detail.rows);
    else expect(row).toMatchObject({ status: 'completed', rows: ROWS });
    expect((await call(h.app, h.b.key, 'GET', '/imports')).json().data).toEqual([]);
    while (detail.status === 'running') {
      await new Promise((r) => setTimeout(r, 20));
      detail = (await call(h.app, h.a.key, 'GET', `/imports/${id}`)).json();
    }
    expect(detail).toMatchObject({ status: 'completed', rows: ROWS, inserted: ROWS });
  });
});
