/**
 * Allocation effects of imports, reversals and deletions: balances, unapplied credit and allocation rows are always
 * what allocating the current obligations and non-reversed payments from scratch gives.
 */
import { sql } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { deletePayment, recomputeBalances, reversePayment } from '../../src/modules/portfolio/index.ts';
import type { Ctx } from '../../src/modules/shared/context.ts';
import { fixedClock } from '../../src/modules/shared/clock.ts';
import { allocations, balances, csv, debtorsCsv, importCsv, OBLIGATIONS_HEADER as OBL, PAYMENTS_HEADER as PAY, q, unapplied, useWorld, type World } from './helpers.ts';

let world: World;
useWorld((w) => (world = w));

/** D1 owes O1 100 (due Jan) and O2 200 (due Feb) in MXN; D2 owes O3 50 MXN. */
async function seeded(): Promise<Ctx> {
  const ctx = await world.fresh();
  await importCsv(world, 'debtors', debtorsCsv('D1', 'D2'), {}, ctx);
  await importCsv(world, 'obligations', csv(OBL, 'O1,D1,MXN,100,2026-01-31', 'O2,D1,MXN,200,2026-02-28', 'O3,D2,MXN,50,2026-01-31'), {}, ctx);
  return ctx;
}

async function pay(ctx: Ctx, ...rows: string[]): Promise<void> {
  const result = await importCsv(world, 'payments', csv(PAY, ...rows), {}, ctx);
  expect(result.errors).toEqual([]);
}

test('a partial payment goes to the oldest due obligation', async () => {
  const ctx = await seeded();
  await pay(ctx, 'P1,D1,,MXN,60,2026-02-01');
  expect(await balances(world, ctx)).toEqual({ O1: '4000', O2: '20000', O3: '5000' });
  expect(await unapplied(world, ctx)).toEqual({ P1: '0' });
  expect(await allocations(world, ctx)).toEqual(['P1→O1:6000']);
});

test('a payment naming an obligation goes there first, then down the waterfall', async () => {
  const ctx = await seeded();
  await pay(ctx, 'P1,D1,O2,MXN,250,2026-02-01');
  expect(await balances(world, ctx)).toMatchObject({ O1: '5000', O2: '0' });
  expect(await allocations(world, ctx)).toEqual(['P1→O1:5000', 'P1→O2:20000']);
});

test('an over-payment leaves unapplied credit', async () => {
  const ctx = await seeded();
  await pay(ctx, 'P1,D1,,MXN,350.25,2026-02-01');
  expect(await balances(world, ctx)).toMatchObject({ O1: '0', O2: '0' });
  expect(await unapplied(world, ctx)).toEqual({ P1: '5025' });
});

test('a payment in a currency the debtor does not owe stays unapplied', async () => {
  const ctx = await seeded();
  await pay(ctx, 'P1,D1,O1,USD,10,2026-02-01');
  expect(await balances(world, ctx)).toMatchObject({ O1: '10000', O2: '20000' });
  expect(await unapplied(world, ctx)).toEqual({ P1: '1000' });
  expect(await allocations(world, ctx)).toEqual([]);
});

test('reversing a payment restores exactly what it applied, and cannot be done twice', async () => {
  const ctx = await seeded();
  await pay(ctx, 'P1,D1,,MXN,60,2026-02-01', 'P2,D1,,MXN,100,2026-02-05');
  expect(await balances(world, ctx)).toMatchObject({ O1: '0', O2: '14000' });
  const result = await reversePayment(ctx, { externalId: 'P1', reason: 'cheque devuelto' });
  expect(result).toEqual({ externalId: 'P1', reversedAt: '2026-03-01T15:00:00.000Z', reason: 'cheque devuelto' });
  // P2 alone: 100 → O1 (100).
  expect(await balances(world, ctx)).toMatchObject({ O1: '0', O2: '20000' });
  expect(await unapplied(world, ctx)).toEqual({ P1: '0', P2: '0' });
  expect(await allocations(world, ctx)).toEqual(['P2→O1:10000']);
  const [row] = await q(world, sql`SELECT reversal_reason, reversed_at IS NOT NULL AS reversed FROM payments WHERE company_id = ${ctx.companyId} AND external_id = 'P1'`);
  expect(row).toEqual({ reversal_reason: 'cheque devuelto', reversed: true });

  await expect(reversePayment(ctx, { externalId: 'P1', reason: 'again' })).rejects.toMatchObject({ code: 'conflict' });
  await expect(reversePayment(ctx, { externalId: 'NOPE', reason: 'x' })).rejects.toMatchObject({ code: 'not_found' });
  await expect(reversePayment(ctx, { externalId: 'P2', reason: '  ' })).rejects.toMatchObject({ code: 'validation_failed' });
  // Re-importing the reversed payment does not bring it back.
  await pay(ctx, 'P1,D1,,MXN,60,2026-02-01');
  expect(await balances(world, ctx)).toMatchObject({ O1: '0', O2: '20000' });
});

