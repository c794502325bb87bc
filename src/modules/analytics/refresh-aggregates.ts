/**
 * The analytics refresh: after a daily run, the day's account snapshots are summed into the tables dashboards read,
 * so a dashboard over a million obligations reads a few thousand rows instead of scanning them.
 *
 * - kpi_daily_portfolio: accounts and balance per portfolio × collector × segment × phase × bucket × DPD band ×
 *   currency (segment '' = all).
 * - kpi_daily_flows: credit sales (obligations by issue date, else due date) and collections (payments applied per
 *   obligation's portfolio; unapplied money under portfolio 0) per day. Recomputed for the last 35 days on each refresh
 *   (late payments and back-dated imports), for all history on the first.
 * - kpi_daily_transitions: account-tracked bucket moves between the snapshot `lag` days before and the day's (lag 30,
 *   a bucket's width), the base of roll and cure rates.
 * Each piece replaces its day's rows in one transaction, so a rerun gives the same result.
 */
import { sql, type SQL } from 'drizzle-orm';
import { addDays, parseDate, type PlainDate } from '../../domain/calendar.ts';
import { bucketCaseSql } from '../collection-runs/sql-fragments.ts';
import { latestSnapshotDate } from '../collection-runs/snapshot-dates.ts';
import type { Ctx } from '../shared/context.ts';
import { invalidInput, t } from '../shared/errors.ts';
import { bandCaseSql } from './bands.ts';

/** The roll/cure lag in days: the width of a 30-day bucket. */
export const TRANSITION_LAG_DAYS = 30;
/** Days of flows recomputed on every refresh. */
export const FLOW_WINDOW_DAYS = 35;

export interface RefreshSummary {
  asOf: string;
  portfolioRows: number;
  flowDays: number;
  transitionRows: number;
  durationMs: number;
}

/**
 * A condition limiting rows to some debtors, given the debtor-id column to test (visibleDebtorFilter's shape), or
 * undefined for every debtor.
 */
export type DebtorScope = (debtorId: SQL) => SQL | undefined;

/** `AND <the scope's condition on the column debtorId>`, or nothing when the scope is every debtor. */
export function scoped(scope: DebtorScope | undefined, debtorId: string): SQL {
  const condition = scope?.(sql.raw(debtorId));
  return condition ? sql`AND ${condition}` : sql``;
}

/** The collector an account was assigned to at instant `at` (0: nobody). */
const collectorAt = (alias: string, at: SQL) =>
  sql`coalesce((SELECT x.collector_id FROM assignments x WHERE x.portfolio_id = ${sql.raw(alias)}.portfolio_id AND x.debtor_id = ${sql.raw(alias)}.debtor_id
                  AND x.valid_from < ${at} AND (x.valid_to IS NULL OR x.valid_to >= ${at}) ORDER BY x.valid_from DESC LIMIT 1), 0)`;

/** The end of calendar day `day` (a SQL date) in the company's time zone. */
const endOfDay = (c: number, day: SQL) => sql`((${day} + 1)::timestamp AT TIME ZONE (SELECT time_zone FROM companies WHERE id = ${c}))`;

/**
 * The rows of kpi_daily_portfolio, in its column order, computed from the account snapshots of the days `days` picks
 * (a condition on `s.as_of`), optionally only for some debtors. The refresh stores them; a dashboard for a principal
 * limited to some debtors (an agency) reads them on the fly, so both come from one definition.
 */
export function portfolioRowsSql(c: number, days: SQL, scope?: DebtorScope): SQL {
  return sql`
    SELECT ${c}::bigint AS company_id, s.as_of, s.portfolio_id, s.collector_id, seg.name AS segment, s.phase,
           coalesce(${sql.raw(bucketCaseSql('s.days_past_due'))}, 'settled') AS bucket, ${sql.raw(bandCaseSql('s.days_past_due'))} AS band,
           b.key AS currency, count(*)::int AS accounts, sum(b.value::bigint) AS balance
      FROM (SELECT s.as_of, s.portfolio_id, s.debtor_id, s.phase, s.days_past_due, s.balances, s.segments, ${collectorAt('s', endOfDay(c, sql`s.as_of`))} AS collector_id
              FROM account_snapshots s WHERE s.company_id = ${c} AND ${days} ${scoped(scope, 's.debtor_id')}) s
           CROSS JOIN LATERAL jsonb_each_text(s.balances) b
           CROSS JOIN LATERAL unnest(ARRAY['']::text[] || s.segments) AS seg(name)
     GROUP BY s.as_of, s.portfolio_id, s.collector_id, seg.name, s.phase, 7, 8, b.key`;
}

