/**
 * GET /accounts?q= finds accounts by words of the debtor's name (any case, accents optional, each word a prefix) or by
 * the exact external id, through the name's search index; an agency finds only its placed debtors. GET
 * /accounts/export downloads the same filtered list as CSV or XLSX, audited, for roles that may export.
 */
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { debtors } from '../../src/db/schema.ts';
import { agencies } from '../../src/db/tables/access.ts';
import { matchesWords } from '../../src/db/search.ts';
import { exportAccounts } from '../../src/modules/collection-runs/export-accounts.ts';
import type { Ctx } from '../../src/modules/shared/context.ts';
import { browser, signIn, startAccessHarness, type AccessHarness } from '../access/harness.ts';

let h: AccessHarness;
let agency: string;

const asAdmin = async (method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) => {
  const res = await h.app.inject({ method, url, headers: { authorization: `Bearer ${h.a.keys.admin}` }, ...(body !== undefined && { payload: body as object }) });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json();
};

const DEBTORS: Array<[string, string, string]> = [
  ['AC-1', 'María Guadalupe Hernández López', '2026-01-10'],
  ['AC-2', 'JUAN HERNANDEZ RUIZ', '2026-03-01'],
  ['AC-3', 'Comercial Ñandú S.A. de C.V.', '2025-10-01'],
  ['DEMO-000123', 'Pedro Páramo', '2026-02-01'],
];

beforeAll(async () => {
  h = await startAccessHarness();
  for (const [id, name, due] of DEBTORS) {
    await asAdmin('POST', '/debtors', { external_id: id, name, country: 'MX' });
    await asAdmin('POST', '/obligations', { external_id: `F-${id}`, debtor_external_id: id, currency: 'MXN', amount: '1000.00', due_on: due });
  }
  await asAdmin('PUT', '/debtors/AC-1/placement', { agency: 'Despacho Norte' });
  await asAdmin('POST', '/runs', { as_of: '2026-03-15' });
  for (let i = 0; i < 100 && (await asAdmin('GET', '/accounts')).data.length < DEBTORS.length; i++) await new Promise((r) => setTimeout(r, 100));
  agency = await signIn(h.app, 'agency@acme.test', h.password);
}, 60_000);
afterAll(async () => {
  await h?.close();
});

const found = async (query: string) => ((await asAdmin('GET', `/accounts?${query}`)).data as Array<{ debtor_external_id: string }>).map((a) => a.debtor_external_id).sort();