test('a payments import reads the reversed payments through their own index, not every payment of the company', async () => {
  const ctx = await seeded();
  await q(world, sql`
    INSERT INTO payments (company_id, debtor_id, external_id, currency, amount, unapplied, paid_on, created_at, updated_at)
    SELECT ${ctx.companyId}, d.id, 'BULK-' || g, 'MXN', 100, 0, '2026-02-01', now(), now()
      FROM generate_series(1, 3000) g JOIN debtors d ON d.company_id = ${ctx.companyId} AND d.external_id = 'D1'`);
  await reversePayment(ctx, { externalId: 'BULK-7', reason: 'cheque devuelto' });
  await q(world, sql`ANALYZE payments`);
  // What the import's check (src/modules/portfolio/import/checks.ts) joins the file's rows to.
  const plan = await q<Record<string, string>>(world, sql`EXPLAIN SELECT p.external_id FROM payments p WHERE p.company_id = ${ctx.companyId} AND p.reversed_at IS NOT NULL`);
  expect(plan.map((r) => Object.values(r)[0]).join('\n')).toContain('payments_reversed_idx');
  // The check itself: the reversed payment sent again with another amount is refused, the others go through.
  const result = await importCsv(world, 'payments', csv(PAY, 'BULK-7,D1,,MXN,99,2026-02-01', 'BULK-8,D1,,MXN,100,2026-02-01'), {}, ctx);
  expect(result.errors.map((e) => e.reason)).toEqual([expect.stringMatching(/^payment "BULK-7" was reversed on 2026-03-01; a reversed payment cannot be changed/)]);
});

test('a reversal is dated by the company’s calendar, not UTC’s', async () => {
  const ctx = await seeded();
  await pay(ctx, 'LATE-1,D1,,MXN,10,2026-02-01');
  // 21:00 on 1 March in Mexico City is already 2 March in UTC.
  await reversePayment({ ...ctx, clock: fixedClock('2026-03-02T03:00:00Z') }, { externalId: 'LATE-1', reason: 'cheque devuelto' });
  const result = await importCsv(world, 'payments', csv(PAY, 'LATE-1,D1,,MXN,11,2026-02-01'), {}, ctx);
  expect(result.errors.map((e) => e.reason)).toEqual([expect.stringMatching(/^payment "LATE-1" was reversed on 2026-03-01;/)]);
});

test('deleting a payment restores the balances as if it never existed', async () => {
  const ctx = await seeded();
  const before = await balances(world, ctx);
  await pay(ctx, 'P1,D1,,MXN,120,2026-02-01');
  expect(await balances(world, ctx)).toMatchObject({ O1: '0', O2: '18000' });
  expect(await deletePayment(ctx, { externalId: 'P1' })).toEqual({ externalId: 'P1' });
  expect(await balances(world, ctx)).toEqual(before);
  expect(await allocations(world, ctx)).toEqual([]);
  await expect(deletePayment(ctx, { externalId: 'P1' })).rejects.toMatchObject({ code: 'not_found' });
});

test("another company's payment with the same external id cannot be reversed or deleted", async () => {
  const a = await seeded();
  const b = await seeded();
  await pay(a, 'P1,D1,,MXN,60,2026-02-01');
  await expect(reversePayment(b, { externalId: 'P1', reason: 'x' })).rejects.toMatchObject({ code: 'not_found' });
  await expect(deletePayment(b, { externalId: 'P1' })).rejects.toMatchObject({ code: 'not_found' });
  expect(await balances(world, a)).toMatchObject({ O1: '4000' });
});

test('importing obligations for a debtor with payments re-allocates them', async () => {
  const ctx = await seeded();
  await pay(ctx, 'P1,D1,,MXN,350,2026-02-01');
  expect(await unapplied(world, ctx)).toEqual({ P1: '5000' });
  // A new, older obligation takes the credit first; a changed amount is re-allocated too.
  const result = await importCsv(world, 'obligations', csv(OBL, 'O0,D1,MXN,30,2025-12-31', 'O2,D1,MXN,250,2026-02-28'), {}, ctx);
  expect(result).toMatchObject({ inserted: 1, updated: 1 });
  expect(await balances(world, ctx)).toMatchObject({ O0: '0', O1: '0', O2: '3000' });
  expect(await unapplied(world, ctx)).toEqual({ P1: '0' });
  expect(await allocations(world, ctx)).toEqual(['P1→O0:3000', 'P1→O1:10000', 'P1→O2:22000']);
});

