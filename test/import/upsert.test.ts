/**
 * Upsert by external id: re-importing changes nothing, changed rows are counted as updated, columns a file does not
 * carry are kept, a dry run writes nothing, and companies never see each other's rows.
 */
import { sql } from 'drizzle-orm';
import { describe, expect, test } from 'vitest';
import type { fixedClock } from '../../src/modules/shared/clock.ts';
import { count, csv, debtorsCsv, importCsv, OBLIGATIONS_HEADER as OBL, obligationsOf, q, useWorld, type World } from './helpers.ts';

let world: World;
useWorld((w) => (world = w));

const DEBTORS = csv('external_id,name,email,phone,tags,score', 'D1,Ana,ana@x.mx,5512345678,a;b,1', 'D2,Bob,,,,2', 'D3,Carla,carla@x.mx,,,3');

describe('idempotency', () => {
  test('the same file twice: inserted, then unchanged; nothing is rewritten', async () => {
    const ctx = await world.fresh();
    const first = await importCsv(world, 'debtors', DEBTORS, {}, ctx);
    expect(first).toMatchObject({ status: 'completed', rows: 3, inserted: 3, updated: 0, unchanged: 0 });
    const before = await q<{ updated_at: unknown; xmin: string }>(world, sql`SELECT updated_at::text AS updated_at, xmin::text AS xmin FROM debtors WHERE company_id = ${ctx.companyId} ORDER BY id`);
    (ctx.clock as ReturnType<typeof fixedClock>).advance(60_000);
    const second = await importCsv(world, 'debtors', DEBTORS, {}, ctx);
    expect(second).toMatchObject({ status: 'completed', rows: 3, inserted: 0, updated: 0, unchanged: 3 });
    const after = await q(world, sql`SELECT updated_at::text AS updated_at, xmin::text AS xmin FROM debtors WHERE company_id = ${ctx.companyId} ORDER BY id`);
    expect(after).toEqual(before);
  });

  test('a changed row is updated, the rest unchanged; updated_at moves only for it', async () => {
    const ctx = await world.fresh();
    await importCsv(world, 'debtors', DEBTORS, {}, ctx);
    (ctx.clock as ReturnType<typeof fixedClock>).advance(3_600_000);
    const changed = DEBTORS.replace('D2,Bob,,,,2', 'D2,Bob,bob@x.mx,,,2');
    const result = await importCsv(world, 'debtors', changed, {}, ctx);
    expect(result).toMatchObject({ inserted: 0, updated: 1, unchanged: 2 });
    const rows = await q<{ external_id: string; email: string | null; moved: boolean }>(
      world,
      sql`SELECT external_id, email, updated_at > created_at AS moved FROM debtors WHERE company_id = ${ctx.companyId} ORDER BY external_id`,
    );
    expect(rows).toEqual([
      { external_id: 'D1', email: 'ana@x.mx', moved: false },
      { external_id: 'D2', email: 'bob@x.mx', moved: true },
      { external_id: 'D3', email: 'carla@x.mx', moved: false },
    ]);
  });

  test('obligations: same file unchanged, new amount updated, new row inserted', async () => {
    const ctx = await world.fresh();
    await importCsv(world, 'debtors', debtorsCsv('D1'), {}, ctx);
    const file = csv(OBL, 'O1,D1,MXN,100,2026-01-31', 'O2,D1,MXN,200,2026-02-28');
    expect(await importCsv(world, 'obligations', file, {}, ctx)).toMatchObject({ inserted: 2, updated: 0, unchanged: 0 });
    expect(await importCsv(world, 'obligations', file, {}, ctx)).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });
    const next = csv(OBL, 'O1,D1,MXN,100,2026-01-31', 'O2,D1,MXN,250,2026-02-28', 'O3,D1,MXN,1,2026-03-31');
    expect(await importCsv(world, 'obligations', next, {}, ctx)).toMatchObject({ inserted: 1, updated: 1, unchanged: 1 });
    expect((await obligationsOf(world, ctx)).map((o) => [o.external_id, o.amount, o.balance])).toEqual([
      ['O1', '10000', '10000'],
      ['O2', '25000', '25000'],
      ['O3', '100', '100'],
    ]);
  });
});

