/**
 * Mapping files as Windows editors save them: UTF-8 with a byte order mark is read like any UTF-8 file, and one saved
 * in another encoding is refused as such instead of as headers ("C�digo") the data file does not have.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let dir: string;
let env: NodeJS.ProcessEnv;
let server: TestDatabase | null = null;

const run = (...args: string[]) => cli(args, { env, cwd: dir });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cobranza-mapping-'));
  env = { COBRANZA_DATA_DIR: join(dir, 'data'), COBRANZA_NOW: '2026-03-31T18:00:00Z' };
  if (process.env.DATABASE_URL) {
    server = await createTestDatabase();
    env.DATABASE_URL = server.url;
  }
  writeFileSync(join(dir, 'clientes.csv'), 'Código,Razón Social\nM-1,Con BOM\n');
  writeFileSync(join(dir, 'mapeo-bom.json'), '\uFEFF{"external_id": "Código", "name": "Razón Social"}');
  writeFileSync(join(dir, 'mapeo-latin1.json'), Buffer.from('{"external_id": "C\xf3digo", "name": "Raz\xf3n Social"}', 'latin1'));
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('import --mapping', () => {
  it('reads a mapping file with a byte order mark, and refuses one that is not UTF-8', { timeout: 60_000 }, async () => {
    let r = await run('import', 'debtors', 'clientes.csv', '--mapping', 'mapeo-bom.json', '--dry-run');
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/1 debtor row OK — 1 would be inserted/);
    r = await run('import', 'debtors', 'clientes.csv', '--mapping', 'mapeo-latin1.json');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: mapping file mapeo-latin1.json: is not UTF-8 text; save it as UTF-8\n');
  });
});
