/**
 * Bad input: every problem is reported with its line and column, and one bad row means nothing is written.
 */
import { sql } from 'drizzle-orm';
import { describe, expect, test } from 'vitest';
import { importFile, MAX_REPORTED_ERRORS, reversePayment } from '../../src/modules/portfolio/index.ts';
import type { Ctx } from '../../src/modules/shared/context.ts';
import { count, csv, debtorsCsv, importCsv, OBLIGATIONS_HEADER as OBL, PAYMENTS_HEADER as PAY, q, useWorld, writeTemp, type World } from './helpers.ts';

let world: World;
useWorld((w) => (world = w));

/** A company with debtors D1, D2 and obligation O1 of D1 (MXN 100.00). */
async function seeded(): Promise<Ctx> {
  const ctx = await world.fresh();
  expect((await importCsv(world, 'debtors', debtorsCsv('D1', 'D2'), {}, ctx)).status).toBe('completed');
  expect((await importCsv(world, 'obligations', csv(OBL, 'O1,D1,MXN,100,2026-01-31'), {}, ctx)).status).toBe('completed');
  return ctx;
}

describe('all or nothing', () => {
  test('one bad row among good ones: nothing is written and every bad row is reported with line and column', async () => {
    const ctx = await seeded();
    const result = await importCsv(
      world,
      'obligations',
      csv(OBL, 'O2,D1,MXN,10,2026-02-01', 'O3,D1,MXN,-5,2026-02-01', 'O4,D2,MXN,20,2026-02-30', 'O5,D2,MXN,30,2026-03-01', 'O6,D2,XYZ,1,2026-03-01'),
      {},
      ctx,
    );
    expect(result).toMatchObject({ status: 'rejected', rows: 5, inserted: 0, updated: 0, unchanged: 0, errorCount: 3 });
    expect(result.errors).toEqual([
      { line: 3, column: 'amount', reason: '"-5" is negative; amounts must be zero or more' },
      { line: 4, column: 'due_on', reason: expect.stringContaining('is not a real date') },
      { line: 6, column: 'currency', reason: 'unknown currency "XYZ"' },
    ]);
    expect(await count(world, 'obligations', ctx)).toBe(1);
  });

  test('a rejected import is recorded with its errors; the data is not', async () => {
    const ctx = await seeded();
    const result = await importCsv(world, 'debtors', csv('external_id,name', 'D9,Nine', 'D10,'), {}, ctx);
    expect(result.status).toBe('rejected');
    const [record] = await q<{ status: string; rows: number; errors: unknown }>(world, sql`SELECT status, rows, errors FROM imports WHERE id = ${result.importId} AND company_id = ${ctx.companyId}`);
    // The reasons are kept in both languages, for GET /imports/:id in either.
    expect(record).toEqual({ status: 'rejected', rows: 2, errors: [{ line: 3, column: 'name', reason: { en: 'is required', es: 'es obligatorio' } }] });
    expect(await count(world, 'debtors', ctx)).toBe(2);
  });

  test('a failing payments file leaves balances untouched', async () => {
    const ctx = await seeded();
    const result = await importCsv(world, 'payments', csv(PAY, 'P1,D1,O1,MXN,40,2026-02-01', 'P2,D1,,MXN,abc,2026-02-01'), {}, ctx);
    expect(result.errors).toEqual([{ line: 3, column: 'amount', reason: expect.stringContaining('"abc" is not a number') }]);
    expect(await count(world, 'payments', ctx)).toBe(0);
    const [o1] = await q<{ balance: string }>(world, sql`SELECT balance::text AS balance FROM obligations WHERE company_id = ${ctx.companyId}`);
    expect(o1!.balance).toBe('10000');
  });
});

