import { sql, type SQL } from 'drizzle-orm';
import { formatDecimal } from '../../domain/money.ts';
import type { Ctx } from '../shared/context.ts';
import { visibleDebtorFilter } from '../access/index.ts';
import { queryPrepared } from '../../db/prepared.ts';
import { companyToday } from './lookups.ts';
import { badCursor, bigintText, decodeCursor, encodeCursor } from '../portfolio/queries/page.ts';
import { say, t, type Language, type Text } from '../../domain/text.ts';
import { storedReasonText } from '../../domain/compliance/index.ts';

/**
 * The sections of "Mi día", in the order they are worked. Everything that needs a person comes first (call tasks,
 * broken promises, replies, disputes and hardship requests, plans waiting for approval, payments that could not be
 * applied); then the rest of the collector's portfolio by expected recovery.
 */
export const WORKLIST_CATEGORIES = ['call_task', 'promise_broken', 'reply', 'dispute', 'hardship', 'plan_approval', 'unapplied_payment', 'portfolio'] as const;
export type WorklistCategory = (typeof WORKLIST_CATEGORIES)[number];

export interface WorklistItem {
  category: WorklistCategory;
  debtor_external_id: string;
  debtor_name: string;
  /** For people, in the reader's language: why the account is here. */
  reason: string;
  /** The row behind the item: task id, inbound message id, payment id; null for portfolio items. */
  ref: number | null;
  /** Date the work is due (task due date, promise date…), or when the item arrived. */
  due: string | null;
  phase: string | null;
  days_past_due: number | null;
  currency: string | null;
  balance: string | null;
  expected_recovery: string | null;
  score: number | null;
}

export interface Worklist {
  collector_id: number;
  as_of: string;
  items: WorklistItem[];
  /** Opaque cursor for the next page of the portfolio section; null at the end. */
  next_cursor: string | null;
  counts: Partial<Record<WorklistCategory, number>>;
}

/** Items needing a person are few per collector; past this many the queue overflows (an alert says so). */
const ATTENTION_CAP = 500;

type Row = {
  category: WorklistCategory;
  external_id: string;
  name: string;
  ref: string | number | null;
  due: string | null;
  detail: string | null;
  phase: string | null;
  dpd: number | null;
  currency: string | null;
  balance: string | null;
  expected: string | null;
  score: number | null;
  rank_key: string | number | null;
  debtor_id: string | number;
};

const ORDER: Record<WorklistCategory, number> = Object.fromEntries(WORKLIST_CATEGORIES.map((c, i) => [c, i])) as Record<WorklistCategory, number>;

/**
 * The pieces of "Mi día" that the page and its summary share: the company's day (`co`, a CTE), the rows that need a
 * person (`attention`, a select of the needs-a-person sections) and the FROM … WHERE of the portfolio section, which
 * reads a CTE named `attention` to leave out the accounts already in it.
 */
