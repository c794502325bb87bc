import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportReport, getDashboard, refreshAnalytics, refreshBackOffice, setCollectorCost, type NamedKpi } from '../../src/modules/analytics/index.ts';
import { logInteraction, setCollector } from '../../src/modules/worklists/index.ts';
import { TRANSITION_LAG_DAYS } from '../../src/modules/analytics/refresh-aggregates.ts';
import { formulaMessage, ROLL_RATE_LAG_DAYS } from '../../web/src/app/dashboard/formulas.ts';
import { dashboard as dashboardMessages } from '../../web/src/app/dashboard/messages.ts';
import { variantMessage } from '../../web/src/app/dashboard/variants.ts';
import { createBook, type Book } from '../worklists/setup.ts';

/**
 * A month worked by hand: A (10,000 MXN, 9 days late on 1 March) pays in full on 10 March; B (20,000, 4 days late)
 * pays nothing and rolls into 31–60; C (30,000) is not due yet. Figures checked by hand below.
 */
describe('dashboard KPIs from the daily aggregates', () => {
  let book: Book;
  let ana: number;
  const kpi = (kpis: NamedKpi[], name: string, variant: string) => kpis.find((k) => k.name === name && k.variant === variant && (k.currency === 'MXN' || k.currency === null));

  beforeAll(async () => {
    book = await createBook('acme', '2026-03-01T18:00:00Z');
    ana = await book.user('ana@acme.example', 'collector');
    await setCollector(book.ctx, { collectorId: ana, capacity: 100 });
    const a = await book.debtor('A', { dpd: 9, amount: 1_000_000n });
    await book.debtor('B', { dpd: 4, amount: 2_000_000n });
    const c = await book.debtor('C', { dpd: -45, amount: 3_000_000n });
    void c;
    await book.run('2026-03-01');
    await refreshBackOffice(book.ctx, { asOf: '2026-03-01' });
    book.clock.set('2026-03-10T18:00:00Z');
    await book.pay(a, 'PAY-A', 1_000_000n, 'MXN', '2026-03-10');
    const ana1 = book.as(ana, 'collector');
    await logInteraction(ana1, { debtorExternalId: 'B', channel: 'call', outcome: 'no_answer' });
    await logInteraction(ana1, { debtorExternalId: 'B', channel: 'call', outcome: 'contacted_debtor', notes: 'Dice que paga en abril' });
    book.clock.set('2026-03-31T18:00:00Z');
    await book.run('2026-03-31');
    await refreshBackOffice(book.ctx, { asOf: '2026-03-31' });
  });
  afterAll(async () => book.close());

  it('computes each KPI per DOMAIN.md §4 with its variant', async () => {
    const d = await getDashboard(book.ctx, { from: '2026-03-02', to: '2026-03-31' });
    expect(d.as_of).toBe('2026-03-31');
    expect(d.currencies).toEqual(['MXN']);
    // AR 50,000; current 30,000; sales of the period: C, issued 16 March, 30,000; 30 days.
    expect(kpi(d.kpis, 'dso', 'period')?.value).toBe(50);
    expect(kpi(d.kpis, 'bpdso', 'period')?.value).toBe(30);
    expect(kpi(d.kpis, 'add', 'dso_period')?.value).toBe(20);
    // Beginning AR (1 March) 30,000: A and B; C is issued on 16 March, so it is a sale of the period, not owed on 1 March.
    // (30,000 + 30,000 − 50,000) ÷ (30,000 + 30,000 − 30,000) = 33.33.
    expect(kpi(d.kpis, 'cei', 'months_1')?.value).toBe(33.33);
    expect(kpi(d.kpis, 'delinquency', 'threshold_30')?.value).toBe(40);
    expect(kpi(d.kpis, 'delinquency', 'threshold_60')?.value).toBe(0);
    // 1–30 on 1 March: A 10,000 + B 20,000; B is in 31–60 thirty days later.
    expect(kpi(d.kpis, 'roll_rate_1-30', 'account_tracked')?.value).toBe(66.67);
    expect(kpi(d.kpis, 'roll_rate_61-90', 'account_tracked')?.value).toBeNull();
    expect(kpi(d.kpis, 'cure_rate', 'amount')?.value).toBe(33.33);
    expect(kpi(d.kpis, 'cure_rate', 'count')?.value).toBe(50);
    expect(kpi(d.kpis, 'contact_rate', 'answered')?.value).toBe(50);
    expect(kpi(d.kpis, 'right_party_contact_rate', 'right_party')?.value).toBe(50);
    // No promise was resolved: undefined, never 0.
    expect(kpi(d.kpis, 'promise_kept_rate', 'count')?.value).toBeNull();
    expect(d.recovery.month).toEqual([{ period: '2026-03', currency: 'MXN', collected: '10000.00', payments: 1 }]);
    expect(d.portfolio).toEqual(
      expect.arrayContaining([
        { currency: 'MXN', phase: 'extrajudicial', bucket: '31-60', accounts: 1, balance: '20000.00' },
        { currency: 'MXN', phase: 'preventive', bucket: 'current', accounts: 1, balance: '30000.00' },
      ]),
    );
    const collector = d.collectors.find((c) => c.collector_id === ana);
    expect(collector).toMatchObject({ interactions: 2, answered: 1, right_party: 1, collected: { MXN: '10000.00' } });
  });

  it('without a snapshot before the period, CEI is undefined and says why', async () => {
    const d = await getDashboard(book.ctx, { from: '2026-03-01', to: '2026-03-31' });
    expect(kpi(d.kpis, 'cei', 'no_beginning_snapshot')?.value).toBeNull();
  });

  it('with sales but no run on or before the last day, DSO, BPDSO and ADD are undefined and say why, never 0', async () => {
    // A and B were issued in January (30,000 MXN of sales); the first run is 1 March.
    const d = await getDashboard(book.ctx, { from: '2026-01-01', to: '2026-01-31' });
    expect(d.as_of).toBeNull();
    expect(d.currencies).toEqual(['MXN']);
    const salesKpis = d.kpis.filter((k) => ['dso', 'bpdso', 'add'].includes(k.name));
    expect(salesKpis.map((k) => [k.name, k.variant, k.value])).toEqual([
      ['dso', 'no_ending_snapshot', null],
      ['bpdso', 'no_ending_snapshot', null],
      ['add', 'no_ending_snapshot', null],
    ]);
    expect(salesKpis[0]!.formula).toContain('2026-01-31');
    // Every figure read from the ending snapshot is undefined too.
    for (const k of d.kpis.filter((k) => k.currency !== null)) expect(k.value, `${k.name} ${k.variant}`).toBeNull();
    expect(variantMessage('no_ending_snapshot')).toEqual({ key: 'dashboard.variant.no_ending_snapshot' });
  });

  it('filters narrow the portfolio figures; a collector with nothing has no figures', async () => {
    const d = await getDashboard(book.ctx, { from: '2026-03-02', to: '2026-03-31', phase: 'extrajudicial' });
    expect(d.portfolio.map((p) => p.bucket)).toEqual(['31-60']);
    const none = await getDashboard(book.ctx, { from: '2026-03-02', to: '2026-03-31', collectorId: 424242 });
    expect(none.portfolio).toEqual([]);
    await expect(getDashboard(book.ctx, { from: '2026-03-31', to: '2026-03-01' })).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('contact figures follow the phase the account had when it was worked', async () => {
    // B was called on 10 March, between the runs of 1 March (administrative, 4 days late) and 31 March (extrajudicial).
    const period = { from: '2026-03-02', to: '2026-03-31' };
    const worked = await getDashboard(book.ctx, { ...period, phase: 'administrative' });
    expect(kpi(worked.kpis, 'contact_rate', 'answered')?.value).toBe(50);
    expect(worked.collectors.find((c) => c.collector_id === ana)).toMatchObject({ interactions: 2, answered: 1 });
    const now = await getDashboard(book.ctx, { ...period, phase: 'extrajudicial' });
    expect(kpi(now.kpis, 'contact_rate', 'answered')?.value).toBeNull();
    expect(kpi(now.kpis, 'right_party_contact_rate', 'right_party')?.value).toBeNull();
    expect(now.collectors.find((c) => c.collector_id === ana)).toMatchObject({ interactions: 0, answered: 0 });
  });

  it('says which figures do not follow the chosen filters, and leaves a cost per peso it cannot split undefined', async () => {
    const period = { from: '2026-03-02', to: '2026-03-31' };
    await setCollectorCost(book.ctx, { collectorId: ana, currency: 'MXN', monthlyCost: '3000.00' });
    const all = await getDashboard(book.ctx, period);
    expect(all.not_filtered).toEqual([]);
    expect(all.collectors.find((c) => c.collector_id === ana)?.cost_per_peso_recovered).toMatchObject({ value: 0.2903, currency: 'MXN' });
    const portfolio = await getDashboard(book.ctx, { ...period, portfolio: 'default' });
    expect(portfolio.collectors.find((c) => c.collector_id === ana)).toMatchObject({ collected: { MXN: '10000.00' }, cost: { amount: '2903.23', currency: 'MXN' }, cost_per_peso_recovered: { value: null, variant: 'cost_not_split' } });
    expect(portfolio.not_filtered).toEqual([expect.objectContaining({ figures: ['collectors.cost'], filters: ['portfolio'], reason: 'cost_of_the_whole_collector' })]);
    const phase = await getDashboard(book.ctx, { ...period, phase: 'extrajudicial', currency: 'MXN', collectorId: ana });
    expect(phase.not_filtered.map((n) => [n.reason, n.filters, n.figures])).toEqual([
      ['no_currency', ['currency'], ['contact_rate', 'right_party_contact_rate', 'promise_to_pay_rate', 'promise_kept_rate', 'collectors.activity', 'channels', 'steps']],
      ['messages_have_no_collector', ['collector'], ['channels', 'steps']],
      ['money_by_portfolio_and_collector', ['phase'], ['dso', 'bpdso', 'add', 'cei', 'recovery', 'collectors.collected']],
      ['rates_by_bucket', ['phase'], ['roll_rate', 'cure_rate']],
      ['cost_of_the_whole_collector', ['phase'], ['collectors.cost']],
    ]);
  });

  it('sends only variants the page has words for', async () => {
    const boards = await Promise.all([
      getDashboard(book.ctx, { from: '2026-03-02', to: '2026-03-31' }),
      getDashboard(book.ctx, { from: '2026-03-01', to: '2026-03-31' }),
      getDashboard(book.ctx, { from: '2026-03-02', to: '2026-03-31', portfolio: 'default' }),
    ]);
    const variants = new Set(boards.flatMap((d) => [...d.kpis.map((k) => k.variant), ...d.collectors.map((c) => c.cost_per_peso_recovered.variant)]));
    expect(variants.size).toBeGreaterThan(10);
    expect([...variants].filter((v) => variantMessage(v) === null)).toEqual([]);
  });

  it('sends only KPIs the page can explain in the reader’s language', async () => {
    const boards = await Promise.all([
      getDashboard(book.ctx, { from: '2026-03-02', to: '2026-03-31' }),
      getDashboard(book.ctx, { from: '2026-03-01', to: '2026-03-31' }),
      getDashboard(book.ctx, { from: '2026-03-02', to: '2026-03-31', portfolio: 'default' }),
    ]);
    const kpis = boards.flatMap((d) => [...d.kpis, ...d.collectors.map((c) => ({ name: 'cost_per_peso_recovered', ...c.cost_per_peso_recovered }))]);
    expect(new Set(kpis.map((k) => k.name)).size).toBeGreaterThan(15);
    const messages = kpis.map((k) => ({ kpi: `${k.name} ${k.variant}`, message: formulaMessage(k.name, k.variant, (b) => b) }));
    expect(messages.filter((m) => m.message === null).map((m) => m.kpi)).toEqual([]);
    // Each in both languages (web/src/app/dashboard/formulas.test.ts reads the texts).
    const keys = messages.flatMap((m) => [m.message!.key, ...(m.message!.note ? [m.message!.note] : [])]);
    expect(keys.filter((key) => !(key in dashboardMessages.es) || !(key in dashboardMessages.en))).toEqual([]);
    // The page says how far apart a roll rate's dates are.
    expect(ROLL_RATE_LAG_DAYS).toBe(TRANSITION_LAG_DAYS);
  });

  it('refreshing a day again gives the same aggregates', async () => {
    const before = await book.database.query(sql`SELECT * FROM kpi_daily_portfolio ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9`);
    await refreshAnalytics(book.ctx, { asOf: '2026-03-31' });
    const after = await book.database.query(sql`SELECT * FROM kpi_daily_portfolio ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9`);
    expect(after).toEqual(before);
  });

  /** A report exported as XLSX, read back. */
  async function exported(report: 'kpis' | 'portfolio' | 'recovery', language?: 'en' | 'es'): Promise<ExcelJS.Worksheet> {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const ended = new Promise((r) => out.on('end', r));
    await exportReport(book.ctx, { report, format: 'xlsx', params: { from: '2026-03-02', to: '2026-03-31' }, out, via: 'test', language });
    if (!out.writableEnded) out.end();
    await ended;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    return wb.worksheets[0]!;
  }
  const rowsOf = (sheet: ExcelJS.Worksheet) => {
    const rows: unknown[][] = [];
    sheet.eachRow((r, n) => n > 1 && rows.push((r.values as unknown[]).slice(1)));
    return rows;
  };

  it('exports the KPIs as an XLSX that opens, in English by default, and audits the export', async () => {
    const sheet = await exported('kpis');
    expect(sheet.name).toBe('KPIs');
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(['name', 'currency', 'value', 'variant', 'formula']);
    expect(rowsOf(sheet)).toContainEqual(['dso', 'MXN', 50, 'period', expect.any(String)]);
    const audit = await book.database.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'report.export'`);
    expect(audit[0]!.n).toBe(1);
  });

  it('writes KPI values and counts as numbers with a number format', async () => {
    const kpis = await exported('kpis');
    const dso = kpis.getRows(2, kpis.rowCount - 1)!.find((r) => r.getCell(1).value === 'dso' && r.getCell(4).value === 'period')!;
    expect(dso.getCell(3).value).toBe(50);
    expect(dso.getCell(3).numFmt).toBe('#,##0.00');
    const portfolio = await exported('portfolio');
    expect(typeof portfolio.getRow(2).getCell(4).value).toBe('number');
    expect(portfolio.getRow(2).getCell(4).numFmt).toBe('#,##0');
  });

  it('exports in Spanish when asked: sheet, headers and words', async () => {
    const kpis = await exported('kpis', 'es');
    expect(kpis.name).toBe('Indicadores');
    expect((kpis.getRow(1).values as unknown[]).slice(1)).toEqual(['indicador', 'moneda', 'valor', 'variante', 'fórmula']);
    const portfolio = await exported('portfolio', 'es');
    expect((portfolio.getRow(1).values as unknown[]).slice(1)).toEqual(['moneda', 'fase', 'tramo', 'cuentas', 'saldo']);
    expect(rowsOf(portfolio).map((r) => r[1])).toContain('extrajudicial');
    expect(rowsOf(portfolio).map((r) => r[1])).not.toContain('preventive');
    expect(rowsOf(portfolio).map((r) => `${r[1]} ${r[2]}`)).toContain('preventiva al corriente');
    expect(rowsOf(await exported('recovery', 'es')).map((r) => r[0])).toEqual(expect.arrayContaining(['día', 'semana', 'mes']));
  });
});

describe('dashboard portfolio order', () => {
  let book: Book;
  beforeAll(async () => {
    book = await createBook('acme', '2026-03-01T18:00:00Z');
    // One account per bucket; the judicial phase (91+ days) holds three buckets.
    for (const [id, dpd] of [['P', -10], ['A', 5], ['E', 45], ['E2', 75], ['J1', 100], ['J2', 150], ['J3', 200]] as const) {
      await book.debtor(id, { dpd, amount: 100_000n });
    }
    await book.run('2026-03-01');
    await refreshBackOffice(book.ctx, { asOf: '2026-03-01' });
  });
  afterAll(async () => book.close());

  it('lists phases and buckets in their order, not alphabetically', async () => {
    const d = await getDashboard(book.ctx, { from: '2026-02-01', to: '2026-03-01' });
    expect(d.portfolio.map((p) => `${p.phase} ${p.bucket}`)).toEqual([
      'preventive current',
      'administrative 1-30',
      'extrajudicial 31-60',
      'extrajudicial 61-90',
      'judicial 91-120',
      'judicial 121-180',
      'judicial 181+',
    ]);
  });
});