/**
 * The rows of kpi_daily_flows, in its column order, for the days from `from` to `to` (SQL dates): credit sales
 * (obligations by issue date, else due date) and collections (applied per obligation's portfolio; unapplied money
 * under portfolio 0), each under the collector the account had at the end of that day.
 */
export function flowRowsSql(c: number, from: SQL, to: SQL, scope?: DebtorScope): SQL {
  return sql`
    WITH sales AS (
      SELECT coalesce(o.issued_on, o.due_on) AS day, o.portfolio_id, o.debtor_id, o.currency, o.amount AS sales, 0::bigint AS collected, 0 AS payments
        FROM obligations o
       WHERE o.company_id = ${c} AND coalesce(o.issued_on, o.due_on) BETWEEN ${from} AND ${to} ${scoped(scope, 'o.debtor_id')}
    ), applied AS (
      SELECT p.paid_on AS day, o.portfolio_id, o.debtor_id, p.currency, 0::bigint, al.amount, 1
        FROM payments p JOIN payment_allocations al ON al.payment_id = p.id JOIN obligations o ON o.id = al.obligation_id
       WHERE p.company_id = ${c} AND p.reversed_at IS NULL AND p.paid_on BETWEEN ${from} AND ${to} ${scoped(scope, 'p.debtor_id')}
    ), unapplied AS (
      SELECT p.paid_on, 0::bigint, p.debtor_id, p.currency, 0::bigint, p.unapplied, 1
        FROM payments p
       WHERE p.company_id = ${c} AND p.reversed_at IS NULL AND p.unapplied > 0 AND p.paid_on BETWEEN ${from} AND ${to} ${scoped(scope, 'p.debtor_id')}
    ), moves AS (
      SELECT m.*,
             coalesce((SELECT x.collector_id FROM assignments x WHERE x.debtor_id = m.debtor_id AND (m.portfolio_id = 0 OR x.portfolio_id = m.portfolio_id)
                         AND x.valid_from < ${endOfDay(c, sql`m.day`)}
                       ORDER BY x.valid_from DESC LIMIT 1), 0) AS collector_id
        FROM (SELECT * FROM sales UNION ALL SELECT * FROM applied UNION ALL SELECT * FROM unapplied) m
    )
    SELECT ${c}::bigint AS company_id, m.day, m.portfolio_id, m.collector_id, m.currency, sum(m.sales) AS sales, sum(m.collected) AS collected, sum(m.payments)::int AS payments
      FROM moves m GROUP BY m.day, m.portfolio_id, m.collector_id, m.currency`;
}

/**
 * The rows of kpi_daily_transitions, in its column order, for day `asOf`: each account's bucket `lagDays` before and
 * on the day (an account owing nothing at the end is 'settled'), under its collector at the start.
 */
export function transitionRowsSql(c: number, asOf: PlainDate, lagDays: number, scope?: DebtorScope): SQL {
  const lagDate = addDays(asOf, -lagDays);
  return sql`
    WITH pairs AS (
      SELECT a.portfolio_id, a.debtor_id, a.segments, a.days_past_due AS start_dpd, a.balances AS start_balances,
             e.days_past_due AS end_dpd, coalesce(e.balances, '{}'::jsonb) AS end_balances, ${collectorAt('a', endOfDay(c, sql`${asOf}::date`))} AS collector_id
        FROM account_snapshots a
        LEFT JOIN account_snapshots e ON e.company_id = a.company_id AND e.as_of = ${asOf}::date AND e.portfolio_id = a.portfolio_id AND e.debtor_id = a.debtor_id
       WHERE a.company_id = ${c} AND a.as_of = ${lagDate}::date AND a.days_past_due IS NOT NULL ${scoped(scope, 'a.debtor_id')}
    )
    SELECT ${c}::bigint AS company_id, ${asOf}::date AS as_of, ${lagDays}::int AS lag_days, p.portfolio_id, p.collector_id, seg.name AS segment, b.key AS currency,
           ${sql.raw(bucketCaseSql('p.start_dpd'))} AS from_bucket, coalesce(${sql.raw(bucketCaseSql('p.end_dpd'))}, 'settled') AS to_bucket,
           count(*)::int AS accounts, sum(b.value::bigint) AS start_balance, sum(coalesce((p.end_balances ->> b.key)::bigint, 0)) AS end_balance
      FROM pairs p CROSS JOIN LATERAL jsonb_each_text(p.start_balances) b
                   CROSS JOIN LATERAL unnest(ARRAY['']::text[] || p.segments) AS seg(name)
     GROUP BY p.portfolio_id, p.collector_id, seg.name, b.key, 8, 9`;
}

