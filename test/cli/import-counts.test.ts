/**
 * The import's one-line outcome reads as English and Spanish do: "1 debtor row", "1 was inserted", "1 error",
 * "2 errores", whatever the counts.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { bufferIO } from '../../src/cli/io.ts';
import { serverSession } from '../../src/cli/session.ts';
import { loadConfig } from '../../src/config.ts';
import type { Language } from '../../src/domain/text.ts';
import { fixedClock } from '../../src/modules/shared/clock.ts';
import { createTestCompany, createTestDatabase, type TestDatabase } from '../support/database.ts';

let database: TestDatabase;
let dir: string;

async function run(language: Language, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = bufferIO(dir, language);
  const session = serverSession({ ...loadConfig({}), company: 'acme', country: 'MX' }, fixedClock('2026-03-31T18:00:00Z'), database);
  const code = await runCli(argv, io, session);
  return { code, out: io.out(), err: io.err() };
}

beforeAll(async () => {
  database = await createTestDatabase();
  await createTestCompany(database, 'acme', 'MX');
  dir = await mkdtemp(join(tmpdir(), 'cobranza-import-counts-'));
  await writeFile(join(dir, 'uno.csv'), 'external_id,name\nU-1,Ana\n');
  await writeFile(join(dir, 'dos.csv'), 'external_id,name\nU-1,Ana\nU-2,Beto\n');
  await writeFile(join(dir, 'un-error.csv'), 'external_id,debtor_external_id,currency,amount,due_on\nUF-1,U-404,MXN,10,2026-03-01\n');
  await writeFile(join(dir, 'dos-errores.csv'), 'external_id,debtor_external_id,currency,amount,due_on\nUF-1,U-404,MXN,10,2026-03-01\nUF-2,U-405,MXN,10,2026-03-01\n');
});

afterAll(async () => {
  await database?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('import counts', () => {
  it('says one row and two rows, one insert and two, as English does', async () => {
    expect((await run('en', 'import', 'debtors', 'uno.csv', '--dry-run')).out).toBe('uno.csv: 1 debtor row OK — 1 would be inserted, 0 updated, 0 unchanged (dry run: nothing written)\n');
    expect((await run('en', 'import', 'debtors', 'uno.csv')).out).toBe('uno.csv: 1 debtor row OK — 1 was inserted, 0 updated, 0 unchanged\n');
    expect((await run('en', 'import', 'debtors', 'dos.csv')).out).toBe('dos.csv: 2 debtor rows OK — 1 was inserted, 0 updated, 1 unchanged\n');
  });

  it('counts the errors of a rejected file in the reader\'s language', async () => {
    let r = await run('en', 'import', 'obligations', 'un-error.csv');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^un-error\.csv: rejected, 1 error; nothing was written\n$/m);
    r = await run('en', 'import', 'obligations', 'dos-errores.csv');
    expect(r.err).toMatch(/^dos-errores\.csv: rejected, 2 errors; nothing was written\n$/m);
    r = await run('es', 'import', 'obligations', 'un-error.csv');
    expect(r.err).toMatch(/^un-error\.csv: rechazado, 1 error; no se escribió nada\n$/m);
    r = await run('es', 'import', 'obligations', 'dos-errores.csv');
    expect(r.err).toMatch(/^dos-errores\.csv: rechazado, 2 errores; no se escribió nada\n$/m);
  });
});
