/**
 * `cobranza import … --report FILE` through the real program (runCli): every import writes its report, an import
 * that fails before reading a row included (status "failed" and the error, still printed, exit 1), and every report
 * has the API's snake_case keys.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { bufferIO } from '../../src/cli/io.ts';
import { serverSession } from '../../src/cli/session.ts';
import { loadConfig } from '../../src/config.ts';
import { fixedClock } from '../../src/modules/shared/clock.ts';
import { createTestCompany, createTestDatabase, type TestDatabase } from '../support/database.ts';

let database: TestDatabase;
let dir: string;

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = bufferIO(dir);
  const session = serverSession({ ...loadConfig({}), company: 'acme', country: 'MX' }, fixedClock('2026-03-31T18:00:00Z'), database);
  const code = await runCli(argv, io, session);
  return { code, out: io.out(), err: io.err() };
}

async function report(name: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(join(dir, name), 'utf8')) as Record<string, unknown>;
}

/** Every key of a JSON value, at any depth. */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [k, ...keysOf(v)]);
}

const camel = (value: unknown) => keysOf(value).filter((k) => /^[a-z]+[A-Z]/.test(k));

beforeAll(async () => {
  database = await createTestDatabase();
  await createTestCompany(database, 'acme', 'MX');
  dir = await mkdtemp(join(tmpdir(), 'cobranza-import-report-'));
  await writeFile(join(dir, 'clientes.csv'), 'external_id,name\nR-1,Ana\nR-2,Beto\n');
  await writeFile(join(dir, 'documentos.csv'), 'external_id,debtor_external_id,currency,amount,due_on,extra\nRF-1,R-1,MXN,100.005,2026-03-01,x\nRF-2,R-404,MXN,10,2026-03-01,y\n');
  await writeFile(join(dir, 'mapeo-roto.json'), '{"name": ');
  await writeFile(join(dir, 'viejo.xls'), 'not a workbook');
  await writeFile(join(dir, 'estado.csv'), 'fecha,importe,referencia,id_movimiento\n2026-03-14,75.00,99999999,MOV-4\n');
});

