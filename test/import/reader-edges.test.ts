/**
 * Files that break in awkward places: a quote never closed, a row too long to read, a header that was not split
 * into columns, XLSX workbooks from old Macs, cut short, or not workbooks at all. Each is one clear error on the line
 * where the problem is, nothing is written, and nothing waits forever.
 */
import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { describe, expect, test } from 'vitest';
import { importFile, readXlsx } from '../../src/modules/portfolio/index.ts';
import { count, csv, q, debtorsCsv, importCsv, obligationsOf, useWorld, writeTemp, type World } from './helpers.ts';

let world: World;
useWorld((w) => (world = w));

describe('CSV', () => {
  test('an unclosed quote is reported on the line where the quoted field opens, not at the end of the file', async () => {
    const ctx = await world.fresh();
    // Quoted multi-line fields, blank and space-only lines before it: all counted as the physical lines they are.
    const text = ['external_id,name', 'D1,"Ana', 'Peña"', '', '  ', 'D2,Bob', '', 'D3,"Carla', 'D4,Dan', 'D5,Eva'].join('\r\n') + '\r\n';
    const result = await importCsv(world, 'debtors', text, {}, ctx);
    expect(result.errors).toEqual([{ line: 8, column: 'row', reason: 'a quoted field is never closed (a " is missing), so the rest of the file could not be read' }]);
    expect(await count(world, 'debtors', ctx)).toBe(0);
  });

  test('an unclosed quote after thousands of unquoted lines keeps its line', async () => {
    const lines = ['external_id,name'];
    for (let i = 0; i < 5000; i++) lines.push(`D${i},Deudor ${i}`);
    lines.push('', 'X1,"sin cerrar', 'X2,otro');
    const result = await importCsv(world, 'debtors', csv(...lines), {}, await world.fresh());
    expect(result.errors).toEqual([{ line: 5003, column: 'row', reason: expect.stringContaining('never closed') }]);
  });

  test('a row over the size limit is reported once, on its own line', async () => {
    const text = csv('external_id,name', 'D1,Ana', `D2,${'x'.repeat(1_100_000)}`, 'D3,Carla', 'D4,"sin cerrar');
    const result = await importCsv(world, 'debtors', text, {}, await world.fresh());
    expect(result.errors).toEqual([{ line: 3, column: 'row', reason: expect.stringContaining('longer than 1000000 characters') }]);
    expect(result.errorCount).toBe(1);
  });

  test('a header read as one column says which delimiter the file seems to use', async () => {
    const ctx = await world.fresh();
    const semicolons = await importCsv(world, 'debtors', csv('id_cliente;nombre;correo', 'D1;Ana;ana@x.mx'), { delimiter: ',' }, ctx);
    expect(semicolons.errors).toContainEqual({ line: 1, column: 'header', reason: expect.stringContaining('is the file separated by ";"') });
    const tabs = await importCsv(world, 'obligations', csv('external_id\tdebtor_external_id\tcurrency\tamount\tdue_on', 'O1\tD1\tMXN\t10\t2026-01-01'), {}, ctx);
    expect(tabs.errors).toContainEqual({ line: 1, column: 'header', reason: expect.stringContaining('tab-separated files are not supported') });
  });
});

