/**
 * A run as of a date before today (a missed day caught up, a forced re-run) places accounts as they stood on that date:
 * documents issued after it do not count yet, and what payments made after it paid is still owed on it; the same
 * figures as the aging report of that date.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestCompany, createTestDatabase, type TestDatabase } from '../support/database.ts';
import { accounts, debtors } from '../../src/db/schema.ts';
import { fixedClock } from '../../src/modules/shared/clock.ts';
import type { Ctx } from '../../src/modules/shared/context.ts';
import { agingReport, runPortfolio } from '../../src/modules/collection-runs/index.ts';
import { saveRecords } from '../../src/modules/portfolio/index.ts';

let database: TestDatabase;
let ctx: Ctx;

async function account(externalId: string) {
  const [row] = await database.db
    .select({ phase: accounts.phase, dpd: accounts.daysPastDue, bucket: accounts.bucket, balances: accounts.balances, overdue: accounts.overdue, asOf: accounts.asOf })
    .from(accounts)
    .innerJoin(debtors, eq(debtors.id, accounts.debtorId))
    .where(and(eq(debtors.companyId, ctx.companyId), eq(debtors.externalId, externalId)));
  return row;
}

beforeAll(async () => {
  database = await createTestDatabase();
  const company = await createTestCompany(database);
  // Tuesday 24 November 2026, noon in Mexico City.
  ctx = { database, clock: fixedClock('2026-11-24T18:00:00Z'), companyId: company.id, actor: 'test' };
  await saveRecords(ctx, {
    entity: 'debtors',
    rows: [
      { external_id: 'ONE', name: 'Una Moneda SA' },
      { external_id: 'TWO', name: 'Dos Monedas SA' },
    ],
  });
  await saveRecords(ctx, {
    entity: 'obligations',
    rows: [
      // ONE: 100 due 1 September, paid on 10 November; 50 issued on 5 November, due on 20 November.
      { external_id: 'ONE-1', debtor_external_id: 'ONE', currency: 'MXN', amount: '100.00', issued_on: '2026-08-01', due_on: '2026-09-01' },
      { external_id: 'ONE-2', debtor_external_id: 'ONE', currency: 'MXN', amount: '50.00', issued_on: '2026-11-05', due_on: '2026-11-20' },
      // TWO owes in two currencies; its dollars were paid on 12 November.
      { external_id: 'TWO-1', debtor_external_id: 'TWO', currency: 'MXN', amount: '300.00', issued_on: '2026-09-01', due_on: '2026-10-01' },
      { external_id: 'TWO-2', debtor_external_id: 'TWO', currency: 'USD', amount: '20.00', issued_on: '2026-09-15', due_on: '2026-10-15' },
    ],
  });
  await saveRecords(ctx, {
    entity: 'payments',
    rows: [
      { external_id: 'P-ONE', debtor_external_id: 'ONE', obligation_external_id: 'ONE-1', currency: 'MXN', amount: '100.00', paid_on: '2026-11-10' },
      { external_id: 'P-TWO', debtor_external_id: 'TWO', currency: 'USD', amount: '20.00', paid_on: '2026-11-12' },
    ],
  });
}, 60_000);

afterAll(async () => {
  await database?.close();
});

describe('a run as of an earlier date', () => {
  it('places each account as it stood on the date, as the aging report of that date reads it', async () => {
    await runPortfolio(ctx, { asOf: '2026-11-01' });
    // ONE on 1 November: the 100 was still owed (paid on the 10th), the 50 not issued yet.
    expect(await account('ONE')).toEqual({ phase: 'extrajudicial', dpd: 61, bucket: '61-90', balances: { MXN: '10000' }, overdue: { MXN: '10000' }, asOf: '2026-11-01' });
    // TWO still owed its dollars: both currencies, from its own obligations.
    expect(await account('TWO')).toMatchObject({ phase: 'extrajudicial', dpd: 31, balances: { MXN: '30000', USD: '2000' }, overdue: { MXN: '30000', USD: '2000' } });
    const aging = await agingReport(ctx, { asOf: '2026-11-01' });
    const mxn = aging.lines.find((l) => l.currency === 'MXN')!;
    expect(mxn.buckets.find((b) => b.bucket === '61-90')).toEqual({ bucket: '61-90', amount: '100.00', count: 1 });
    expect(mxn.total.amount).toBe('400.00');
    expect(aging.lines.find((l) => l.currency === 'USD')!.total.amount).toBe('20.00');
  });

  it('catches up the following days, then today, each with its own balances', async () => {
    // 11 November, a following day: ONE paid its 100 on the 10th, its 50 is issued and not due yet.
    await runPortfolio(ctx, { asOf: '2026-11-11' });
    expect(await account('ONE')).toEqual({ phase: 'preventive', dpd: -9, bucket: 'current', balances: { MXN: '5000' }, overdue: {}, asOf: '2026-11-11' });
    expect((await account('TWO'))?.balances).toEqual({ MXN: '30000', USD: '2000' });
    await runPortfolio(ctx, { asOf: '2026-11-24' });
    expect(await account('ONE')).toMatchObject({ phase: 'administrative', dpd: 4, balances: { MXN: '5000' } });
    expect((await account('TWO'))?.balances).toEqual({ MXN: '30000' });
  });

  it('a forced re-run of an earlier date rewinds to that date’s balances', async () => {
    await runPortfolio(ctx, { asOf: '2026-11-01', force: true });
    expect(await account('ONE')).toMatchObject({ phase: 'extrajudicial', dpd: 61, balances: { MXN: '10000' } });
    expect((await account('TWO'))?.balances).toEqual({ MXN: '30000', USD: '2000' });
  });
});
