/**
 * SQL compiled from the domain's aging tables, for the views the schema declares and for the modules' set-based
 * statements alike, so SQL and the pure functions agree by construction.
 */
import { BUCKETS } from '../domain/aging.ts';

/** `CASE` mapping a DPD expression to its bucket name (NULL when the expression is NULL). */
export function bucketCaseSql(dpd: string): string {
  const arms = BUCKETS.map((b) => {
    const conds: string[] = [];
    if (b.from !== null) conds.push(`${dpd} >= ${b.from}`);
    if (b.to !== null) conds.push(`${dpd} <= ${b.to}`);
    return `WHEN ${conds.join(' AND ')} THEN '${b.name}'`;
  });
  return `(CASE WHEN ${dpd} IS NULL THEN NULL ${arms.join(' ')} END)`;
}
