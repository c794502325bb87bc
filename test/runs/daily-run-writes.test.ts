/**
 * What a following day writes: nothing for an account whose phase, balances, segments and oldest due date stay the
 * same, including the day after its first placement and the day after a phase change. The phase before the run of the
 * account's date is stored only when the phase changed on that date, and read the same either way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { createTestCompany, createTestDatabase, type TestDatabase } from '../support/database.ts';
import { insertDebtor } from './book.ts';
import { accounts, obligations, phaseChanges, portfolios } from '../../src/db/schema.ts';
import { fixedClock } from '../../src/modules/shared/clock.ts';
import type { Ctx } from '../../src/modules/shared/context.ts';
import { runPortfolio } from '../../src/modules/collection-runs/index.ts';

let database: TestDatabase;
let ctx: Ctx;
let main: number;
const ids: Record<string, number> = {};

/** Each stored account's row version (xmin changes whenever the run writes the row). */
async function versions(): Promise<Record<string, string>> {
  const rows = await database.query<{ debtor_id: string | number; v: string }>(sql`SELECT debtor_id, xmin::text AS v FROM account_states WHERE portfolio_id = ${main}`);
  const byId = Object.fromEntries(Object.entries(ids).map(([k, v]) => [v, k]));
  return Object.fromEntries(rows.map((r) => [byId[Number(r.debtor_id)]!, r.v]));
}

async function view(name: string) {
  const [row] = await database.db
    .select({ phase: accounts.phase, since: accounts.phaseSince, previous: accounts.previousPhase, previousSince: accounts.previousPhaseSince, asOf: accounts.asOf })
    .from(accounts)
    .where(and(eq(accounts.portfolioId, main), eq(accounts.debtorId, ids[name]!)));
  return row;
}

beforeAll(async () => {
  database = await createTestDatabase();
  const company = await createTestCompany(database);
  ctx = { database, clock: fixedClock('2026-04-05T18:00:00Z'), companyId: company.id, actor: 'test' };
  const [p] = await database.db.select().from(portfolios).where(eq(portfolios.companyId, company.id));
  main = p!.id;
  // As of 2026-03-01: STEADY 10 days past due, CROSSER 29 (31 on 03-03: extrajudicial), NOTYET not due.
  for (const [name, dueOn] of [['STEADY', '2026-02-19'], ['CROSSER', '2026-01-31'], ['NOTYET', '2026-03-20']] as const) {
    ids[name] = await insertDebtor(database, ctx.companyId, name);
    await database.db.insert(obligations).values({ companyId: ctx.companyId, portfolioId: main, debtorId: ids[name]!, externalId: `${name}-1`, currency: 'MXN', amount: 10_000n, balance: 10_000n, dueOn });
  }
});

afterAll(async () => {
  await database?.close();
});

describe('daily run: what a following day writes', () => {
  it('writes nothing the day after a first placement, only the changed account on a change, nothing the day after', async () => {
    await runPortfolio(ctx, { asOf: '2026-03-01' });
    const first = await versions();
    expect(Object.keys(first).sort()).toEqual(['CROSSER', 'NOTYET', 'STEADY']);
    expect(await view('STEADY')).toEqual({ phase: 'administrative', since: '2026-03-01', previous: null, previousSince: null, asOf: '2026-03-01' });

    // The day after the first placement: nothing changed, nothing written; the phase before this date is the phase.
    await runPortfolio(ctx, { asOf: '2026-03-02' });
    expect(await versions()).toEqual(first);
    expect(await view('STEADY')).toEqual({ phase: 'administrative', since: '2026-03-01', previous: 'administrative', previousSince: '2026-03-01', asOf: '2026-03-02' });

    // CROSSER reaches 31 days past due: only its row is written, with the phase it left.
    await runPortfolio(ctx, { asOf: '2026-03-03' });
    const third = await versions();
    expect(third.STEADY).toBe(first.STEADY);
    expect(third.NOTYET).toBe(first.NOTYET);
    expect(third.CROSSER).not.toBe(first.CROSSER);
    expect(await view('CROSSER')).toEqual({ phase: 'extrajudicial', since: '2026-03-03', previous: 'administrative', previousSince: '2026-03-01', asOf: '2026-03-03' });

    // The day after the change: nothing written again.
    await runPortfolio(ctx, { asOf: '2026-03-04' });
    expect(await versions()).toEqual(third);
    expect(await view('CROSSER')).toEqual({ phase: 'extrajudicial', since: '2026-03-03', previous: 'extrajudicial', previousSince: '2026-03-03', asOf: '2026-03-04' });
  });

  it('runs the latest date again to the same result, with the phase change recorded once', async () => {
    const before = await versions();
    const crosser = await view('CROSSER');
    await runPortfolio(ctx, { asOf: '2026-03-04' });
    expect(await versions()).toEqual(before);
    expect(await view('CROSSER')).toEqual(crosser);
    const changes = await database.db.select().from(phaseChanges).where(eq(phaseChanges.companyId, ctx.companyId));
    expect(changes.map((c) => `${c.asOf} ${c.debtorId === ids.CROSSER ? 'CROSSER' : c.debtorId} ${c.fromPhase}→${c.toPhase}`)).toEqual(['2026-03-03 CROSSER administrative→extrajudicial']);
  });

  it('runs the day of a change again to the same result', async () => {
    // A change on 03-05 (NOTYET's due date moved to 03-04: administrative), run twice.
    await database.db.update(obligations).set({ dueOn: '2026-03-04' }).where(eq(obligations.externalId, 'NOTYET-1'));
    await runPortfolio(ctx, { asOf: '2026-03-05' });
    const once = { versions: await versions(), notyet: await view('NOTYET') };
    expect(once.notyet).toEqual({ phase: 'administrative', since: '2026-03-05', previous: 'preventive', previousSince: '2026-03-01', asOf: '2026-03-05' });
    await runPortfolio(ctx, { asOf: '2026-03-05' });
    expect({ versions: await versions(), notyet: await view('NOTYET') }).toEqual(once);
    const changes = await database.db.select().from(phaseChanges).where(and(eq(phaseChanges.companyId, ctx.companyId), eq(phaseChanges.asOf, '2026-03-05')));
    expect(changes.map((c) => `${c.fromPhase}→${c.toPhase}`)).toEqual(['preventive→administrative']);
  });
});
