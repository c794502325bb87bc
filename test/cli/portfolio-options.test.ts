/**
 * Commands that take --portfolio, with a company whose accounts are all outside the "default" portfolio.
 * `phases override` without --portfolio on a debtor with one account means that account; with several accounts and
 * none in the portfolio named, the refusal says where they are instead of asking for a daily run that already
 * happened. `report accounts` refuses a portfolio that does not exist or was not run that day instead of printing [].
 * `phases show` lists every portfolio; `phases set` without --portfolio or --all refuses to pick one of several.
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
  dir = mkdtempSync(join(tmpdir(), 'cobranza-portfolios-'));
  env = { COBRANZA_DATA_DIR: join(dir, 'data'), COBRANZA_NOW: '2026-03-31T18:00:00Z' };
  if (process.env.DATABASE_URL) {
    server = await createTestDatabase();
    env.DATABASE_URL = server.url;
  }
  writeFileSync(join(dir, 'clientes.csv'), 'external_id,name\nT-1,Solo tarjetas\nM-1,Dos carteras\n');
  writeFileSync(
    join(dir, 'documentos.csv'),
    'external_id,debtor_external_id,currency,amount,due_on,portfolio\n' +
      'F-1,T-1,MXN,100,2026-03-01,tarjetas\n' +
      'F-2,M-1,MXN,100,2026-03-01,tarjetas\n' +
      'F-3,M-1,MXN,100,2026-03-01,autos\n',
  );
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('--portfolio', () => {
  it('picks the only account of a debtor, and names the portfolios of one with several', { timeout: 120_000 }, async () => {
    expect((await run('import', 'debtors', 'clientes.csv')).code).toBe(0);
    expect((await run('import', 'obligations', 'documentos.csv')).code).toBe(0);
    expect((await run('run', '--as-of', '2026-03-31')).code).toBe(0);

    let r = await run('phases', 'override', 'T-1', 'judicial', '--reason', 'demanda presentada');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect((await run('run', '--as-of', '2026-03-31')).code).toBe(0);
    r = await run('report', 'accounts', '--as-of', '2026-03-31', '--format', 'json');
    const rows = JSON.parse(r.stdout) as Array<{ debtor_external_id: string; portfolio: string; phase: string }>;
    expect(rows.find((x) => x.debtor_external_id === 'T-1')).toMatchObject({ portfolio: 'tarjetas', phase: 'judicial' });

    r = await run('phases', 'override', 'M-1', 'judicial', '--reason', 'demanda presentada');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/debtor "M-1" has accounts in portfolios "autos", "tarjetas": name one \(--portfolio; API: portfolio\)/);
    expect(r.stderr).not.toMatch(/default/);
    expect(r.stderr).not.toMatch(/run the daily run/);
  });

  it('report accounts refuses an unknown portfolio, and one not run that day', { timeout: 120_000 }, async () => {
    let r = await run('report', 'accounts', '--as-of', '2026-03-31', '--format', 'json', '--portfolio', 'tarjeta');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: portfolio "tarjeta" does not exist\n');
    // The next day has come: a run as of it is no longer in the future.
    env.COBRANZA_NOW = '2026-04-01T18:00:00Z';
    expect((await run('run', '--as-of', '2026-04-01', '--portfolio', 'autos')).code).toBe(0);
    r = await run('report', 'accounts', '--as-of', '2026-04-01', '--format', 'json', '--portfolio', 'tarjetas');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/portfolio "tarjetas" has no daily run as of 2026-04-01/);
    r = await run('report', 'accounts', '--as-of', '2026-04-01', '--format', 'json', '--portfolio', 'autos');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject([{ debtor_external_id: 'M-1', portfolio: 'autos' }]);
  });

  it('shows every portfolio\'s thresholds, and changes one named, or all, never a guess', { timeout: 120_000 }, async () => {
    let r = await run('phases', 'show');
    expect(r.code).toBe(0);
    expect([...r.stdout.matchAll(/^portfolio (.*)$/gm)].map((m) => m[1])).toEqual(['autos', 'default (no documents)', 'tarjetas']);

    // Two portfolios hold documents: which one is meant is asked, and nothing changes.
    r = await run('phases', 'set', '--extrajudicial-from', '46');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/2 portfolios with documents \("autos", "tarjetas"\).*--portfolio NAME.*--all/);
    expect((await run('phases', 'show', '--portfolio', 'tarjetas')).stdout).toMatch(/extrajudicial +DPD 31–90/);

    r = await run('phases', 'set', '--portfolio', 'tarjetas', '--extrajudicial-from', '46');
    expect(r.stdout).toBe('portfolio tarjetas: administrative 1, extrajudicial 46, judicial 91, grace 0, preventive 5; applies from the next run\n');
    // A refusal names the flags the user typed.
    r = await run('phases', 'set', '--portfolio', 'tarjetas', '--judicial-from', '40');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--administrative-from < --extrajudicial-from < --judicial-from \(they would be 1, 46, 40\)/);
    expect(r.stderr).not.toMatch(/judicialFrom/);

    r = await run('phases', 'set', '--all', '--grace-days', '2');
    expect(r.code).toBe(0);
    expect(r.stdout.match(/grace 2/g)).toHaveLength(3);
    r = await run('phases', 'show');
    expect(r.stdout.match(/grace days +2/g)).toHaveLength(3);
    expect(r.stdout).toMatch(/portfolio tarjetas\n.*\n.*\n {2}extrajudicial +DPD 46–90/);

    // An earlier date names a portfolio with documents and the latest run, not the empty "default".
    r = await run('run', '--as-of', '2026-03-30');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/portfolio "autos" was already run as of 2026-04-01/);
  });
});
