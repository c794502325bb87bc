/**
 * The demo portfolio end to end: generated rows go through the real import into a real database (PGlite, or a
 * throwaway PostgreSQL database with DATABASE_URL), and the daily run finds every phase populated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, gt, like, sql } from 'drizzle-orm';
import { createTestCompany, createTestDatabase, type TestDatabase } from '../support/database.ts';
import { debtors, obligations, payments, portfolios } from '../../src/db/schema.ts';
import { parseDate } from '../../src/domain/calendar.ts';
import { runPortfolio } from '../../src/modules/collection-runs/index.ts';
import { generateDemo, loadDemo } from '../../src/modules/portfolio/demo/index.ts';
import { fixedClock } from '../../src/modules/shared/clock.ts';
import type { Ctx } from '../../src/modules/shared/context.ts';

const today = parseDate('2026-03-31');
let database: TestDatabase;
let ctx: Ctx;

beforeAll(async () => {
  database = await createTestDatabase();
  const company = await createTestCompany(database, 'demo', 'MX');
  ctx = { database, clock: fixedClock('2026-03-31T18:00:00Z'), companyId: company.id, actor: 'test' };
});

afterAll(async () => {
  await database?.close();
});

describe('loadDemo', () => {
  it('loads 200 debtors through the import, and the run finds every phase populated', async () => {
    const counts = await loadDemo(ctx, { debtors: 200, today });
    const demo = generateDemo({ debtors: 200, today });
    expect(counts).toEqual({ debtors: 200, obligations: [...demo.obligations].length, payments: [...demo.payments].length });

    const [{ n: stored } = { n: 0 }] = await database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(debtors)
      .where(and(eq(debtors.companyId, ctx.companyId), like(debtors.externalId, 'DEMO-%')));
    expect(Number(stored)).toBe(200);
    const names = (await database.db.select({ name: portfolios.name }).from(portfolios).where(eq(portfolios.companyId, ctx.companyId))).map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['Consumo', 'Telecom', 'Comercial']));

    const run = await runPortfolio(ctx, { asOf: today });
    for (const phase of ['preventive', 'administrative', 'extrajudicial', 'judicial', 'settled']) expect(run.byPhase[phase] ?? 0, phase).toBeGreaterThan(0);
  });

  it('derives each debtor’s time zone from its state and keeps over-payments as unapplied credit', async () => {
    const zones = await database.db
      .selectDistinct({ region: debtors.region, timeZone: debtors.timeZone })
      .from(debtors)
      .where(eq(debtors.companyId, ctx.companyId));
    const zoneOf = new Map(zones.map((z) => [z.region, z.timeZone]));
    expect(zoneOf.get('CMX')).toBe('America/Mexico_City');
    expect(zones.every((z) => z.timeZone.startsWith('America/'))).toBe(true);

    const credit = await database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(payments)
      .where(and(eq(payments.companyId, ctx.companyId), gt(payments.unapplied, 0n)));
    expect(Number(credit[0]!.n)).toBeGreaterThan(0);
  });

  it('changes nothing when the same demo is loaded again', async () => {
    const before = await database.db
      .select({ n: sql<number>`count(*)::int`, balance: sql<string>`sum(balance)::text` })
      .from(obligations)
      .where(eq(obligations.companyId, ctx.companyId));
    const counts = await loadDemo(ctx, { debtors: 200, today });
    expect(counts.debtors).toBe(200);
    const after = await database.db
      .select({ n: sql<number>`count(*)::int`, balance: sql<string>`sum(balance)::text` })
      .from(obligations)
      .where(eq(obligations.companyId, ctx.companyId));
    expect(after).toEqual(before);
  });
});
