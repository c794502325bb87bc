/**
 * The daily run's balances per currency and the history it writes for a date, in the cases the set-based statement
 * treats specially: accounts owing in several currencies, a paid-off currency, products read by a segment, and a date
 * run again after an account stopped owing in a portfolio (its row keeps the date, so it stays in that date's history).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { createTestCompany, createTestDatabase, type TestDatabase } from '../support/database.ts';
import { insertDebtor } from './book.ts';
import { accounts, accountSnapshots, obligations, phaseChanges, portfolios } from '../../src/db/schema.ts';
import { fixedClock } from '../../src/modules/shared/clock.ts';
import type { Ctx } from '../../src/modules/shared/context.ts';
import { addSegment, runPortfolio } from '../../src/modules/collection-runs/index.ts';

let database: TestDatabase;
let ctx: Ctx;
// The company's day: runs are as of it or earlier.
const clock = fixedClock('2026-03-31T18:00:00Z');
let main: number;
let other: number;
const ids: Record<string, number> = {};
const asOf = '2026-03-31';
const dueFor = (dpd: number) => new Date(new Date(asOf).getTime() - dpd * 86_400_000).toISOString().slice(0, 10);

async function debtor(externalId: string) {
  ids[externalId] = await insertDebtor(database, ctx.companyId, externalId);
  return ids[externalId];
}

async function owe(debtorId: number, externalId: string, o: { dpd: number; amount: bigint; balance?: bigint; currency?: string; product?: string | null; portfolioId?: number }) {
  await database.db.insert(obligations).values({
    companyId: ctx.companyId,
    portfolioId: o.portfolioId ?? main,
    debtorId,
    externalId,
    currency: o.currency ?? 'MXN',
    amount: o.amount,
    balance: o.balance ?? o.amount,
    dueOn: dueFor(o.dpd),
    product: o.product === undefined ? 'Tarjeta' : o.product,
  });
}

async function account(externalId: string, portfolioId = main) {
  const [row] = await database.db
    .select()
    .from(accounts)
    .where(and(eq(accounts.portfolioId, portfolioId), eq(accounts.debtorId, ids[externalId]!)));
  return row;
}

async function history(date: string) {
  const snapshots = await database.db.select().from(accountSnapshots).where(and(eq(accountSnapshots.companyId, ctx.companyId), eq(accountSnapshots.asOf, date)));
  const changes = await database.db.select().from(phaseChanges).where(and(eq(phaseChanges.companyId, ctx.companyId), eq(phaseChanges.asOf, date)));
  // First placements are not phase changes: the first range of an account's history starting on the date.
  const placed = await database.query<{ portfolio_id: number; debtor_id: number; phase: string }>(sql`
    SELECT h.portfolio_id, h.debtor_id, h.phase FROM account_history h
     WHERE h.company_id = ${ctx.companyId} AND h.valid_from = ${date}::date
       AND NOT EXISTS (SELECT 1 FROM account_history e WHERE e.portfolio_id = h.portfolio_id AND e.debtor_id = h.debtor_id AND e.valid_from < h.valid_from)`);
  return {
    snapshots: snapshots.map((s) => `${s.portfolioId}/${s.debtorId} ${s.phase} ${s.daysPastDue} ${JSON.stringify(s.balances)} ${s.segments.join('|')}`).sort(),
    changes: changes.map((c) => `${c.portfolioId}/${c.debtorId} ${c.fromPhase}→${c.toPhase} ${c.cause}`).sort(),
    placed: placed.map((p) => `${p.portfolio_id}/${p.debtor_id} ${p.phase}`).sort(),
  };
}

beforeAll(async () => {
  database = await createTestDatabase();
  const company = await createTestCompany(database);
  ctx = { database, clock, companyId: company.id, actor: 'test' };
  const [p] = await database.db.select().from(portfolios).where(eq(portfolios.companyId, company.id));
  main = p!.id;
  const [q] = await database.db.insert(portfolios).values({ companyId: company.id, name: 'Comercial' }).returning();
  other = q!.id;

  const three = await debtor('THREE');
  await owe(three, 'T1', { dpd: 45, amount: 10_000n, currency: 'MXN' });
  await owe(three, 'T2', { dpd: -5, amount: 2_500n, currency: 'MXN', product: 'Auto' }); // not due yet: balance, not overdue
  await owe(three, 'T3', { dpd: 10, amount: 700n, currency: 'USD', product: null });
  await owe(three, 'T4', { dpd: 200, amount: 900n, balance: 0n, currency: 'CLP' }); // paid: in no balance, not in the DPD
  const single = await debtor('SINGLE');
  await owe(single, 'S1', { dpd: 3, amount: 4_000n, balance: 1_500n, currency: 'USD' });
  await owe(single, 'S2', { dpd: -1, amount: 600n, currency: 'USD' });
  const paid = await debtor('PAID');
  await owe(paid, 'P1', { dpd: 20, amount: 800n, balance: 0n });
  await owe(paid, 'P2', { dpd: 5, amount: 300n, balance: 0n, currency: 'USD' });
  const mover = await debtor('MOVER');
  await owe(mover, 'M1', { dpd: 95, amount: 5_000n });
  const elsewhere = await debtor('ELSEWHERE');
  await owe(elsewhere, 'E1', { dpd: 1, amount: 100n, portfolioId: other });
  await addSegment(ctx, { name: 'autos', rule: "product = 'Auto'" });
  await addSegment(ctx, { name: 'dolares', rule: 'balance.USD > 0 and overdue.USD > 0' });
});

afterAll(async () => {
  await database?.close();
});

describe('daily run: balances and history', () => {
  it('keeps balances and overdue per currency, leaving out paid-off currencies', async () => {
    const r = await runPortfolio(ctx, { asOf });
    // Every account is placed for the first time: placements, not phase changes.
    expect([r.accounts, r.phaseChanges]).toEqual([5, 0]);
    expect(r.byPhase).toEqual({ administrative: 2, extrajudicial: 1, judicial: 1, settled: 1 });

    const three = await account('THREE');
    expect([three!.phase, three!.daysPastDue, three!.bucket]).toEqual(['extrajudicial', 45, '31-60']);
    expect(three!.balances).toEqual({ MXN: '12500', USD: '700' });
    expect(three!.overdue).toEqual({ MXN: '10000', USD: '700' });
    expect(three!.segments).toEqual(['autos', 'dolares']);

    const single = await account('SINGLE');
    expect([single!.phase, single!.daysPastDue]).toEqual(['administrative', 3]);
    expect(single!.balances).toEqual({ USD: '2100' });
    expect(single!.overdue).toEqual({ USD: '1500' });
    expect(single!.segments).toEqual(['dolares']);

    const paid = await account('PAID');
    expect([paid!.phase, paid!.daysPastDue, paid!.bucket, paid!.balances, paid!.overdue]).toEqual(['settled', null, null, {}, {}]);
    expect((await account('ELSEWHERE', other))!.phase).toBe('administrative');
  });

  it('running a date again keeps accounts that stopped owing in a portfolio in that date’s history', async () => {
    const before = await history(asOf);
    expect(before.snapshots).toHaveLength(5);
    expect(before.changes).toEqual([]);
    expect(before.placed).toHaveLength(5);

    // The mover's obligation now belongs to the other portfolio: a new account there, while its row in the first
    // portfolio still carries the date it was last run for.
    await database.db.update(obligations).set({ portfolioId: other }).where(eq(obligations.debtorId, ids['MOVER']!));
    const again = await runPortfolio(ctx, { asOf });
    expect([again.accounts, again.phaseChanges]).toEqual([5, 0]);
    expect(again.byPhase).toEqual({ administrative: 2, judicial: 1, extrajudicial: 1, settled: 1 });

    const after = await history(asOf);
    expect(after.snapshots).toEqual([...before.snapshots, `${other}/${ids['MOVER']} judicial 95 {"MXN":"5000"} `].sort());
    expect(after.changes).toEqual([]);
    expect(after.placed).toEqual([...before.placed, `${other}/${ids['MOVER']} judicial`].sort());
    const left = await account('MOVER');
    expect([left!.asOf, left!.phase, left!.daysPastDue]).toEqual([asOf, 'judicial', 95]);

    // Once more: the same history, nothing duplicated.
    const third = await runPortfolio(ctx, { asOf });
    expect([third.accounts, third.phaseChanges]).toEqual([5, 0]);
    expect(await history(asOf)).toEqual(after);
  });

  it('a following day leaves the account that owes nothing in the portfolio where it was', async () => {
    clock.set('2026-04-01T18:00:00Z');
    const next = await runPortfolio(ctx, { asOf: '2026-04-01' });
    expect(next.accounts).toBe(5);
    const left = await account('MOVER');
    expect(left!.asOf).toBe(asOf);
    const day = await history('2026-04-01');
    expect(day.snapshots).toHaveLength(5);
    expect(day.snapshots.some((s) => s.startsWith(`${main}/${ids['MOVER']} `))).toBe(false);
    expect(day.changes).toEqual([]);
    expect(day.placed).toEqual([]);
  });
});
