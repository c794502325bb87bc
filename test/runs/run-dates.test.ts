/**
 * Dates of the daily run and of the aging report. A run as of a date after the company's today (its calendar date in
 * its time zone) is refused, forced or not, and records nothing; today is accepted up to its last minute. The aging
 * report for a past date D shows the balances of D: obligations that existed on D, less what the payments paid on or
 * before D (and not reversed) applied to them, in the buckets of D.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { createTestCompany, createTestDatabase, type TestDatabase } from '../support/database.ts';
import { obligations, runs } from '../../src/db/schema.ts';
import { fixedClock } from '../../src/modules/shared/clock.ts';
import type { Ctx } from '../../src/modules/shared/context.ts';
import { agingReport, createRun, parseAsOf, runPortfolio, type AgingReport } from '../../src/modules/collection-runs/index.ts';
import { reversePayment, saveRecords } from '../../src/modules/portfolio/index.ts';

let database: TestDatabase;
let ctx: Ctx;
// 12:00 on 30 June 2026 in Mexico City (UTC−6), the company's time zone.
const clock = fixedClock('2026-06-30T18:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  const company = await createTestCompany(database, 'fechas', 'MX');
  ctx = { database, clock, companyId: company.id, actor: 'test' };
  await saveRecords(ctx, {
    entity: 'debtors',
    rows: [
      { external_id: 'A', name: 'Abarrotes Alfa' },
      { external_id: 'B', name: 'Bodega Beta' },
      { external_id: 'C', name: 'Carlos Gama' },
    ],
  });
  await saveRecords(ctx, {
    entity: 'obligations',
    rows: [
      { external_id: 'A-1', debtor_external_id: 'A', currency: 'MXN', amount: '1000.00', issued_on: '2026-01-01', due_on: '2026-02-01' },
      // Issued after 15 March: not owed on that date.
      { external_id: 'A-2', debtor_external_id: 'A', currency: 'MXN', amount: '500.00', issued_on: '2026-04-01', due_on: '2026-05-01' },
      // No issue date: counted on every date.
      { external_id: 'B-1', debtor_external_id: 'B', currency: 'MXN', amount: '2000.00', due_on: '2026-03-10' },
      { external_id: 'B-2', debtor_external_id: 'B', currency: 'USD', amount: '100.00', issued_on: '2025-11-01', due_on: '2025-12-01' },
      { external_id: 'C-1', debtor_external_id: 'C', currency: 'MXN', amount: '800.00', issued_on: '2026-02-01', due_on: '2026-03-01', portfolio: 'autos' },
    ],
  });
  await saveRecords(ctx, {
    entity: 'payments',
    rows: [
      // On 15 March itself: counts on that date.
      { external_id: 'PA-1', debtor_external_id: 'A', currency: 'MXN', amount: '300.00', paid_on: '2026-03-15' },
      // The day after: not on 15 March, and it goes to A-1 (due first), not to A-2.
      { external_id: 'PA-2', debtor_external_id: 'A', currency: 'MXN', amount: '200.00', paid_on: '2026-03-16' },
      // Reversed later: never applied, on any date.
      { external_id: 'PB-1', debtor_external_id: 'B', currency: 'MXN', amount: '500.00', paid_on: '2026-03-01' },
      { external_id: 'PB-2', debtor_external_id: 'B', currency: 'MXN', amount: '400.00', paid_on: '2026-03-10' },
      { external_id: 'PB-3', debtor_external_id: 'B', currency: 'USD', amount: '40.00', paid_on: '2026-02-01' },
      { external_id: 'PB-4', debtor_external_id: 'B', currency: 'USD', amount: '60.00', paid_on: '2026-04-01' },
      { external_id: 'PC-1', debtor_external_id: 'C', currency: 'MXN', amount: '800.00', paid_on: '2026-05-01' },
    ],
  });
  await reversePayment(ctx, { externalId: 'PB-1', reason: 'cheque devuelto' });
});

afterAll(async () => {
  await database?.close();
});

/** The report as "portfolio currency bucket amount count" lines, non-empty buckets and totals only. */
function lines(report: AgingReport): string[] {
  return report.lines.flatMap((l) => [
    ...l.buckets.filter((b) => b.count > 0).map((b) => `${l.portfolio} ${l.currency} ${b.bucket} ${b.amount} ${b.count}`),
    `${l.portfolio} ${l.currency} total ${l.total.amount} ${l.total.count}`,
  ]);
}