afterAll(async () => {
  await database?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('import --report', () => {
  it('writes the counts of an import that went through, in snake_case', async () => {
    const r = await run('import', 'debtors', 'clientes.csv', '--report', 'ok.json');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(await report('ok.json')).toEqual({
      file: 'clientes.csv',
      entity: 'debtors',
      status: 'completed',
      rows: 2,
      inserted: 2,
      updated: 0,
      unchanged: 0,
      errors: [],
      error_count: 0,
      ignored_columns: [],
      dry_run: false,
      import_id: expect.any(Number),
    });
    const dry = await run('import', 'debtors', 'clientes.csv', '--dry-run', '--report', 'dry.json');
    expect(dry.code).toBe(0);
    expect(await report('dry.json')).toMatchObject({ status: 'validated', dry_run: true, unchanged: 2 });
  });

  it('writes every bad row of a rejected file, in snake_case', async () => {
    const r = await run('import', 'obligations', 'documentos.csv', '--report', 'rejected.json');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^line 2: amount: /m);
    const json = await report('rejected.json');
    expect(json).toMatchObject({ status: 'rejected', error_count: 2, ignored_columns: ['extra'], dry_run: false });
    expect((json.errors as Array<{ line: number; column: string }>).map((e) => `${e.line}:${e.column}`)).toEqual(['2:amount', '3:debtor_external_id']);
    expect(camel(json)).toEqual([]);
  });

  const failures: Array<{ what: string; argv: string[]; reason: RegExp; entity?: string }> = [
    { what: 'a file that does not exist', argv: ['debtors', 'no-existe.csv'], reason: /cannot read no-existe\.csv/ },
    { what: 'a folder instead of a file', argv: ['debtors', '.'], reason: /not a regular file/ },
    { what: 'an unknown entity', argv: ['invoices', 'clientes.csv'], reason: /entity must be one of debtors, obligations, payments, bank-statement; got "invoices"/, entity: 'invoices' },
    { what: 'a mapping file that does not parse', argv: ['debtors', 'clientes.csv', '--mapping', 'mapeo-roto.json'], reason: /^mapping file mapeo-roto\.json: / },
    { what: 'a mapping file that does not exist', argv: ['debtors', 'clientes.csv', '--mapping', 'no-existe.json'], reason: /^mapping file no-existe\.json: / },
    { what: 'a bad --delimiter', argv: ['debtors', 'clientes.csv', '--delimiter', '|'], reason: /--delimiter must be one of ",", ";"; got "\|"/ },
    { what: 'a bad --encoding', argv: ['debtors', 'clientes.csv', '--encoding', 'utf16'], reason: /--encoding must be one of utf8, latin1/ },
    { what: 'a bad --date-format', argv: ['debtors', 'clientes.csv', '--date-format', 'MM/DD/YYYY'], reason: /--date-format must be one of "YYYY-MM-DD", "DD\/MM\/YYYY"; got "MM\/DD\/YYYY"/ },
    { what: 'a bad --format', argv: ['debtors', 'clientes.csv', '--format', 'ods'], reason: /--format must be one of csv, xlsx/ },
    { what: 'an old .xls workbook', argv: ['debtors', 'viejo.xls'], reason: /old \.xls workbooks are not supported/ },
    { what: 'a bank statement that does not exist', argv: ['bank-statement', 'no-existe.csv'], reason: /cannot read no-existe\.csv/, entity: 'bank-statement' },
  ];

  for (const f of failures) {
    it(`writes a report for ${f.what}, and still prints the error and exits 1`, async () => {
      const name = `failed-${f.what.replace(/\W+/g, '-')}.json`;
      const r = await run('import', ...f.argv, '--report', name);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^error: /);
      const json = await report(name);
      expect(json).toMatchObject({
        file: f.argv[1],
        entity: f.entity ?? f.argv[0],
        status: 'failed',
        rows: 0,
        inserted: 0,
        error_count: 1,
        dry_run: false,
        import_id: null,
        error_code: expect.any(String),
      });
      const errors = json.errors as Array<{ line: number; column: string; reason: string }>;
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ line: 0, column: 'import', reason: expect.stringMatching(f.reason) });
      // The same message the command printed.
      expect(r.err).toContain(errors[0]!.reason);
      expect(camel(json)).toEqual([]);
    });
  }

  it('says plainly that a report’s --out folder does not exist', async () => {
    const r = await run('report', 'aging', '--as-of', '2026-03-31', '--format', 'csv', '--out', 'no-existe/antiguedad.csv');
    expect(r.code).toBe(1);
    expect(r.err).toBe('error: cannot write no-existe/antiguedad.csv: its folder does not exist\n');
  });

  it('refuses a report it could not write before importing anything', async () => {
    await writeFile(join(dir, 'sin-reporte.csv'), 'external_id,name\nRPT-1,Uno\n');
    const r = await run('import', 'debtors', 'sin-reporte.csv', '--report', 'no-existe/reporte.json');
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toBe('error: cannot write the report no-existe/reporte.json: its folder does not exist; nothing was imported\n');
    const [row] = await database.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM debtors WHERE external_id = 'RPT-1'`);
    expect(row?.n).toBe(0);
    const failed = await run('import', 'debtors', 'no-existe.csv', '--report', 'no-existe/reporte.json');
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(/cannot write the report no-existe\/reporte\.json/);
    await expect(stat(join(dir, 'no-existe'))).rejects.toThrow();
  });

  it('writes a bank statement report in snake_case', async () => {
    const r = await run('import', 'bank-statement', 'estado.csv', '--dry-run', '--report', 'estado.json');
    const json = await report('estado.json');
    expect(json).toMatchObject({ file: 'estado.csv', status: r.code === 0 ? 'validated' : expect.any(String) });
    expect(keysOf(json).length).toBeGreaterThan(3);
    expect(camel(json)).toEqual([]);
  });
});
