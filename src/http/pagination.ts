/**
 * Opaque cursors: the query layer hands back the last row's key tuple; clients get it as base64url JSON and must not
 * rely on its shape. Decoding refuses anything that is not a flat tuple before the query layer checks it further.
 */
import { AppError } from '../modules/shared/errors.ts';
import type { CursorKey, Page } from '../modules/portfolio/queries/index.ts';
import { t } from '../domain/text.ts';

export function encodeCursor(key: CursorKey | null): string | null {
  return key === null ? null : Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(text: string | undefined): CursorKey | undefined {
  if (text === undefined || text === '') return undefined;
  let value: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(text)) throw new Error('not base64url');
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  const flat = Array.isArray(value) && value.length <= 8 && value.every((v) => v === null || typeof v === 'string' || typeof v === 'number');
  if (!flat) throw new AppError('validation_failed', t('the cursor is not one this server issued; start again without it', 'el cursor no lo emitió este servidor; vuelva a empezar sin él'), [{ path: 'query.cursor', reason: t('unreadable cursor', 'cursor ilegible') }]);
  return value as CursorKey;
}

/** A page as the API returns it. */
export function pageBody<T>(page: Page<T>): { data: T[]; next_cursor: string | null } {
  return { data: page.rows, next_cursor: encodeCursor(page.next) };
}
