/**
 * The activity aggregates: what people and messages did per day, summed by the back-office refresh after the daily
 * run so the dashboard's contact, per-collector and per-channel figures read a few thousand rows instead of every
 * interaction and message of the period.
 *
 * - kpi_daily_interactions: interactions per local day × collector × channel (counts, answered, right party,
 *   promises taken, and how many of those promises are kept, partially kept or broken).
 * - kpi_daily_promise_outcomes: promises resolved per day, for every promise (collector 0) and per collector who took
 *   an interaction for it.
 * - kpi_daily_messages: outbound messages per local day of creation × channel × strategy step (sent, delivered, read,
 *   failed, replied within 7 days, paid within 7 days).
 *
 * Days are the company's calendar days. The rule that keeps the figures exact:
 * - The aggregates hold whole days only: each refresh sums every day up to the day before its own (`through`, kept in
 *   kpi_activity_refreshes); the dashboard reads later days — today's activity — from the source tables, with the
 *   same definitions as here (the *RowsSql functions), and adds them.
 * - Figures of a past day can still change: a message is delivered, read or answered (within 7 days), a payment is
 *   imported late, a promise is resolved weeks after it was taken. So each refresh recomputes the last
 *   ACTIVITY_WINDOW_DAYS days (35, as the flows: a reply comes within 7 days of sending, a payment dated within a
 *   message's 7 days and imported up to four weeks late still counts) plus, whatever their age, the days of the
 *   interactions and resolutions of every promise changed in that window, and every day since the previous refresh.
 *   The first refresh sums all history. A change to an older message day (a payment back-dated by more than 35
 *   days, a status reported later than that, a new company time zone) is not in the dashboard until the aggregates
 *   are summed again from the start: delete the company's kpi_activity_refreshes row and the next refresh does it.
 * - Between two refreshes the recent days are as of the last refresh (a reply received after it counts from the next
 *   one, as payments in the flows do); today is always live.
 * - A principal limited to some debtors (an agency) cannot read the aggregates, which sum every debtor: its figures
 *   come from the same definitions restricted to its debtors, on the fly (the portfolio aggregates do the same).
 * Each refresh replaces the rows it recomputes in one transaction, so running it twice changes nothing.
 */
import { sql, type SQL } from 'drizzle-orm';
import { addDays, compareDates, type PlainDate } from '../../domain/calendar.ts';
import { textArray } from '../messaging/index.ts';
import type { Ctx } from '../shared/context.ts';
import { ANSWERED_OUTCOMES, RIGHT_PARTY_OUTCOMES } from '../worklists/index.ts';
import { FLOW_WINDOW_DAYS, scoped, type DebtorScope } from './refresh-aggregates.ts';

/** Days before the refresh's day recomputed on every refresh (the flows' window). */
export const ACTIVITY_WINDOW_DAYS = FLOW_WINDOW_DAYS;
const ALL_HISTORY = '0001-01-01' as PlainDate;

export interface ActivityRefreshSummary {
  /** The last day summed (the day before the refresh's day, company time zone). */
  through: string;
  /** The first day recomputed (all history on the first refresh). */
  recomputedFrom: string;
  /** Days before `recomputedFrom` recomputed because a promise taken or resolved on them changed. */
  promiseDays: number;
  interactionRows: number;
  promiseRows: number;
  messageRows: number;
  durationMs: number;
}

/** The aggregate tables' columns, in the order the *RowsSql functions return them. */
const COLUMNS = {
  interactions: 'company_id, day, collector_id, channel, interactions, answered, right_party, promises, kept, partially_kept, broken',
  promiseOutcomes: 'company_id, day, collector_id, kept, partially_kept, broken',
  messages: 'company_id, day, channel, strategy_id, step_id, sent, delivered, read, failed, replied, paid_within_7_days',
} as const;
type Kind = keyof typeof COLUMNS;
const TABLES: Record<Kind, string> = { interactions: 'kpi_daily_interactions', promiseOutcomes: 'kpi_daily_promise_outcomes', messages: 'kpi_daily_messages' };

const zone = (c: number) => sql`(SELECT time_zone FROM companies WHERE id = ${c})`;
/** The company's calendar day of an instant column. */
const localDay = (c: number, column: string) => sql`(${sql.raw(column)} AT TIME ZONE ${zone(c)})::date`;
/** An instant column within local days `from` to `to` (SQL dates), as an index range. */
const withinDays = (c: number, column: string, from: SQL, to: SQL) =>
  sql`${sql.raw(column)} >= ((${from})::timestamp AT TIME ZONE ${zone(c)}) AND ${sql.raw(column)} < (((${to}) + 1)::timestamp AT TIME ZONE ${zone(c)})`;
const date = (d: PlainDate) => sql`${d}::date`;

/**
 * Rows of kpi_daily_interactions for the local days `from` to `to` (SQL dates). Contact figures leave out notes
 * (channel 'note') from attempts, answered and right party; per-collector results count every interaction.
 */