describe('aging report as of a date', () => {
  it('today: the stored balances, in the buckets of today', async () => {
    // The balances the daily run reads: today's report agrees with them.
    const [stored] = await database.query<{ balance: string }>(sql`SELECT sum(balance)::text AS balance FROM obligations WHERE company_id = ${ctx.companyId} AND currency = 'MXN'`);
    expect(stored!.balance).toBe('260000');
    expect(lines(await agingReport(ctx, { asOf: '2026-06-30' }))).toEqual([
      // A-2 500 (60 days), B-1 1600 (112), A-1 1000 − 300 − 200 (149); C-1 and B-2 paid off.
      'default MXN 31-60 500.00 1',
      'default MXN 91-120 1600.00 1',
      'default MXN 121-180 500.00 1',
      'default MXN total 2600.00 3',
    ]);
  });

  it('a past date: payments up to it count, later ones and reversed ones do not, later obligations are absent, buckets of that date', async () => {
    expect(lines(await agingReport(ctx, { asOf: '2026-03-15' }))).toEqual([
      // autos: C-1 paid on 1 May, so owed in full (14 days).
      'autos MXN 1-30 800.00 1',
      'autos MXN total 800.00 1',
      // B-1 2000 − 400 (PB-1 reversed) at 5 days; A-1 1000 − 300 (paid that day; not the 200 of the 16th) at 42 days.
      'default MXN 1-30 1600.00 1',
      'default MXN 31-60 700.00 1',
      'default MXN total 2300.00 2',
      // B-2 100 − 40 (the 60 of 1 April not yet), 104 days; never summed with MXN.
      'default USD 91-120 60.00 1',
      'default USD total 60.00 1',
    ]);
  });

  it('the day before a payment does not count it', async () => {
    const before = await agingReport(ctx, { asOf: '2026-03-14', portfolio: 'default' });
    expect(lines(before)).toEqual([
      'default MXN 1-30 1600.00 1',
      'default MXN 31-60 1000.00 1',
      'default MXN total 2600.00 2',
      'default USD 91-120 60.00 1',
      'default USD total 60.00 1',
    ]);
  });

  it('an obligation counts from its issue date; before any obligation existed nothing is owed but undated ones', async () => {
    expect(lines(await agingReport(ctx, { asOf: '2026-04-01', portfolio: 'default' }))).toEqual([
      // A-2 issued that day (not yet due), A-1 1000 − 300 − 200, B-1 1600; USD paid off by PB-4 that day.
      'default MXN current 500.00 1',
      'default MXN 1-30 1600.00 1',
      'default MXN 31-60 500.00 1',
      'default MXN total 2600.00 3',
    ]);
    expect(lines(await agingReport(ctx, { asOf: '2025-10-01' }))).toEqual(['default MXN current 2000.00 1', 'default MXN total 2000.00 1']);
  });

  it('the stored obligations are left as they were', async () => {
    const stored = await database.db.select({ id: obligations.externalId, balance: obligations.balance }).from(obligations).where(eq(obligations.companyId, ctx.companyId));
    expect(Object.fromEntries(stored.map((o) => [o.id, o.balance]))).toEqual({ 'A-1': 50_000n, 'A-2': 50_000n, 'B-1': 160_000n, 'B-2': 0n, 'C-1': 0n });
  });

  it('a run of each of those past dates places the accounts with the report’s balances', async () => {
    for (const asOf of ['2026-03-14', '2026-03-15', '2026-04-01', '2025-10-01']) {
      await runPortfolio(ctx, { asOf, force: true });
      // The accounts placed as of the date, summed per portfolio and currency: the report's totals.
      const placed = await database.query<{ line: string; amount: string }>(sql`
        SELECT p.name || ' ' || b.key AS line, sum(b.value::bigint)::text AS amount
          FROM accounts a JOIN portfolios p ON p.id = a.portfolio_id CROSS JOIN LATERAL jsonb_each_text(a.balances) b
         WHERE a.company_id = ${ctx.companyId} AND a.phase <> 'settled' AND a.as_of = ${asOf}::date
         GROUP BY 1 ORDER BY 1`);
      const totals = (await agingReport(ctx, { asOf })).lines.map((l) => `${l.portfolio} ${l.currency} ${l.total.amount}`);
      expect(placed.map((r) => `${r.line} ${(Number(r.amount) / 100).toFixed(2)}`), asOf).toEqual(totals);
    }
    // 15 March: A owes 700 (A-1 at 42 days; A-2 not issued yet), B 1600 at 5 days and its 60 dollars at 104, C 800.
    await runPortfolio(ctx, { asOf: '2026-03-15', force: true });
    const rows = await database.query<{ id: string; dpd: number; balances: Record<string, string> }>(sql`
      SELECT d.external_id AS id, a.days_past_due AS dpd, a.balances FROM accounts a JOIN debtors d ON d.id = a.debtor_id
       WHERE d.company_id = ${ctx.companyId} AND a.phase <> 'settled' AND a.as_of = '2026-03-15' ORDER BY 1, a.portfolio_id`);
    expect(rows).toEqual([
      { id: 'A', dpd: 42, balances: { MXN: '70000' } },
      { id: 'B', dpd: 104, balances: { MXN: '160000', USD: '6000' } },
      { id: 'C', dpd: 14, balances: { MXN: '80000' } },
    ]);
  });
});

