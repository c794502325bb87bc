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
 * Each of them also per portfolio × phase × segment, so the dashboard's portfolio, phase and segment filters narrow
 * these figures as they narrow the portfolio figures (ADR 0011):
 * - An interaction, a message or a promise concerns a debtor, whose accounts are per portfolio. It counts under the
 *   accounts the debtor had on the day of the activity, as the account history holds them (the range of run dates
 *   covering that day; a promise: the day it was taken), with each account's phase and segments that day: what a
 *   supervisor asks is how contact went with the accounts that were in that phase or segment when they were worked,
 *   and an account that paid and left a phase does not take its history with it.
 * - A debtor with accounts in two portfolios: its interactions and promises (recorded per debtor) count in both
 *   portfolios; a message that names its portfolio (a strategy's step, a notice) counts in that one only. Every
 *   activity counts once in a row set: portfolio 0 is every portfolio, phase '' every phase and segment '' every
 *   segment (the rows without a filter), and an activity matching a filter through two accounts counts once in it.
 * - Activity on a day the debtor had no account (before its first run) counts only without those filters.
 * The refresh stores every combination (summedUnderAccounts); today's activity, and an agency's, are computed for the
 * one combination a dashboard asks for (summedFor), with the same figures.
 *
 * Days are the company's calendar days. The rule that keeps the figures exact:
 * - The aggregates hold whole days only: each refresh sums every day up to the day before its own (`through`, kept in
 *   kpi_activity_refreshes); the dashboard reads later days — today's activity — from the source tables, with the
 *   same definitions as here (activityRowsSql), and adds them.
 * - Figures of a past day can still change: a message is delivered, read or answered (within 7 days), a payment is
 *   imported late, a promise is resolved weeks after it was taken. So each refresh recomputes the last
 *   ACTIVITY_WINDOW_DAYS days (35, as the flows: a reply comes within 7 days of sending, a payment dated within a
 *   message's 7 days and imported up to four weeks late still counts) plus, whatever their age, the days of the
 *   interactions and resolutions of every promise changed in that window, and every day since the previous refresh.
 *   The first refresh sums all history. A change to an older message day (a payment back-dated by more than 35
 *   days, a status reported later than that, a new company time zone, a run forced on an older date) is not in the
 *   dashboard until the aggregates are summed again from the start: delete the company's kpi_activity_refreshes row
 *   and the next refresh does it (the migration that added portfolio, phase and segment did so for every company).
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

/** The aggregate tables: their key (the primary key's columns) and figures, in the order activityRowsSql returns them. */
const AGGREGATES = {
  interactions: {
    table: 'kpi_daily_interactions',
    key: ['company_id', 'day', 'collector_id', 'channel', 'portfolio_id', 'phase', 'segment'],
    figures: ['interactions', 'answered', 'right_party', 'promises', 'kept', 'partially_kept', 'broken'],
  },
  promiseOutcomes: {
    table: 'kpi_daily_promise_outcomes',
    key: ['company_id', 'day', 'collector_id', 'portfolio_id', 'phase', 'segment'],
    figures: ['kept', 'partially_kept', 'broken'],
  },
  messages: {
    table: 'kpi_daily_messages',
    key: ['company_id', 'day', 'channel', 'strategy_id', 'step_id', 'portfolio_id', 'phase', 'segment'],
    figures: ['sent', 'delivered', 'read', 'failed', 'replied', 'paid_within_7_days'],
  },
} as const;
type Kind = keyof typeof AGGREGATES;
const columnsOf = (kind: Kind) => [...AGGREGATES[kind].key, ...AGGREGATES[kind].figures].join(', ');

/** Which accounts' activity a dashboard reads: a portfolio id (0: every portfolio), a phase and a segment ('': all). */
export interface ActivityFilter {
  portfolioId: number;
  phase: string;
  segment: string;
}
export const EVERY_ACCOUNT: ActivityFilter = { portfolioId: 0, phase: '', segment: '' };

const zone = (c: number) => sql`(SELECT time_zone FROM companies WHERE id = ${c})`;
/** The company's calendar day of an instant column. */
const localDay = (c: number, column: string) => sql`(${sql.raw(column)} AT TIME ZONE ${zone(c)})::date`;

/**
 * The company whose activity is summed, with its time zone read beforehand: as a value, the bounds of a period are
 * constants the planner sees (through a subquery it guesses a few hundred rows and walks the accounts row by row).
 */
interface Company {
  id: number;
  timeZone: string;
}
/** The calendar day of an instant column in the company's time zone. */
const dayOf = (co: Company, column: string) => sql`(${sql.raw(column)} AT TIME ZONE ${co.timeZone}::text)::date`;
/** An instant column within local days `from` to `to` (SQL dates), as an index range. */
const withinDays = (co: Company, column: string, from: SQL, to: SQL) =>
  sql`${sql.raw(column)} >= ((${from})::timestamp AT TIME ZONE ${co.timeZone}::text) AND ${sql.raw(column)} < (((${to}) + 1)::timestamp AT TIME ZONE ${co.timeZone}::text)`;
const date = (d: PlainDate) => sql`${d}::date`;

/** The local days rows are computed for: `from` to `to` (SQL dates), and the single days of `extra` (a date[]) before them. */
interface Days {
  from: SQL;
  to: SQL;
  extra?: SQL;
}

/** The first of `days`. */
const firstOf = (days: Days) => (days.extra ? sql`least(${days.from}, (SELECT min(d) FROM unnest(${days.extra}) AS d))` : days.from);

/** `select(from, to)` for the range of `days`, and for each of its extra days. */
function overDays(days: Days, select: (from: SQL, to: SQL) => SQL): SQL {
  const range = select(days.from, days.to);
  return days.extra ? sql`${range} UNION ALL SELECT x.* FROM unnest(${days.extra}) AS d(day) CROSS JOIN LATERAL (${select(sql`d.day`, sql`d.day`)}) x` : range;
}

/**
 * An activity source: one row per activity with `id`, `debtor_id`, `own_portfolio` (the one portfolio it belongs to,
 * or NULL), `on_day` (the day whose accounts it counts under), the `keys` it is grouped by and one boolean column per
 * figure (`measures`), counted where true.
 */
interface Activity {
  rows: SQL;
  keys: readonly string[];
  measures: readonly string[];
  /** No `on_day` is before this day: older history ranges are left out before the join (the history grows daily). */
  since: SQL;
}

const list = (alias: string, columns: readonly string[]) => sql.raw(columns.map((x) => `${alias}.${x}`).join(', '));
const counts = (alias: string, measures: readonly string[]) => sql.raw(measures.map((x) => `count(*) FILTER (WHERE ${alias}.${x})::int AS ${x}`).join(', '));
const sums = (alias: string, measures: readonly string[]) => sql.raw(measures.map((x) => `sum(${alias}.${x})::int AS ${x}`).join(', '));

/** The debtor's accounts (`st`, `h`) on the activity's day, in its own portfolio when it names one. */
function accountsOfTheDay(c: number, alias: string): SQL {
  const a = sql.raw(alias);
  return sql`st.company_id = ${c} AND st.debtor_id = ${a}.debtor_id AND (${a}.own_portfolio IS NULL OR st.portfolio_id = ${a}.own_portfolio)
             AND h.valid_from <= ${a}.on_day AND (h.valid_to IS NULL OR h.valid_to > ${a}.on_day)`;
}
const ACCOUNTS = sql`account_states st JOIN account_history h ON h.portfolio_id = st.portfolio_id AND h.debtor_id = st.debtor_id`;

/**
 * Repeats each row of `alias` (with an account's account_portfolio, account_phase and account_segments, NULL without
 * one) under every dimension value it counts in: its portfolio and 0, its phase and '', '' and each of its segments;
 * without an account, only (0, '', '').
 */
const repeated = (alias: string) =>
  // VALUES rather than unnest(ARRAY[…]): the planner counts two rows, not ten, and sums the result in a hash table.
  sql.raw(`
    CROSS JOIN LATERAL (SELECT v.p FROM (VALUES (${alias}.account_portfolio), (0::bigint)) v(p) WHERE v.p IS NOT NULL) AS dim_p(portfolio_id)
    CROSS JOIN LATERAL (SELECT v.f FROM (VALUES (${alias}.account_phase), (''::text)) v(f) WHERE v.f IS NOT NULL) AS dim_f(phase)
    CROSS JOIN LATERAL unnest(ARRAY['']::text[] || coalesce(${alias}.account_segments, '{}'::text[])) AS dim_s(segment)`);

/**
 * The aggregate rows of an activity source under every portfolio, phase and segment (the refresh stores them). Most
 * activities count under at most one account (the debtor owes in one portfolio, or the activity names its own): those
 * are summed in one pass under their account's portfolio and phase, and under 0 and '' for either or both (grouping
 * sets). The activities of debtors with accounts in several portfolios are repeated under each account's values and
 * kept once per combination, so an activity matching a filter through two accounts counts once.
 */
function summedUnderAccounts({ id: c }: Company, { rows, keys, measures, since }: Activity): SQL {
  return sql`
    WITH placed AS (
      SELECT b.*, h.portfolio_id AS account_portfolio, h.phase AS account_phase, h.segments AS account_segments,
             (b.own_portfolio IS NULL AND b.debtor_id IN (SELECT s.debtor_id FROM account_states s WHERE s.company_id = ${c} GROUP BY s.debtor_id HAVING count(*) > 1)) AS several
        FROM (${rows} OFFSET 0) b
        -- Through account_states, whose debtor index keeps a walk per activity cheap when the planner has no
        -- statistics yet (the history has no index by debtor alone; a walk over it per activity took a minute for
        -- 50k messages); with them it hashes both.
        LEFT JOIN (${ACCOUNTS}) ON ${accountsOfTheDay(c, 'b')} AND (h.valid_to IS NULL OR h.valid_to > ${since})
    ), single AS (
      -- Without an account (NULL portfolio and phase) an activity counts only where both are rolled up: (0, '').
      SELECT ${list('p', keys)}, CASE WHEN GROUPING(p.account_portfolio) = 1 THEN 0 ELSE p.account_portfolio END AS portfolio_id,
             CASE WHEN GROUPING(p.account_phase) = 1 THEN '' ELSE p.account_phase END AS phase, dim_s.segment, ${counts('p', measures)}
        FROM placed p CROSS JOIN LATERAL unnest(ARRAY['']::text[] || coalesce(p.account_segments, '{}'::text[])) AS dim_s(segment)
       WHERE NOT p.several
       GROUP BY ${list('p', keys)}, dim_s.segment, GROUPING SETS ((p.account_portfolio, p.account_phase), (p.account_portfolio), (p.account_phase), ())
      HAVING (GROUPING(p.account_portfolio) = 1 OR p.account_portfolio IS NOT NULL) AND (GROUPING(p.account_phase) = 1 OR p.account_phase IS NOT NULL)
    ), several AS (
      SELECT DISTINCT p.id, ${list('p', keys)}, ${list('p', measures)}, dim_p.portfolio_id, dim_f.phase, dim_s.segment
        FROM placed p ${repeated('p')} WHERE p.several
    )
    SELECT ${c}::bigint AS company_id, ${list('x', keys)}, x.portfolio_id, x.phase, x.segment, ${sums('x', measures)}
      FROM (SELECT * FROM single
            UNION ALL
            SELECT ${list('v', keys)}, v.portfolio_id, v.phase, v.segment, ${counts('v', measures)} FROM several v
             GROUP BY ${list('v', keys)}, v.portfolio_id, v.phase, v.segment) x
     GROUP BY ${list('x', keys)}, x.portfolio_id, x.phase, x.segment`;
}

/**
 * The aggregate rows of an activity source for the accounts `only` picks, in the same shape: an activity counts once
 * when one of the debtor's accounts on its day matches (the dashboard reads today's activity, and an agency's, so).
 */
function summedFor({ id: c }: Company, { rows, keys, measures }: Activity, only: ActivityFilter): SQL {
  const matches = [
    only.portfolioId !== 0 ? sql`AND st.portfolio_id = ${only.portfolioId}` : sql``,
    only.phase ? sql`AND h.phase = ${only.phase}` : sql``,
    only.segment ? sql`AND ${only.segment} = ANY(h.segments)` : sql``,
  ];
  const every = only.portfolioId === 0 && !only.phase && !only.segment;
  return sql`
    SELECT ${c}::bigint AS company_id, ${list('b', keys)}, ${only.portfolioId}::bigint AS portfolio_id, ${only.phase}::text AS phase, ${only.segment}::text AS segment, ${counts('b', measures)}
      FROM (${rows} OFFSET 0) b
     ${every ? sql`` : sql`WHERE EXISTS (SELECT 1 FROM ${ACCOUNTS} WHERE ${accountsOfTheDay(c, 'b')} ${sql.join(matches, sql` `)})`}
     GROUP BY ${list('b', keys)}`;
}

/**
 * Interactions of the local days `days`. Contact figures leave out notes (channel 'note') from attempts, answered and
 * right party; per-collector results count every interaction.
 */
function interactions(co: Company, days: Days, scope?: DebtorScope): Activity {
  const rows = overDays(days, (from, to) => sql`
    SELECT i.id, i.debtor_id, NULL::bigint AS own_portfolio, ${dayOf(co, 'i.occurred_at')} AS on_day,
           ${dayOf(co, 'i.occurred_at')} AS day, coalesce(i.collector_id, 0)::bigint AS collector_id, i.channel,
           TRUE AS interactions, i.outcome = ANY(${textArray(ANSWERED_OUTCOMES)}) AS answered, i.outcome = ANY(${textArray(RIGHT_PARTY_OUTCOMES)}) AS right_party,
           i.outcome = 'promise' AS promises, p.status = 'kept' AS kept, p.status = 'partially_kept' AS partially_kept, p.status = 'broken' AS broken
      FROM interactions i LEFT JOIN promises p ON p.id = i.promise_id
     WHERE i.company_id = ${co.id} AND ${withinDays(co, 'i.occurred_at', from, to)} ${scoped(scope, 'i.debtor_id')}`);
  return { rows, keys: ['day', 'collector_id', 'channel'], measures: ['interactions', 'answered', 'right_party', 'promises', 'kept', 'partially_kept', 'broken'], since: firstOf(days) };
}

/**
 * Promises resolved on the days `days`, once for every promise (collector 0) and once for each collector who took an
 * interaction for it, under the accounts of the day it was taken (on the day it resolves, a kept promise has often
 * left its phase).
 */
function promiseOutcomes(co: Company, days: Days, scope?: DebtorScope): Activity {
  const rows = overDays(days, (from, to) => sql`
    SELECT p.id, p.debtor_id, NULL::bigint AS own_portfolio, p.taken_on AS on_day, p.resolved_on AS day, x.collector_id,
           p.status = 'kept' AS kept, p.status = 'partially_kept' AS partially_kept, p.status = 'broken' AS broken
      FROM promises p
      CROSS JOIN LATERAL (SELECT 0::bigint AS collector_id
                          UNION SELECT i.collector_id FROM interactions i WHERE i.promise_id = p.id AND i.collector_id IS NOT NULL) x
     WHERE p.company_id = ${co.id} AND p.resolved_on BETWEEN ${from} AND ${to} AND p.status IN ('kept', 'partially_kept', 'broken') ${scoped(scope, 'p.debtor_id')}`);
  const since = sql`coalesce((SELECT min(p.taken_on) FROM promises p WHERE p.company_id = ${co.id} AND p.resolved_on >= ${firstOf(days)}), ${days.from})`;
  return { rows, keys: ['day', 'collector_id'], measures: ['kept', 'partially_kept', 'broken'], since };
}

/**
 * Messages created on the local days `days`: replied is a reply from the debtor on the same channel within 7 days of
 * sending; paid within 7 days, a payment (not reversed) dated from the sending day to 7 days after it.
 */
function messages(co: Company, days: Days, scope?: DebtorScope): Activity {
  const rows = overDays(days, (from, to) => sql`
    SELECT m.id, m.debtor_id, m.portfolio_id AS own_portfolio, ${dayOf(co, 'm.created_at')} AS on_day,
           ${dayOf(co, 'm.created_at')} AS day, m.channel, coalesce(m.strategy_id, 0)::bigint AS strategy_id, coalesce(m.step_id, '') AS step_id,
           m.sent_at IS NOT NULL AS sent,
           (m.delivered_at IS NOT NULL OR m.status IN ('delivered', 'read')) AS delivered,
           (m.read_at IS NOT NULL OR m.status = 'read') AS read,
           m.status = 'failed' AS failed,
           (m.sent_at IS NOT NULL AND EXISTS (
             SELECT 1 FROM inbound_messages i WHERE i.debtor_id = m.debtor_id AND i.channel = m.channel
                AND i.received_at >= m.sent_at AND i.received_at < m.sent_at + interval '7 days')) AS replied,
           (m.sent_at IS NOT NULL AND EXISTS (
             SELECT 1 FROM payments p WHERE p.debtor_id = m.debtor_id AND p.reversed_at IS NULL
                AND p.paid_on >= ${dayOf(co, 'm.sent_at')} AND p.paid_on <= ${dayOf(co, 'm.sent_at')} + 7)) AS paid_within_7_days
      FROM outbox_messages m
     WHERE m.company_id = ${co.id} AND ${withinDays(co, 'm.created_at', from, to)} ${scoped(scope, 'm.debtor_id')}`);
  return { rows, keys: ['day', 'channel', 'strategy_id', 'step_id'], measures: ['sent', 'delivered', 'read', 'failed', 'replied', 'paid_within_7_days'], since: firstOf(days) };
}

const SOURCES: Record<Kind, (co: Company, days: Days, scope?: DebtorScope) => Activity> = { interactions, promiseOutcomes, messages };

/**
 * Rows of an aggregate table (its columns in order) for the local days `days`: under every portfolio, phase and
 * segment as the refresh stores them, or, with `only`, just the rows of those accounts (the same figures).
 */
export function activityRowsSql(kind: Kind, co: Company, days: Days, options: { scope?: DebtorScope | undefined; only?: ActivityFilter } = {}): SQL {
  const activity = SOURCES[kind](co, days, options.scope);
  return options.only ? summedFor(co, activity, options.only) : summedUnderAccounts(co, activity);
}

export type ActivitySources = Record<Kind, SQL>;

/**
 * Where the dashboard reads each activity figure for the days `from` to `to`, for the accounts `filter` picks:
 * subqueries with the aggregate tables' rows, from the tables for the days they hold and from the source tables for
 * the days after (today), or all from the source tables for a principal limited to some debtors or before the first
 * refresh.
 */
export async function activitySources(ctx: Ctx, from: PlainDate, to: PlainDate, scope: DebtorScope | undefined, filter: ActivityFilter = EVERY_ACCOUNT): Promise<ActivitySources> {
  const c = ctx.companyId;
  const [row] = await ctx.database.query<{ time_zone: string; through: string | null }>(sql`
    SELECT time_zone, (SELECT through::text FROM kpi_activity_refreshes WHERE company_id = ${c}) AS through FROM companies WHERE id = ${c}`);
  const co: Company = { id: c, timeZone: row!.time_zone };
  const through = scope ? null : ((row?.through ?? null) as PlainDate | null);
  const source = (kind: Kind): SQL => {
    const live = (first: PlainDate) => activityRowsSql(kind, co, { from: date(first), to: date(to) }, { scope, only: filter });
    if (through === null || compareDates(through, from) < 0) return sql`(${live(from)})`;
    const last = compareDates(through, to) < 0 ? through : to;
    const stored = sql`
      SELECT ${sql.raw(columnsOf(kind))} FROM ${sql.raw(AGGREGATES[kind].table)}
       WHERE company_id = ${c} AND portfolio_id = ${filter.portfolioId} AND phase = ${filter.phase} AND segment = ${filter.segment} AND day BETWEEN ${from}::date AND ${last}::date`;
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
  const [state] = await ctx.database.query<{ today: string; through: string | null; time_zone: string }>(sql`
    SELECT (${now}::timestamptz AT TIME ZONE ${zone(c)})::date::text AS today, ${zone(c)} AS time_zone,
           (SELECT through::text FROM kpi_activity_refreshes WHERE company_id = ${c}) AS through`);
  const co: Company = { id: c, timeZone: state!.time_zone };
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
    // 1.56 s with, for 35 days of the benchmark's messages). The sums per day and dimension spill to disk under the
    // default work_mem (4 MB), and the planner, which cannot tell how many segments an account has, sorts some of
    // them below 256 MB (as the daily run, this is the refresh's one big transaction; the sums take tens of MB).
    await run(sql`SELECT set_config('jit', 'off', true), set_config('work_mem', '256MB', true)`);
    // The recomputed days' rows are written only where they changed, and removed where they are gone: most of a
    // window's rows are as the day before, and replacing them all made every insert check its key against the row it
    // replaced (as long as computing them, on 35 days of the benchmark's messages).
    const replace = async (kind: Kind, days: string[]): Promise<number> => {
      const { table, key, figures } = AGGREGATES[kind];
      const extra = sql`${sql.param(days)}::date[]`;
      const sameKey = sql.raw(key.map((k) => `f.${k} = t.${k}`).join(' AND '));
      await run(sql`
        CREATE TEMP TABLE activity_fresh ON COMMIT DROP AS
        SELECT * FROM (${activityRowsSql(kind, co, { from: date(from), to: date(through), ...(days.length > 0 && { extra }) })}) r`);
      await run(sql`
        DELETE FROM ${sql.raw(table)} t
         WHERE t.company_id = ${c} AND (t.day >= ${from}::date OR t.day = ANY(${extra}))
           AND NOT EXISTS (SELECT 1 FROM activity_fresh f WHERE ${sameKey} AND (${list('f', figures)}) = (${list('t', figures)}))`);
      const [n] = await run(sql`
        WITH written AS (
          INSERT INTO ${sql.raw(table)} (${sql.raw(columnsOf(kind))})
          SELECT f.* FROM activity_fresh f WHERE NOT EXISTS (SELECT 1 FROM ${sql.raw(table)} t WHERE ${sameKey})
          RETURNING 1
        ) SELECT (SELECT count(*)::int FROM activity_fresh) AS n, (SELECT count(*)::int FROM written) AS written`);
      await run(sql`DROP TABLE activity_fresh`);
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