test('moving an obligation nothing was paid on to another debtor re-allocates both debtors; one paid on is refused', async () => {
  const ctx = await seeded();
  // D2 pays 80 on its 50: 30 left as credit.
  await pay(ctx, 'P2,D2,,MXN,80,2026-02-01');
  expect(await unapplied(world, ctx)).toEqual({ P2: '3000' });
  await importCsv(world, 'obligations', csv(OBL, 'O1,D2,MXN,100,2026-01-31'), {}, ctx);
  // O1 now belongs to D2, whose payment is allocated again from scratch: O1 and O3 fall due the same day, O1 first.
  expect(await balances(world, ctx)).toEqual({ O1: '2000', O2: '20000', O3: '5000' });
  expect(await unapplied(world, ctx)).toEqual({ P2: '0' });
  expect(await allocations(world, ctx)).toEqual(['P2→O1:8000']);
  // O1 now has D2's money on it: moving it back would silently send that money elsewhere.
  const refused = await importCsv(world, 'obligations', csv(OBL, 'O1,D1,MXN,100,2026-01-31'), {}, ctx);
  expect(refused.status).toBe('rejected');
  expect(await allocations(world, ctx)).toEqual(['P2→O1:8000']);
});

test('updating a payment amount or moving it to another debtor re-allocates', async () => {
  const ctx = await seeded();
  await pay(ctx, 'P1,D1,,MXN,60,2026-02-01');
  await pay(ctx, 'P1,D1,,MXN,80,2026-02-01');
  expect(await balances(world, ctx)).toMatchObject({ O1: '2000' });
  await pay(ctx, 'P1,D2,,MXN,80,2026-02-01');
  expect(await balances(world, ctx)).toEqual({ O1: '10000', O2: '20000', O3: '0' });
  expect(await unapplied(world, ctx)).toEqual({ P1: '3000' });
  expect(await allocations(world, ctx)).toEqual(['P1→O3:5000']);
});

test("recomputeBalances('all') repairs derived columns and is a no-op when they are right", async () => {
  const ctx = await seeded();
  await pay(ctx, 'P1,D1,,MXN,60,2026-02-01', 'P2,D2,,MXN,70,2026-02-01');
  const expected = { balances: await balances(world, ctx), unapplied: await unapplied(world, ctx), allocations: await allocations(world, ctx) };
  const clean = await recomputeBalances(ctx.database.db, ctx.companyId, 'all');
  expect(clean).toMatchObject({ debtors: 2, obligationsChanged: 0, paymentsChanged: 0, allocationsWritten: 0, allocationsDeleted: 0 });

  await ctx.database.db.execute(sql`UPDATE obligations SET balance = 1 WHERE company_id = ${ctx.companyId}`);
  await ctx.database.db.execute(sql`UPDATE payments SET unapplied = 0 WHERE company_id = ${ctx.companyId}`);
  await ctx.database.db.execute(sql`DELETE FROM payment_allocations WHERE company_id = ${ctx.companyId}`);
  const repaired = await recomputeBalances(ctx.database.db, ctx.companyId, 'all');
  expect(repaired).toMatchObject({ debtors: 2, obligationsChanged: 3, paymentsChanged: 1, allocationsWritten: 2 });
  expect({ balances: await balances(world, ctx), unapplied: await unapplied(world, ctx), allocations: await allocations(world, ctx) }).toEqual(expected);
});

test('two payment imports for one debtor running at once end with both payments allocated', async () => {
  const ctx = await seeded();
  const [a, b] = await Promise.all([
    importCsv(world, 'payments', csv(PAY, 'P1,D1,,MXN,60,2026-02-01'), {}, ctx),
    importCsv(world, 'payments', csv(PAY, 'P2,D1,,MXN,70,2026-02-02'), {}, ctx),
  ]);
  expect([a.status, b.status]).toEqual(['completed', 'completed']);
  expect(await balances(world, ctx)).toMatchObject({ O1: '0', O2: '17000' });
  expect(await allocations(world, ctx)).toEqual(['P1→O1:6000', 'P2→O1:4000', 'P2→O2:3000']);
});