export function interactionRowsSql(c: number, from: SQL, to: SQL, scope?: DebtorScope): SQL {
  return sql`
    SELECT ${c}::bigint AS company_id, ${localDay(c, 'i.occurred_at')} AS day, coalesce(i.collector_id, 0)::bigint AS collector_id, i.channel,
           count(*)::int AS interactions,
           count(*) FILTER (WHERE i.outcome = ANY(${textArray(ANSWERED_OUTCOMES)}))::int AS answered,
           count(*) FILTER (WHERE i.outcome = ANY(${textArray(RIGHT_PARTY_OUTCOMES)}))::int AS right_party,
           count(*) FILTER (WHERE i.outcome = 'promise')::int AS promises,
           count(*) FILTER (WHERE p.status = 'kept')::int AS kept,
           count(*) FILTER (WHERE p.status = 'partially_kept')::int AS partially_kept,
           count(*) FILTER (WHERE p.status = 'broken')::int AS broken
      FROM interactions i LEFT JOIN promises p ON p.id = i.promise_id
     WHERE i.company_id = ${c} AND ${withinDays(c, 'i.occurred_at', from, to)} ${scoped(scope, 'i.debtor_id')}
     GROUP BY 2, 3, 4`;
}

/**
 * Rows of kpi_daily_promise_outcomes for promises resolved from `from` to `to` (SQL dates): collector 0 counts every
 * promise, a collector's row those they recorded an interaction for.
 */
export function promiseOutcomeRowsSql(c: number, from: SQL, to: SQL, scope?: DebtorScope): SQL {
  return sql`
    SELECT ${c}::bigint AS company_id, p.resolved_on AS day, x.collector_id,
           count(*) FILTER (WHERE p.status = 'kept')::int AS kept,
           count(*) FILTER (WHERE p.status = 'partially_kept')::int AS partially_kept,
           count(*) FILTER (WHERE p.status = 'broken')::int AS broken
      FROM promises p
      CROSS JOIN LATERAL (SELECT 0::bigint AS collector_id
                          UNION SELECT i.collector_id FROM interactions i WHERE i.promise_id = p.id AND i.collector_id IS NOT NULL) x
     WHERE p.company_id = ${c} AND p.resolved_on BETWEEN ${from} AND ${to} AND p.status IN ('kept', 'partially_kept', 'broken') ${scoped(scope, 'p.debtor_id')}
     GROUP BY p.resolved_on, x.collector_id`;
}

/**
 * Rows of kpi_daily_messages for the messages created on local days `from` to `to` (SQL dates): replied is a reply
 * from the debtor on the same channel within 7 days of sending; paid within 7 days, a payment (not reversed) dated
 * from the sending day to 7 days after it.
 */
export function messageRowsSql(c: number, from: SQL, to: SQL, scope?: DebtorScope): SQL {
  return sql`
    SELECT ${c}::bigint AS company_id, ${localDay(c, 'm.created_at')} AS day, m.channel, coalesce(m.strategy_id, 0)::bigint AS strategy_id, coalesce(m.step_id, '') AS step_id,
           count(*) FILTER (WHERE m.sent_at IS NOT NULL)::int AS sent,
           count(*) FILTER (WHERE m.delivered_at IS NOT NULL OR m.status IN ('delivered', 'read'))::int AS delivered,
           count(*) FILTER (WHERE m.read_at IS NOT NULL OR m.status = 'read')::int AS read,
           count(*) FILTER (WHERE m.status = 'failed')::int AS failed,
           count(*) FILTER (WHERE m.sent_at IS NOT NULL AND EXISTS (
             SELECT 1 FROM inbound_messages i WHERE i.debtor_id = m.debtor_id AND i.channel = m.channel
                AND i.received_at >= m.sent_at AND i.received_at < m.sent_at + interval '7 days'))::int AS replied,
           count(*) FILTER (WHERE m.sent_at IS NOT NULL AND EXISTS (
             SELECT 1 FROM payments p WHERE p.debtor_id = m.debtor_id AND p.reversed_at IS NULL
                AND p.paid_on >= ${localDay(c, 'm.sent_at')} AND p.paid_on <= ${localDay(c, 'm.sent_at')} + 7))::int AS paid_within_7_days
      FROM outbox_messages m
     WHERE m.company_id = ${c} AND ${withinDays(c, 'm.created_at', from, to)} ${scoped(scope, 'm.debtor_id')}
     GROUP BY 2, 3, 4, 5`;
}

const ROWS: Record<Kind, (c: number, from: SQL, to: SQL, scope?: DebtorScope) => SQL> = {
  interactions: interactionRowsSql,
  promiseOutcomes: promiseOutcomeRowsSql,
  messages: messageRowsSql,
};

export type ActivitySources = Record<Kind, SQL>;

/**
 * Where the dashboard reads each activity figure for the days `from` to `to`: subqueries with the aggregate tables'
 * rows, from the tables for the days they hold and from the source tables for the days after (today), or all from the
 * source tables for a principal limited to some debtors or before the first refresh.
 */
