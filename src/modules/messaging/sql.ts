import { sql, type SQL } from 'drizzle-orm';
import { arrayLiteral } from '../../db/array-literal.ts';

/** A bigint[] parameter (a bare JS array in drizzle's `sql` would be spread into a row constructor). */
export function bigintArray(ids: readonly number[]): SQL {
  return sql`${arrayLiteral(ids.map((n) => String(Math.trunc(n))))}::bigint[]`;
}

/** A text[] parameter. */
export { textArray } from '../../db/array-literal.ts';

/** An int[] parameter. */
export function intArray(values: readonly number[]): SQL {
  return sql`${arrayLiteral(values.map((n) => String(Math.trunc(n))))}::int[]`;
}
