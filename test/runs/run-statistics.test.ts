/**
 * A run that places many new accounts refreshes the planner's statistics of the accounts and their history before it
 * returns (the queries right after it would otherwise plan for a handful of rows), with a small sample: the columns it
 * analyses have a few values each or one per account.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { createTestCompany, createTestDatabase, type TestDatabase } from '../support/database.ts';
import { portfolios } from '../../src/db/schema.ts';
import { fixedClock } from '../../src/modules/shared/clock.ts';
import type { Ctx } from '../../src/modules/shared/context.ts';
import { runPortfolio } from '../../src/modules/collection-runs/index.ts';

let database: TestDatabase;
let ctx: Ctx;

/** What pg_stats holds for a column of this database's schema: null before any ANALYZE. */
async function columnStats(table: string, column: string): Promise<{ histogram: number; mcv: number } | null> {
  const [row] = await database.query<{ histogram: number | null; mcv: number | null }>(sql`
    SELECT array_length(histogram_bounds::text::text[], 1) AS histogram, array_length(most_common_vals::text::text[], 1) AS mcv
      FROM pg_stats WHERE schemaname = current_schema() AND tablename = ${table} AND attname = ${column}`);
  return row ? { histogram: Number(row.histogram ?? 0), mcv: Number(row.mcv ?? 0) } : null;
}

beforeAll(async () => {
  database = await createTestDatabase();
  const company = await createTestCompany(database);
  ctx = { database, clock: fixedClock('2026-04-05T18:00:00Z'), companyId: company.id, actor: 'test' };
  const [p] = await database.db.select().from(portfolios).where(eq(portfolios.companyId, company.id));
  // 12,000 accounts (the threshold is 10,000), due on one of 120 days before and after the run's date.
  await database.query(sql`
    INSERT INTO debtors (company_id, external_id, name, country, time_zone)
    SELECT ${company.id}, 'D' || n, 'Deudor ' || n, 'MX', 'America/Mexico_City' FROM generate_series(1, 12000) n`);
  await database.query(sql`
    INSERT INTO obligations (company_id, portfolio_id, debtor_id, external_id, currency, amount, balance, due_on)
    SELECT ${company.id}, ${p!.id}, d.id, d.external_id || '-1', 'MXN', 10000, 10000, DATE '2026-03-01' - (d.id % 120)::int + 60
      FROM debtors d WHERE d.company_id = ${company.id}`);
}, 60_000);

afterAll(async () => {
  await database?.close();
});

describe('statistics after a run that places many accounts', () => {
  it('analyses the accounts and their history with a sample a tenth of the default', async () => {
    expect(await columnStats('account_states', 'phase')).toBeNull();
    const summary = await runPortfolio(ctx, { asOf: '2026-03-01' });
    expect(summary.accounts).toBe(12_000);

    const phase = await columnStats('account_states', 'phase');
    // Every phase the run gave is known to the planner.
    expect(phase?.mcv).toBe(Object.keys(summary.byPhase).length);
    expect(await columnStats('account_history', 'valid_from')).not.toBeNull();
    // One value per account: a histogram of 11 bounds (statistics target 10), where the default target gives 101.
    expect(await columnStats('account_states', 'debtor_id')).toEqual({ histogram: 11, mcv: 0 });
    expect(await columnStats('account_history', 'debtor_id')).toEqual({ histogram: 11, mcv: 0 });
    // Only the columns the readers filter and join on: not the amounts.
    expect(await columnStats('account_states', 'balances')).toBeNull();
  }, 60_000);
});