export async function activitySources(ctx: Ctx, from: PlainDate, to: PlainDate, scope: DebtorScope | undefined): Promise<ActivitySources> {
  const c = ctx.companyId;
  let through: PlainDate | null = null;
  if (!scope) {
    const [row] = await ctx.database.query<{ through: string }>(sql`SELECT through::text AS through FROM kpi_activity_refreshes WHERE company_id = ${c}`);
    through = (row?.through ?? null) as PlainDate | null;
  }
  const source = (kind: Kind): SQL => {
    const live = (first: PlainDate) => ROWS[kind](c, date(first), date(to), scope);
    if (through === null || compareDates(through, from) < 0) return sql`(${live(from)})`;
    const last = compareDates(through, to) < 0 ? through : to;
    const stored = sql`SELECT ${sql.raw(COLUMNS[kind])} FROM ${sql.raw(TABLES[kind])} WHERE company_id = ${c} AND day BETWEEN ${from}::date AND ${last}::date`;
    return last === to ? sql`(${stored})` : sql`(${stored} UNION ALL ${live(addDays(through, 1))})`;
  };
  return { interactions: source('interactions'), promiseOutcomes: source('promiseOutcomes'), messages: source('messages') };
}

/**
 * Sums the activity of every whole day up to yesterday (company time zone) into the aggregate tables, recomputing
 * what can still have changed (see the rule above). Idempotent.
 */
export async function refreshActivity(ctx: Ctx): Promise<ActivityRefreshSummary> {
  const started = performance.now();
  const c = ctx.companyId;
  const now = ctx.clock.now().toISOString();
  const [state] = await ctx.database.query<{ today: string; through: string | null }>(sql`
    SELECT (${now}::timestamptz AT TIME ZONE ${zone(c)})::date::text AS today,
           (SELECT through::text FROM kpi_activity_refreshes WHERE company_id = ${c}) AS through`);
  const today = state!.today as PlainDate;
  const through = addDays(today, -1);
  const previous = (state!.through ?? null) as PlainDate | null;
  let from = previous === null ? ALL_HISTORY : addDays(today, -ACTIVITY_WINDOW_DAYS);
  if (previous !== null && compareDates(addDays(previous, 1), from) < 0) from = addDays(previous, 1);

  // Promises changed since the window began (resolved, cancelled…) change the figures of the days they were taken
  // and resolved on, however old.
  const changed = sql`p.company_id = ${c} AND p.updated_at >= (${from}::date::timestamp AT TIME ZONE ${zone(c)})`;
  const [older] = await ctx.database.query<{ taken: string[] | null; resolved: string[] | null }>(sql`
    SELECT (SELECT array_agg(DISTINCT ${localDay(c, 'i.occurred_at')}::text) FROM promises p JOIN interactions i ON i.promise_id = p.id
             WHERE ${changed} AND i.occurred_at < (${from}::date::timestamp AT TIME ZONE ${zone(c)})) AS taken,
           (SELECT array_agg(DISTINCT p.resolved_on::text) FROM promises p WHERE ${changed} AND p.resolved_on < ${from}::date) AS resolved`);
  const takenDays = previous === null ? [] : (older?.taken ?? []);
  const resolvedDays = previous === null ? [] : (older?.resolved ?? []);

  return ctx.database.db.transaction(async (tx) => {
    const run = async (statement: SQL) => ((await tx.execute(statement)) as unknown as { rows: Array<Record<string, unknown>> }).rows;
    // One reply and one payment lookup per message: compiling them (JIT) costs more than it saves (1.27 s without,
    // 1.56 s with, for 35 days of the benchmark's messages).
    await run(sql`SELECT set_config('jit', 'off', true)`);
    const replace = async (kind: Kind, days: string[]): Promise<number> => {
      const extra = sql`${sql.param(days)}::date[]`;
      await run(sql`DELETE FROM ${sql.raw(TABLES[kind])} WHERE company_id = ${c} AND (day >= ${from}::date OR day = ANY(${extra}))`);
      const [n] = await run(sql`
        WITH ins AS (
          INSERT INTO ${sql.raw(TABLES[kind])} (${sql.raw(COLUMNS[kind])})
          SELECT * FROM (${ROWS[kind](c, date(from), date(through))}) r
          UNION ALL
          SELECT r.* FROM unnest(${extra}) d(day) CROSS JOIN LATERAL (${ROWS[kind](c, sql`d.day`, sql`d.day`)}) r
          RETURNING 1
        ) SELECT count(*)::int AS n FROM ins`);
      return Number(n?.n ?? 0);
    };
    const interactionRows = await replace('interactions', takenDays);
    const promiseRows = await replace('promiseOutcomes', resolvedDays);
    const messageRows = await replace('messages', []);
    const durationMs = Math.round(performance.now() - started);
    await run(sql`
      INSERT INTO kpi_activity_refreshes (company_id, through, recomputed_from, refreshed_at, duration_ms)
      VALUES (${c}, ${through}::date, ${from}::date, ${now}::timestamptz, ${durationMs})
      ON CONFLICT (company_id) DO UPDATE SET through = excluded.through, recomputed_from = excluded.recomputed_from,
        refreshed_at = excluded.refreshed_at, duration_ms = excluded.duration_ms`);
    return { through, recomputedFrom: from, promiseDays: new Set([...takenDays, ...resolvedDays]).size, interactionRows, promiseRows, messageRows, durationMs };
  });
}
