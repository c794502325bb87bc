/**
 * The migration that made collector costs effective-dated carries every existing cost over from the beginning of
 * time: the dashboard charges it to every period as before, until a cost set from a date takes over from that date.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from '../../src/db/connection.ts';
import type { PlainDate } from '../../src/domain/calendar.ts';
import { createUser } from '../../src/modules/access/create-user.ts';
import { collectorPeriodCosts, listCollectorCosts, setCollectorCost } from '../../src/modules/analytics/collector-costs.ts';
import { fixedClock } from '../../src/modules/shared/clock.ts';
import type { Ctx } from '../../src/modules/shared/context.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { migrateBefore } from '../support/migrations.ts';

const MIGRATION = '20261124062757_collector_cost_history';
const clock = fixedClock('2026-03-15T18:00:00Z');

let database: TestDatabase;
let ctx: Ctx;
let collectorId = 0;

beforeAll(async () => {
  database = await createTestDatabase({ migrate: false });
  await migrateBefore(database, MIGRATION);
  // A company and a collector's cost as they were before costs had dates.
  const [company] = await database.query<{ id: string | number }>(sql`
    INSERT INTO companies (slug, name, country, time_zone, default_currency) VALUES ('acme', 'ACME', 'MX', 'America/Mexico_City', 'MXN') RETURNING id`);
  ctx = { database, clock, companyId: Number(company!.id), actor: 'test' };
  collectorId = 4242;
  await database.query(sql`
    INSERT INTO collector_costs (company_id, collector_id, currency, monthly_cost, updated_at, updated_by)
    VALUES (${ctx.companyId}, ${collectorId}, 'MXN', 310000, '2026-03-10T12:00:00Z', 'admin@acme.test')`);
  await migrateDatabase(database);
}, 120_000);

afterAll(async () => {
  await database?.close();
});

describe('collector costs carried over by the migration', () => {
  const cost = async (from: string, to: string) => (await collectorPeriodCosts(ctx, from as PlainDate, to as PlainDate)).get(collectorId);

  it('applies since always: every period is charged as before, also ones before the row was last changed', async () => {
    const [row] = await database.query<{ effective_from: string }>(sql`SELECT effective_from::text FROM collector_costs WHERE collector_id = ${collectorId}`);
    expect(row).toEqual({ effective_from: '-infinity' });
    expect(await cost('2026-03-01', '2026-03-31')).toEqual({ amount: 310000n, currency: 'MXN' });
    expect(await cost('2025-01-01', '2025-01-31')).toEqual({ amount: 310000n, currency: 'MXN' });
  });

  it('shows as "since always" in the history, and a cost set from a date takes over from that date only', async () => {
    const user = (await createUser(ctx, { email: 'gabriel@acme.test', name: 'Gabriel', role: 'collector', password: 'correcto-caballo-42' })).user;
    await database.query(sql`UPDATE collector_costs SET collector_id = ${user.id} WHERE collector_id = ${collectorId}`);
    collectorId = user.id;
    const view = await setCollectorCost(ctx, { collectorId, monthlyCost: '6200.00', currency: 'MXN', from: '2026-03-16' });
    expect(view.history).toEqual([
      { from: null, monthly: '3100.00', currency: 'MXN', set_at: '2026-03-10T12:00:00.000Z', set_by: 'admin@acme.test' },
      { from: '2026-03-16', monthly: '6200.00', currency: 'MXN', set_at: '2026-03-15T18:00:00.000Z', set_by: 'test' },
    ]);
    expect(view.cost).toEqual({ monthly: '3100.00', currency: 'MXN' });
    expect((await listCollectorCosts(ctx)).data.map((c) => c.collector_id)).toEqual([collectorId]);
    // 1–15 March of 3,100.00 (1,500.00) and 16–31 March of 6,200.00 (3,200.00); February keeps the carried cost.
    expect(await cost('2026-03-01', '2026-03-31')).toEqual({ amount: 470000n, currency: 'MXN' });
    expect(await cost('2026-02-01', '2026-02-28')).toEqual({ amount: 310000n, currency: 'MXN' });
    expect(await cost('2026-03-15', '2026-03-16')).toEqual({ amount: 30000n, currency: 'MXN' });
  });
});
