/**
 * saveRecords: the API's create/update path runs the import pipeline, reports problems as `rows[i].column` paths and
 * writes nothing when any row is bad.
 */
import { sql } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { saveRecords } from '../../src/modules/portfolio/index.ts';
import { AppError } from '../../src/modules/shared/errors.ts';
import { balances, count, q, useWorld, type World } from './helpers.ts';

let world: World;
useWorld((w) => (world = w));

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

test('creates and updates rows, with the same counts as an import', async () => {
  const ctx = await world.fresh();
  const created = await saveRecords(ctx, { entity: 'debtors', rows: [{ external_id: 'D1', name: 'Ana', phone: '55 1234 5678', nivel: 'oro' }, { external_id: 'D2', name: 'Bob' }] });
  expect(created).toEqual({ entity: 'debtors', rows: 2, inserted: 2, updated: 0, unchanged: 0, dryRun: false });
  const [d1] = await q(world, sql`SELECT phone, attributes FROM debtors WHERE company_id = ${ctx.companyId} AND external_id = 'D1'`);
  expect(d1).toEqual({ phone: '+525512345678', attributes: { nivel: 'oro' } });

  const updated = await saveRecords(ctx, { entity: 'debtors', rows: [{ external_id: 'D2', name: 'Bob', email: 'bob@x.mx' }] });
  expect(updated).toMatchObject({ inserted: 0, updated: 1, unchanged: 0 });
  // A column no row sends is left alone.
  expect((await q(world, sql`SELECT phone FROM debtors WHERE company_id = ${ctx.companyId} AND external_id = 'D1'`))[0]).toEqual({ phone: '+525512345678' });

  await saveRecords(ctx, { entity: 'obligations', rows: [{ external_id: 'O1', debtor_external_id: 'D1', currency: 'MXN', amount: '100.00', due_on: '2026-01-31' }] });
  await saveRecords(ctx, { entity: 'payments', rows: [{ external_id: 'P1', debtor_external_id: 'D1', currency: 'MXN', amount: '40', paid_on: '2026-02-01', obligation_external_id: null }] });
  expect(await balances(world, ctx)).toEqual({ O1: '6000' });
});

test('bad rows: validation_failed with rows[i].column paths, nothing written', async () => {
  const ctx = await world.fresh();
  const error = await failure(
    saveRecords(ctx, {
      entity: 'debtors',
      rows: [
        { external_id: 'D1', name: 'Ana' },
        { external_id: 'D2', name: '', email: 'nope' },
        { external_id: 'D1', name: 'Dup' },
      ],
    }),
  );
  expect(error.code).toBe('validation_failed');
  expect(error.details).toEqual([
    { path: 'rows[0].external_id', reason: expect.stringContaining('"D1" appears 2 times') },
    { path: 'rows[1].name', reason: 'is required' },
    { path: 'rows[1].email', reason: '"nope" is not an email address' },
    { path: 'rows[2].external_id', reason: expect.stringContaining('"D1" appears 2 times') },
  ]);
  expect(error.message).toBe('4 problems in the debtors; nothing was saved');
  expect(await count(world, 'debtors', ctx)).toBe(0);
});

test('unknown keys are refused for obligations and payments; a missing required key names the column', async () => {
  const ctx = await world.fresh();
  await saveRecords(ctx, { entity: 'debtors', rows: [{ external_id: 'D1', name: 'Ana' }] });
  const unknown = await failure(
    saveRecords(ctx, { entity: 'obligations', rows: [{ external_id: 'O1', debtor_external_id: 'D1', currency: 'MXN', amount: '1', due_on: '2026-01-01', amout: '2' }] }),
  );
  expect(unknown.details).toEqual([{ path: 'amout', reason: expect.stringContaining('not a column of obligations') }]);
  const missing = await failure(saveRecords(ctx, { entity: 'payments', rows: [{ external_id: 'P1', debtor_external_id: 'D1', amount: '1', paid_on: '2026-01-01' }] }));
  expect(missing.details).toEqual([{ path: 'currency', reason: expect.stringContaining('required column is missing') }]);
  const empty = await failure(saveRecords(ctx, { entity: 'payments', rows: [] }));
  expect(empty.details).toEqual([{ path: 'rows', reason: 'must contain at least one row' }]);
});

test('dry run validates and counts without writing', async () => {
  const ctx = await world.fresh();
  const result = await saveRecords(ctx, { entity: 'debtors', rows: [{ external_id: 'D1', name: 'Ana' }], dryRun: true });
  expect(result).toMatchObject({ inserted: 1, dryRun: true });
  expect(await count(world, 'debtors', ctx)).toBe(0);
});