describe('values', () => {
  test.each([
    ['2026-02-30', 'due_on', '"2026-02-30" is not a real date (day 30 does not exist in 2026-02)'],
    ['15/01/2026', 'due_on', expect.stringContaining('use the DD/MM/YYYY date format')],
    ['tomorrow', 'due_on', '"tomorrow" is not a date in the form YYYY-MM-DD'],
    ['2026-03-01 13:45', 'due_on', '"2026-03-01 13:45" has a time of day; give the date alone, or with 00:00'],
    ['2026-02-30 00:00:00', 'due_on', '"2026-02-30" is not a real date (day 30 does not exist in 2026-02)'],
  ])('due date %s is refused', async (due, column, reason) => {
    const ctx = await seeded();
    const result = await importCsv(world, 'obligations', csv(OBL, `O2,D1,MXN,1,${due}`), {}, ctx);
    expect(result.errors).toEqual([{ line: 2, column, reason }]);
  });

  test.each([
    ['MXN', '-1', '"-1" is negative; amounts must be zero or more'],
    ['MXN', '12,50', '"12,50" is not a number (use digits and a dot for decimals, e.g. 1250.50)'],
    ['MXN', '$100', '"$100" is not a number (use digits and a dot for decimals, e.g. 1250.50)'],
    ['MXN', '10.005', '"10.005" has more than 2 decimals, the most MXN allows'],
    ['CLP', '10.5', '"10.5" has decimals but CLP has none'],
    // Amounts that fit a bigint but would overflow an account's balance or a report's total once summed.
    ['MXN', '92233720368547758.07', '"92233720368547758.07" is too large: at most 9999999999999.99 MXN per record'],
    ['CLP', '1000000000000000', '"1000000000000000" is too large: at most 999999999999999 CLP per record'],
    ['MXN', '', 'is required'],
  ])('amount %s %s is refused', async (currency, amount, reason) => {
    const ctx = await seeded();
    const result = await importCsv(world, 'obligations', csv(OBL, `O2,D1,${currency},"${amount}",2026-03-01`), {}, ctx);
    expect(result.errors).toEqual([{ line: 2, column: 'amount', reason }]);
  });

  test('a date with a midnight time, as ERPs export dates, is the date', async () => {
    const ctx = await seeded();
    const result = await importCsv(world, 'obligations', csv(OBL, 'O2,D1,MXN,1,2026-03-01 00:00:00', 'O3,D1,MXN,1,2026-03-02T00:00', 'O4,D1,MXN,1,2026-03-03 00:00:00.000'), {}, ctx);
    expect(result.errors).toEqual([]);
    const dmy = await importCsv(world, 'obligations', csv(OBL, 'O5,D1,MXN,1,04/03/2026 00:00'), { dateFormat: 'DD/MM/YYYY' }, ctx);
    expect(dmy.errors).toEqual([]);
    const stored = await q<{ external_id: string; due_on: string }>(world, sql`SELECT external_id, due_on::text AS due_on FROM obligations WHERE company_id = ${ctx.companyId} AND external_id <> 'O1' ORDER BY 1`);
    expect(stored).toEqual([
      { external_id: 'O2', due_on: '2026-03-01' },
      { external_id: 'O3', due_on: '2026-03-02' },
      { external_id: 'O4', due_on: '2026-03-03' },
      { external_id: 'O5', due_on: '2026-03-04' },
    ]);
  });

  test('the largest amount a record may carry is accepted, one minor unit more is not', async () => {
    const ctx = await seeded();
    expect((await importCsv(world, 'obligations', csv(OBL, 'O2,D1,MXN,9999999999999.99,2026-03-01'), { dryRun: true }, ctx)).errors).toEqual([]);
    expect((await importCsv(world, 'obligations', csv(OBL, 'O2,D1,MXN,10000000000000.00,2026-03-01'), { dryRun: true }, ctx)).errors).toEqual([
      { line: 2, column: 'amount', reason: '"10000000000000.00" is too large: at most 9999999999999.99 MXN per record' },
    ]);
  });

  test('trailing zeros within the currency precision are fine (MXN 10.500, CLP 10.0)', async () => {
    const ctx = await seeded();
    const result = await importCsv(world, 'obligations', csv(OBL, 'O2,D1,MXN,10.500,2026-03-01', 'O3,D1,CLP,10.0,2026-03-01'), {}, ctx);
    expect(result.errors).toEqual([]);
    const stored = await q<{ external_id: string; amount: string }>(world, sql`SELECT external_id, amount::text AS amount FROM obligations WHERE company_id = ${ctx.companyId} ORDER BY 1`);
    expect(stored).toEqual([
      { external_id: 'O1', amount: '10000' },
      { external_id: 'O2', amount: '1050' },
      { external_id: 'O3', amount: '10' },
    ]);
  });

  test('unknown currency, zero payment, issue date after due date', async () => {
    const ctx = await seeded();
    const obligations = await importCsv(world, 'obligations', csv(OBL + ',issued_on', 'O2,D1,BTC,1,2026-03-01,', 'O3,D1,MXN,1,2026-03-01,2026-03-02'), {}, ctx);
    expect(obligations.errors).toEqual([
      { line: 2, column: 'currency', reason: 'unknown currency "BTC"' },
      { line: 3, column: 'issued_on', reason: '2026-03-02 is after the due date 2026-03-01' },
    ]);
    const payments = await importCsv(world, 'payments', csv(PAY, 'P1,D1,,MXN,0,2026-03-01'), {}, ctx);
    expect(payments.errors).toEqual([{ line: 2, column: 'amount', reason: 'must be greater than zero' }]);
  });

  test('debtor fields: email, phone, tax id, country, region, time zone, type', async () => {
    const ctx = await world.fresh();
    const result = await importCsv(
      world,
      'debtors',
      csv(
        'external_id,name,type,tax_id,email,phone,country,region,time_zone',
        'D1,Ana,alien,,ana@@x,,,,',
        'D2,Bob,,ABC123,,12,,,',
        'D3,Carla,,,,,XX,,',
        'D4,Dan,,,,,MX,Atlantis,Mars/Olympus',
        'D5,Eva,empresa,GODE561231GR8,,,,,',
      ),
      {},
      ctx,
    );
    const byLine = (line: number) => result.errors.filter((e) => e.line === line).map((e) => e.column);
    expect(byLine(2)).toEqual(['type', 'email']);
    expect(byLine(3)).toEqual(['tax_id', 'phone']);
    expect(byLine(4)).toEqual(['country']);
    expect(byLine(5)).toEqual(['region', 'time_zone']);
    // A person's RFC for a row that says company.
    expect(byLine(6)).toEqual(['tax_id']);
    expect(result.errors.find((e) => e.line === 5 && e.column === 'time_zone')!.reason).toContain('not an IANA time zone');
    expect(await count(world, 'debtors', ctx)).toBe(0);
  });
});

