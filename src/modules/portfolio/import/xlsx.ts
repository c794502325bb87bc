/**
 * Streaming XLSX reader: reads one sheet row by row and turns every cell into the text a CSV of the same sheet would
 * hold, so one validation path serves both formats. The file is first copied to a temporary file and read through
 * its ZIP central directory (unzipper); each part is parsed by exceljs's streaming reader, and the sheet's rows are
 * read as they are inflated, so memory does not grow with the number of rows (shared strings are held, as Excel
 * itself needs them).
 *
 * Cell conversion, chosen to be exact:
 * - date cells (a date number format) become ISO dates YYYY-MM-DD (the time of day, if any, is dropped);
 * - numbers become plain decimals rounded to 15 significant digits, Excel's own display precision, which removes
 *   binary artefacts (0.1 + 0.2 stored as 0.30000000000000004 reads "0.3", 1250.5 reads "1250.5") without ever
 *   going through a locale format; the stream reader exposes no formatted text, so the number is the source;
 * - formulas contribute their cached result, rich text its plain text, errors their code (#N/A), booleans true/false.
 * Line numbers are the sheet's row numbers, as Excel shows them.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { t } from '../../../domain/text.ts';
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

function cellText(cell: CellLike, date1904: boolean): string {
  return valueText(cell.value, cell.numFmt, date1904);
}

function valueText(value: unknown, numFmt: string | undefined, date1904: boolean): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return isDateFormat(numFmt) && value > 0 ? serialDate(value, date1904) : numberText(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return isoDate(value);
  if (typeof value === 'object') {
    const v = value as { richText?: Array<{ text: string }>; text?: unknown; result?: unknown; error?: string; formula?: string; sharedFormula?: string };
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if (v.error !== undefined) return v.error;
    if ('result' in v || v.formula !== undefined || v.sharedFormula !== undefined) return valueText(v.result, numFmt, date1904);
    if (v.text !== undefined) return valueText(v.text, numFmt, date1904);
  }
  return String(value);
}

// Excel serial day numbers count from 1899-12-30, or from 1904-01-01 in workbooks saved with the 1904 date system
// (old Mac Excel; 1,462 days later); the time of day is dropped.
function serialDate(serial: number, date1904: boolean): string {
  return isoDate(new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000)));
}

/** What {@link spool} saw of its input: the first bytes, the size and the last bytes. */
interface Spooled {
  path: string;
  head: Buffer;
  bytes: number;
  /** The last chunks, at least {@link TAIL_BYTES} of them once that many arrived. */
  tail: Buffer[];
}

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
/** A ZIP archive ends with this record, within its last 22 + 65,535 (comment) bytes. */
const END_OF_ZIP = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const TAIL_BYTES = 22 + 65_535;

/**
 * Copies the workbook to a temporary file, so it can be read through its central directory (below). The input's own
 * failure (an upload cut at the size limit, a client gone mid-file) rejects with that error.
 */
async function spool(input: Readable, dir: string): Promise<Spooled> {
  const seen: Spooled = { path: join(dir, 'workbook.xlsx'), head: Buffer.alloc(0), bytes: 0, tail: [] };
  let tailBytes = 0;
  async function* observe(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const chunk of source) {
      if (seen.head.length < 8) seen.head = Buffer.concat([seen.head, chunk.subarray(0, 8 - seen.head.length)]);
      seen.bytes += chunk.length;
      seen.tail.push(chunk);
      tailBytes += chunk.length;
      while (tailBytes - seen.tail[0]!.length >= TAIL_BYTES) tailBytes -= seen.tail.shift()!.length;
      yield chunk;
    }
  }
  await pipeline(input, observe, createWriteStream(seen.path));
  return seen;
}

function isCompleteZip(seen: Spooled): boolean {
  const tail = Buffer.concat(seen.tail);
  const at = tail.lastIndexOf(END_OF_ZIP);
  return seen.head.subarray(0, 4).equals(ZIP) && at >= 0 && tail.length - at >= 22;
}

/** Why the file cannot be read as a workbook, in words: what its first bytes say it is, or that it was cut short. */
function notAWorkbook(seen: Spooled, error: unknown): FileProblem {
  if (seen.bytes === 0) return new FileProblem(1, t('the file is empty', 'el archivo está vacío'));
  if (seen.head.subarray(0, 8).equals(OLE2)) {
    return new FileProblem(1, t('the file is an old binary .xls workbook, which is not supported; save it as .xlsx or CSV', 'el archivo es un libro binario .xls antiguo, que no se admite; guárdelo como .xlsx o CSV'));
  }
  if (!seen.head.subarray(0, 4).equals(ZIP)) {
    return new FileProblem(
      1,
      t(
        'the file is not an XLSX workbook (those are ZIP archives); if it is CSV text, import it with the .csv extension or the csv format',
        'el archivo no es un libro XLSX (esos son archivos ZIP); si es texto CSV, impórtelo con la extensión .csv o el formato csv',
      ),
    );
  }
  if (!isCompleteZip(seen)) {
    return new FileProblem(
      1,
      t(
        'the workbook is incomplete: the file ends before its last part (was it cut short while being copied or uploaded?)',
        'el libro está incompleto: el archivo termina antes de su última parte (¿se cortó al copiarlo o al subirlo?)',
      ),
    );
  }
  const cause = error instanceof Error ? error.message : String(error);
  return new FileProblem(1, t(`the file is not a readable XLSX workbook (${cause})`, `el archivo no es un libro XLSX legible (${cause})`));
}

/** The parts of unzipper's central-directory reader used here (it ships no types). */
interface ZipEntry {
  path: string;
  type: 'File' | 'Directory';
  stream(): Readable;
}
const unzipper = createRequire(import.meta.url)('unzipper') as { Open: { file(path: string): Promise<{ files: ZipEntry[] }> } };