describe('run dates', () => {
  it('refuses a date after the company’s today, forced or not, and records no run', async () => {
    const before = await database.db.select().from(runs).where(eq(runs.companyId, ctx.companyId));
    for (const force of [false, true]) {
      await expect(runPortfolio(ctx, { asOf: '2030-01-01', force })).rejects.toMatchObject({
        code: 'run_date_in_future',
        message: 'as-of date 2030-01-01: it is after today (2026-06-30 in America/Mexico_City); a run can only be as of today or an earlier date',
        details: [{ path: 'as_of' }],
      });
    }
    expect(await database.db.select().from(runs).where(eq(runs.companyId, ctx.companyId))).toEqual(before);
  });

  it('takes today in the company’s time zone: its last minute runs today, not the UTC date', async () => {
    // 23:59 on 30 June in Mexico City is already 1 July in UTC.
    clock.set('2026-07-01T05:59:00Z');
    await expect(runPortfolio(ctx, { asOf: '2026-07-01' })).rejects.toMatchObject({ code: 'run_date_in_future' });
    expect(await runPortfolio(ctx, { asOf: '2026-06-30' })).toMatchObject({ status: 'succeeded', asOf: '2026-06-30' });
    // Midnight in Mexico City: the next day is today.
    clock.set('2026-07-01T06:00:00Z');
    await expect(runPortfolio(ctx, { asOf: '2026-07-02' })).rejects.toMatchObject({ code: 'run_date_in_future' });
    expect(await runPortfolio(ctx, { asOf: '2026-07-01' })).toMatchObject({ status: 'succeeded', asOf: '2026-07-01' });
  });

  it('refuses it in a run the API recorded, which is then failed', async () => {
    const id = await createRun(ctx, { asOf: parseAsOf('2026-07-02'), portfolioId: null, forced: false });
    await expect(runPortfolio(ctx, { asOf: '2026-07-02', runId: id })).rejects.toMatchObject({ code: 'run_date_in_future' });
    const [row] = await database.db.select().from(runs).where(eq(runs.id, id));
    expect(row).toMatchObject({ status: 'failed', error: expect.stringMatching(/^as-of date 2026-07-02: it is after today \(2026-07-01/) });
  });
});
