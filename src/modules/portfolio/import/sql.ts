/**
 * Small helpers for the raw SQL of the write side, which must behave the same on node-postgres and PGlite.
 * The drivers disagree on int8 (string vs number/bigint), so every query here casts what it returns: counts to
 * `int`, ids and money to `text`.
 */
import type { SQL } from 'drizzle-orm';
import type { Db } from '../../../db/connection.ts';

/** Runs `statement` on a database or transaction handle and returns its rows. */
export async function rows<T>(db: Db, statement: SQL): Promise<T[]> {
  const result = (await db.execute(statement)) as unknown as { rows: T[] };
  return result.rows;
}


/** One bound text[] parameter; the same helper serves every module (src/db/array-literal.ts). */
export { textArray } from '../../../db/array-literal.ts';
