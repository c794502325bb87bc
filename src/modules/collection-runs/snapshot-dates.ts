import { sql } from 'drizzle-orm';
import type { PlainDate } from '../../domain/calendar.ts';
import type { Ctx } from '../shared/context.ts';

/**
 * The latest date `account_snapshots` has rows for: the last run date of a portfolio with an account in it. Read from
 * the run dates and one probe of the history, not through the view (which would expand every account's history over
 * every run date to find its maximum).
 */
export async function latestSnapshotDate(ctx: Ctx): Promise<PlainDate | null> {
  const [row] = await ctx.database.query<{ d: string }>(sql`
    SELECT r.as_of::text AS d FROM portfolio_run_days r
     WHERE r.company_id = ${ctx.companyId}
       AND EXISTS (SELECT 1 FROM account_history h
                    WHERE h.portfolio_id = r.portfolio_id AND h.valid_from <= r.as_of AND (h.valid_to IS NULL OR h.valid_to > r.as_of))
     ORDER BY r.as_of DESC LIMIT 1`);
  return (row?.d as PlainDate | undefined) ?? null;
}
