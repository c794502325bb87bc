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

/*
 * Balances as they stood on date `d`, read by the aging report and by a run of an earlier date alike: a document counts
 * from its issue date, and what payments dated after `d` (not reversed) applied to it was still owed on `d`.
 */

/** Whether the document of alias `o` existed on `d` (one loaded without an issue date counts on any date). */
export function issuedBy(o: string, d: SQL): SQL {
  return sql`(${sql.raw(o)}.issued_on IS NULL OR ${sql.raw(o)}.issued_on <= ${d})`;
}

/** The company's payments dated after `d`, not reversed (a subquery of their ids). */
export function paymentsAfter(companyId: number, d: SQL): SQL {
  return sql`SELECT py.id FROM payments py WHERE py.company_id = ${companyId} AND py.paid_on > ${d} AND py.reversed_at IS NULL`;
}

/** Per document, what the payments dated after `d` applied to it (`obligation_id`, `amount`). */
export function paidAfterPerObligation(companyId: number, d: SQL): SQL {
  return sql`SELECT al.obligation_id, sum(al.amount) AS amount FROM payment_allocations al
       WHERE al.payment_id IN (${paymentsAfter(companyId, d)})
       GROUP BY al.obligation_id`;
}

/** A string literal for SQL text (standard_conforming_strings: only quotes need doubling). */
export function sqlString(value: string): string {
  if (value.includes('\u0000')) throw new Error('NUL in SQL literal');
  return `'${value.replaceAll("'", "''")}'`;
}
