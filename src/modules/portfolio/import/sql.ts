/**
 * Small helpers for the raw SQL of the write side, which must behave the same on node-postgres and PGlite.
 * The drivers disagree on int8 (string vs number/bigint), so every query here casts what it returns: counts to
 * `int`, ids and money to `text`.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../../db/connection.ts';

/** Runs `statement` on a database or transaction handle and returns its rows. */
export async function rows<T>(db: Db, statement: SQL): Promise<T[]> {
  const result = (await db.execute(statement)) as unknown as { rows: T[] };
  return result.rows;
}

/**
 * One bound parameter holding a whole array (drizzle would otherwise expand a JS array into a list). Elements go as
 * text and the SQL casts them, so both drivers serialise them the same way.
 */
export function textArray(values: ReadonlyArray<string | null>): SQL {
  return sql`${sql.param(values)}::text[]`;
}
