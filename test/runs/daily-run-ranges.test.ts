/**
 * The daily run writes only what changed: an account's history is stored as ranges of run dates and its days past due
 * are derived from its oldest open due date. Every date that was run must still read (through account_snapshots and
 * the accounts view) exactly as that day's run placed it: after following days, after a date is run again, after an
 * earlier date is forced, and around a manual phase set between runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { createTestCompany, createTestDatabase, type TestDatabase } from '../support/database.ts';
import { insertDebtor } from './book.ts';
import { accountHistory, accounts, accountSnapshots, accountStates, obligations, portfolios } from '../../src/db/schema.ts';
import { fixedClock } from '../../src/modules/shared/clock.ts';
import type { Ctx } from '../../src/modules/shared/context.ts';
import { accountsReport, addSegment, latestSnapshotDate, overridePhase, runPortfolio } from '../../src/modules/collection-runs/index.ts';

let database: TestDatabase;
let ctx: Ctx;
// The company's day: runs are as of it or earlier.
const clock = fixedClock('2026-04-02T18:00:00Z');
let main: number;
const ids: Record<string, number> = {};
const days = ['2026-03-30', '2026-03-31', '2026-04-01', '2026-04-02'] as const;
const dueFor = (dpd: number) => new Date(new Date(days[0]).getTime() - dpd * 86_400_000).toISOString().slice(0, 10);

async function debtor(externalId: string) {
  ids[externalId] = await insertDebtor(database, ctx.companyId, externalId);
  return ids[externalId];
}

async function owe(debtorId: number, externalId: string, dpd: number, amount: bigint) {
  await database.db.insert(obligations).values({ companyId: ctx.companyId, portfolioId: main, debtorId, externalId, currency: 'MXN', amount, balance: amount, dueOn: dueFor(dpd) });
}

/** Each account of the date as text, from the snapshots view. */
async function snapshot(date: string) {
  const rows = await database.db.select().from(accountSnapshots).where(and(eq(accountSnapshots.companyId, ctx.companyId), eq(accountSnapshots.asOf, date)));
  return rows.map((s) => `${s.debtorId} ${s.phase} ${s.daysPastDue} ${s.bucket} ${JSON.stringify(s.balances)} ${s.segments.join('|')}`).sort();
}

/** Each account as the accounts view shows it now, in the same text form. */
async function current() {
  const rows = await database.db.select().from(accounts).where(eq(accounts.companyId, ctx.companyId));
  return rows.map((a) => `${a.debtorId} ${a.phase} ${a.daysPastDue} ${a.bucket} ${JSON.stringify(a.balances)} ${a.segments.join('|')}`).sort();
}

async function historyOf(externalId: string) {
  return database.db.select().from(accountHistory).where(eq(accountHistory.debtorId, ids[externalId]!)).orderBy(asc(accountHistory.validFrom));
}

async function pay(externalId: string, balance: bigint) {
  await database.db.update(obligations).set({ balance }).where(eq(obligations.externalId, externalId));
}

beforeAll(async () => {
  database = await createTestDatabase();
  const company = await createTestCompany(database);
  ctx = { database, clock, companyId: company.id, actor: 'test' };
  const [p] = await database.db.select().from(portfolios).where(eq(portfolios.companyId, company.id));
  main = p!.id;
  // STEADY stays in its bucket and phase for the four days; EDGE crosses from 30 to 31 days (administrative →
  // extrajudicial, 1-30 → 31-60) between the first two; PAYER pays in part on the third day.
  await owe(await debtor('STEADY'), 'S1', 100, 5_000n);
  await owe(await debtor('EDGE'), 'E1', 30, 2_000n);
  await owe(await debtor('PAYER'), 'P1', 10, 9_000n);
  await owe(ids['PAYER']!, 'P2', -20, 1_000n);
  // A segment on days past due: it changes with the date alone.
  await addSegment(ctx, { name: 'tardios', rule: 'days_past_due >= 101' });
});

afterAll(async () => {
  await database?.close();
});

