/**
 * Tabular exports: CSV (RFC 4180 via csv-stringify, UTF-8 with BOM so Excel opens accents right) and XLSX (exceljs
 * streaming writer), fed row by row so a large export never sits in memory.
 */
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';

export type Cell = string | number | boolean | null;
export interface Column {
  key: string;
  header: string;
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
  for await (const row of rows) sheet.addRow(row).commit();
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