function worklistParts(ctx: Ctx, me: number): { co: SQL; attention: SQL; portfolio: SQL } {
  const c = ctx.companyId;
  const today = sql`(SELECT today FROM co)`;
  const startOfDay = sql`(SELECT today::timestamp AT TIME ZONE time_zone FROM co)`;
  const mine = (alias: string): SQL =>
    sql`EXISTS (SELECT 1 FROM assignments s WHERE s.debtor_id = ${sql.raw(alias)}.debtor_id AND s.company_id = ${c} AND s.collector_id = ${me} AND s.valid_to IS NULL)`;
  const account = sql`LEFT JOIN LATERAL (SELECT a.phase, a.days_past_due FROM accounts a WHERE a.debtor_id = d.id ORDER BY (a.phase = 'settled'), a.days_past_due DESC NULLS LAST LIMIT 1) acc ON true`;
  // A task names no amount, so its item shows the debtor's open balance: in the company's currency when the debtor
  // owes in it, else the currency it owes most in (amounts of different currencies are not compared by value).
  const owed = sql`LEFT JOIN LATERAL (
      SELECT rtrim(o.currency) AS currency, sum(o.balance)::text AS balance FROM obligations o
       WHERE o.company_id = ${c} AND o.debtor_id = d.id AND o.balance > 0
       GROUP BY o.currency
       ORDER BY (o.currency = (SELECT default_currency FROM co)) DESC, sum(o.balance) DESC, o.currency
       LIMIT 1) bal ON true`;
  // An agency works only the debtors placed with it, even if one of its users is still assigned another.
  const visible = visibleDebtorFilter(ctx, sql`d.id`) ?? sql`TRUE`;
  return {
    co: sql`co AS (
      SELECT time_zone, default_currency, (${ctx.clock.now().toISOString()}::timestamptz AT TIME ZONE time_zone)::date AS today
        FROM companies WHERE id = ${c}
    )`,
    attention: sql`
        SELECT CASE t.kind WHEN 'call' THEN 'call_task' ELSE t.kind END AS category, d.external_id, d.name, t.id AS ref, t.due_on::text AS due,
               coalesce(t.note, t.step_id) AS detail, acc.phase, acc.days_past_due AS dpd, bal.currency::text AS currency, bal.balance,
               NULL::text AS expected, NULL::real AS score, NULL::bigint AS rank_key, d.id AS debtor_id
          FROM tasks t JOIN debtors d ON d.id = t.debtor_id ${account} ${owed}
         WHERE t.company_id = ${c} AND t.status = 'open' AND t.due_on <= ${today}
           AND t.kind IN ('call', 'promise_broken', 'dispute', 'hardship', 'plan_approval') AND ${mine('t')} AND ${visible}
        UNION ALL
        SELECT 'reply', d.external_id, d.name, i.id, (i.received_at AT TIME ZONE 'UTC')::date::text, left(i.channel || ': ' || i.text, 200),
               acc.phase, acc.days_past_due, NULL, NULL, NULL, NULL, NULL, d.id
          FROM inbound_messages i JOIN debtors d ON d.id = i.debtor_id ${account}
         WHERE i.company_id = ${c} AND i.handled_at IS NULL AND ${mine('i')} AND ${visible}
        UNION ALL
        SELECT 'unapplied_payment', d.external_id, d.name, p.id, p.paid_on::text, p.external_id, acc.phase, acc.days_past_due,
               p.currency, p.unapplied::text, NULL, NULL, NULL, d.id
          FROM payments p JOIN debtors d ON d.id = p.debtor_id ${account}
         WHERE p.company_id = ${c} AND p.unapplied > 0 AND p.reversed_at IS NULL AND ${visible}
           -- The collector's debtors with credit, from the small index of current assignments that have it (the join
           -- of all credit payments with all of the collector's debtors cost more than the rest of the page).
           AND p.debtor_id IN (SELECT s.debtor_id FROM assignments s WHERE s.company_id = ${c} AND s.collector_id = ${me} AND s.valid_to IS NULL AND s.has_credit)`,
    portfolio: sql`FROM worklist_scores w
        JOIN debtors d ON d.id = w.debtor_id
        JOIN accounts a ON a.portfolio_id = w.portfolio_id AND a.debtor_id = w.debtor_id
       WHERE w.company_id = ${c} AND w.collector_id = ${me} AND w.score > 0 AND ${visible}
         AND NOT EXISTS (SELECT 1 FROM attention x WHERE x.debtor_id = w.debtor_id)
         AND NOT EXISTS (SELECT 1 FROM interactions i WHERE i.debtor_id = w.debtor_id
                          AND (i.occurred_at >= ${startOfDay} OR i.next_action_on > ${today})
                          AND i.occurred_at = (SELECT max(j.occurred_at) FROM interactions j WHERE j.debtor_id = w.debtor_id))`,
  };
}

/**
 * A collector's "Mi día". The first page carries every item that needs a person (in category order, oldest due first)
 * and the top of the portfolio by expected recovery; later pages (with `cursor`) continue the portfolio only. An
 * account already in a needs-a-person section, worked today, or snoozed by a next-action date after today is left out
 * of the portfolio section.
 *
 * One prepared statement per page: the company's day (in its time zone, from the injected clock), the needs-a-person
 * sections and the portfolio page, each section in its order (`part`, `ord`).
 */
