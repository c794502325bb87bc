/**
 * `report accounts` lists a debtor once per portfolio it owes in; its unapplied credit belongs to the debtor, so it is
 * on one of its rows only and the column sums to the credit held.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCompany, createTestDatabase, type TestDatabase } from '../support/database.ts';
import { fixedClock } from '../../src/modules/shared/clock.ts';
import type { Ctx } from '../../src/modules/shared/context.ts';
import { accountsReport, runPortfolio, type AccountReportRow } from '../../src/modules/collection-runs/index.ts';
import { saveRecords } from '../../src/modules/portfolio/index.ts';

let database: TestDatabase;
let ctx: Ctx;

async function report(portfolio?: string): Promise<Array<Pick<AccountReportRow, 'debtor_external_id' | 'portfolio' | 'unapplied'>>> {
  const rows: Array<Pick<AccountReportRow, 'debtor_external_id' | 'portfolio' | 'unapplied'>> = [];
  for await (const r of accountsReport(ctx, { asOf: '2026-04-01', portfolio, batchSize: 1 })) rows.push({ debtor_external_id: r.debtor_external_id, portfolio: r.portfolio, unapplied: r.unapplied });
  return rows;
}

beforeAll(async () => {
  database = await createTestDatabase();
  const company = await createTestCompany(database);
  ctx = { database, clock: fixedClock('2026-04-05T18:00:00Z'), companyId: company.id, actor: 'test' };
  await saveRecords(ctx, { entity: 'debtors', rows: [{ external_id: 'X', name: 'Equis SA' }, { external_id: 'Y', name: 'Ye SA' }] });
  await saveRecords(ctx, {
    entity: 'obligations',
    rows: [
      { external_id: 'X-1', debtor_external_id: 'X', currency: 'MXN', amount: '100.00', due_on: '2026-03-01', portfolio: 'uno' },
      { external_id: 'X-2', debtor_external_id: 'X', currency: 'MXN', amount: '200.00', due_on: '2026-05-01', portfolio: 'dos' },
      { external_id: 'Y-1', debtor_external_id: 'Y', currency: 'MXN', amount: '100.00', due_on: '2026-03-01', portfolio: 'dos' },
    ],
  });
  // X pays 20 dollars it does not owe: credit in USD.
  await saveRecords(ctx, { entity: 'payments', rows: [{ external_id: 'PX', debtor_external_id: 'X', currency: 'USD', amount: '20.00', paid_on: '2026-03-20' }] });
  await runPortfolio(ctx, { asOf: '2026-04-01' });
});

afterAll(async () => {
  await database?.close();
});

describe('unapplied credit in the accounts report', () => {
  it('is on the debtor’s first row only, across batches', async () => {
    const rows = await report();
    const x = rows.filter((r) => r.debtor_external_id === 'X');
    expect(x.map((r) => r.portfolio).sort()).toEqual(['dos', 'uno']);
    expect(x.map((r) => r.unapplied)).toEqual([{ USD: '20.00' }, {}]);
    expect(rows.find((r) => r.debtor_external_id === 'Y')?.unapplied).toEqual({});
  });

  it('is on the debtor’s row in a report of one portfolio', async () => {
    expect(await report('dos')).toEqual([
      { debtor_external_id: 'X', portfolio: 'dos', unapplied: { USD: '20.00' } },
      { debtor_external_id: 'Y', portfolio: 'dos', unapplied: {} },
    ]);
  });
});
