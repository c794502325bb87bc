/**
 * SQL compiled from the domain's tables, so the set-based run and the pure functions agree by construction.
 */
import { sql, type SQL } from 'drizzle-orm';

export { bucketCaseSql } from '../../db/aging-sql.ts';

/** Whether the `portfolios` row of the query holds any document (obligation): one probe of obligations_portfolio_idx. */
export function portfolioHoldsDocuments(): SQL<boolean> {
  return sql<boolean>`EXISTS (SELECT 1 FROM obligations o WHERE o.portfolio_id = portfolios.id)`;
}

/** `CASE` for the threshold phase of an account that owes something, reading thresholds from portfolio alias `p`. */
export function thresholdPhaseSql(dpd: string, p: string): string {
  const eff = `(${dpd} - ${p}.grace_days)`;
  return `(CASE WHEN ${eff} >= ${p}.judicial_from THEN 'judicial' WHEN ${eff} >= ${p}.extrajudicial_from THEN 'extrajudicial' WHEN ${eff} >= ${p}.administrative_from THEN 'administrative' ELSE 'preventive' END)`;
}

/** A string literal for SQL text (standard_conforming_strings: only quotes need doubling). */
export function sqlString(value: string): string {
  if (value.includes('\u0000')) throw new Error('NUL in SQL literal');
  return `'${value.replaceAll("'", "''")}'`;
}
