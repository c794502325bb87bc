/**
 * The migration that gave assignments their `has_credit` flag sets it for the current assignments of debtors with
 * credit already, so "Mi día" keeps showing their unapplied payments after the upgrade.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from '../../src/db/connection.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { migrateBefore } from '../support/migrations.ts';

const MIGRATION = '20261124140026_assignments_debtor_credit';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase({ migrate: false });
  await migrateBefore(database, MIGRATION);
  const [company] = await database.query<{ id: string | number }>(sql`
    INSERT INTO companies (slug, name, country, time_zone, default_currency) VALUES ('acme', 'ACME', 'MX', 'America/Mexico_City', 'MXN') RETURNING id`);
  const c = Number(company!.id);
  const [portfolio] = await database.query<{ id: string | number }>(sql`INSERT INTO portfolios (company_id, name) VALUES (${c}, 'Consumo') RETURNING id`);
  const p = Number(portfolio!.id);
  // CREDIT has credit; REVERSED's credit payment was reversed; PAID has no credit; MOVED has credit but its old
  // assignment is closed (only the current one is flagged).
  for (const name of ['CREDIT', 'REVERSED', 'PAID', 'MOVED']) {
    await database.query(sql`
      WITH d AS (INSERT INTO debtors (company_id, external_id, name, country, time_zone) VALUES (${c}, ${name}, ${name}, 'MX', 'America/Mexico_City') RETURNING id)
      INSERT INTO assignments (company_id, portfolio_id, debtor_id, collector_id, valid_from, valid_to, source, assigned_by)
      SELECT ${c}, ${p}, d.id, 7, '2026-03-01T00:00:00Z', ${name === 'MOVED' ? sql`'2026-03-10T00:00:00Z'::timestamptz` : sql`NULL`}, 'manual', 'test' FROM d`);
  }
  await database.query(sql`
    INSERT INTO assignments (company_id, portfolio_id, debtor_id, collector_id, valid_from, source, assigned_by)
    SELECT ${c}, ${p}, id, 8, '2026-03-10T00:00:00Z', 'moved', 'test' FROM debtors WHERE external_id = 'MOVED'`);
  await database.query(sql`
    INSERT INTO payments (company_id, debtor_id, external_id, currency, amount, unapplied, paid_on, reversed_at)
    SELECT ${c}, d.id, 'P-' || d.external_id, 'MXN', 10000, CASE WHEN d.external_id = 'PAID' THEN 0 ELSE 2500 END, '2026-03-05',
           CASE WHEN d.external_id = 'REVERSED' THEN '2026-03-06T00:00:00Z'::timestamptz END
      FROM debtors d`);
  await migrateDatabase(database);
}, 120_000);

afterAll(async () => {
  await database?.close();
});

describe('assignments.has_credit set by the migration', () => {
  it('flags the current assignments of debtors with credit, and nothing else', async () => {
    const rows = await database.query<{ name: string; collector_id: string | number; current: boolean; has_credit: boolean }>(sql`
      SELECT d.external_id AS name, a.collector_id, a.valid_to IS NULL AS current, a.has_credit
        FROM assignments a JOIN debtors d ON d.id = a.debtor_id ORDER BY d.external_id, a.valid_from`);
    expect(rows.map((r) => [r.name, Number(r.collector_id), r.current, r.has_credit])).toEqual([
      ['CREDIT', 7, true, true],
      ['MOVED', 7, false, false],
      ['MOVED', 8, true, true],
      ['PAID', 7, true, false],
      ['REVERSED', 7, true, false],
    ]);
  });
});
