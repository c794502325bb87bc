/**
 * RFC 4180 text for the demo's rows, produced lazily in chunks so that a million-row file streams to the importer
 * (or to disk) without ever being held in memory.
 */
import { Readable } from 'node:stream';
import type { DemoRow } from './generate-demo.ts';

const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV field: quoted (with inner quotes doubled) only when it contains a comma, a quote or a line break. */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The header and every row as UTF-8 CSV, in buffers of roughly `chunkChars` characters. */
export function* csvChunks(columns: readonly string[], rows: Iterable<DemoRow>, chunkChars = 64 * 1024): Generator<Buffer> {
  let text = columns.map(csvField).join(',') + '\n';
  for (const row of rows) {
    text += columns.map((c) => csvField(row[c] ?? '')).join(',') + '\n';
    if (text.length >= chunkChars) {
      yield Buffer.from(text, 'utf8');
      text = '';
    }
  }
  if (text) yield Buffer.from(text, 'utf8');
}

/** A byte stream of the rows as CSV; pulled, so it produces no faster than its reader consumes. */
export function csvStream(columns: readonly string[], rows: Iterable<DemoRow>): Readable {
  return Readable.from(csvChunks(columns, rows), { objectMode: false });
}
