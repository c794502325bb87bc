import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { writeCsv, writeXlsx, type Cell, type Column } from './tabular.ts';

async function collect(write: (out: PassThrough) => Promise<void>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await write(out);
  out.end();
  return Buffer.concat(chunks);
}

const columns: Column[] = [
  { key: 'currency', header: 'currency' },
  { key: 'amount', header: 'amount', money: { currencyKey: 'currency' } },
  { key: 'balance_CLP', header: 'balance_CLP', money: { currency: 'CLP' } },
  { key: 'note', header: 'note' },
];
const rows: Array<Record<string, Cell>> = [
  { currency: 'MXN', amount: '1234.56', balance_CLP: '15000', note: '1234.56' },
  { currency: 'UF', amount: '-0.0001', balance_CLP: null, note: null },
  { currency: 'USD', amount: '92233720368547758.07', balance_CLP: '0', note: 'x' },
];

describe('tabular exports', () => {
  it('writes money as numeric XLSX cells formatted with the currency decimals; other text stays text', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await collect((out) => writeXlsx(out, 'Sheet', columns, rows))) as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    const mxn = sheet.getRow(2);
    expect(mxn.getCell(2).value).toBe(1234.56);
    expect(mxn.getCell(2).numFmt).toBe('#,##0.00');
    expect(mxn.getCell(3).value).toBe(15000);
    expect(mxn.getCell(3).numFmt).toBe('#,##0');
    expect(mxn.getCell(4).value).toBe('1234.56');
    const uf = sheet.getRow(3);
    expect(uf.getCell(2).value).toBe(-0.0001);
    expect(uf.getCell(2).numFmt).toBe('#,##0.0000');
    expect(uf.getCell(3).value).toBeNull();
    expect(sheet.getRow(4).getCell(2).value).toBe(Number(9223372036854775807n) / 100);
  });

  it('keeps CSV amounts as the exact decimal strings', async () => {
    const csv = (await collect((out) => writeCsv(out, columns, rows, { bom: false }))).toString('utf8');
    expect(csv.trim().split(/\r?\n/)).toEqual(['currency,amount,balance_CLP,note', 'MXN,1234.56,15000,1234.56', 'UF,-0.0001,,', 'USD,92233720368547758.07,0,x']);
  });
});