describe('postal codes', () => {
  test('a Mexican postal code must be five digits, leading zeros kept; other countries keep theirs as written', async () => {
    const ctx = await world.fresh();
    const header = 'external_id,name,country,postal_code';
    const bad = await importCsv(world, 'debtors', csv(header, 'D1,Ana,,01000', 'D2,Bob,,1000', 'D3,Carla,MX,C.P. 44100', 'D4,Dan,,441000', 'D5,Eva,US,90210-1234'), {}, ctx);
    expect(bad.errors).toEqual([
      { line: 3, column: 'postal_code', reason: '"1000" is not a postal code of MX: it must be 5 digits, e.g. 01000 (if a spreadsheet dropped its leading zeros, format the column as text)' },
      { line: 4, column: 'postal_code', reason: '"C.P. 44100" is not a postal code of MX: it must be 5 digits, e.g. 01000' },
      { line: 5, column: 'postal_code', reason: '"441000" is not a postal code of MX: it must be 5 digits, e.g. 01000' },
    ]);
    expect(await count(world, 'debtors', ctx)).toBe(0);

    const good = await importCsv(world, 'debtors', csv(header, 'D1,Ana,,01000', 'D2,Bob,mx, 44100 ', 'D5,Eva,US,90210-1234', 'D6,Fer,CO,110111'), {}, ctx);
    expect(good.errors).toEqual([]);
    const stored = await q<{ external_id: string; postal_code: string }>(world, sql`SELECT external_id, postal_code FROM debtors WHERE company_id = ${ctx.companyId} ORDER BY external_id`);
    expect(stored).toEqual([
      { external_id: 'D1', postal_code: '01000' },
      { external_id: 'D2', postal_code: '44100' },
      { external_id: 'D5', postal_code: '90210-1234' },
      { external_id: 'D6', postal_code: '110111' },
    ]);
  });
});

