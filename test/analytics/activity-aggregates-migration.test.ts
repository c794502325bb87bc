/**
 * The migration that gave the activity aggregates portfolio, phase and segment empties them and every company's
 * refresh mark: until the next refresh the dashboard reads the source tables, and that refresh sums all history again
 * (not only its 35-day window), so days long before it follow the filters too.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from '../../src/db/connection.ts';
import { getDashboard, refreshActivity } from '../../src/modules/analytics/index.ts';
import { runPortfolio } from '../../src/modules/collection-runs/index.ts';
import { fixedClock } from '../../src/modules/shared/clock.ts';
import type { Ctx } from '../../src/modules/shared/context.ts';
import { logInteraction } from '../../src/modules/worklists/index.ts';
import { createTestCompany, createTestDatabase, type TestDatabase } from '../support/database.ts';
import { migrateBefore } from '../support/migrations.ts';

const MIGRATION = '20261124091901_activity_aggregates_rebuild';
const clock = fixedClock('2026-01-20T18:00:00Z');

let database: TestDatabase;
let ctx: Ctx;

const contactRate = async (filters: { portfolio?: string; phase?: string }) =>
  (await getDashboard(ctx, { from: '2026-01-01', to: '2026-03-10', ...filters })).kpis.find((k) => k.name === 'contact_rate')?.value;

beforeAll(async () => {
  database = await createTestDatabase({ migrate: false });
  await migrateBefore(database, MIGRATION);
  // A debtor 40 days late on 5 January (extrajudicial), reached on 20 January; summed by a refresh before the change.
  const company = await createTestCompany(database, 'acme', 'MX');
  ctx = { database, clock, companyId: company.id, actor: 'test' };
  const [portfolio] = await database.query<{ id: string | number }>(sql`SELECT id FROM portfolios WHERE company_id = ${ctx.companyId}`);
  const [debtor] = await database.query<{ id: string | number }>(sql`
    INSERT INTO debtors (company_id, external_id, name, country, time_zone) VALUES (${ctx.companyId}, 'A', 'Deudor A', 'MX', 'America/Mexico_City') RETURNING id`);
  await database.query(sql`
    INSERT INTO obligations (company_id, portfolio_id, debtor_id, external_id, currency, amount, balance, due_on, issued_on)
    VALUES (${ctx.companyId}, ${portfolio!.id}, ${debtor!.id}, 'A-1', 'MXN', 100000, 100000, '2025-11-26', '2025-10-27')`);
  await runPortfolio(ctx, { asOf: '2026-01-05' });
  await logInteraction(ctx, { debtorExternalId: 'A', channel: 'call', outcome: 'contacted_debtor' });
  await database.query(sql`
    INSERT INTO kpi_daily_interactions (company_id, day, collector_id, channel, interactions, answered, right_party, promises, kept, partially_kept, broken)
    VALUES (${ctx.companyId}, '2026-01-20', 0, 'call', 1, 1, 1, 0, 0, 0, 0)`);
  await database.query(sql`
    INSERT INTO kpi_activity_refreshes (company_id, through, recomputed_from, refreshed_at, duration_ms)
    VALUES (${ctx.companyId}, '2026-03-09', '2026-02-03', '2026-03-10T13:00:00Z', 5)`);
  await migrateDatabase(database);
  clock.set('2026-03-10T18:00:00Z');
  await runPortfolio(ctx, { asOf: '2026-03-10' });
}, 120_000);

afterAll(async () => {
  await database?.close();
});

describe('activity aggregates rebuilt after the migration', () => {
  it('empties the aggregates and the refresh mark; the dashboard reads the source tables meanwhile', async () => {
    const [rows] = await database.query<{ n: number; marks: number }>(sql`
      SELECT (SELECT count(*) FROM kpi_daily_interactions)::int + (SELECT count(*) FROM kpi_daily_messages)::int
             + (SELECT count(*) FROM kpi_daily_promise_outcomes)::int AS n, (SELECT count(*) FROM kpi_activity_refreshes)::int AS marks`);
    expect(rows).toEqual({ n: 0, marks: 0 });
    expect(await contactRate({ phase: 'extrajudicial' })).toBe(100);
    expect(await contactRate({ phase: 'administrative' })).toBeNull();
  });

  it('the next refresh sums all history again, under the accounts of each day, older days than its window included', async () => {
    const summary = await refreshActivity(ctx);
    expect(summary).toMatchObject({ through: '2026-03-09', recomputedFrom: '0001-01-01' });
    const rows = await database.query<{ portfolio_id: number; phase: string; segment: string; interactions: number }>(sql`
      SELECT portfolio_id::int, phase, segment, interactions FROM kpi_daily_interactions WHERE company_id = ${ctx.companyId} AND day = '2026-01-20' ORDER BY 1, 2`);
    const [portfolio] = await database.query<{ id: string | number }>(sql`SELECT id FROM portfolios WHERE company_id = ${ctx.companyId}`);
    const id = Number(portfolio!.id);
    expect(rows).toEqual([
      { portfolio_id: 0, phase: '', segment: '', interactions: 1 },
      { portfolio_id: 0, phase: 'extrajudicial', segment: '', interactions: 1 },
      { portfolio_id: id, phase: '', segment: '', interactions: 1 },
      { portfolio_id: id, phase: 'extrajudicial', segment: '', interactions: 1 },
    ]);
    expect(await contactRate({ phase: 'extrajudicial', portfolio: 'default' })).toBe(100);
    expect(await contactRate({ phase: 'administrative' })).toBeNull();
    expect(await contactRate({})).toBe(100);
  });
});
