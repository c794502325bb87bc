/**
 * Streaming XLSX reader (exceljs WorkbookReader): reads one sheet row by row and turns every cell into the text a CSV
 * of the same sheet would hold, so one validation path serves both formats.
 *
 * Cell conversion, chosen to be exact:
 * - date cells (a date number format) become ISO dates YYYY-MM-DD (the time of day, if any, is dropped);
 * - numbers become plain decimals rounded to 15 significant digits, Excel's own display precision, which removes
 *   binary artefacts (0.1 + 0.2 stored as 0.30000000000000004 reads "0.3", 1250.5 reads "1250.5") without ever
 *   going through a locale format; the stream reader exposes no formatted text, so the number is the source;
 * - formulas contribute their cached result, rich text its plain text, errors their code (#N/A), booleans true/false.
 * Line numbers are the sheet's row numbers, as Excel shows them.
 */
import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { FileProblem, isBlankRow, type SourceItem } from './source.ts';

/** Renders a number as a plain decimal string with at most 15 significant digits (no exponent). */
export function numberText(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(value.toExponential(14));
  if (!m) return String(value);
  const [, sign = '', first = '', rest = '', exp = '0'] = m;
  const digits = (first + rest).replace(/0+$/, '') || '0';
  const point = Number(exp) + 1; // position of the decimal point within `digits`
  let text: string;
  if (point <= 0) text = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) text = digits + '0'.repeat(point - digits.length);
  else text = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return sign + text;
}

function isoDate(date: Date): string {
  return Number.isNaN(date.getTime()) ? '' : date.toISOString().slice(0, 10);
}

// Same test exceljs applies to plain number cells; needed again for formula results, which it leaves as numbers.
function isDateFormat(format: string | undefined): boolean {
  if (!format) return false;
  return /[ymdhsb]/i.test(format.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

interface CellLike {
  value: unknown;
  numFmt?: string;
  text?: unknown;
}

function cellText(cell: CellLike): string {
  return valueText(cell.value, cell.numFmt);
}

function valueText(value: unknown, numFmt: string | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return isDateFormat(numFmt) && value > 0 ? serialDate(value) : numberText(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return isoDate(value);
  if (typeof value === 'object') {
    const v = value as { richText?: Array<{ text: string }>; text?: unknown; result?: unknown; error?: string; formula?: string; sharedFormula?: string };
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if (v.error !== undefined) return v.error;
    if ('result' in v || v.formula !== undefined || v.sharedFormula !== undefined) return valueText(v.result, numFmt);
    if (v.text !== undefined) return valueText(v.text, numFmt);
  }
  return String(value);
}

// Excel serial day numbers count from 1899-12-30 (1900 system); the time of day is dropped.
function serialDate(serial: number): string {
  return isoDate(new Date(Math.round((serial - 25569) * 86_400_000)));
}

/**
 * Reads the rows of one sheet (`sheet` by name, else the first). The header is the first non-blank row and fixes the
 * width; a later value beyond that width is an error item (the spreadsheet form of a ragged row).
 */
export async function* readXlsx(input: Readable, options: { sheet?: string | undefined } = {}): AsyncGenerator<SourceItem> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore' });
  const names: string[] = [];
  let found = false;
  try {
    for await (const worksheet of reader) {
      const name = (worksheet as unknown as { name: string }).name;
      names.push(name);
      if (options.sheet !== undefined && name.trim().toLowerCase() !== options.sheet.trim().toLowerCase()) continue;
      found = true;
      let width = -1;
      for await (const row of worksheet) {
        const cells: string[] = [];
        row.eachCell({ includeEmpty: false }, (cell, column) => {
          cells[column - 1] = cellText(cell as unknown as CellLike);
        });
        const fields = Array.from(cells, (c) => c ?? '');
        if (isBlankRow(fields)) continue;
        if (width < 0) {
          while (fields.length > 0 && fields[fields.length - 1]!.trim() === '') fields.pop();
          width = fields.length;
          yield { line: row.number, fields };
          continue;
        }
        const beyond = fields.findIndex((f, i) => i >= width && f.trim() !== '');
        if (beyond >= 0) {
          yield { line: row.number, error: `has a value in column ${columnLetter(beyond + 1)}, beyond the header's ${width} columns` };
          continue;
        }
        while (fields.length < width) fields.push('');
        fields.length = width;
        yield { line: row.number, fields };
      }
      // The sheet is read; the rest of the workbook is of no interest.
      break;
    }
  } catch (error) {
    if (error instanceof FileProblem) throw error;
    throw new FileProblem(1, `the file is not a readable XLSX workbook (${(error as Error).message})`);
  }
  if (!found) {
    throw new FileProblem(1, options.sheet === undefined ? 'the workbook has no sheets' : `the workbook has no sheet "${options.sheet}" (sheets: ${names.join(', ')})`);
  }
}

function columnLetter(n: number): string {
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}
