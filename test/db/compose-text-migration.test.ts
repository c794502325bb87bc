/**
 * Rows stored before imports composed their text may hold decomposed names ("Jose" + combining acute): the migration
 * composes them (NFC) once, on PGlite and on PostgreSQL alike, so they are searched like names typed here. External
 * ids stay as they were (the source system's keys), and so does a portfolio whose composed name another one has.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from '../../src/db/connection.ts';
import { listDebtors } from '../../src/modules/portfolio/queries/index.ts';
import { fixedClock } from '../../src/modules/shared/clock.ts';
import type { Ctx } from '../../src/modules/shared/context.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { migrateBefore } from '../support/migrations.ts';

const MIGRATION = '20261124165212_compose_stored_text';
const nfd = (text: string) => text.normalize('NFD');
const nfc = (text: string) => text.normalize('NFC');

let database: TestDatabase;
let ctx: Ctx;

beforeAll(async () => {
  database = await createTestDatabase({ migrate: false });
  await migrateBefore(database, MIGRATION);
  const [company] = await database.query<{ id: string | number }>(sql`
    INSERT INTO companies (slug, name, country, time_zone, default_currency) VALUES ('acme', 'ACME', 'MX', 'America/Mexico_City', 'MXN') RETURNING id`);
  const companyId = Number(company!.id);
  ctx = { database, clock: fixedClock('2026-03-15T18:00:00Z'), companyId, actor: 'test' };
  await database.query(sql`
    INSERT INTO debtors (company_id, external_id, name, country, time_zone, region, city, tags, attributes)
    VALUES (${companyId}, ${nfd('CLIENTE-Ñ1')}, ${nfd('José Šimunović')}, 'MX', 'America/Mexico_City', ${nfd('Michoacán')}, ${nfd('Mérida')},
            ARRAY[${nfd('crédito')}, ${'crédito'.normalize('NFC')}, 'vip']::text[],
            ${JSON.stringify({ sucursal: nfd('Centro Histórico'), nivel: 'oro' })}::jsonb),
           (${companyId}, 'D-2', 'Ana Torres', 'MX', 'America/Mexico_City', NULL, NULL, '{}'::text[], '{}'::jsonb)`);
  const [debtor] = await database.query<{ id: string | number }>(sql`SELECT id FROM debtors WHERE external_id = 'D-2'`);
  const portfolios = await database.query<{ id: string | number; name: string }>(sql`
    INSERT INTO portfolios (company_id, name) VALUES (${companyId}, ${nfd('Cartera Mérida')}), (${companyId}, ${nfd('Crédito Núñez')}), (${companyId}, ${nfc('Crédito Núñez')})
    RETURNING id, name`);
  await database.query(sql`
    INSERT INTO obligations (company_id, portfolio_id, debtor_id, external_id, currency, amount, balance, due_on, product)
    VALUES (${companyId}, ${portfolios[0]!.id}, ${debtor!.id}, 'F-1', 'MXN', 1000, 1000, '2026-03-01', ${nfd('Crédito simple')})`);
  await database.query(sql`
    INSERT INTO payments (company_id, debtor_id, external_id, currency, amount, unapplied, paid_on, method, reference)
    VALUES (${companyId}, ${debtor!.id}, 'P-1', 'MXN', 100, 0, '2026-03-02', ${nfd('depósito')}, ${nfd('Pago de José')})`);
  await migrateDatabase(database);
}, 120_000);

afterAll(async () => {
  await database?.close();
});

describe('composing stored text', () => {
  it('composes names, regions, cities, tags and attribute values of debtors, keeping their external ids', async () => {
    const [row] = await database.query<{ external_id: string; name: string; region: string; city: string; tags: string[]; attributes: Record<string, string> | string }>(sql`
      SELECT external_id, name, region, city, tags, attributes FROM debtors WHERE external_id <> 'D-2'`);
    const attributes = typeof row!.attributes === 'string' ? JSON.parse(row!.attributes) : row!.attributes;
    expect(row).toMatchObject({ external_id: nfd('CLIENTE-Ñ1'), name: nfc('José Šimunović'), region: nfc('Michoacán'), city: nfc('Mérida') });
    // The two spellings of one tag are one tag now, where it first appeared.
    expect(row!.tags).toEqual([nfc('crédito'), 'vip']);
    expect(attributes).toEqual({ sucursal: nfc('Centro Histórico'), nivel: 'oro' });
    const [plain] = await database.query<{ name: string; tags: string[] }>(sql`SELECT name, tags FROM debtors WHERE external_id = 'D-2'`);
    expect(plain).toEqual({ name: 'Ana Torres', tags: [] });
  });

  it('composes products, payment methods and references, and portfolio names unless another has that name', async () => {
    const [obligation] = await database.query<{ product: string }>(sql`SELECT product FROM obligations`);
    expect(obligation!.product).toBe(nfc('Crédito simple'));
    const [payment] = await database.query<{ method: string; reference: string }>(sql`SELECT method, reference FROM payments`);
    expect(payment).toEqual({ method: nfc('depósito'), reference: nfc('Pago de José') });
    const names = await database.query<{ name: string }>(sql`SELECT name FROM portfolios ORDER BY id`);
    expect(names.map((p) => p.name)).toEqual([nfc('Cartera Mérida'), nfd('Crédito Núñez'), nfc('Crédito Núñez')]);
  });

  it('lets search find an old decomposed name by a letter it does not fold', async () => {
    const page = await listDebtors(ctx, { q: 'Šimunović' });
    expect(page.rows.map((d) => d.name)).toEqual([nfc('José Šimunović')]);
  });

  it('leaves no decomposed free text behind', async () => {
    const [left] = await database.query<{ n: number | string }>(sql`
      SELECT (SELECT count(*) FROM debtors WHERE name IS NOT NFC NORMALIZED OR region IS NOT NFC NORMALIZED OR city IS NOT NFC NORMALIZED
                                            OR array_to_string(tags, ' ') IS NOT NFC NORMALIZED OR attributes::text IS NOT NFC NORMALIZED)
           + (SELECT count(*) FROM obligations WHERE product IS NOT NFC NORMALIZED)
           + (SELECT count(*) FROM payments WHERE method IS NOT NFC NORMALIZED OR reference IS NOT NFC NORMALIZED) AS n`);
    expect(Number(left!.n)).toBe(0);
  });
});
