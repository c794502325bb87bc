/**
 * Reading files: CSV with comma or semicolon, BOM, Latin-1, Spanish and accented headers, mapping files, XLSX, and
 * line numbers that point at the right line of the file.
 */
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { describe, expect, test } from 'vitest';
import { importFile } from '../../src/modules/portfolio/index.ts';
import type { Ctx } from '../../src/modules/shared/context.ts';
import { csv, debtorsCsv, importCsv, obligationsOf, q, useWorld, writeTemp, type World } from './helpers.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/import/${name}`, import.meta.url));

let world: World;
useWorld((w) => (world = w));

interface StoredDebtor {
  external_id: string;
  name: string;
  type: string;
  tax_id: string | null;
  email: string | null;
  phone: string | null;
  country: string;
  region: string | null;
  city: string | null;
  postal_code: string | null;
  time_zone: string;
  tags: string[];
  attributes: Record<string, string>;
}

async function debtorsOf(ctx: Ctx): Promise<StoredDebtor[]> {
  return q<StoredDebtor>(
    world,
    sql`SELECT external_id, name, type, tax_id, email, phone, country::text AS country, region, city, postal_code, time_zone, tags, attributes
        FROM debtors WHERE company_id = ${ctx.companyId} ORDER BY external_id`,
  );
}

