/**
 * Streaming CSV reader. Bytes are decoded (UTF-8 with or without BOM, or Latin-1), line endings are normalised to
 * "\n", the delimiter is detected from the header line when not given, and csv-parse turns the text into records.
 *
 * Line numbers: after normalisation every "\n" is one line, so a record's first line is csv-parse's line counter at
 * the record's end minus the line breaks inside its (quoted) fields. Normalising first matters: csv-parse counts
 * "\r\n" inside a quoted field as two lines, which would shift every later number.
 */
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Readable as ReadableStream } from 'node:stream';
import { TextDecoder } from 'node:util';
import { parse, type CsvError, type InfoRecord } from 'csv-parse';
import { t, type Message } from '../../../domain/text.ts';
import { FileProblem, isBlankRow, type SourceItem } from './source.ts';

export interface CsvOptions {
  /** Detected from the header line when not given. */
  delimiter?: ',' | ';' | undefined;
  /**
   * `latin1` decodes as Windows-1252, the superset Excel writes for "ANSI" CSV: it agrees with ISO-8859-1 on every
   * letter and turns bytes 0x80–0x9F into €, quotes and dashes instead of invisible control characters. A UTF-8 BOM
   * wins over this option, since it can only mean UTF-8.
   */
  encoding?: 'utf8' | 'latin1' | undefined;
}

/** Longest record accepted; bounds memory when an unclosed quote would swallow the rest of the file. */
const MAX_RECORD_CHARS = 1_000_000;

/** A line longer than this leaves the fast path, so csv-parse applies its record size limit and its messages. */
const FAST_LINE_LIMIT = 64 * 1024;

/** Decodes bytes to text chunks with "\n" line endings, refusing binary data and invalid UTF-8. */
async function* decode(input: AsyncIterable<Buffer | string>, encoding: 'utf8' | 'latin1'): AsyncGenerator<string> {
  let decoder: TextDecoder | null = null;
  let line = 1;
  let pendingCr = false;
  let sawBytes = false;
  const emit = (raw: string): string => {
    let text = raw;
    if (pendingCr) text = '\r' + text;
    pendingCr = text.endsWith('\r');
    if (pendingCr) text = text.slice(0, -1);
    text = text.replace(/\r\n?/g, '\n');
    const nul = text.indexOf('\u0000');
    if (nul >= 0) {
      throw new FileProblem(
        line + count(text.slice(0, nul), '\n'),
        t(
          'the file is binary (it contains NUL bytes), not CSV text; XLSX files need the .xlsx extension or --format xlsx',
          'el archivo es binario (contiene bytes NUL), no texto CSV; los archivos XLSX necesitan la extensión .xlsx o el formato xlsx',
        ),
      );
    }
    const bad = text.indexOf('\uFFFD');
    if (bad >= 0 && encoding === 'utf8') {
      throw new FileProblem(
        line + count(text.slice(0, bad), '\n'),
        t(
          'the file is not valid UTF-8 text; save it as "CSV UTF-8" or import it with --encoding latin1',
          'el archivo no es texto UTF-8 válido; guárdelo como "CSV UTF-8" o impórtelo con la codificación latin1',
        ),
      );
    }
    line += count(text, '\n');
    return text;
  };
  for await (const chunk of input) {
    let bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    if (bytes.length === 0) continue;
    if (!decoder) {
      sawBytes = true;
      if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
        throw new FileProblem(
          1,
          t('the file is a ZIP/XLSX workbook, not CSV text; use the .xlsx extension or --format xlsx', 'el archivo es un libro ZIP/XLSX, no texto CSV; use la extensión .xlsx o el formato xlsx'),
        );
      }
      if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
        throw new FileProblem(1, t('the file is UTF-16 text; save it as "CSV UTF-8" (or Latin-1) and import it again', 'el archivo es texto UTF-16; guárdelo como "CSV UTF-8" (o Latin-1) e impórtelo de nuevo'));
      }
      const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
      if (bom) {
        encoding = 'utf8';
        bytes = bytes.subarray(3);
      }
      // fatal: false so a bad byte becomes U+FFFD, which `emit` turns into an error on the right line.
      decoder = new TextDecoder(encoding === 'latin1' ? 'windows-1252' : 'utf-8', { fatal: false, ignoreBOM: true });
    }
    const text = emit(decoder.decode(bytes, { stream: true }));
    if (text) yield text;
  }
  if (!sawBytes) throw new FileProblem(1, t('the file is empty', 'el archivo está vacío'));
  const tail = emit(decoder!.decode());
  if (tail || pendingCr) yield tail + (pendingCr ? '\n' : '');
}

function count(text: string, char: string): number {
  let n = 0;
  for (let i = text.indexOf(char); i >= 0; i = text.indexOf(char, i + 1)) n++;
  return n;
}

/** Picks "," or ";" by counting them outside quotes in the header line; a tie (a single column) means ",". */
export function detectDelimiter(headerLine: string): ',' | ';' {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === ',') commas++;
    else if (!quoted && ch === ';') semicolons++;
  }
  return semicolons > commas ? ';' : ',';
}

