/**
 * The `cobranza` command end to end: imports (good and bad), the daily run, reports, segments and holds,
 * on PGlite in a temporary data directory, or on a throwaway PostgreSQL database when DATABASE_URL is set.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { cli } from '../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let dir: string;
let env: NodeJS.ProcessEnv;
let server: TestDatabase | null = null;

const run = (...args: string[]) => cli(args, { env, cwd: dir });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cobranza-cli-'));
  env = { COBRANZA_DATA_DIR: join(dir, 'data'), COBRANZA_NOW: '2026-03-31T18:00:00Z' };
  if (process.env.DATABASE_URL) {
    server = await createTestDatabase();
    env.DATABASE_URL = server.url;
  }
  writeFileSync(
    join(dir, 'clientes.csv'),
    '\uFEFFid_cliente;nombre;rfc;telefono;estado;etiquetas\n' +
      'C-1;Juana Pérez;;55 1234 5678;Jalisco;vip\n' +
      'C-2;Comercial Norte SA;;8112345678;NLE;\n',
  );
  writeFileSync(
    join(dir, 'documentos.csv'),
    'external_id,debtor_external_id,currency,amount,due_on,product\n' +
      'F-1,C-1,MXN,1250.50,2026-03-01,Tarjeta\n' +
      'F-2,C-1,MXN,300.00,2026-04-15,Tarjeta\n' +
      'F-3,C-2,MXN,9000,2025-12-01,Factura comercial\n',
  );
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('cobranza CLI', () => {
  it('prints help without touching any database', async () => {
    const r = await run('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/import/);
    expect(r.stdout).toMatch(/report/);
  });

  it('imports debtors and obligations, and re-importing changes nothing', async () => {
    let r = await run('import', 'debtors', 'clientes.csv');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/2 debtor rows OK — 2 were inserted/);
    r = await run('import', 'obligations', 'documentos.csv');
    expect(r.code).toBe(0);
    r = await run('import', 'obligations', 'documentos.csv');
    expect(r.stdout).toMatch(/0 were inserted, 0 updated, 3 unchanged/);
  });

  it('rejects a bad file with every bad line, writes nothing, exits 1 and writes a JSON report', async () => {
    writeFileSync(
      join(dir, 'malo.csv'),
      'external_id,debtor_external_id,currency,amount,due_on\n' +
        'F-9,C-1,MXN,10.005,2026-03-01\n' +
        'F-10,C-404,MXN,10,2026-03-01\n' +
        'F-11,C-1,MXN,10,2026-02-30\n' +
        'F-12,C-1,XYZ,10,2026-03-01\n',
    );
    const r = await run('import', 'obligations', 'malo.csv', '--report', 'reporte.json');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^line 2: amount: /m);
    expect(r.stderr).toMatch(/^line 3: debtor_external_id: /m);
    expect(r.stderr).toMatch(/^line 4: due_on: /m);
    expect(r.stderr).toMatch(/^line 5: currency: /m);
    const report = JSON.parse(readFileSync(join(dir, 'reporte.json'), 'utf8'));
    expect(report.errors.map((e: { line: number }) => e.line)).toEqual([2, 3, 4, 5]);
    // A day/month/year date is answered with the option that reads them.
    writeFileSync(join(dir, 'dmy.csv'), 'external_id,debtor_external_id,currency,amount,due_on\nF-13,C-1,MXN,10,15/03/2026\n');
    const dmy = await run('import', 'obligations', 'dmy.csv', '--dry-run');
    expect(dmy.code).toBe(1);
    expect(dmy.stderr).toMatch(/^line 2: due_on: .*; for day\/month\/year dates use --date-format DD\/MM\/YYYY$/m);
    const aging = await run('report', 'aging', '--as-of', '2026-03-31', '--format', 'json');
    const agingJson = JSON.parse(aging.stdout);
    // The API's keys (GET /reports/aging): as_of, not asOf.
    expect(Object.keys(agingJson)).toEqual(['as_of', 'lines']);
    expect(agingJson.as_of).toBe('2026-03-31');
    const mxn = agingJson.lines[0];
    expect(mxn.total).toEqual({ amount: '10550.50', count: 3 });
  });

  it('speaks Spanish throughout an import refusal and the aging table with COBRANZA_LANG=es', async () => {
    const es = (...args: string[]) => cli(args, { env: { ...env, COBRANZA_LANG: 'es' }, cwd: dir });
    let r = await es('import', 'obligations', 'malo.csv');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^línea 2: amount: /m);
    expect(r.stderr).toMatch(/^malo\.csv: rechazado, 4 errores; no se escribió nada$/m);
    expect(r.stderr).not.toMatch(/\bline\b|rejected|nothing/);
    r = await es('report', 'aging', '--as-of', '2026-03-31');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Antigüedad de saldos al 2026-03-31\ncartera +moneda +tramo +monto +documentos$/m);
    expect(r.stdout).toMatch(/al corriente/);
  });

  it('refuses an unreadable date, an unknown command and a missing file clearly', async () => {
    let r = await run('run', '--as-of', '2026-02-30');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/2026-02-30/);
    r = await run('frobnicate');
    expect(r.code).toBe(2);
    r = await run('import', 'debtors', 'no-such-file.csv');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no-such-file\.csv/);
  });

  it('runs the day, with segments, and reports accounts as JSON, CSV and XLSX', async () => {
    let r = await run('segments', 'add', 'jalisco-alto', '--rule', "region = 'JAL' and balance.MXN >= 1000");
    expect(r.code).toBe(0);
    r = await run('segments', 'add', 'roto', '--rule', 'balanse.MXN > 1');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unknown field "balanse.MXN" \(did you mean "balance.MXN"\?\) at line 1, column 1/);
    r = await run('run', '--as-of', '2026-03-31');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/2 accounts/);
    r = await run('report', 'accounts', '--as-of', '2026-03-31', '--format', 'json');
    const rows = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    expect(rows.find((x) => x.debtor_external_id === 'C-1')).toMatchObject({ phase: 'administrative', days_past_due: 30, bucket: '1-30', balances: { MXN: '1550.50' }, segments: ['jalisco-alto'], unapplied: {} });
    expect(rows.find((x) => x.debtor_external_id === 'C-2')).toMatchObject({ phase: 'judicial', days_past_due: 120, bucket: '91-120' });
    r = await run('report', 'accounts', '--as-of', '2026-03-31', '--format', 'csv', '--out', 'cuentas.csv');
    expect(r.code).toBe(0);
    const accounts = readFileSync(join(dir, 'cuentas.csv'), 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(accounts[0]).toBe('debtor_external_id,name,portfolio,phase,days_past_due,bucket,balance_MXN,segments,unapplied_MXN,on_hold');
    expect(accounts).toContain('C-1,Juana Pérez,default,administrative,30,1-30,1550.50,jalisco-alto,,false');
    r = await run('report', 'accounts', '--as-of', '2026-03-31', '--format', 'xlsx', '--out', 'cuentas.xlsx');
    expect(r.code).toBe(0);
    const accountsBook = new ExcelJS.Workbook();
    await accountsBook.xlsx.readFile(join(dir, 'cuentas.xlsx'));
    // The sheet of GET /accounts/export in the same language (test/http/accounts-search.test.ts).
    expect(accountsBook.worksheets[0]!.name).toBe('Accounts');
    const c1 = accountsBook.worksheets[0]!.getRows(2, 2)!.find((row) => row.getCell(1).value === 'C-1')!;
    expect(c1.getCell(7).value).toBe(1550.5);
    expect(c1.getCell(7).numFmt).toBe('#,##0.00');
    r = await run('report', 'aging', '--as-of', '2026-03-31', '--format', 'xlsx', '--out', 'aging.xlsx');
    expect(r.code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, 'aging.xlsx'));
    const sheet = wb.worksheets[0]!;
    expect(sheet.name).toBe('Aging');
    expect(sheet.getRow(1).values).toEqual([undefined, 'portfolio', 'currency', 'bucket', 'amount', 'count']);
    const total = sheet.getRows(2, sheet.rowCount - 1)!.find((row) => row.getCell(3).value === 'total')!;
    expect(total.getCell(4).value).toBe(10550.5);
    expect(total.getCell(4).numFmt).toBe('#,##0.00');
    r = await run('run', '--as-of', '2026-03-30');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--force/);
  });

  it('places and lifts holds, and creates API keys', async () => {
    let r = await run('hold', 'add', 'C-2', '--reason', 'bankruptcy', '--note', 'concurso mercantil');
    expect(r.code).toBe(0);
    // The same hold again is refused, not added beside the first.
    r = await run('hold', 'add', 'C-2', '--reason', 'bankruptcy');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/debtor "C-2" already has an active bankruptcy hold \(since 2026-03-31\); to change it, remove it first/);
    r = await run('hold', 'list', 'C-2');
    expect(r.stdout.split('\n')[0]).toMatch(/^reason\s+starts_on\s+expires_on\s+created_by\s+note\s*$/);
    r = await run('hold', 'add', 'C-2', '--reason', 'vacaciones');
    expect(r.code).toBe(1);
    r = await run('hold', 'remove', 'C-2');
    expect(r.stdout).toMatch(/1 hold released/);
    r = await run('apikey', 'create', 'erp');
    expect(r.stdout).toMatch(/cbz_[A-Za-z0-9_-]{40,}/);
    expect(r.stdout).toMatch(/role admin/);
    const secret = r.stdout.match(/cbz_\S+/)![0];
    r = await run('apikey', 'create', 'erp', '--role', 'viewer');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/an active API key is already named "erp"/);
    r = await run('apikey', 'create', 'lectura', '--role', 'viewer');
    expect(r.stdout).toMatch(/role viewer/);
    r = await run('apikey', 'create', 'despacho', '--role', 'agency');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/an API key cannot have the agency role: .*; use admin, supervisor, collector, auditor or viewer/);
    r = await run('apikey', 'list');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/erp\s+admin/);
    expect(r.stdout).toMatch(/lectura\s+viewer/);
    expect(r.stdout).not.toContain(secret);
    r = await run('apikey', 'revoke', 'erp');
    expect(r.stdout).toMatch(/API key "erp" \(id \d+, admin\) revoked/);
    r = await run('apikey', 'list', '--json');
    const keys = JSON.parse(r.stdout) as Array<{ name: string; revoked_at: string | null }>;
    expect(keys.find((k) => k.name === 'erp')!.revoked_at).not.toBeNull();
    expect(keys.find((k) => k.name === 'lectura')!.revoked_at).toBeNull();
    r = await run('apikey', 'revoke', 'erp');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no active API key is named "erp"/);
  });
});