export async function getWorklist(ctx: Ctx, options: { collectorId: number; limit?: number | undefined; cursor?: string | undefined; language?: Language | undefined }): Promise<Worklist> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
  const me = options.collectorId;
  const cursor = worklistCursor(options.cursor);
  const parts = worklistParts(ctx, me);
  const columns = sql`category, external_id, name, ref, due, detail, phase, dpd, currency, balance, expected, score, rank_key, debtor_id`;

  // The limits are written into the text (integers bounded above): with a parameter the server would plan for a
  // tenth of the table and keep re-planning rather than reuse the statement's plan.
  const rows = await queryPrepared<Row & { part: number; today: string }>(ctx.database, sql`
    WITH ${parts.co}, attention AS (
      SELECT x.*, row_number() OVER (ORDER BY CASE category ${sql.raw(WORKLIST_CATEGORIES.map((k, i) => `WHEN '${k}' THEN ${i}`).join(' '))} END, due NULLS LAST, ref) AS ord
        FROM (${parts.attention}) x
       ${cursor ? sql`WHERE false` : sql``}
       ORDER BY ord
       LIMIT ${sql.raw(String(ATTENTION_CAP))}
    ), portfolio AS (
      SELECT 'portfolio' AS category, d.external_id, d.name, NULL::bigint AS ref, NULL::text AS due, NULL::text AS detail,
             a.phase, a.days_past_due AS dpd, w.currency, w.balance::text AS balance, w.expected_recovery::text AS expected, w.score,
             w.rank_key, w.debtor_id
        ${parts.portfolio}
         ${cursor ? sql`AND (w.rank_key, w.debtor_id) < (${cursor[0]}::bigint, ${cursor[1]}::bigint)` : sql``}
       -- NULLS LAST (the columns are never null) so the order is the one worklist_scores_collector_idx holds.
       ORDER BY w.rank_key DESC NULLS LAST, w.debtor_id DESC NULLS LAST
       LIMIT ${sql.raw(String(limit + 1))}
    )
    SELECT 0 AS part, 0::bigint AS ord, (SELECT today::text FROM co) AS today, NULL AS category, NULL AS external_id, NULL AS name, NULL::bigint AS ref,
           NULL AS due, NULL AS detail, NULL AS phase, NULL::int AS dpd, NULL AS currency, NULL AS balance, NULL AS expected, NULL::real AS score,
           NULL::bigint AS rank_key, NULL::bigint AS debtor_id
    UNION ALL SELECT 1, ord, NULL, ${columns} FROM attention
    UNION ALL SELECT 2, row_number() OVER (ORDER BY rank_key DESC, debtor_id DESC), NULL, ${columns} FROM portfolio
    ORDER BY 1, 2`);
  const asOf = rows[0]?.today;
  if (asOf === undefined || asOf === null) throw new Error(`company ${ctx.companyId} vanished`);
  const attention = rows.filter((r) => r.part === 1);
  const rest = rows.filter((r) => r.part === 2);
  const page = rest.slice(0, limit);
  const more = rest.length > limit;
  const last = page[page.length - 1];
  const items = [...attention, ...page].map((r) => toItem(r, options.language ?? 'en'));
  const counts: Partial<Record<WorklistCategory, number>> = {};
  for (const i of items) counts[i.category] = (counts[i.category] ?? 0) + 1;
  return {
    collector_id: me,
    as_of: asOf,
    items,
    next_cursor: more && last ? encodeCursor('worklist', [String(last.rank_key), String(last.debtor_id)]) : null,
    counts,
  };
}

/** How big a collector's "Mi día" is today, for the page to say how much of it shows. */
export interface WorklistSummary {
  collector_id: number;
  as_of: string;
  /** Accounts (debtors) in the list today: those with something that needs a person, then the rest of the portfolio. */
  accounts: number;
  /** Items that need a person today (tasks, broken promises, replies, disputes, approvals, unapplied payments); they come first. */
  attention: number;
  /** Accounts assigned to the collector, also those worked today, waiting for a next-action date or with nothing to recover. */
  assigned: number;
}

/**
 * The totals of {@link getWorklist} over every page, counted with the same conditions (the needs-a-person sections
 * uncapped). A separate call from the list's pages, which stay one cheap statement each.
 */
export async function worklistSummary(ctx: Ctx, options: { collectorId: number }): Promise<WorklistSummary> {
  const me = options.collectorId;
  const parts = worklistParts(ctx, me);
  const visible = visibleDebtorFilter(ctx, sql`s.debtor_id`) ?? sql`TRUE`;
  const [row] = await ctx.database.query<{ today: string; attention: number; attention_accounts: number; portfolio: number; assigned: number }>(sql`
    WITH ${parts.co}, attention AS (${parts.attention})
    SELECT (SELECT today::text FROM co) AS today,
           (SELECT count(*)::int FROM attention) AS attention,
           (SELECT count(DISTINCT debtor_id)::int FROM attention) AS attention_accounts,
           (SELECT count(DISTINCT w.debtor_id)::int ${parts.portfolio}) AS portfolio,
           (SELECT count(DISTINCT s.debtor_id)::int FROM assignments s
             WHERE s.company_id = ${ctx.companyId} AND s.collector_id = ${me} AND s.valid_to IS NULL AND ${visible}) AS assigned`);
  if (!row) throw new Error(`company ${ctx.companyId} vanished`);
  return { collector_id: me, as_of: row.today, accounts: Number(row.attention_accounts) + Number(row.portfolio), attention: Number(row.attention), assigned: Number(row.assigned) };
}

/** The (rank key, debtor id) a worklist cursor continues after, both bigints kept as text; null without a cursor. */
function worklistCursor(text: string | undefined): [string, string] | null {
  const key = decodeCursor('worklist', text);
  if (key === undefined) return null;
  if (key.length === 2 && key.every(bigintText)) return key as [string, string];
  throw badCursor();
}

