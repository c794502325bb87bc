/**
 * The daily run against a real database: DPD, buckets, phases at their boundaries, balances per currency, segments,
 * holds, manual phases, idempotency per date, out-of-order refusal and phase history.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, getViewSelectedFields } from 'drizzle-orm';
import { createTestCompany, createTestDatabase, type TestDatabase } from '../support/database.ts';
import { accounts, accountSnapshots, debtors, obligations, phaseChanges, portfolios } from '../../src/db/schema.ts';
import { fixedClock } from '../../src/modules/shared/clock.ts';
import type { Ctx } from '../../src/modules/shared/context.ts';
import { addHold, addSegment, agingReport, accountsReport, overridePhase, removeHold, runPortfolio, setPhases } from '../../src/modules/collection-runs/index.ts';
import { AppError } from '../../src/modules/shared/errors.ts';

let database: TestDatabase;
let ctx: Ctx;
let portfolioId: number;
// The company's day is the one run: a run as of a later date than today is refused.
const clock = fixedClock('2026-03-31T18:00:00Z');

async function debtor(externalId: string, extra: Partial<typeof debtors.$inferInsert> = {}) {
  const [row] = await database.db
    .insert(debtors)
    .values({ companyId: ctx.companyId, externalId, name: `Deudor ${externalId}`, country: 'MX', timeZone: 'America/Mexico_City', ...extra })
    .returning();
  return row!;
}

async function obligation(debtorId: number, externalId: string, dueOn: string, amount: bigint, currency = 'MXN', balance = amount, product = 'Tarjeta') {
  await database.db.insert(obligations).values({ companyId: ctx.companyId, portfolioId, debtorId, externalId, currency, amount, balance, dueOn, product });
}

async function account(debtorExternalId: string) {
  const [row] = await database.db
    .select({ a: getViewSelectedFields(accounts) })
    .from(accounts)
    .innerJoin(debtors, eq(debtors.id, accounts.debtorId))
    .where(and(eq(debtors.companyId, ctx.companyId), eq(debtors.externalId, debtorExternalId)));
  return row!.a;
}

beforeAll(async () => {
  database = await createTestDatabase();
  const company = await createTestCompany(database);
  ctx = { database, clock, companyId: company.id, actor: 'test' };
  const [p] = await database.db.select().from(portfolios).where(eq(portfolios.companyId, company.id));
  portfolioId = p!.id;
  // Due dates chosen so that, as of 2026-03-31, DPDs sit on each side of every phase boundary.
  const asOf = new Date('2026-03-31');
  const dueFor = (dpd: number) => new Date(asOf.getTime() - dpd * 86_400_000).toISOString().slice(0, 10);
  for (const dpd of [-3, 0, 1, 30, 31, 90, 91, 181]) {
    const d = await debtor(`D${dpd}`, { region: dpd > 30 ? 'JAL' : 'NLE', tags: dpd === 1 ? ['vip'] : [] });
    await obligation(d.id, `O${dpd}`, dueFor(dpd), 100_000n);
    await obligation(d.id, `O${dpd}-current`, dueFor(-10), 5_000n); // a not-yet-due one never makes the debtor better
  }
  const multi = await debtor('MULTI');
  await obligation(multi.id, 'M1', dueFor(10), 250_050n, 'MXN');
  await obligation(multi.id, 'M2', dueFor(40), 1_999n, 'USD');
  await obligation(multi.id, 'M3', dueFor(70), 1_000n, 'MXN', 0n); // paid: does not count toward DPD
  const paid = await debtor('PAID');
  await obligation(paid.id, 'P1', dueFor(50), 10_000n, 'MXN', 0n);
  const chile = await debtor('CLP', { country: 'CL', timeZone: 'America/Santiago' });
  await obligation(chile.id, 'C1', dueFor(5), 150_000n, 'CLP');
  await addSegment(ctx, { name: 'altos-jalisco', rule: "phase in ('extrajudicial', 'judicial') and region = 'JAL' and balance.MXN >= 1000" });
  await addSegment(ctx, { name: 'vip', rule: "tags = 'vip'" });
  await addSegment(ctx, { name: 'multimoneda', rule: 'balance.USD > 0 and balance.MXN > 2500' });
});

afterAll(async () => {
  await database?.close();
});

describe('daily run', () => {
  it('places every account by its worst open obligation, at each boundary', async () => {
    const r = await runPortfolio(ctx, { asOf: '2026-03-31' });
    expect(r.status).toBe('succeeded');
    const expected: Record<string, [string, number, string]> = {
      'D-3': ['preventive', -3, 'current'],
      D0: ['preventive', 0, 'current'],
      D1: ['administrative', 1, '1-30'],
      D30: ['administrative', 30, '1-30'],
      D31: ['extrajudicial', 31, '31-60'],
      D90: ['extrajudicial', 90, '61-90'],
      D91: ['judicial', 91, '91-120'],
      D181: ['judicial', 181, '181+'],
      MULTI: ['extrajudicial', 40, '31-60'],
      CLP: ['administrative', 5, '1-30'],
    };
    for (const [ext, [phase, dpd, bucket]] of Object.entries(expected)) {
      const a = await account(ext);
      expect([ext, a.phase, a.daysPastDue, a.bucket]).toEqual([ext, phase, dpd, bucket]);
    }
    const paid = await account('PAID');
    expect([paid.phase, paid.daysPastDue, paid.bucket]).toEqual(['settled', null, null]);
    expect(r.byPhase).toEqual({ administrative: 3, extrajudicial: 3, judicial: 2, preventive: 2, settled: 1 });
  });

  it('keeps balances per currency, never summed across currencies', async () => {
    const multi = await account('MULTI');
    expect(multi.balances).toEqual({ MXN: '250050', USD: '1999' });
    expect(multi.overdue).toEqual({ MXN: '250050', USD: '1999' });
    const d0 = await account('D0');
    expect(d0.overdue).toEqual({}); // due today is not overdue yet
    expect(d0.balances).toEqual({ MXN: '105000' });
  });

  it('evaluates segments compiled to SQL', async () => {
    expect((await account('D31')).segments).toEqual(['altos-jalisco']);
    expect((await account('D181')).segments).toEqual(['altos-jalisco']);
    expect((await account('D30')).segments).toEqual([]);
    expect((await account('D1')).segments).toEqual(['vip']);
    expect((await account('MULTI')).segments).toEqual(['multimoneda']);
  });

  it('is idempotent for a date: the same result and no duplicate history', async () => {
    const before = await database.db.select().from(phaseChanges).where(eq(phaseChanges.companyId, ctx.companyId));
    const snapshotsBefore = await database.db.select().from(accountSnapshots).where(eq(accountSnapshots.companyId, ctx.companyId));
    const again = await runPortfolio(ctx, { asOf: '2026-03-31' });
    const after = await database.db.select().from(phaseChanges).where(eq(phaseChanges.companyId, ctx.companyId));
    const snapshotsAfter = await database.db.select().from(accountSnapshots).where(eq(accountSnapshots.companyId, ctx.companyId));
    expect(after.length).toBe(before.length);
    expect(snapshotsAfter.length).toBe(snapshotsBefore.length);
    expect(again.phaseChanges).toBe(before.length);
    expect(again.byPhase).toEqual({ administrative: 3, extrajudicial: 3, judicial: 2, preventive: 2, settled: 1 });
  });

  it('refuses an earlier date unless forced', async () => {
    await expect(runPortfolio(ctx, { asOf: '2026-03-30' })).rejects.toMatchObject({ code: 'run_out_of_order' });
    await expect(runPortfolio(ctx, { asOf: '2026-02-30' })).rejects.toBeInstanceOf(AppError);
  });

  it('records phase changes with their date when time moves on', async () => {
    clock.set('2026-04-01T18:00:00Z');
    const r = await runPortfolio(ctx, { asOf: '2026-04-01' });
    // D30 → extrajudicial, D90 → judicial, D0 → administrative; D-3 stays preventive (DPD -2)
    expect((await account('D30')).phase).toBe('extrajudicial');
    expect((await account('D30')).phaseSince).toBe('2026-04-01');
    expect((await account('D30')).previousPhase).toBe('administrative');
    expect((await account('D91')).phaseSince).toBe('2026-03-31');
    const changes = await database.db.select().from(phaseChanges).where(and(eq(phaseChanges.companyId, ctx.companyId), eq(phaseChanges.asOf, '2026-04-01')));
    expect(changes.map((c) => `${c.fromPhase}→${c.toPhase}`).sort()).toEqual(['administrative→extrajudicial', 'extrajudicial→judicial', 'preventive→administrative']);
    expect(r.phaseChanges).toBe(3);
  });

  it('a hold freezes the phase until released; a manual phase wins until cleared', async () => {
    clock.set('2026-05-15T18:00:00Z');
    await addHold(ctx, { debtorExternalId: 'D1', reason: 'dispute', note: 'no reconoce el cargo' });
    await runPortfolio(ctx, { asOf: '2026-05-15' });
    const held = await account('D1');
    expect([held.phase, held.onHold, held.daysPastDue, held.phaseSource]).toEqual(['administrative', true, 46, 'hold']);
    await removeHold(ctx, { debtorExternalId: 'D1' });
    await overridePhase(ctx, { debtorExternalId: 'D31', phase: 'written_off', reason: 'incobrable' });
    clock.set('2026-05-16T18:00:00Z');
    await runPortfolio(ctx, { asOf: '2026-05-16' });
    expect((await account('D1')).phase).toBe('extrajudicial');
    expect((await account('D31')).phase).toBe('written_off');
    await overridePhase(ctx, { debtorExternalId: 'D31', phase: null, reason: 'revisado' });
    clock.set('2026-05-17T18:00:00Z');
    await runPortfolio(ctx, { asOf: '2026-05-17' });
    expect((await account('D31')).phase).toBe('extrajudicial'); // DPD 78 by thresholds again
    // A manual phase that would have ended before today is refused: it would change nothing.
    await expect(overridePhase(ctx, { debtorExternalId: 'D31', phase: 'written_off', reason: 'x', until: '2026-05-16' })).rejects.toMatchObject({
      code: 'validation_failed',
      message: 'the manual phase would end on 2026-05-16, before today (2026-05-17)',
    });
    await overridePhase(ctx, { debtorExternalId: 'D31', phase: 'written_off', reason: 'hoy', until: '2026-05-17' });
    await overridePhase(ctx, { debtorExternalId: 'D31', phase: null, reason: 'revisado' });
  });

  it('grace days delay the phase but not the DPD', async () => {
    await setPhases(ctx, { thresholds: { graceDays: 5 } });
    clock.set('2026-05-18T18:00:00Z');
    await runPortfolio(ctx, { asOf: '2026-05-18' });
    const d = await account('CLP'); // due 2026-03-26 → DPD 53 − 5 grace = 48: still extrajudicial
    expect(d.daysPastDue).toBe(53);
    const edge = await account('D-3'); // due 2026-04-03 → DPD 45, effective 40
    expect(edge.phase).toBe('extrajudicial');
    await setPhases(ctx, { thresholds: { graceDays: 0 } });
    await expect(setPhases(ctx, { thresholds: { extrajudicialFrom: 200 } })).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('reports aging per portfolio and currency, and accounts as of a run date', async () => {
    const aging = await agingReport(ctx, { asOf: '2026-03-31' });
    const mxn = aging.lines.find((l) => l.currency === 'MXN')!;
    expect(mxn.buckets.find((b) => b.bucket === 'current')).toEqual({ bucket: 'current', amount: '2400.00', count: 10 });
    expect(mxn.buckets.find((b) => b.bucket === '181+')).toEqual({ bucket: '181+', amount: '1000.00', count: 1 });
    expect(mxn.total).toEqual({ amount: '10900.50', count: 17 });
    expect(aging.lines.find((l) => l.currency === 'CLP')!.total).toEqual({ amount: '150000', count: 1 });
    const rows = [];
    for await (const r of accountsReport(ctx, { asOf: '2026-03-31' })) rows.push(r);
    expect(rows).toHaveLength(11);
    expect(rows.find((r) => r.debtor_external_id === 'MULTI')).toMatchObject({ phase: 'extrajudicial', balances: { MXN: '2500.50', USD: '19.99' }, segments: ['multimoneda'] });
    await expect(accountsReport(ctx, { asOf: '2026-01-01' }).next()).rejects.toMatchObject({ code: 'not_found' });
  });
});