describe('account search', () => {
  it('matches every word as the start of a word of the name, ignoring case and accents', async () => {
    expect(await found('q=hernandez')).toEqual(['AC-1', 'AC-2']);
    expect(await found(`q=${encodeURIComponent('HERNÁN gua')}`)).toEqual(['AC-1']);
    expect(await found(`q=${encodeURIComponent('lópez maria')}`)).toEqual(['AC-1']);
    expect(await found('q=nandu')).toEqual(['AC-3']);
    expect(await found(`q=${encodeURIComponent('Ñandú S.A.')}`)).toEqual(['AC-3']);
    expect(await found('q=ernandez')).toEqual([]);
    expect(await found('q=hernandez&phase=administrative')).toEqual(['AC-2']);
  });

  it('finds a debtor by its exact external id, as typed or in capitals', async () => {
    expect(await found('q=DEMO-000123')).toEqual(['DEMO-000123']);
    expect(await found('q=demo-000123')).toEqual(['DEMO-000123']);
    expect(await found('q=AC-3')).toEqual(['AC-3']);
  });

  it('treats search text as text: wildcards and punctuation match nothing; an over-long text is a 400', async () => {
    expect(await found(`q=${encodeURIComponent('%')}`)).toEqual([]);
    expect(await found(`q=${encodeURIComponent("'); --")}`)).toEqual([]);
    const long = await h.app.inject({ method: 'GET', url: `/accounts?q=${'a'.repeat(201)}`, headers: { authorization: `Bearer ${h.a.keys.admin}` } });
    expect(long.statusCode).toBe(400);
  });

  it('is served by the name search index', async () => {
    const plan = await h.database.db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL enable_seqscan = off`);
      const result = (await tx.execute(sql`EXPLAIN SELECT id FROM debtors WHERE ${matchesWords(debtors.name, 'hernan gua')}`)) as unknown as { rows: Array<Record<string, string>> };
      return result.rows.map((r) => Object.values(r)[0]).join('\n');
    });
    expect(plan).toContain('debtors_name_search_idx');
  });

  it('gives an agency only the debtors placed with it', async () => {
    const res = await browser(h.app, agency, 'GET', '/accounts?q=hernandez');
    expect(res.statusCode).toBe(200);
    expect(res.json().data.map((a: { debtor_external_id: string }) => a.debtor_external_id)).toEqual(['AC-1']);
    expect((await browser(h.app, agency, 'GET', '/accounts?q=AC-2')).json().data).toEqual([]);
  });
});

describe('account export', () => {
  it('downloads the filtered list as CSV and XLSX and records the export', async () => {
    const csv = await h.app.inject({ method: 'GET', url: '/accounts/export?format=csv&q=hernandez&sort=name', headers: { authorization: `Bearer ${h.a.keys.admin}` } });
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="accounts.csv"');
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(csv.headers['content-language']).toBe('en');
    expect(csv.headers.vary).toContain('Accept-Language');
    expect(lines[0]).toBe('debtor_external_id,name,portfolio,phase,days_past_due,bucket,balance_MXN,overdue_MXN,segments,on_hold,as_of');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['AC-2', 'AC-1']);
    expect(lines[1]).toBe('AC-2,JUAN HERNANDEZ RUIZ,default,administrative,14,1-30,1000.00,1000.00,,false,2026-03-15');
    const xlsx = await h.app.inject({ method: 'GET', url: '/accounts/export?format=xlsx', headers: { authorization: `Bearer ${h.a.keys.admin}` } });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    // The sheet of `cobranza report accounts` in the same language (test/cli/cli.test.ts).
    expect(sheet.name).toBe('Accounts');
    expect(sheet.getRow(1).getCell(7).value).toBe('balance_MXN');
    expect(sheet.getRow(2).getCell(7).value).toBe(1000);
    expect(sheet.getRow(2).getCell(7).numFmt).toBe('#,##0.00');
    const audit = await h.database.query<{ after: { format: string; params: { search?: string } } }>(
      sql`SELECT after FROM audit_log WHERE company_id = ${h.a.companyId} AND action = 'report.export' AND entity_id = 'accounts' ORDER BY id`,
    );
    expect(audit.map((a) => [a.after.format, a.after.params.search ?? null])).toEqual([
      ['csv', 'hernandez'],
      ['xlsx', null],
    ]);
  });

  it('writes Spanish headers and words for a Spanish reader, by Accept-Language or ?language=', async () => {
    const headers = { authorization: `Bearer ${h.a.keys.admin}`, 'accept-language': 'es-MX,es;q=0.9' };
    const es = await h.app.inject({ method: 'GET', url: '/accounts/export?format=csv&q=AC-2', headers });
    expect(es.headers['content-language']).toBe('es-MX');
    // The file's name follows the download's language, as its headers do.
    expect(es.headers['content-disposition']).toBe('attachment; filename="cuentas.csv"');
    const lines = es.body.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(lines[0]).toBe('id_cliente,nombre,cartera,fase,días de atraso,tramo,saldo_MXN,vencido_MXN,segmentos,en pausa,fecha de corte');
    expect(lines[1]).toBe('AC-2,JUAN HERNANDEZ RUIZ,default,administrativa,14,1-30,1000.00,1000.00,,no,2026-03-15');
    const chosen = await h.app.inject({ method: 'GET', url: '/accounts/export?format=csv&q=AC-2&language=es', headers: { authorization: `Bearer ${h.a.keys.admin}`, 'accept-language': 'en' } });
    expect(chosen.body.replace(/^\uFEFF/, '').split(/\r?\n/)[0]).toMatch(/^id_cliente,/);
    const english = await h.app.inject({ method: 'GET', url: '/accounts/export?format=csv&q=AC-2&language=en', headers });
    expect(english.body.replace(/^\uFEFF/, '').split(/\r?\n/)[0]).toMatch(/^debtor_external_id,/);
    expect(english.headers['content-disposition']).toBe('attachment; filename="accounts.csv"');
  });

  it('refuses bad filters before sending anything, and roles that may not export', async () => {
    const bad = await h.app.inject({ method: 'GET', url: '/accounts/export?balance_min=10', headers: { authorization: `Bearer ${h.a.keys.admin}` } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('validation_failed');
    expect((await browser(h.app, agency, 'GET', '/accounts/export')).statusCode).toBe(403);
    for (const role of ['viewer', 'collector'] as const) {
      expect((await h.app.inject({ method: 'GET', url: '/accounts/export', headers: { authorization: `Bearer ${h.a.keys[role]}` } })).statusCode).toBe(403);
    }
    expect((await h.app.inject({ method: 'GET', url: '/accounts/export?format=csv', headers: { authorization: `Bearer ${h.a.keys.auditor}` } })).statusCode).toBe(200);
  });
});

describe('account table currencies', () => {
  it('come from the books behind the rows: only the debtors the reader sees, only the exported portfolio', async () => {
    // A debtor not placed with the agency, owing in USD in a portfolio of its own and paying in EUR.
    await asAdmin('POST', '/debtors', { external_id: 'AC-USD', name: 'Importadora Dólar', country: 'MX' });
    await asAdmin('POST', '/obligations', { external_id: 'F-AC-USD', debtor_external_id: 'AC-USD', currency: 'USD', amount: '10.00', due_on: '2026-02-01', portfolio: 'exterior' });
    await asAdmin('POST', '/payments', { external_id: 'P-AC-USD', debtor_external_id: 'AC-USD', currency: 'EUR', amount: '5.00', paid_on: '2026-03-01' });
    const [norte] = await h.database.db.select({ id: agencies.id }).from(agencies).where(sql`${agencies.companyId} = ${h.a.companyId} AND ${agencies.name} = 'Despacho Norte'`);
    const agencyCtx: Ctx = { ...h.a.ctx, principal: { kind: 'user', id: h.a.users.agency.id, role: 'agency', agencyId: norte!.id } };
    const balanceHeaders = async (ctx: Ctx, portfolio?: string) => (await exportAccounts(ctx, { format: 'csv', portfolio })).columns.map((c) => c.header).filter((c) => c.startsWith('balance_'));

    expect(await balanceHeaders(h.a.ctx)).toEqual(['balance_EUR', 'balance_MXN', 'balance_USD']);
    expect(await balanceHeaders(agencyCtx)).toEqual(['balance_MXN']);
    expect(await balanceHeaders(h.a.ctx, 'default')).toEqual(['balance_MXN']);
    expect(await balanceHeaders(h.a.ctx, 'exterior')).toEqual(['balance_EUR', 'balance_USD']);
  });
});