/**
 * Reads CSV rows from `input`. Blank rows are skipped; a record csv-parse cannot read becomes an error item and
 * reading goes on. Throws {@link FileProblem} for an empty, binary or wrongly encoded file.
 */
export async function* readCsv(input: Readable, options: CsvOptions = {}): AsyncGenerator<SourceItem> {
  const text = decode(input, options.encoding ?? 'utf8');
  // Read up to the end of the header line to choose the delimiter, then hand everything to the parser.
  const head: string[] = [];
  let delimiter = options.delimiter;
  if (!delimiter) {
    let seen = '';
    for (;;) {
      const next = await text.next();
      if (next.done) break;
      head.push(next.value);
      seen += next.value;
      const trimmed = seen.replace(/^\n+/, '');
      const end = trimmed.indexOf('\n');
      if (end >= 0) {
        delimiter = detectDelimiter(trimmed.slice(0, end));
        break;
      }
      // A header line longer than this is not a header; stop buffering and let the parser report what it finds.
      if (seen.length > MAX_RECORD_CHARS) break;
    }
    delimiter ??= detectDelimiter(head.join('').trim());
  }

  async function* all(): AsyncGenerator<string> {
    yield* head;
    yield* text;
  }
  const chunks = all();

  // Fast path: as long as the text holds no quote, a record is one line and a field is what lies between two
  // delimiters, exactly as csv-parse reads it with these options, but several times faster. At the first quote (or an
  // overlong line) the rest, from the start of the current line, goes to csv-parse, which then decides everything.
  let linesDone = 0;
  let pending = '';
  let rest: string | null = null;
  for (;;) {
    const next = await chunks.next();
    if (next.done) break;
    const chunk = next.value;
    if (chunk.includes('"')) {
      rest = pending + chunk;
      break;
    }
    const lines = (pending + chunk).split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      linesDone++;
      if (line === '') continue;
      const fields = line.split(delimiter);
      if (!isBlankRow(fields)) yield { line: linesDone, fields };
    }
    if (pending.length > FAST_LINE_LIMIT) {
      rest = pending;
      break;
    }
  }
  if (rest === null) {
    if (pending !== '') {
      const fields = pending.split(delimiter);
      if (!isBlankRow(fields)) yield { line: linesDone + 1, fields };
    }
    return;
  }

  const offset = linesDone;
  const skipped: SourceItem[] = [];
  // A record csv-parse gives up on is reported on the line it starts on: csv-parse only knows the line it had reached
  // (for an unclosed quote, the end of the file). That is the line after the last record it finished, past the empty
  // lines it skipped since; both are tracked as it parses, since errors arrive before buffered records are read.
  let lastEnd = 0;
  let lastEmpty = 0;
  // After an overlong record csv-parse drops the rest of every chunk it is given and reports it again each time.
  let gaveUp = false;
  const parser = parse({
    delimiter,
    info: true,
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: MAX_RECORD_CHARS,
    on_record: (record: string[], context: InfoRecord) => {
      lastEnd = context.lines;
      lastEmpty = context.empty_lines;
      return record;
    },
    on_skip: (error: CsvError | undefined) => {
      if (!error || gaveUp) return undefined;
      const info = error as CsvError & { lines?: number; empty_lines?: number };
      const empty = info.empty_lines ?? lastEmpty;
      skipped.push({ line: offset + lastEnd + (empty - lastEmpty) + 1, error: csvReason(error) });
      if (error.code === 'CSV_MAX_RECORD_SIZE') gaveUp = true;
      lastEnd = info.lines ?? lastEnd;
      lastEmpty = empty;
      return undefined;
    },
  });
  const first = rest;
  async function* remaining(): AsyncGenerator<string> {
    yield first;
    yield* chunks;
  }
  const feeding = pipeline(ReadableStream.from(remaining()), parser);
  // The loop below surfaces the same error; this only keeps the promise from being reported as unhandled.
  feeding.catch(() => undefined);

  for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    while (skipped.length > 0) yield skipped.shift()!;
    const fields = item.record;
    if (isBlankRow(fields)) continue;
    let breaks = 0;
    for (const f of fields) if (f.includes('\n')) breaks += count(f, '\n');
    yield { line: offset + item.info.lines - breaks, fields };
  }
  await feeding;
  while (skipped.length > 0) yield skipped.shift()!;
}

function csvReason(error: CsvError): Message {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return t(
        'a quoted field is never closed (a " is missing), so the rest of the file could not be read',
        'un campo entre comillas nunca se cierra (falta una "), así que no se pudo leer el resto del archivo',
      );
    case 'CSV_MAX_RECORD_SIZE':
      return t(
        `the row is longer than ${MAX_RECORD_CHARS} characters (is a closing " missing?), so the rest of the file could not be read`,
        `la fila tiene más de ${MAX_RECORD_CHARS} caracteres (¿falta una " de cierre?), así que no se pudo leer el resto del archivo`,
      );
    default:
      // The parser's own words: English in both languages.
      return error.message.replace(/^Invalid Record Length: /, '');
  }
}