describe('XLSX', () => {
  async function workbookBytes(build: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    build(wb);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  test('a workbook saved with the 1904 date system: date cells and dates computed by formulas are both right', async () => {
    const ctx = await world.fresh();
    await importCsv(world, 'debtors', debtorsCsv('D1'), {}, ctx);
    const bytes = await workbookBytes((wb) => {
      wb.properties.date1904 = true;
      const ws = wb.addWorksheet('Cartera');
      ws.addRow(['external_id', 'debtor_external_id', 'currency', 'amount', 'issued_on', 'due_on']);
      ws.addRow(['F-1', 'D1', 'MXN', 100, new Date(Date.UTC(2026, 0, 1)), new Date(Date.UTC(2026, 1, 1))]);
      // Due 31 days after issue, as the sheet computes it; 44,593 is 2026-02-02 counted from 1904-01-01.
      ws.addRow(['F-2', 'D1', 'MXN', 100, new Date(Date.UTC(2026, 0, 2)), { formula: 'E3+31', result: 44_593 }]);
      ws.getCell('F3').numFmt = 'yyyy-mm-dd';
    });
    const result = await importFile(ctx, { entity: 'obligations', path: await writeTemp(world, bytes, '.xlsx') });
    expect(result.errors).toEqual([]);
    expect(await obligationsOf(world, ctx)).toMatchObject([
      { external_id: 'F-1', issued_on: '2026-01-01', due_on: '2026-02-01' },
      { external_id: 'F-2', issued_on: '2026-01-02', due_on: '2026-02-02' },
    ]);
  });

  test('empty, CSV text and old .xls files named .xlsx each say what they are', async () => {
    const ctx = await world.fresh();
    const errorOf = async (content: string | Buffer) => (await importFile(ctx, { entity: 'debtors', path: await writeTemp(world, content, '.xlsx') })).errors;
    expect(await errorOf('')).toEqual([{ line: 1, column: 'file', reason: 'the file is empty' }]);
    expect(await errorOf('external_id,name\nD1,Ana\n')).toEqual([{ line: 1, column: 'file', reason: expect.stringContaining('if it is CSV text, import it with the .csv extension') }]);
    expect(await errorOf(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]))).toEqual([{ line: 1, column: 'file', reason: expect.stringContaining('old binary .xls') }]);
  });

  test('a workbook cut short is refused at once, wherever the cut falls', { timeout: 60_000 }, async () => {
    const ctx = await world.fresh();
    // Shared strings after the sheet, as exceljs and many tools write them: cut inside them, exceljs used to wait
    // forever for the rest of the entry.
    const bytes = await workbookBytes((wb) => {
      const ws = wb.addWorksheet('Deudores');
      ws.addRow(['external_id', 'name']);
      for (let i = 0; i < 20_000; i++) ws.addRow([`D-${i}`, `Deudor ${i} ${(i * 7919) % 104_729}`]);
    });
    for (const share of [0.2, 0.5, 0.9, 0.99]) {
      const cut = bytes.subarray(0, Math.floor(bytes.length * share));
      const result = await importFile(ctx, { entity: 'debtors', stream: Readable.from([cut]), format: 'xlsx' });
      expect(result.errors, `cut at ${share}`).toEqual([{ line: 1, column: 'file', reason: expect.stringContaining('the workbook is incomplete') }]);
    }
    expect(await count(world, 'debtors', ctx)).toBe(0);
    const whole = await importFile(ctx, { entity: 'debtors', stream: Readable.from([bytes]), format: 'xlsx' });
    expect(whole).toMatchObject({ status: 'completed', inserted: 20_000 });
  });

  test('accented text survives however the workbook is cut into pieces when it is inflated', async () => {
    const ctx = await world.fresh();
    // Hundreds of kilobytes of two-byte characters in shared strings: pieces of the inflated part end inside a
    // character, which used to come out as U+FFFD (13 names in 20,000 before).
    const names = Array.from({ length: 20_000 }, (_, i) => `ñáéíóú ÑÁÉÍÓÚ ${i} ñ`);
    const bytes = await workbookBytes((wb) => {
      const ws = wb.addWorksheet('Deudores');
      ws.addRow(['external_id', 'name']);
      names.forEach((name, i) => ws.addRow([`D-${i}`, name]));
    });
    const result = await importFile(ctx, { entity: 'debtors', stream: Readable.from([bytes]), format: 'xlsx' });
    expect(result.errors).toEqual([]);
    const rows = await q<{ name: string }>(world, sql`SELECT name FROM debtors WHERE company_id = ${ctx.companyId}`);
    expect(rows.filter((r) => r.name.includes('\ufffd'))).toEqual([]);
    expect(new Set(rows.map((r) => r.name))).toEqual(new Set(names));
  });

  test('the first sheet is read unless one is named, and forty workbooks read at once each read whole', async () => {
    const ctx = await world.fresh();
    // exceljs stores xl/workbook.xml after every sheet. A single streaming pass over such archives lost the parts
    // after a sheet now and then under load ("Cannot read properties of undefined (reading 'sheets')", about 1 read
    // in 100 while other workbooks were being written); the reader now goes through the central directory.
    const bytes = await Promise.all(
      Array.from({ length: 40 }, (_, n) =>
        workbookBytes((wb) => {
          const ws = wb.addWorksheet(`Deudores ${n}`);
          ws.addRow(['external_id', 'name']);
          ws.addRow([`D-${n}`, `Deudor ${n}`]);
          wb.addWorksheet('Notas').addRow(['nota']);
        }),
      ),
    );
    const read = async (b: Buffer) => {
      const items = [];
      for await (const item of readXlsx(Readable.from([b]))) items.push(item);
      return items;
    };
    for (let round = 0; round < 5; round++) {
      const all = await Promise.all(bytes.map(read));
      all.forEach((items, n) => expect(items).toEqual([{ line: 1, fields: ['external_id', 'name'] }, { line: 2, fields: [`D-${n}`, `Deudor ${n}`] }]));
    }
    const named = [];
    for await (const item of readXlsx(Readable.from([bytes[0]!]), { sheet: 'notas' })) named.push(item);
    expect(named).toEqual([{ line: 1, fields: ['nota'] }]);
    expect(await count(world, 'debtors', ctx)).toBe(0);
  });

  test('a stream that fails mid-workbook fails the import with its own error, and the process survives', async () => {
    const ctx = await world.fresh();
    const bytes = await workbookBytes((wb) => {
      const ws = wb.addWorksheet('Deudores');
      ws.addRow(['external_id', 'name']);
      for (let i = 0; i < 5000; i++) ws.addRow([`D-${i}`, `Deudor ${i}`]);
    });
    const input = new Readable({ read() {} });
    input.push(bytes.subarray(0, bytes.length >> 1));
    setTimeout(() => input.destroy(new Error('the client went away')), 20);
    await expect(importFile(ctx, { entity: 'debtors', stream: input, format: 'xlsx' })).rejects.toThrow('the client went away');
    expect(await count(world, 'debtors', ctx)).toBe(0);
  });

  test('a stream that fails before the import reads it fails the import, and the process survives', async () => {
    const ctx = await world.fresh();
    for (const format of ['csv', 'xlsx'] as const) {
      const input = new Readable({ read() {} });
      input.push('external_id,name\nD-1,Deudor 1\n');
      const importing = importFile(ctx, { entity: 'debtors', stream: input, format });
      input.destroy(new Error('the client went away'));
      await expect(importing).rejects.toThrow('the client went away');
    }
    expect(await count(world, 'debtors', ctx)).toBe(0);
  });
});
