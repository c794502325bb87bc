/**
 * Tabular exports: CSV (RFC 4180 via csv-stringify, UTF-8 with BOM so Excel opens accents right) and XLSX (exceljs
 * streaming writer), fed row by row so a large export never sits in memory.
 *
 * Money stays an exact decimal string in the rows (and so in CSV and JSON). A column marked `money` is written to XLSX
 * as a number with the currency's decimals as its number format, so Excel can sum it: the decimal string is read into
 * integer minor units and turned into a number only for that cell (exact for display at any realistic amount). A
 * column marked `number` (KPI values, rates, counts) is written to XLSX as a number with its own number format.
 */
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { exponentOf, isKnownCurrency, parseDecimal } from '../../domain/money.ts';

export type Cell = string | number | boolean | null;
export interface Column {
  key: string;
  header: string;
  /**
   * The column holds money amounts (decimal strings): in a fixed currency, or in the currency named by another column
   * of the same row. XLSX writes them as numbers; CSV as they are.
   */
  money?: { currency: string } | { currencyKey: string };
  /**
   * The column holds other numbers (a KPI's value, a rate, a count): XLSX writes them as numbers, also when a row
   * carries one as a decimal string, with this number format ("#,##0.00"). CSV writes them as they are.
   */
  number?: string;
}

/** A number as a spreadsheet cell with `numFmt`, or null when the value is not a number (left as written). */
export function numberCell(value: Cell | undefined, numFmt: string): { value: number; numFmt: string } | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : NaN;
  return Number.isFinite(n) ? { value: n, numFmt } : null;
}

/** Excel's number format for a currency's amounts: thousands separators and exactly its decimals ("#,##0.00"). */
export function moneyFormat(currency: string): string {
  const decimals = exponentOf(currency);
  return decimals === 0 ? '#,##0' : `#,##0.${'0'.repeat(decimals)}`;
}

/**
 * A money amount as a spreadsheet cell: the number and its format, or null when the value is not an amount of a known
 * currency (left as written). `1234.56` MXN → 123456 minor units → 1234.56 with "#,##0.00".
 */
export function moneyCell(value: Cell | undefined, currency: Cell | undefined): { value: number; numFmt: string } | null {
  if (typeof value !== 'string' || typeof currency !== 'string' || !isKnownCurrency(currency)) return null;
  let minor: bigint;
  try {
    minor = parseDecimal(value, currency, { allowNegative: true });
  } catch {
    return null;
  }
  return { value: Number(minor) / 10 ** exponentOf(currency), numFmt: moneyFormat(currency) };
}

/** Writes rows as CSV to `out`. */
export async function writeCsv(out: Writable, columns: Column[], rows: AsyncIterable<Record<string, Cell>> | Iterable<Record<string, Cell>>, options: { bom?: boolean } = {}): Promise<void> {
  const stringifier = stringify({ header: true, columns: columns.map((c) => ({ key: c.key, header: c.header })), bom: options.bom ?? true, cast: { boolean: (v) => (v ? 'true' : 'false') } });
  const done = new Promise<void>((resolve, reject) => {
    stringifier.on('error', reject);
    out.on('error', reject);
    stringifier.on('end', resolve);
  });
  stringifier.pipe(out, { end: false });
  for await (const row of rows) {
    if (!stringifier.write(row)) await new Promise((r) => stringifier.once('drain', r));
  }
  stringifier.end();
  await done;
}

/** Writes rows as an XLSX workbook with one sheet to `out`. */
export async function writeXlsx(out: Writable, sheetName: string, columns: Column[], rows: AsyncIterable<Record<string, Cell>> | Iterable<Record<string, Cell>>): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31));
  sheet.columns = columns.map((c) => ({ header: c.header, key: c.key, width: Math.max(12, c.header.length + 2) }));
  sheet.getRow(1).font = { bold: true };
  const money = columns.filter((c) => c.money);
  const numbers = columns.filter((c) => c.number);
  for await (const row of rows) {
    const cells: Array<{ key: string; value: number; numFmt: string }> = [];
    let values = row;
    for (const c of money) {
      const spec = c.money!;
      const cell = moneyCell(row[c.key], 'currency' in spec ? spec.currency : row[spec.currencyKey]);
      if (cell) cells.push({ key: c.key, ...cell });
    }
    for (const c of numbers) {
      const cell = numberCell(row[c.key], c.number!);
      if (cell) cells.push({ key: c.key, ...cell });
    }
    if (cells.length) values = { ...row, ...Object.fromEntries(cells.map((c) => [c.key, c.value])) };
    const added = sheet.addRow(values);
    for (const c of cells) added.getCell(c.key).numFmt = c.numFmt;
    added.commit();
  }
  sheet.commit();
  await workbook.commit();
}

/** Renders rows as an aligned plain-text table for a terminal. */
export function formatTable(columns: Column[], rows: Array<Record<string, Cell>>, align: Record<string, 'left' | 'right'> = {}): string {
  const text = (v: Cell) => (v === null || v === undefined ? '' : String(v));
  const widths = columns.map((c) => Math.max(c.header.length, ...rows.map((r) => text(r[c.key] ?? null).length)));
  const pad = (s: string, i: number) => (align[columns[i]!.key] === 'right' ? s.padStart(widths[i]!) : s.padEnd(widths[i]!));
  const lines = [columns.map((c, i) => pad(c.header, i)).join('  '), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const r of rows) lines.push(columns.map((c, i) => pad(text(r[c.key] ?? null), i)).join('  '));
  return lines.map((l) => l.trimEnd()).join('\n') + '\n';
}