/** Refreshes the aggregates of one day (default: the latest snapshot date). */
export async function refreshAnalytics(ctx: Ctx, options: { asOf?: string | undefined } = {}): Promise<RefreshSummary> {
  const started = performance.now();
  const c = ctx.companyId;
  let asOf: PlainDate;
  if (options.asOf) {
    try {
      asOf = parseDate(options.asOf);
    } catch (error) {
      throw invalidInput(error, 'as_of', t('as of', 'fecha de corte'));
    }
  } else {
    const latest = await latestSnapshotDate(ctx);
    if (!latest) return { asOf: '', portfolioRows: 0, flowDays: 0, transitionRows: 0, durationMs: 0 };
    asOf = latest;
  }
  const [first] = await ctx.database.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM kpi_refreshes WHERE company_id = ${c}`);
  const flowsFrom = first?.n ? addDays(asOf, -FLOW_WINDOW_DAYS) : ('0001-01-01' as PlainDate);

  return ctx.database.db.transaction(async (tx) => {
    const run = async (statement: ReturnType<typeof sql>) => ((await tx.execute(statement)) as unknown as { rows: Array<Record<string, unknown>> }).rows;
    await run(sql`DELETE FROM kpi_daily_portfolio WHERE company_id = ${c} AND as_of = ${asOf}::date`);
    const [p] = await run(sql`
      WITH ins AS (
        INSERT INTO kpi_daily_portfolio (company_id, as_of, portfolio_id, collector_id, segment, phase, bucket, band, currency, accounts, balance)
        ${portfolioRowsSql(c, sql`s.as_of = ${asOf}::date`)}
        RETURNING 1
      ) SELECT count(*)::int AS n FROM ins`);

    await run(sql`DELETE FROM kpi_daily_flows WHERE company_id = ${c} AND day >= ${flowsFrom}::date AND day <= ${asOf}::date`);
    const [f] = await run(sql`
      WITH ins AS (
        INSERT INTO kpi_daily_flows (company_id, day, portfolio_id, collector_id, currency, sales, collected, payments)
        SELECT * FROM (${flowRowsSql(c, sql`${flowsFrom}::date`, sql`${asOf}::date`)}) f
        RETURNING day
      ) SELECT count(DISTINCT day)::int AS n FROM ins`);

    await run(sql`DELETE FROM kpi_daily_transitions WHERE company_id = ${c} AND as_of = ${asOf}::date AND lag_days = ${TRANSITION_LAG_DAYS}`);
    const [t] = await run(sql`
      WITH ins AS (
        INSERT INTO kpi_daily_transitions (company_id, as_of, lag_days, portfolio_id, collector_id, segment, currency, from_bucket, to_bucket, accounts, start_balance, end_balance)
        SELECT * FROM (${transitionRowsSql(c, asOf, TRANSITION_LAG_DAYS)}) t
        RETURNING 1
      ) SELECT count(*)::int AS n FROM ins`);

    const durationMs = Math.round(performance.now() - started);
    const [acc] = await run(sql`SELECT count(*)::int AS n FROM account_snapshots WHERE company_id = ${c} AND as_of = ${asOf}::date`);
    await run(sql`
      INSERT INTO kpi_refreshes (company_id, as_of, refreshed_at, accounts, duration_ms)
      VALUES (${c}, ${asOf}::date, ${ctx.clock.now().toISOString()}::timestamptz, ${Number(acc?.n ?? 0)}, ${durationMs})
      ON CONFLICT (company_id, as_of) DO UPDATE SET refreshed_at = excluded.refreshed_at, accounts = excluded.accounts, duration_ms = excluded.duration_ms`);
    return { asOf, portfolioRows: Number(p?.n ?? 0), flowDays: Number(f?.n ?? 0), transitionRows: Number(t?.n ?? 0), durationMs };
  });
}
