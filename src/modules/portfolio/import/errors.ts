/**
 * Import errors with a cap: every row is still validated and counted, but only the first {@link MAX_REPORTED_ERRORS}
 * are kept, so a million-row file that is wrong everywhere cannot exhaust memory (or the imports table).
 */

import { english, type Message } from '../../../domain/text.ts';

/** One problem: the file line it is on (header = 1), the column in the file's own words, and why (in English). */
export interface ImportError {
  line: number;
  column: string;
  reason: string;
}

/**
 * One problem with its reason in both languages, as `imports.errors` keeps it (imports recorded before reasons were
 * translated hold English-only strings there).
 */
export interface ImportErrorText {
  line: number;
  column: string;
  reason: Message;
}

/** The problems in English. */
export function inEnglish(errors: readonly ImportErrorText[]): ImportError[] {
  return errors.map((e) => ({ ...e, reason: english(e.reason) }));
}

export const MAX_REPORTED_ERRORS = 1000;

export class ErrorCollector {
  readonly list: ImportErrorText[] = [];
  /** Every error found, including those past the cap. */
  count = 0;
  private readonly cap: number;

  constructor(cap = MAX_REPORTED_ERRORS) {
    this.cap = cap;
  }

  add(line: number, column: string, reason: Message): void {
    this.count++;
    if (this.list.length < this.cap) this.list.push({ line, column, reason });
  }

  /** How many more errors would still be kept. */
  get room(): number {
    return Math.max(0, this.cap - this.list.length);
  }

  /** Counts errors found in bulk of which only some were fetched (`found` ≤ `total`). */
  addBulk(found: ImportErrorText[], total: number): void {
    for (const e of found) if (this.list.length < this.cap) this.list.push(e);
    this.count += total;
  }

  /** The kept errors by line (stable, so a row's errors keep the order of its columns). */
  sorted(): ImportErrorText[] {
    return [...this.list].sort((a, b) => a.line - b.line);
  }
}
