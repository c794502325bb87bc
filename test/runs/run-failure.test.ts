/**
 * A run that fails in the database says why in a sentence (not the statement's SQL), records it on the run, and
 * changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { createTestCompany, createTestDatabase, type TestDatabase } from '../support/database.ts';
import { insertDebtor } from './book.ts';
import { obligations, portfolios, runs } from '../../src/db/schema.ts';
import { fixedClock } from '../../src/modules/shared/clock.ts';
import type { Ctx } from '../../src/modules/shared/context.ts';
import { runPortfolio } from '../../src/modules/collection-runs/index.ts';

let database: TestDatabase;
let ctx: Ctx;

beforeAll(async () => {
  database = await createTestDatabase();
  const company = await createTestCompany(database);
  ctx = { database, clock: fixedClock('2026-04-05T18:00:00Z'), companyId: company.id, actor: 'test' };
  const [p] = await database.db.select().from(portfolios).where(eq(portfolios.companyId, company.id));
  const debtorId = await insertDebtor(database, company.id, 'HUGE');
  // Two amounts near the largest bigint, written past the import's checks: their sum does not fit.
  for (const externalId of ['HUGE-1', 'HUGE-2']) {
    await database.db.insert(obligations).values({ companyId: company.id, portfolioId: p!.id, debtorId, externalId, currency: 'MXN', amount: 9_000_000_000_000_000_000n, balance: 9_000_000_000_000_000_000n, dueOn: '2026-03-01' });
  }
});

afterAll(async () => {
  await database?.close();
});

describe('a run that fails in the database', () => {
  it('says why without the SQL, records it on the run and changes nothing', async () => {
    const failure = await runPortfolio(ctx, { asOf: '2026-04-01' }).then(
      () => null,
      (error: unknown) => error as Error,
    );
    expect(failure?.message).toMatch(/^the run as of 2026-04-01 failed and changed nothing: .*out of range/);
    expect(failure?.message).not.toMatch(/WITH|SELECT|params/);
    const [run] = await database.db.select({ status: runs.status, error: runs.error }).from(runs).where(eq(runs.companyId, ctx.companyId));
    expect(run).toEqual({ status: 'failed', error: failure?.message });
    const [stored] = await database.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM account_states WHERE company_id = ${ctx.companyId}`);
    expect(stored?.n).toBe(0);
  });
});