describe('columns a file does not carry', () => {
  test('are kept on existing rows; attributes merge and a blank cell removes one', async () => {
    const ctx = await world.fresh();
    await importCsv(world, 'debtors', DEBTORS, {}, ctx);
    const result = await importCsv(world, 'debtors', csv('external_id,name,email,score,segment', 'D1,Ana María,,,gold'), {}, ctx);
    expect(result).toMatchObject({ inserted: 0, updated: 1 });
    const [d1] = await q<{ name: string; email: string | null; phone: string | null; tags: string[]; attributes: Record<string, string> }>(
      world,
      sql`SELECT name, email, phone, tags, attributes FROM debtors WHERE company_id = ${ctx.companyId} AND external_id = 'D1'`,
    );
    // email was in the file (blank): cleared. phone and tags were not: kept.
    expect(d1).toEqual({ name: 'Ana María', email: null, phone: '+525512345678', tags: ['a', 'b'], attributes: { segment: 'gold' } });
  });

  test("an obligation's portfolio is kept unless the file or the option chooses one", async () => {
    const ctx = await world.fresh();
    await importCsv(world, 'debtors', debtorsCsv('D1'), {}, ctx);
    await importCsv(world, 'obligations', csv(OBL + ',portfolio', 'O1,D1,MXN,1,2026-01-31,Consumo'), {}, ctx);
    expect(await importCsv(world, 'obligations', csv(OBL, 'O1,D1,MXN,1,2026-01-31'), {}, ctx)).toMatchObject({ unchanged: 1 });
    expect((await obligationsOf(world, ctx))[0]!.portfolio).toBe('Consumo');
    expect(await importCsv(world, 'obligations', csv(OBL, 'O1,D1,MXN,1,2026-01-31'), { portfolio: 'Legal' }, ctx)).toMatchObject({ updated: 1 });
    expect((await obligationsOf(world, ctx))[0]!.portfolio).toBe('Legal');
  });

  test('a portfolio named with another case means the one that exists (or the first spelling in the file)', async () => {
    const ctx = await world.fresh();
    await importCsv(world, 'debtors', debtorsCsv('D1'), {}, ctx);
    await importCsv(world, 'obligations', csv(OBL + ',portfolio', 'O1,D1,MXN,1,2026-01-31,retail'), {}, ctx);
    const second = await importCsv(world, 'obligations', csv(OBL + ',portfolio', 'O2,D1,MXN,1,2026-01-31,RETAIL', 'O3,D1,MXN,1,2026-01-31,Norte', 'O4,D1,MXN,1,2026-01-31,NORTE'), {}, ctx);
    expect(second).toMatchObject({ inserted: 3, errors: [] });
    expect(await importCsv(world, 'obligations', csv(OBL, 'O5,D1,MXN,1,2026-01-31'), { portfolio: 'Retail' }, ctx)).toMatchObject({ inserted: 1 });
    expect(Object.fromEntries((await obligationsOf(world, ctx)).map((o) => [o.external_id, o.portfolio]))).toEqual({ O1: 'retail', O2: 'retail', O3: 'Norte', O4: 'Norte', O5: 'retail' });
    expect(await q(world, sql`SELECT name FROM portfolios WHERE company_id = ${ctx.companyId} ORDER BY id`)).toEqual([{ name: 'default' }, { name: 'retail' }, { name: 'Norte' }]);
  });
});