describe('CSV', () => {
  test('comma-separated, canonical headers: values are normalised and defaults applied', async () => {
    const ctx = await world.fresh();
    const result = await importCsv(
      world,
      'debtors',
      csv('external_id,name,type,phone,whatsapp,region,tags,score,time_zone', 'D1,Ana,company,55 1234 5678,+52 1 55 8765 4321,BC,a;b;a; ,10,', 'D2,Bob,,,,,,,America/Bogota'),
      {},
      ctx,
    );
    expect(result).toMatchObject({ status: 'completed', rows: 2, inserted: 2, updated: 0, unchanged: 0, errors: [], errorCount: 0 });
    const [d1, d2] = await debtorsOf(ctx);
    expect(d1).toMatchObject({ external_id: 'D1', type: 'company', phone: '+525512345678', country: 'MX', region: 'BCN', time_zone: 'America/Tijuana', tags: ['a', 'b'], attributes: { score: '10' } });
    expect(d2).toMatchObject({ external_id: 'D2', type: 'person', phone: null, region: null, time_zone: 'America/Bogota', tags: [], attributes: {} });
  });

  test('semicolon-separated with a UTF-8 BOM, CRLF and Spanish, accented headers', async () => {
    const ctx = await world.fresh();
    const result = await importFile(ctx, { entity: 'debtors', path: fixture('debtors-es-semicolon-bom.csv') });
    expect(result.errors).toEqual([]);
    expect(result).toMatchObject({ status: 'completed', rows: 3, inserted: 3 });
    const [c1, c2, c3] = await debtorsOf(ctx);
    expect(c1).toMatchObject({
      external_id: 'C-001',
      name: 'Ana Peña Ibáñez',
      type: 'person',
      tax_id: 'GODE561231GR8',
      email: 'ana@ejemplo.mx',
      phone: '+525512345678',
      country: 'MX',
      region: 'JAL',
      city: 'Guadalajara',
      postal_code: '44100',
      tags: ['vip', 'nómina'],
      attributes: { segmento_interno: 'A' },
    });
    // No type given: the company RFC says it is a company; country in lower case is accepted.
    expect(c2).toMatchObject({ external_id: 'C-002', name: 'Ferretería del Norte SA de CV', type: 'company', country: 'MX', region: 'NLE', phone: '+528181234567' });
    // A quoted field may hold the delimiter; the time zone follows the region.
    expect(c3).toMatchObject({ external_id: 'C-003', name: 'Pérez; Juan', region: 'BCN', time_zone: 'America/Tijuana', country: 'MX' });
  });

  test('Latin-1 file with encoding latin1 keeps the accents; read as UTF-8 it is refused on the right line', async () => {
    const ctx = await world.fresh();
    const path = fixture('debtors-latin1.csv');
    const bad = await importFile(ctx, { entity: 'debtors', path });
    expect(bad.status).toBe('rejected');
    expect(bad.errors).toEqual([{ line: 2, column: 'file', reason: expect.stringContaining('not valid UTF-8') }]);

    const good = await importFile(ctx, { entity: 'debtors', path, encoding: 'latin1' });
    expect(good.errors).toEqual([]);
    const stored = await debtorsOf(ctx);
    expect(stored.map((d) => [d.name, d.city])).toEqual([
      ['José Peña', 'Mérida'],
      ['María Núñez', 'León'],
    ]);
    expect((await readFile(path)).includes(Buffer.from('Peña', 'latin1'))).toBe(true);
  });

  test('obligations with Spanish headers, DD/MM/YYYY dates and portfolio names (new ones are created)', async () => {
    const ctx = await world.fresh();
    await importCsv(world, 'debtors', debtorsCsv('C-001', 'C-002'), {}, ctx);
    const result = await importFile(ctx, { entity: 'obligations', path: fixture('obligations-es-ddmmyyyy.csv'), dateFormat: 'DD/MM/YYYY' });
    expect(result.errors).toEqual([]);
    expect(result).toMatchObject({ inserted: 3 });
    const stored = await obligationsOf(world, ctx);
    expect(stored).toEqual([
      { external_id: 'F-100', debtor: 'C-001', portfolio: 'Consumo', currency: 'MXN', amount: '125050', balance: '125050', due_on: '2026-01-15', issued_on: '2025-12-01', kind: 'invoice' },
      { external_id: 'F-101', debtor: 'C-001', portfolio: 'Consumo', currency: 'MXN', amount: '30000', balance: '30000', due_on: '2026-02-15', issued_on: '2025-12-01', kind: 'installment' },
      { external_id: 'F-200', debtor: 'C-002', portfolio: 'default', currency: 'USD', amount: '9999', balance: '9999', due_on: '2026-02-28', issued_on: null, kind: 'invoice' },
    ]);
  });

  test('the --portfolio option is the default portfolio for rows that name none', async () => {
    const ctx = await world.fresh();
    await importCsv(world, 'debtors', debtorsCsv('D1'), {}, ctx);
    await importCsv(world, 'obligations', csv('external_id,debtor_external_id,currency,amount,due_on', 'O1,D1,MXN,1,2026-01-01'), { portfolio: 'Telecom' }, ctx);
    expect((await obligationsOf(world, ctx))[0]!.portfolio).toBe('Telecom');
  });

  test('a mapping file names headers we would not guess; unknown obligation columns are ignored and listed', async () => {
    const ctx = await world.fresh();
    await importCsv(world, 'debtors', debtorsCsv('C-002'), {}, ctx);
    const mapping = JSON.parse(await readFile(fixture('obligations-erp.mapping.json'), 'utf8')) as Record<string, string>;
    const result = await importFile(ctx, { entity: 'obligations', path: fixture('obligations-erp.csv'), mapping });
    expect(result.errors).toEqual([]);
    expect(result).toMatchObject({ inserted: 1, ignoredColumns: ['Notes'] });
    expect(await obligationsOf(world, ctx)).toMatchObject([{ external_id: 'INV-9', debtor: 'C-002', amount: '500000', due_on: '2026-03-31' }]);
  });

  test('a mapping key one slip from a column is taken for a typo, not a custom attribute', async () => {
    const ctx = await world.fresh();
    const result = await importCsv(world, 'debtors', csv('id,nombre,MAIL,puntaje', 'D1,Ana,ana@example.com,7'), { mapping: { external_id: 'id', emial: 'MAIL', score: 'puntaje' } }, ctx);
    expect(result.status).toBe('rejected');
    expect(result.errors).toEqual([{ line: 1, column: 'emial', reason: 'mapping: not a column of debtors; did you mean "email"?' }]);
    // A key that is no column's near miss is a custom attribute, as before.
    const fine = await importCsv(world, 'debtors', csv('id,nombre,MAIL,puntaje', 'D1,Ana,ana@example.com,7'), { mapping: { external_id: 'id', email: 'MAIL', score: 'puntaje' } }, ctx);
    expect(fine).toMatchObject({ status: 'completed', inserted: 1 });
  });

  test('a mapping that names a header the file lacks is an error on line 1', async () => {
    const ctx = await world.fresh();
    const result = await importCsv(world, 'debtors', csv('code,full name', 'D1,Ana'), { mapping: { external_id: 'code', name: 'nombre completo' } }, ctx);
    expect(result.status).toBe('rejected');
    expect(result.errors).toEqual([
      { line: 1, column: 'name', reason: expect.stringContaining('the file has no header "nombre completo"') },
      { line: 1, column: 'name', reason: expect.stringContaining('required column is missing') },
    ]);
  });

  test('header matching ignores case, accents, spaces and "de"', async () => {
    const ctx = await world.fresh();
    await importCsv(world, 'debtors', csv('ID_CLIENTE,  Nombre ,TELÉFONO,País,Zona Horaria', 'D1,Ana,300 123 4567,co,America/Bogota'), {}, ctx);
    expect((await debtorsOf(ctx))[0]).toMatchObject({ country: 'CO', phone: '+573001234567', time_zone: 'America/Bogota' });
    await importCsv(world, 'obligations', csv('Id Documento;Id Cliente;MONEDA;Monto;Fecha De Vencimiento;fecha-emision', 'O1;D1;cop;10;2026-05-01;2026-04-01'), {}, ctx);
    expect(await obligationsOf(world, ctx)).toMatchObject([{ external_id: 'O1', currency: 'COP', amount: '1000', due_on: '2026-05-01', issued_on: '2026-04-01' }]);
  });

  test('line numbers count physical lines: quoted multi-line fields and blank lines do not shift them', async () => {
    const ctx = await world.fresh();
    const text = ['external_id,name,email', 'D1,"Ana', 'Peña",ana@x.mx', '', 'D2,Bob,not-an-email', 'D3,"Carla\r\nRuiz",bad@', 'D4,Dan,dan@x.mx'].join('\r\n') + '\r\n';
    const result = await importCsv(world, 'debtors', text, {}, ctx);
    expect(result.errors).toEqual([
      { line: 5, column: 'email', reason: '"not-an-email" is not an email address' },
      { line: 6, column: 'email', reason: '"bad@" is not an email address' },
    ]);
    expect(result.rows).toBe(4);
  });

  test('a stream without a file name is read as CSV; the delimiter can be forced', async () => {
    const ctx = await world.fresh();
    const stream = Readable.from([Buffer.from('external_id;name\nD1;Ana, la buena\n')]);
    const result = await importFile(ctx, { entity: 'debtors', stream, delimiter: ';' });
    expect(result).toMatchObject({ inserted: 1 });
    expect((await debtorsOf(ctx))[0]!.name).toBe('Ana, la buena');
  });
});

