import { sql, type SQL } from 'drizzle-orm';

/** A bigint[] parameter (a bare JS array in drizzle's `sql` would be spread into a row constructor). */
export function bigintArray(ids: readonly number[]): SQL {
  return sql`${sql.param(ids.map((n) => String(Math.trunc(n))))}::bigint[]`;
}

/** A text[] parameter. */
export function textArray(values: readonly string[]): SQL {
  return sql`${sql.param([...values])}::text[]`;
}

/** An int[] parameter. */
export function intArray(values: readonly number[]): SQL {
  return sql`${sql.param(values.map((n) => String(Math.trunc(n))))}::int[]`;
}