describe('dry run', () => {
  test('validates and counts exactly, writes nothing, and records the attempt', async () => {
    const ctx = await world.fresh();
    await importCsv(world, 'debtors', debtorsCsv('D1'), {}, ctx);
    const result = await importCsv(world, 'debtors', csv('external_id,name', 'D1,Changed', 'D2,New'), { dryRun: true }, ctx);
    expect(result).toMatchObject({ status: 'validated', dryRun: true, rows: 2, inserted: 1, updated: 1, unchanged: 0, errors: [] });
    expect(await q(world, sql`SELECT external_id, name FROM debtors WHERE company_id = ${ctx.companyId} ORDER BY 1`)).toEqual([{ external_id: 'D1', name: 'Debtor D1' }]);
    const [record] = await q(world, sql`SELECT status, dry_run, rows, inserted, updated FROM imports WHERE id = ${result.importId}`);
    expect(record).toEqual({ status: 'validated', dry_run: true, rows: 2, inserted: 1, updated: 1 });
  });

  test('creates no portfolio and no balances', async () => {
    const ctx = await world.fresh();
    await importCsv(world, 'debtors', debtorsCsv('D1'), {}, ctx);
    const result = await importCsv(world, 'obligations', csv(OBL + ',portfolio', 'O1,D1,MXN,1,2026-01-31,Nueva'), { dryRun: true }, ctx);
    expect(result).toMatchObject({ status: 'validated', inserted: 1 });
    expect(await count(world, 'obligations', ctx)).toBe(0);
    expect(await q(world, sql`SELECT name FROM portfolios WHERE company_id = ${ctx.companyId}`)).toEqual([{ name: 'default' }]);
  });

  test('reports errors like a real run', async () => {
    const ctx = await world.fresh();
    const result = await importCsv(world, 'debtors', csv('external_id,name', 'D1,'), { dryRun: true }, ctx);
    expect(result).toMatchObject({ status: 'rejected', dryRun: true, errors: [{ line: 2, column: 'name', reason: 'is required' }] });
  });
});

test('a completed import is recorded in the same transaction as its data', async () => {
  const ctx = await world.fresh();
  const result = await importCsv(world, 'debtors', DEBTORS, {}, ctx);
  const [record] = await q(world, sql`SELECT company_id::int AS company, entity, status, rows, inserted, updated, unchanged, errors, finished_at IS NOT NULL AS finished FROM imports WHERE id = ${result.importId}`);
  expect(record).toEqual({ company: ctx.companyId, entity: 'debtors', status: 'completed', rows: 3, inserted: 3, updated: 0, unchanged: 0, errors: null, finished: true });
});

describe('company isolation', () => {
  test('two companies with the same external ids keep separate rows, balances and counts', async () => {
    const a = await world.fresh();
    const b = await world.fresh();
    for (const ctx of [a, b]) {
      expect(await importCsv(world, 'debtors', debtorsCsv('D1', 'D2'), {}, ctx)).toMatchObject({ inserted: 2 });
      expect(await importCsv(world, 'obligations', csv(OBL, 'O1,D1,MXN,100,2026-01-31'), {}, ctx)).toMatchObject({ inserted: 1 });
    }
    await importCsv(world, 'debtors', csv('external_id,name', 'D1,Only in A'), {}, a);
    expect(await importCsv(world, 'payments', csv('external_id,debtor_external_id,obligation_external_id,currency,amount,paid_on', 'P1,D1,O1,MXN,30,2026-02-01'), {}, a)).toMatchObject({ inserted: 1 });

    const names = async (ctx: typeof a) => (await q<{ name: string }>(world, sql`SELECT name FROM debtors WHERE company_id = ${ctx.companyId} ORDER BY external_id`)).map((r) => r.name);
    expect(await names(a)).toEqual(['Only in A', 'Debtor D2']);
    expect(await names(b)).toEqual(['Debtor D1', 'Debtor D2']);
    expect((await obligationsOf(world, a))[0]!.balance).toBe('7000');
    expect((await obligationsOf(world, b))[0]!.balance).toBe('10000');
    expect(await count(world, 'payments', b)).toBe(0);
    // The same payment id in B is a new payment of B, for B's debtor.
    expect(await importCsv(world, 'payments', csv('external_id,debtor_external_id,currency,amount,paid_on', 'P1,D1,MXN,100,2026-02-01'), {}, b)).toMatchObject({ inserted: 1 });
    expect((await obligationsOf(world, b))[0]!.balance).toBe('0');
    expect((await obligationsOf(world, a))[0]!.balance).toBe('7000');
  });
});