/**
 * The parts of exceljs's streaming WorkbookReader used here: its parsers for each part of the workbook, each given a
 * stream of that part. Its own `parse` reads the archive in one streaming pass, in stored order, and that pass loses
 * entries under load (the parts after a worksheet never arrive, and reading fails with "Cannot read properties of
 * undefined (reading 'sheets')"; exceljs issue 3064); files written by exceljs itself store `xl/workbook.xml` last.
 * Reading through the archive's central directory instead gives every part, in the order the parsers need.
 */
interface PartsReader {
  workbookRels?: Array<{ Id: string; Target: string }>;
  model?: { sheets?: Array<{ name: string; rId: string; state?: string }> };
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(iterator: AsyncIterable<string>, sheetNo: string): Generator<{ eventType: string; value: ExcelJS.stream.xlsx.WorksheetReader }>;
}

/** The worksheets in the workbook's tab order, each with its entry in the archive and whether Excel shows its tab. */
async function openWorkbook(path: string): Promise<Array<{ name: string; visible: boolean; entry: ZipEntry; sheetNo: string; reader: PartsReader }>> {
  const { files } = await unzipper.Open.file(path);
  const byPath = new Map(files.filter((f) => f.type === 'File').map((f) => [f.path.replace(/^\//, ''), f]));
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore' }) as unknown as PartsReader;
  const part = (name: string) => byPath.get(name)?.stream().setEncoding('utf8');
  const rels = part('xl/_rels/workbook.xml.rels');
  const workbook = part('xl/workbook.xml');
  if (!rels || !workbook) throw new Error('it has no xl/workbook.xml or xl/_rels/workbook.xml.rels');
  await reader._parseRels(rels);
  await reader._parseWorkbook(workbook);
  const strings = part('xl/sharedStrings.xml');
  if (strings) for await (const _ of reader._parseSharedStrings(strings)) void _;
  const styles = part('xl/styles.xml');
  if (styles) await reader._parseStyles(styles);
  const sheets = [];
  for (const sheet of reader.model?.sheets ?? []) {
    const target = reader.workbookRels?.find((rel) => rel.Id === sheet.rId)?.Target;
    if (target === undefined) continue;
    const at = target.startsWith('/') ? target.slice(1) : posix.normalize(`xl/${target}`);
    const entry = byPath.get(at);
    // `state` is "hidden" or "veryHidden" for a sheet whose tab Excel does not show; absent (or "visible") otherwise.
    const visible = sheet.state === undefined || sheet.state === 'visible';
    if (entry) sheets.push({ name: sheet.name, visible, entry, sheetNo: /(\d+)\.xml$/.exec(at)?.[1] ?? String(sheets.length + 1), reader });
  }
  return sheets;
}

/**
 * Reads the rows of one sheet: `sheet` by name (hidden or not), else the first visible one — a hidden first sheet
 * (lookup tables, an ERP's parameters) is not what the user sees on opening the file. A workbook whose sheets are all
 * hidden, which Excel cannot save but other tools can, falls back to the first. The header is the first non-blank row and fixes the
 * width; a later value beyond that width is an error item (the spreadsheet form of a ragged row).
 */
export async function* readXlsx(input: Readable, options: { sheet?: string | undefined } = {}): AsyncGenerator<SourceItem> {
  const dir = await mkdtemp(join(tmpdir(), 'cobranza-xlsx-'));
  try {
    // The input's own failure (e.g. the upload limit) is thrown as it is: it is the cause, not the cut workbook.
    const seen = await spool(input, dir);
    let sheets;
    try {
      sheets = await openWorkbook(seen.path);
    } catch (error) {
      throw notAWorkbook(seen, error);
    }
    const wanted = options.sheet?.trim().toLowerCase();
    const sheet = wanted === undefined ? (sheets.find((s) => s.visible) ?? sheets[0]) : sheets.find((s) => s.name.trim().toLowerCase() === wanted);
    if (!sheet) {
      const names = sheets.map((s) => s.name).join(', ');
      throw new FileProblem(
        1,
        options.sheet === undefined ? t('the workbook has no sheets', 'el libro no tiene hojas') : t(`the workbook has no sheet "${options.sheet}" (sheets: ${names})`, `el libro no tiene una hoja "${options.sheet}" (hojas: ${names})`),
      );
    }
    // exceljs applies the workbook's date system to plain date cells only; formula results are converted here.
    const date1904 = (sheet.reader as unknown as { properties?: { model?: { date1904?: boolean } } }).properties?.model?.date1904 === true;
    const part = sheet.entry.stream().setEncoding('utf8');
    const [emitted] = sheet.reader._parseWorksheet(part, sheet.sheetNo);
    const worksheet = emitted!.value;
    let width = -1;
    try {
      for await (const row of worksheet) {
        const cells: string[] = [];
        row.eachCell({ includeEmpty: false }, (cell, column) => {
          cells[column - 1] = cellText(cell as unknown as CellLike, date1904);
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
          const letter = columnLetter(beyond + 1);
          yield { line: row.number, error: t(`has a value in column ${letter}, beyond the header's ${width} columns`, `tiene un valor en la columna ${letter}, más allá de las ${width} columnas del encabezado`) };
          continue;
        }
        while (fields.length < width) fields.push('');
        fields.length = width;
        yield { line: row.number, fields };
      }
    } catch (error) {
      throw notAWorkbook(seen, error);
    } finally {
      // Stopped early (the caller had what it needed) or failed: close the part's file.
      part.destroy();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function columnLetter(n: number): string {
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}