describe('file-wide checks', () => {
  test('duplicate external ids in one file: every occurrence is reported', async () => {
    const ctx = await world.fresh();
    const result = await importCsv(world, 'debtors', csv('external_id,name', 'D1,Ana', 'D2,Bob', 'D1,Ana again', 'D3,', 'D3,Carla'), {}, ctx);
    expect(result.errors).toEqual([
      { line: 2, column: 'external_id', reason: '"D1" appears 2 times in the file (lines 2, 4); each external id may appear once' },
      { line: 4, column: 'external_id', reason: '"D1" appears 2 times in the file (lines 2, 4); each external id may appear once' },
      { line: 5, column: 'name', reason: 'is required' },
      // Found even though line 5 is invalid for another reason.
      { line: 5, column: 'external_id', reason: '"D3" appears 2 times in the file (lines 5, 6); each external id may appear once' },
      { line: 6, column: 'external_id', reason: '"D3" appears 2 times in the file (lines 5, 6); each external id may appear once' },
    ]);
  });

  test('payments and obligations for unknown debtors', async () => {
    const ctx = await seeded();
    const obligations = await importCsv(world, 'obligations', csv(OBL, 'O2,D1,MXN,1,2026-03-01', 'O3,NOPE,MXN,1,2026-03-01'), {}, ctx);
    expect(obligations.errors).toEqual([{ line: 3, column: 'debtor_external_id', reason: 'debtor "NOPE" does not exist; import the debtors first' }]);
    const payments = await importCsv(world, 'payments', csv(PAY, 'P1,GHOST,,MXN,1,2026-03-01'), {}, ctx);
    expect(payments.errors).toEqual([{ line: 2, column: 'debtor_external_id', reason: 'debtor "GHOST" does not exist; import the debtors first' }]);
  });

  test("payments naming an unknown obligation or another debtor's obligation", async () => {
    const ctx = await seeded();
    const result = await importCsv(world, 'payments', csv(PAY, 'P1,D1,O404,MXN,1,2026-03-01', 'P2,D2,O1,MXN,1,2026-03-01', 'P3,D1,O1,MXN,1,2026-03-01'), {}, ctx);
    expect(result.errors).toEqual([
      { line: 2, column: 'obligation_external_id', reason: 'obligation "O404" does not exist' },
      { line: 3, column: 'obligation_external_id', reason: 'obligation "O1" belongs to debtor "D1", not to this payment\'s debtor' },
    ]);
  });

  test("an obligation's currency cannot change once payments are applied to it", async () => {
    const ctx = await seeded();
    await importCsv(world, 'payments', csv(PAY, 'P1,D1,O1,MXN,10,2026-02-01'), {}, ctx);
    const result = await importCsv(world, 'obligations', csv(OBL, 'O1,D1,USD,100,2026-01-31'), {}, ctx);
    expect(result.errors).toEqual([{ line: 2, column: 'currency', reason: expect.stringContaining('cannot change from MXN to USD') }]);
  });

  test('an obligation cannot move to another debtor once payments are applied to it; before, or once reversed, it can', async () => {
    const ctx = await seeded();
    await importCsv(world, 'obligations', csv(OBL, 'O2,D1,MXN,50,2026-02-28'), {}, ctx);
    // Paid in part, without naming it: applied by due date.
    await importCsv(world, 'payments', csv(PAY, 'P1,D1,,MXN,10,2026-02-01'), {}, ctx);
    const moved = await importCsv(world, 'obligations', csv(OBL, 'O1,D2,MXN,100,2026-01-31'), {}, ctx);
    expect(moved.status).toBe('rejected');
    expect(moved.errors).toEqual([
      { line: 2, column: 'debtor_external_id', reason: 'cannot move this obligation from debtor "D1" to "D2": payments of "D1" are applied to it or name it; reverse them first' },
    ]);
    // A document nothing was paid on moves.
    expect((await importCsv(world, 'obligations', csv(OBL, 'O2,D2,MXN,50,2026-02-28'), {}, ctx)).status).toBe('completed');
    // Once the payment is reversed, so does the first.
    await reversePayment(ctx, { externalId: 'P1', reason: 'duplicado' });
    expect((await importCsv(world, 'obligations', csv(OBL, 'O1,D2,MXN,100,2026-01-31'), {}, ctx)).status).toBe('completed');
  });

  test('a debtor of another company with the same external id does not count', async () => {
    const ctx = await world.fresh();
    const other = await world.fresh();
    await importCsv(world, 'debtors', debtorsCsv('SHARED'), {}, other);
    const result = await importCsv(world, 'obligations', csv(OBL, 'O1,SHARED,MXN,1,2026-03-01'), {}, ctx);
    expect(result.errors).toEqual([{ line: 2, column: 'debtor_external_id', reason: 'debtor "SHARED" does not exist; import the debtors first' }]);
  });
});