const REASONS: Record<WorklistCategory, Text> = {
  call_task: t('Call scheduled by the strategy', 'Llamada programada por la estrategia'),
  promise_broken: t('Broken promise to pay', 'Promesa de pago incumplida'),
  reply: t('Debtor reply not attended to', 'Respuesta del deudor sin atender'),
  dispute: t('Dispute to resolve', 'Disputa por resolver'),
  hardship: t('Request for help with payment hardship', 'Solicitud de apoyo por dificultad de pago'),
  plan_approval: t('Promise or payment plan awaiting approval', 'Promesa o plan de pagos esperando aprobación'),
  unapplied_payment: t('Unapplied payment', 'Pago sin aplicar'),
  portfolio: t('Assigned portfolio by expected recovery', 'Cartera asignada por recuperación esperada'),
};

function money(amount: string | null, currency: string | null): string | null {
  if (amount === null || currency === null) return null;
  try {
    return formatDecimal(BigInt(amount), currency);
  } catch {
    return amount;
  }
}

/**
 * An item in `language`. A call task's note is the gate's reason when the gate put the call off to a later day, stored
 * as data (reason.ts) and written here in the reader's language (one stored as a sentence before is shown as it is);
 * other details (a step id, a note written by hand, a reply's text) are shown as they are.
 */
function toItem(r: Row, language: Language): WorklistItem {
  const label = say(REASONS[r.category], language);
  const detail = r.detail && r.category === 'call_task' ? storedReasonText(r.detail, language) : r.detail;
  return {
    category: r.category,
    debtor_external_id: r.external_id,
    debtor_name: r.name,
    reason: detail ? `${label}: ${detail}` : label,
    ref: r.ref === null ? null : Number(r.ref),
    due: r.due,
    phase: r.phase,
    days_past_due: r.dpd,
    currency: r.currency,
    balance: money(r.balance, r.currency),
    expected_recovery: money(r.expected, r.currency),
    score: r.score === null ? null : Math.round(r.score * 10_000) / 10_000,
  };
}

/** Sort order of a category (for tests and clients that merge lists). */
export function categoryRank(category: WorklistCategory): number {
  return ORDER[category];
}

export interface QueueSize {
  collector_id: number;
  /** The collector's name and email from the users table; null when the id names no user of the company. */
  name: string | null;
  email: string | null;
  capacity: number | null;
  accounts: number;
  /** Items that need a person today (tasks, replies, unapplied payments). */
  attention: number;
}

/** Every collector's queue size: what supervisors watch, and what the overflow alert reads. */
export async function queueSizes(ctx: Ctx): Promise<QueueSize[]> {
  const today = await companyToday(ctx);
  const c = ctx.companyId;
  const rows = await ctx.database.query<{ collector_id: string | number; name: string | null; email: string | null; capacity: number | null; accounts: number; attention: number }>(sql`
    WITH current AS (SELECT collector_id, debtor_id FROM assignments WHERE company_id = ${c} AND valid_to IS NULL),
    work AS (
      SELECT t.debtor_id FROM tasks t WHERE t.company_id = ${c} AND t.status = 'open' AND t.due_on <= ${today}::date
         AND t.kind IN ('call', 'promise_broken', 'dispute', 'hardship', 'plan_approval')
      UNION ALL SELECT i.debtor_id FROM inbound_messages i WHERE i.company_id = ${c} AND i.handled_at IS NULL AND i.debtor_id IS NOT NULL
      UNION ALL SELECT p.debtor_id FROM payments p WHERE p.company_id = ${c} AND p.unapplied > 0 AND p.reversed_at IS NULL
    ), people AS (
      SELECT collector_id FROM current UNION SELECT collector_id FROM collector_settings WHERE company_id = ${c}
    )
    SELECT pe.collector_id, u.name, u.email, s.capacity,
           (SELECT count(*)::int FROM current x WHERE x.collector_id = pe.collector_id) AS accounts,
           (SELECT count(*)::int FROM work w JOIN current x ON x.debtor_id = w.debtor_id WHERE x.collector_id = pe.collector_id) AS attention
      FROM people pe LEFT JOIN collector_settings s ON s.company_id = ${c} AND s.collector_id = pe.collector_id
      LEFT JOIN users u ON u.company_id = ${c} AND u.id = pe.collector_id
     ORDER BY pe.collector_id`);
  return rows.map((r) => ({
    collector_id: Number(r.collector_id),
    name: r.name,
    email: r.email,
    capacity: r.capacity,
    accounts: Number(r.accounts),
    attention: Number(r.attention),
  }));
}
