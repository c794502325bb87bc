/**
 * `cobranza run` refuses a date after the company's today (exit 1 with the reason), --force or not, so a mistyped year
 * cannot make every later real run look like a rewind; today is accepted up to its last minute in the company's time
 * zone. `cobranza report aging --as-of D` for a past date shows the balances of D.
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
  dir = mkdtempSync(join(tmpdir(), 'cobranza-run-dates-'));
  // 12:00 on 31 March 2026 in Mexico City (UTC−6), the company's time zone.
  env = { COBRANZA_DATA_DIR: join(dir, 'data'), COBRANZA_NOW: '2026-03-31T18:00:00Z' };
  if (process.env.DATABASE_URL) {
    server = await createTestDatabase();
    env.DATABASE_URL = server.url;
  }
  writeFileSync(join(dir, 'clientes.csv'), 'external_id,name\nK-1,Kiosco Uno\n');
  writeFileSync(
    join(dir, 'documentos.csv'),
    'external_id,debtor_external_id,currency,amount,issued_on,due_on\n' + 'K-O1,K-1,MXN,900.00,2026-01-10,2026-02-10\n' + 'K-O2,K-1,MXN,100.00,2026-03-20,2026-04-20\n',
  );
  writeFileSync(join(dir, 'pagos.csv'), 'external_id,debtor_external_id,currency,amount,paid_on\n' + 'K-P1,K-1,MXN,200.00,2026-03-01\n' + 'K-P2,K-1,MXN,300.00,2026-03-25\n');
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('cobranza run and report aging dates', () => {
  it('refuses a run after today with or without --force, and the next run of today is no rewind', { timeout: 120_000 }, async () => {
    expect((await run('import', 'debtors', 'clientes.csv')).code).toBe(0);
    expect((await run('import', 'obligations', 'documentos.csv')).code).toBe(0);
    expect((await run('import', 'payments', 'pagos.csv')).code).toBe(0);
    for (const force of [[], ['--force']]) {
      const r = await run('run', '--as-of', '2030-01-01', ...force);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe('error: as-of date 2030-01-01: it is after today (2026-03-31 in America/Mexico_City); a run can only be as of today or an earlier date\n');
      expect(r.stdout).toBe('');
    }
    const today = await run('run', '--as-of', '2026-03-31');
    expect(today.stderr).toBe('');
    expect(today.code).toBe(0);
  });

  it('takes today in the company’s time zone, up to its last minute', { timeout: 120_000 }, async () => {
    // 23:59 on 31 March in Mexico City, already 1 April in UTC.
    env.COBRANZA_NOW = '2026-04-01T05:59:00Z';
    let r = await run('run', '--as-of', '2026-04-01');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/after today \(2026-03-31 in America\/Mexico_City\)/);
    env.COBRANZA_NOW = '2026-04-01T06:00:00Z';
    r = await run('run', '--as-of', '2026-04-01');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('reports aging as of a past date with that date’s balances and buckets', { timeout: 120_000 }, async () => {
    const aging = async (asOf: string) => {
      const r = await run('report', 'aging', '--as-of', asOf, '--format', 'csv');
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      return r.stdout.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l !== '' && !/,0\.00,0$/.test(l));
    };
    // 15 March: K-O2 not issued yet, the payment of the 25th not made yet: 900 − 200, 33 days past due.
    expect(await aging('2026-03-15')).toEqual(['portfolio,currency,bucket,amount,count', 'default,MXN,31-60,700.00,1', 'default,MXN,total,700.00,1']);
    // Today: 900 − 200 − 300 at 50 days, and K-O2 not due yet.
    expect(await aging('2026-04-01')).toEqual(['portfolio,currency,bucket,amount,count', 'default,MXN,current,100.00,1', 'default,MXN,31-60,400.00,1', 'default,MXN,total,500.00,2']);
  });
});
