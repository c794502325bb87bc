/**
 * The shape every reader (CSV, XLSX, an API body) produces: rows of text fields with the line they start on. The
 * first row is the header. Readers stream; nothing here holds more than one row.
 */

import { TextError, type Message } from '../../../domain/text.ts';

/** A row of raw text fields, or a problem that made one row unreadable (the reader carries on after it). */
export type SourceItem = { line: number; fields: string[]; error?: undefined } | { line: number; error: Message; fields?: undefined };

/**
 * A problem that makes the whole file unreadable (empty, binary, wrong encoding, not a workbook). The import reports
 * it as one error at `line` and stops reading.
 */
export class FileProblem extends TextError {
  override name = 'FileProblem';
  readonly line: number;
  constructor(line: number, message: Message) {
    super(message);
    this.line = line;
  }
}

/** True when every field is blank: such rows (common at the end of spreadsheets) are skipped, not imported. */
export function isBlankRow(fields: readonly string[]): boolean {
  return fields.every((f) => f.trim() === '');
}