describe('XLSX', () => {
  async function workbook(build: (wb: ExcelJS.Workbook) => void): Promise<string> {
    const wb = new ExcelJS.Workbook();
    build(wb);
    return writeTemp(world, Buffer.from(await wb.xlsx.writeBuffer()), '.xlsx');
  }

  test('date cells become ISO dates and numeric amounts keep their exact decimals', async () => {
    const ctx = await world.fresh();
    await importCsv(world, 'debtors', debtorsCsv('1001', 'C-2'), {}, ctx);
    const path = await workbook((wb) => {
      const ws = wb.addWorksheet('Cartera');
      ws.addRow(['Folio', 'ID Cliente', 'Moneda', 'Monto', 'Fecha de vencimiento', 'Fecha de emisión']);
      ws.addRow(['F-1', 1001, 'MXN', 1250.5, new Date(Date.UTC(2026, 0, 31)), '2025-12-31']);
      // 0.1 + 0.2 is 0.30000000000000004 in binary; Excel shows 0.3 and so must we.
      ws.addRow(['F-2', 'C-2', 'MXN', 0.1 + 0.2, new Date(Date.UTC(2026, 1, 28)), null]);
      ws.addRow([]);
      ws.addRow(['F-3', 'C-2', 'CLP', 1500, { formula: 'DATE(2026,3,1)', result: new Date(Date.UTC(2026, 2, 1)) }, null]);
      ws.getColumn(5).numFmt = 'dd/mm/yyyy';
    });
    const result = await importFile(ctx, { entity: 'obligations', path });
    expect(result.errors).toEqual([]);
    expect(result).toMatchObject({ rows: 3, inserted: 3 });
    expect(await obligationsOf(world, ctx)).toMatchObject([
      { external_id: 'F-1', debtor: '1001', amount: '125050', due_on: '2026-01-31', issued_on: '2025-12-31' },
      { external_id: 'F-2', debtor: 'C-2', amount: '30', due_on: '2026-02-28', issued_on: null },
      { external_id: 'F-3', debtor: 'C-2', currency: 'CLP', amount: '1500', due_on: '2026-03-01' },
    ]);
  });

  test('the sheet option picks a sheet by name; errors carry the sheet row number', async () => {
    const ctx = await world.fresh();
    const path = await workbook((wb) => {
      wb.addWorksheet('Notas').addRow(['nothing to see']);
      const ws = wb.addWorksheet('Deudores');
      ws.addRow(['external_id', 'name', 'email']);
      ws.addRow(['D1', 'Ana', 'ana@x.mx']);
      ws.addRow(['D2', 'Bob', 'bob at x']);
      ws.addRow(['D3', 'Carla', null, 'extra']);
    });
    const result = await importFile(ctx, { entity: 'debtors', path, sheet: 'deudores' });
    expect(result.errors).toEqual([
      { line: 3, column: 'email', reason: '"bob at x" is not an email address' },
      { line: 4, column: 'row', reason: "has a value in column D, beyond the header's 3 columns" },
    ]);
    const missing = await importFile(ctx, { entity: 'debtors', path, sheet: 'Clientes' });
    expect(missing.errors).toEqual([{ line: 1, column: 'file', reason: 'the workbook has no sheet "Clientes" (sheets: Notas, Deudores)' }]);
  });

  test('without a sheet option the first visible sheet is read; a hidden sheet can still be named', async () => {
    const ctx = await world.fresh();
    const path = await workbook((wb) => {
      const lookup = wb.addWorksheet('Catalogos', { state: 'hidden' });
      lookup.addRow(['external_id', 'name']);
      lookup.addRow(['H1', 'Oculto']);
      wb.addWorksheet('Muy oculta', { state: 'veryHidden' }).addRow(['external_id', 'name']);
      const ws = wb.addWorksheet('Deudores');
      ws.addRow(['external_id', 'name']);
      ws.addRow(['D1', 'Ana']);
    });
    expect(await importFile(ctx, { entity: 'debtors', path })).toMatchObject({ errors: [], rows: 1, inserted: 1 });
    expect((await debtorsOf(ctx)).map((d) => d.external_id)).toEqual(['D1']);
    expect(await importFile(ctx, { entity: 'debtors', path, sheet: 'catalogos' })).toMatchObject({ errors: [], rows: 1, inserted: 1 });
    expect((await debtorsOf(ctx)).map((d) => d.external_id)).toEqual(['D1', 'H1']);
  });

  test('a file that is not a workbook is a clear error', async () => {
    const ctx = await world.fresh();
    const path = await writeTemp(world, 'external_id,name\nD1,Ana\n', '.xlsx');
    const result = await importFile(ctx, { entity: 'debtors', path });
    expect(result.status).toBe('rejected');
    expect(result.errors).toEqual([{ line: 1, column: 'file', reason: expect.stringContaining('not an XLSX workbook') }]);
  });
});
