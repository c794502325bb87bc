/**
 * Keyset pagination shared by the read side. A list is ordered by (sort key, tie-breaking ids); the next page starts
 * strictly after the last row's tuple, so rows written while a client walks the list never shift or repeat a page
 * the way OFFSET would. Encoding the position for the wire (opaque base64url) is the HTTP layer's job.
 */
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { AppError } from '../../shared/errors.ts';
import { t } from '../../../domain/text.ts';
import { isPlainDate } from '../../../domain/calendar.ts';

/** A position in a list: the last row's sort key followed by its tie-breaking ids. */
export type CursorKey = ReadonlyArray<string | number | null>;

/** One page of a list and where the next one starts (null on the last page). */
export interface Page<T> {
  rows: T[];
  next: CursorKey | null;
}

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

/**
 * What each element of a cursor must be; a cursor from another list or a tampered one fails these checks. `integer`
 * fits a bigint (an id), `int32` a Postgres integer (days past due), `text` is well-formed text without NUL (which no
 * Postgres text can hold), `date` a real calendar date.
 */
export type CursorPart = 'text' | 'integer' | 'int32' | 'date';

const INT32 = 2 ** 31;

/**
 * Checks a decoded cursor against the list's key shape before any of it reaches SQL, so a forged cursor is a plain
 * 400 rather than a value the database refuses (which is logged as a gap in validation).
 */
export function checkCursor(cursor: CursorKey | undefined, shape: readonly CursorPart[]): CursorKey | undefined {
  if (cursor === undefined) return undefined;
  const ok =
    cursor.length === shape.length &&
    shape.every((part, i) => {
      const v = cursor[i];
      if (part === 'text') return typeof v === 'string' && v.length <= 1000 && cursorText(v);
      if (part === 'integer') return typeof v === 'number' && Number.isSafeInteger(v);
      if (part === 'int32') return int32(v);
      return typeof v === 'string' && isPlainDate(v);
    });
  if (!ok) throw badCursor();
  return cursor;
}

/** Text a cursor may carry to SQL: no NUL, no lone surrogate. */
export function cursorText(v: string): boolean {
  return !v.includes('\u0000') && v.isWellFormed();
}

/** A bigint written as text (keys that may pass 2^53), within the range a Postgres bigint holds. */
export function bigintText(v: unknown): v is string {
  return typeof v === 'string' && /^-?\d{1,19}$/.test(v) && BigInt(v) >= -(2n ** 63n) && BigInt(v) < 2n ** 63n;
}

/** A number a Postgres integer holds. */
export function int32(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= -INT32 && v < INT32;
}

/**
 * Cursors on the wire: `{ l, k }` as base64url JSON, where `k` is the last row's key and `l` names the list and the
 * order that made it (`debtors.name`, `accounts.balance.MXN.desc`: see each list route). Every paged list encodes and
 * decodes here, so a cursor from another list, or from the same list sorted another way, is refused instead of being
 * read as a position it is not (two lists can share a key shape: obligations and payments are both (date, id)).
 * Clients must not rely on the shape.
 */
export function encodeCursor(list: string, key: CursorKey | null): string | null {
  return key === null ? null : Buffer.from(JSON.stringify({ l: list, k: key })).toString('base64url');
}

/** The key of a cursor {@link encodeCursor} made for `list`; undefined without one. The list's query checks the key further. */
export function decodeCursor(list: string, text: string | undefined): CursorKey | undefined {
  if (text === undefined || text === '') return undefined;
  let value: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(text)) throw new Error('not base64url');
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  const { l, k } = (typeof value === 'object' && value !== null ? value : {}) as { l?: unknown; k?: unknown };
  const flat = typeof l === 'string' && Array.isArray(k) && k.length <= 8 && k.every((v) => v === null || typeof v === 'string' || typeof v === 'number');
  if (!flat) {
    throw new AppError('validation_failed', t('the cursor is not one this server issued; start again without it', 'el cursor no lo emitió este servidor; vuelva a empezar sin él'), [
      { path: 'query.cursor', reason: t('unreadable cursor', 'cursor ilegible') },
    ]);
  }
  if (l !== list) {
    throw new AppError('validation_failed', t('this cursor belongs to another list or sort; start again without it', 'este cursor pertenece a otra lista u otro orden; vuelva a empezar sin él'), [
      { path: 'query.cursor', reason: t('from another list or sort', 'de otra lista u otro orden') },
    ]);
  }
  return k as CursorKey;
}

/** The error for a cursor that cannot have come from this list. */
export function badCursor(): AppError {
  return new AppError('validation_failed', t('the cursor does not belong to this list or was altered; start again without it', 'el cursor no pertenece a esta lista o fue alterado; vuelva a empezar sin él'), [
    { path: 'query.cursor', reason: t('not a cursor of this list', 'no es un cursor de esta lista') },
  ]);
}

/** Clamps a page size into 1…MAX_LIMIT (the HTTP schema already refuses others; the CLI may not). */
export function pageSize(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_LIMIT;
  return Math.min(Math.max(Math.trunc(limit), 1), MAX_LIMIT);
}

/** `(k1, k2, …) > (v1, v2, …)` for ascending order, `<` for descending: a row-value comparison the index can use. */
export function after(columns: SQLWrapper[], values: SQLWrapper[], direction: 'asc' | 'desc'): SQL {
  const op = direction === 'asc' ? sql.raw('>') : sql.raw('<');
  return sql`(${sql.join(columns, sql`, `)}) ${op} (${sql.join(values, sql`, `)})`;
}

/** Splits one row past the page (fetched to learn whether there is a next page) from the page itself. */
export function toPage<R, T>(rows: R[], limit: number, view: (row: R) => T, key: (row: R) => CursorKey): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept[kept.length - 1];
  return { rows: kept.map(view), next: more && last !== undefined ? key(last) : null };
}