describe('file shape', () => {
  test('empty (0-byte) file', async () => {
    const result = await importCsv(world, 'debtors', '', {}, await world.fresh());
    expect(result).toMatchObject({ status: 'rejected', rows: 0, errors: [{ line: 1, column: 'file', reason: 'the file is empty' }] });
  });

  test('a file with only a BOM and blank lines has no header', async () => {
    const result = await importCsv(world, 'debtors', '\ufeff\n\n', {}, await world.fresh());
    expect(result.errors).toEqual([{ line: 1, column: 'file', reason: 'the file is empty (no header row)' }]);
  });

  test('a file with only the header', async () => {
    const result = await importCsv(world, 'debtors', 'external_id,name\n', {}, await world.fresh());
    expect(result.errors).toEqual([{ line: 1, column: 'file', reason: 'the file has a header but no data rows' }]);
  });

  test('a binary file', async () => {
    const result = await importCsv(world, 'debtors', Buffer.from([0x00, 0x01, 0x02, 0xff, 0x10, 0x00]), {}, await world.fresh());
    expect(result.errors).toEqual([{ line: 1, column: 'file', reason: expect.stringContaining('the file is binary') }]);
  });

  test('an XLSX workbook named .csv is recognised and explained', async () => {
    const result = await importCsv(world, 'debtors', Buffer.from('PK\x03\x04rest-of-zip'), {}, await world.fresh());
    expect(result.errors).toEqual([{ line: 1, column: 'file', reason: expect.stringContaining('ZIP/XLSX workbook') }]);
  });

  test('missing required columns are each named, on line 1', async () => {
    const result = await importCsv(world, 'obligations', csv('external_id,amount', 'O1,10'), {}, await world.fresh());
    expect(result.errors.map((e) => [e.line, e.column])).toEqual([
      [1, 'debtor_external_id'],
      [1, 'currency'],
      [1, 'due_on'],
    ]);
    expect(result.errors[0]!.reason).toContain('required column is missing (accepted headers: debtor_external_id, id_cliente');
  });

  test('duplicate header columns (the same column twice, or two spellings of it)', async () => {
    const result = await importCsv(world, 'debtors', csv('external_id,name,nombre,email,EMAIL', 'D1,A,B,a@x.mx,b@x.mx'), {}, await world.fresh());
    expect(result.errors).toEqual([
      { line: 1, column: 'nombre', reason: 'duplicate column: "name" and "nombre" both give the column "name"' },
      { line: 1, column: 'EMAIL', reason: 'duplicate column: "email" and "EMAIL" both give the column "email"' },
    ]);
  });

  test('ragged rows: too few or too many fields', async () => {
    const ctx = await world.fresh();
    const result = await importCsv(world, 'debtors', csv('external_id,name,email,phone,city,region,country', 'D1,Ana,,,,,', 'D2,Bob,,,', 'D3,Carla,,,,,,,'), {}, ctx);
    expect(result.errors).toEqual([
      { line: 3, column: 'row', reason: 'has 5 fields, the header has 7' },
      { line: 4, column: 'row', reason: 'has 9 fields, the header has 7' },
    ]);
    expect(await count(world, 'debtors', ctx)).toBe(0);
  });

  test('an unclosed quote is reported', async () => {
    const result = await importCsv(world, 'debtors', csv('external_id,name', 'D1,Ana', 'D2,"Bob', 'D3,Carla'), {}, await world.fresh());
    expect(result.status).toBe('rejected');
    expect(result.errors).toEqual([{ line: expect.any(Number), column: 'row', reason: expect.stringContaining('never closed') }]);
  });

  test('debtor extra columns must be usable as attribute names', async () => {
    const result = await importCsv(world, 'debtors', csv('external_id,name,2nd contact', 'D1,Ana,x'), {}, await world.fresh());
    expect(result.errors).toEqual([{ line: 1, column: '2nd contact', reason: expect.stringContaining('custom attributes') }]);
  });
});

test('errors are capped but all are counted, and every row is still validated', async () => {
  const ctx = await world.fresh();
  const lines = ['external_id,name,email'];
  for (let i = 0; i < 1500; i++) lines.push(`D${i},Name ${i},bad-${i}`);
  lines.push('D1,Dup,ok@x.mx');
  const result = await importCsv(world, 'debtors', lines.join('\n') + '\n', {}, ctx);
  expect(result.errors).toHaveLength(MAX_REPORTED_ERRORS);
  // 1500 bad emails + the duplicate D1 on two lines.
  expect(result.errorCount).toBe(1502);
  expect(result.errors[0]).toEqual({ line: 2, column: 'email', reason: '"bad-0" is not an email address' });
});

test('a path that does not exist is an error before anything starts', async () => {
  await expect(importFile(world.ctx, { entity: 'debtors', path: `${world.dir}/missing.csv` })).rejects.toMatchObject({ code: 'validation_failed' });
  const legacy = await writeTemp(world, 'x', '.xls');
  await expect(importFile(world.ctx, { entity: 'debtors', path: legacy })).rejects.toThrow(/\.xls workbooks are not supported/);
});