describe('daily run: history as ranges, days past due from the oldest open due date', () => {
  const seen: Record<string, string[]> = {};

  it('reads every run date as that day’s run placed it, writing history only for what changed', async () => {
    for (const [i, day] of days.entries()) {
      if (i === 2) await pay('P1', 4_000n);
      await runPortfolio(ctx, { asOf: day });
      seen[day] = await current();
      expect(seen[day]).toHaveLength(3);
      expect(await snapshot(day)).toEqual(seen[day]);
    }
    // Days past due move with the date; the stored account is not rewritten for that.
    expect(seen['2026-03-30']!.find((s) => s.startsWith(`${ids['STEADY']} `))).toBe(`${ids['STEADY']} judicial 100 91-120 {"MXN":"5000"} `);
    expect(seen['2026-04-02']!.find((s) => s.startsWith(`${ids['STEADY']} `))).toBe(`${ids['STEADY']} judicial 103 91-120 {"MXN":"5000"} tardios`);
    expect(seen['2026-03-31']!.find((s) => s.startsWith(`${ids['EDGE']} `))).toBe(`${ids['EDGE']} extrajudicial 31 31-60 {"MXN":"2000"} `);
    // Earlier dates read the same after the later runs.
    for (const day of days) expect(await snapshot(day)).toEqual(seen[day]);
    // STEADY: one range until its segment changed on the 31st; PAYER: a new range when it paid.
    expect((await historyOf('STEADY')).map((h) => [h.validFrom, h.validTo, h.segments])).toEqual([
      ['2026-03-30', '2026-03-31', []],
      ['2026-03-31', null, ['tardios']],
    ]);
    expect((await historyOf('PAYER')).map((h) => [h.validFrom, h.validTo, h.balances])).toEqual([
      ['2026-03-30', '2026-04-01', { MXN: '10000' }],
      ['2026-04-01', null, { MXN: '5000' }],
    ]);
    const [states] = await database.db.select().from(accountStates).where(eq(accountStates.debtorId, ids['STEADY']!));
    expect([states!.oldestDueOn, states!.leftAsOf]).toEqual([dueFor(100), null]);
    expect(await latestSnapshotDate(ctx)).toBe('2026-04-02');
  });

  it('running the latest date again changes nothing', async () => {
    const before = await database.db.select().from(accountHistory).orderBy(asc(accountHistory.debtorId), asc(accountHistory.validFrom));
    await runPortfolio(ctx, { asOf: '2026-04-02' });
    expect(await database.db.select().from(accountHistory).orderBy(asc(accountHistory.debtorId), asc(accountHistory.validFrom))).toEqual(before);
    for (const day of days) expect(await snapshot(day)).toEqual(seen[day]);
  });

  it('an earlier date forced again is replaced alone; the dates after it keep what their runs placed', async () => {
    // PAYER pays the rest: running the 31st again sees it settled on that date only.
    await pay('P1', 0n);
    await pay('P2', 0n);
    await runPortfolio(ctx, { asOf: '2026-03-31', force: true });
    const redone = await snapshot('2026-03-31');
    expect(redone.find((s) => s.startsWith(`${ids['PAYER']} `))).toBe(`${ids['PAYER']} settled null null {} `);
    expect(redone.filter((s) => !s.startsWith(`${ids['PAYER']} `))).toEqual(seen['2026-03-31']!.filter((s) => !s.startsWith(`${ids['PAYER']} `)));
    for (const day of ['2026-03-30', '2026-04-01', '2026-04-02']) expect(await snapshot(day)).toEqual(seen[day]);
    // The accounts are as of the forced date now.
    expect(await current()).toEqual(redone);
    const [payer] = await database.db.select().from(accounts).where(eq(accounts.debtorId, ids['PAYER']!));
    expect(payer!.asOf).toBe('2026-03-31');

    // The next date after it is run again from there: replaced too, the last one kept.
    await runPortfolio(ctx, { asOf: '2026-04-01' });
    expect((await snapshot('2026-04-01')).find((s) => s.startsWith(`${ids['PAYER']} `))).toBe(`${ids['PAYER']} settled null null {} `);
    expect(await snapshot('2026-04-02')).toEqual(seen['2026-04-02']);
    expect(await snapshot('2026-03-30')).toEqual(seen['2026-03-30']);
  });

  it('a manual phase set between runs shows from the next run date on, not in the date before', async () => {
    await runPortfolio(ctx, { asOf: '2026-04-02' });
    clock.set('2026-04-03T18:00:00Z');
    await runPortfolio(ctx, { asOf: '2026-04-03' });
    const before = await snapshot('2026-04-03');
    await overridePhase(ctx, { debtorExternalId: 'STEADY', phase: 'written_off', reason: 'quebranto' });
    expect((await current()).find((s) => s.startsWith(`${ids['STEADY']} `))).toMatch(/ written_off /);
    expect(await snapshot('2026-04-03')).toEqual(before);
    clock.set('2026-04-04T18:00:00Z');
    await runPortfolio(ctx, { asOf: '2026-04-04' });
    expect((await snapshot('2026-04-04')).find((s) => s.startsWith(`${ids['STEADY']} `))).toMatch(/ written_off 105 /);
    expect(await snapshot('2026-04-03')).toEqual(before);

    const rows: string[] = [];
    for await (const r of accountsReport(ctx, { asOf: '2026-04-03' })) rows.push(`${r.debtor_external_id} ${r.phase} ${r.days_past_due}`);
    expect(rows.sort()).toEqual(['EDGE extrajudicial 34', 'PAYER settled null', 'STEADY judicial 104']);
  });
});
