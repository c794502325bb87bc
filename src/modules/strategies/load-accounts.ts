/**
 * The facts a strategy is judged on, for every account of its portfolio in one set-based query: the account state of
 * the last daily run (phase, segments, hold), live open obligations (oldest due date, balances per currency — so a
 * payment recorded since the run already counts), the last contact, the last message of this strategy and whether
 * the debtor replied since, what the strategy already did per (step, cause), and the recent events.
 *
 * What strategies collect leaves out obligations under open dispute and obligations an active payment plan covers
 * (the plan collects those). An account with an active plan keeps its frozen phase in `accounts`, but its other
 * obligations are judged as they stand: phase, days past due and overdue from them alone (ADR 0010).
 */
import { sql, type SQL } from 'drizzle-orm';
import { addDays, type PlainDate } from '../../domain/calendar.ts';
import type { AccountFacts } from '../../domain/segment-rules.ts';
import type { AccountEvent, ConsentState, StrategyAccountFacts } from '../../domain/strategies/index.ts';
import type { Ctx } from '../shared/context.ts';
import { bigintArray, textArray } from '../messaging/index.ts';
import { bucketCaseSql, thresholdPhaseSql } from '../collection-runs/sql-fragments.ts';

export interface StrategyAccount {
  readonly debtorId: number;
  readonly portfolioId: number;
  readonly name: string;
  readonly country: string;
  readonly timeZone: string;
  readonly email: string | null;
  readonly phone: string | null;
  readonly whatsapp: string | null;
  readonly phaseSource: string;
  readonly manualPhase: string | null;
  readonly manualPhaseUntil: PlainDate | null;
  readonly onHold: boolean;
  /**
   * An active payment plan covers obligations of the account: they are left out of `facts`, whose phase, days past
   * due and overdue are those of the other obligations; the account's own phase stays frozen by the plan's hold.
   */
  readonly underPlan: boolean;
  readonly daysPastDue: number | null;
  readonly oldestExternalId: string | null;
  readonly overdue: Record<string, bigint>;
  readonly facts: StrategyAccountFacts;
}

interface Row {
  debtor_id: string | number;
  portfolio_id: string | number;
  phase: string;
  phase_since: string;
  phase_source: string;
  manual_phase: string | null;
  manual_phase_until: string | null;
  segments: string[];
  /** The phase of the last run (frozen under a plan); `phase` is the one the strategy judges. */
  account_phase: string;
  overdue: Record<string, string>;
  days_past_due: number | null;
  bucket: string | null;
  on_hold: boolean;
  name: string;
  email: string | null;
  phone: string | null;
  whatsapp: string | null;
  country: string;
  time_zone: string;
  tags: string[];
  region: string | null;
  city: string | null;
  postal_code: string | null;
  type: string | null;
  attributes: Record<string, string>;
  oldest_id: string | number | null;
  oldest_external_id: string | null;
  oldest_due: string | null;
  products: string[] | null;
  kinds: string[] | null;
  balances: Record<string, string> | null;
  last_contact_at: string | Date | null;
  last_out_id: string | number | null;
  last_out_at: string | Date | null;
  replied: boolean;
  done: string[] | null;
  payments: Array<{ id: number; on: string; amount: string; currency: string; contract: string | null }> | null;
  failures: Array<{ id: number; at: string }> | null;
  consent: Record<string, string> | null;
  broken: Array<{ kind: 'promise_broken' | 'plan_broken'; cause: string; on: string }> | null;
  /** An active payment plan covers obligations of the account: phase, DPD, bucket and overdue are those of the rest. */
  planned: boolean;
}

const toBigints = (m: Record<string, string> | null | undefined): Record<string, bigint> =>
  Object.fromEntries(Object.entries(m ?? {}).map(([k, v]) => [k, BigInt(v)]));

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The local calendar date of an instant in a debtor's zone (computed here, not in SQL, so one debtor's unknown zone
 * cannot fail the whole query; such a debtor is counted in UTC and the gate refuses to contact them).
 */
export function localDate(instant: string | Date, timeZone: string): PlainDate {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch {
      f = new Intl.DateTimeFormat('en-CA', { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' });
    }
    formatters.set(timeZone, f);
  }
  return f.format(new Date(instant)) as PlainDate;
}

/** Accounts per page when a whole portfolio is walked. */
export const ACCOUNT_PAGE = 10_000;

/**
 * Walks every account of `loadStrategyAccounts` page by page, so memory stays flat on a large portfolio. A page is a
 * range of debtor ids holding at most `pageSize` accounts; every table the page query reads is bounded by that range,
 * so each page costs index range scans instead of scans of the whole portfolio.
 */
export async function* strategyAccountPages(
  ctx: Ctx,
  options: Omit<Parameters<typeof loadStrategyAccounts>[1], 'afterDebtorId' | 'limit'> & { pageSize?: number },
): AsyncGenerator<StrategyAccount[]> {
  const size = options.pageSize ?? ACCOUNT_PAGE;
  const load = async (after: number): Promise<{ upTo: number; page: StrategyAccount[] } | null> => {
    const upTo = await pageEnd(ctx, options, after, size);
    return upTo === null ? null : { upTo, page: await loadRange(ctx, options, after, upTo) };
  };
  // The next page is read while the caller works on this one (pages are disjoint ranges of debtors, and the caller
  // only writes for the debtors of the page it holds), so the database and the planner's own work overlap.
  let next = load(0);
  for (;;) {
    const current = await next;
    if (current === null) return;
    next = load(current.upTo);
    next.catch(() => {}); // awaited on the next turn; an error surfaces there
    // A page may come back short (or empty) when debtors of the range are paused by a reply; the next range follows.
    if (current.page.length) yield current.page;
  }
}

type LoadOptions = Parameters<typeof loadStrategyAccounts>[1];

/** The last debtor id of the next page: the `limit`-th account after `after`, on the accounts index alone. */
async function pageEnd(ctx: Ctx, options: Pick<LoadOptions, 'portfolioId' | 'phases'>, after: number, limit: number): Promise<number | null> {
  const [row] = await ctx.database.query<{ hi: string | number | null }>(sql`
    SELECT max(debtor_id) AS hi FROM (
      SELECT a.debtor_id FROM accounts a
       WHERE a.company_id = ${ctx.companyId} AND a.portfolio_id = ${options.portfolioId}
         AND (a.phase = ANY(${textArray(options.phases)}) OR ${underPlan(ctx.companyId, sql`a.debtor_id`)})
         AND a.debtor_id > ${after}
       ORDER BY a.debtor_id LIMIT ${limit}) x`);
  return row?.hi === null || row?.hi === undefined ? null : Number(row.hi);
}

/**
 * The debtor has an active payment plan. Such an account is loaded whatever its (frozen) phase: what the plan does not
 * cover is judged on its own phase, which may be one the strategy has a rule for. A hashed subplan: active plans are few.
 */
function underPlan(companyId: number, debtorId: SQL): SQL {
  return sql`${debtorId} IN (SELECT pl.debtor_id FROM payment_plans pl WHERE pl.company_id = ${companyId} AND pl.status = 'active')`;
}

/** Postgres arrays arrive as JS arrays from both drivers; tolerate the text form just in case. */
function arr(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'string' && v.startsWith('{')) return v.slice(1, -1).split(',').filter(Boolean).map((s) => s.replace(/^"|"$/g, ''));
  return [];
}

/**
 * Accounts of a portfolio in one of `phases`, with everything `dueSteps` needs as of `asOf`. `windowDays` bounds the
 * look-back for events and for what was already done (the strategy's catch-up window). Accounts whose debtor has an
 * unhandled reply are left out: a reply pauses the strategy for that debtor.
 */
export async function loadStrategyAccounts(
  ctx: Ctx,
  options: {
    strategyId: number;
    portfolioId: number;
    phases: readonly string[];
    asOf: PlainDate;
    windowDays: number;
    debtorIds?: readonly number[];
    /** Keyset paging: accounts of debtors after this id, at most `limit` of them. */
    afterDebtorId?: number;
    limit?: number;
  },
): Promise<StrategyAccount[]> {
  const after = options.afterDebtorId ?? 0;
  if (options.limit === undefined) return loadRange(ctx, options, options.afterDebtorId ?? null, null);
  const upTo = await pageEnd(ctx, options, after, options.limit);
  return upTo === null ? [] : loadRange(ctx, options, after, upTo);
}

/** The accounts of debtors with `after < id <= upTo` (either bound may be open: null). */
async function loadRange(ctx: Ctx, options: LoadOptions, after: number | null, upTo: number | null): Promise<StrategyAccount[]> {
  const c = ctx.companyId;
  const p = options.portfolioId;
  const s = options.strategyId;
  const d = sql`${options.asOf}::date`;
  const from = sql`${addDays(options.asOf, -options.windowDays)}::date`;
  const yearAgo = addDays(options.asOf, -366);
  const onlyDebtors = options.debtorIds ? sql`AND a.debtor_id = ANY(${bigintArray(options.debtorIds)})` : sql``;
  // The same bounds on every table read, so PostgreSQL reads each by a range of its debtor index.
  const range = (column: SQL) => sql`${after !== null ? sql`AND ${column} > ${after}` : sql``} ${upTo !== null ? sql`AND ${column} <= ${upTo}` : sql``}`;
  // Obligations left out of what the strategy collects: under open dispute, or covered by an active payment plan.
  const collected = sql`NOT EXISTS (SELECT 1 FROM disputes dx WHERE dx.obligation_id = o.id AND dx.status = 'open')
         AND NOT EXISTS (SELECT 1 FROM covered cv WHERE cv.obligation_id = o.id)`;
  const rows = await withoutJit<Row>(ctx, sql`
    WITH covered AS (
      -- Obligations of the portfolio an active payment plan covers, with the plan's own interest obligation: the plan
      -- replaces their collection (ADR 0010). Their debtors' accounts are loaded whatever their frozen phase.
      SELECT pl.debtor_id, x.obligation_id
        FROM payment_plans pl
        CROSS JOIN LATERAL (
          SELECT ppo.obligation_id FROM payment_plan_obligations ppo WHERE ppo.plan_id = pl.id
          UNION ALL SELECT pl.interest_obligation_id WHERE pl.interest_obligation_id IS NOT NULL) x
        JOIN obligations co ON co.id = x.obligation_id AND co.portfolio_id = ${p}
       WHERE pl.company_id = ${c} AND pl.status = 'active' ${range(sql`pl.debtor_id`)}
    ), planned AS (
      SELECT DISTINCT debtor_id FROM covered
    ), acc AS (
      SELECT a.* FROM accounts a
       WHERE a.company_id = ${c} AND a.portfolio_id = ${p} ${onlyDebtors}
         AND (a.phase = ANY(${textArray(options.phases)}) OR a.debtor_id IN (SELECT debtor_id FROM planned))
         -- A debtor's reply pauses the strategy for them until a person (or self-service) handles it.
         AND NOT EXISTS (SELECT 1 FROM inbound_messages i WHERE i.company_id = ${c} AND i.debtor_id = a.debtor_id AND i.handled_at IS NULL)
         ${range(sql`a.debtor_id`)}
    ), open_ob AS (
      SELECT o.debtor_id,
             (array_agg(o.id ORDER BY o.due_on, o.id))[1] AS oldest_id,
             (array_agg(o.external_id ORDER BY o.due_on, o.id))[1] AS oldest_external_id,
             min(o.due_on) AS oldest_due,
             coalesce(array_agg(DISTINCT o.product) FILTER (WHERE o.product IS NOT NULL), '{}') AS products,
             array_agg(DISTINCT o.kind) AS kinds
        FROM obligations o JOIN acc ON acc.debtor_id = o.debtor_id
       WHERE o.company_id = ${c} AND o.portfolio_id = ${p} AND o.balance > 0 ${range(sql`o.debtor_id`)}
         -- An obligation under open dispute is not collected until the dispute is resolved (negotiation module), nor
         -- one an active payment plan covers.
         AND ${collected}
       GROUP BY o.debtor_id
    ), bal AS (
      SELECT debtor_id, jsonb_object_agg(currency, total::text) AS balances FROM (
        SELECT o.debtor_id, o.currency, sum(o.balance) AS total
          FROM obligations o JOIN acc ON acc.debtor_id = o.debtor_id
         WHERE o.company_id = ${c} AND o.portfolio_id = ${p} AND o.balance > 0 ${range(sql`o.debtor_id`)}
           AND ${collected}
         GROUP BY o.debtor_id, o.currency) x
       GROUP BY debtor_id
    ), plan_overdue AS (
      -- For an account under a plan, what is overdue outside it (the run's figure includes what the plan covers).
      SELECT debtor_id, jsonb_object_agg(currency, total::text) AS overdue FROM (
        SELECT o.debtor_id, o.currency, sum(o.balance) AS total
          FROM obligations o JOIN planned pd ON pd.debtor_id = o.debtor_id
         WHERE o.company_id = ${c} AND o.portfolio_id = ${p} AND o.balance > 0 AND o.due_on < ${d} AND ${collected}
         GROUP BY o.debtor_id, o.currency) x
       GROUP BY debtor_id
    ), last_contact AS (
      SELECT m.debtor_id, max(coalesce(m.sent_at, m.next_attempt_at)) AS at
        FROM outbox_messages m JOIN acc ON acc.debtor_id = m.debtor_id
       WHERE m.company_id = ${c} AND m.status IN ('sending', 'sent', 'delivered', 'read') AND m.created_at >= ${yearAgo}::date
         AND m.cause NOT LIKE 'optout:%' ${range(sql`m.debtor_id`)}
       GROUP BY m.debtor_id
    ), last_out AS (
      SELECT DISTINCT ON (m.debtor_id) m.debtor_id, m.id, coalesce(m.sent_at, m.next_attempt_at) AS at
        FROM outbox_messages m JOIN acc ON acc.debtor_id = m.debtor_id
       WHERE m.company_id = ${c} AND m.strategy_id = ${s} AND m.status IN ('sending', 'sent', 'delivered', 'read')
         AND m.cause NOT LIKE 'no_reply:%' ${range(sql`m.debtor_id`)}
       ORDER BY m.debtor_id, coalesce(m.sent_at, m.next_attempt_at) DESC, m.id DESC
    ), done AS (
      SELECT debtor_id, array_agg(step_id || '|' || cause) AS keys FROM (
        SELECT m.debtor_id, m.step_id, m.cause FROM outbox_messages m JOIN acc ON acc.debtor_id = m.debtor_id
         WHERE m.company_id = ${c} AND m.strategy_id = ${s} AND m.cause_date >= ${from} ${range(sql`m.debtor_id`)}
        UNION ALL
        SELECT t.debtor_id, t.step_id, t.cause FROM tasks t JOIN acc ON acc.debtor_id = t.debtor_id
         WHERE t.company_id = ${c} AND t.strategy_id = ${s} AND t.due_on >= ${from} ${range(sql`t.debtor_id`)}) x
       GROUP BY debtor_id
    ), pays AS (
      -- The payment's own facts travel with the event: a thank-you names the payment, not the (maybe settled) account.
      -- Its contract is the obligation the payer named, else the oldest one it was applied to.
      SELECT y.debtor_id,
             jsonb_agg(jsonb_build_object('id', y.id, 'on', y.paid_on, 'amount', y.amount::text, 'currency', y.currency,
                                          'contract', coalesce(named.external_id, applied.external_id)) ORDER BY y.id) AS list
        FROM payments y JOIN acc ON acc.debtor_id = y.debtor_id
        LEFT JOIN obligations named ON named.id = y.obligation_id
        LEFT JOIN LATERAL (
          SELECT o.external_id FROM payment_allocations pa JOIN obligations o ON o.id = pa.obligation_id
           WHERE pa.payment_id = y.id ORDER BY o.due_on, o.id LIMIT 1) applied ON true
       WHERE y.company_id = ${c} AND y.reversed_at IS NULL AND y.paid_on BETWEEN ${from} AND ${d} ${range(sql`y.debtor_id`)}
       GROUP BY y.debtor_id
    ), fails AS (
      SELECT m.debtor_id, jsonb_agg(jsonb_build_object('id', m.id, 'at', m.failed_at) ORDER BY m.id) AS list
        FROM outbox_messages m JOIN acc ON acc.debtor_id = m.debtor_id
       WHERE m.company_id = ${c} AND m.status = 'failed' AND m.failed_at >= ${addDays(options.asOf, -options.windowDays - 1)}::date ${range(sql`m.debtor_id`)}
       GROUP BY m.debtor_id
    ), cons AS (
      SELECT k.debtor_id, jsonb_object_agg(k.channel, CASE WHEN k.opted_out_at IS NOT NULL THEN 'denied' ELSE k.status END) AS map
        FROM consents k JOIN acc ON acc.debtor_id = k.debtor_id
       WHERE k.company_id = ${c} ${range(sql`k.debtor_id`)}
       GROUP BY k.debtor_id
    ), broken AS (
      -- Events derived from the negotiation module's tables, on the day the outcome was reached: promise_broken for a
      -- promise broken or only partly kept (cause promise:<id>), plan_broken for a payment plan or settlement broken
      -- (cause plan:<id>).
      SELECT x.debtor_id, jsonb_agg(jsonb_build_object('kind', x.kind, 'cause', x.cause, 'on', x.on_day) ORDER BY x.on_day, x.cause) AS list FROM (
        SELECT pr.debtor_id, 'promise_broken' AS kind, 'promise:' || pr.id AS cause, pr.resolved_on AS on_day FROM promises pr JOIN acc ON acc.debtor_id = pr.debtor_id
         WHERE pr.company_id = ${c} AND pr.status IN ('broken', 'partially_kept') AND pr.resolved_on BETWEEN ${from} AND ${d} ${range(sql`pr.debtor_id`)}
        UNION ALL
        SELECT pl.debtor_id, 'plan_broken', 'plan:' || pl.id, pl.resolved_on FROM payment_plans pl JOIN acc ON acc.debtor_id = pl.debtor_id
         WHERE pl.company_id = ${c} AND pl.status = 'broken' AND pl.resolved_on BETWEEN ${from} AND ${d} ${range(sql`pl.debtor_id`)}) x
       GROUP BY x.debtor_id
    )
    SELECT acc.debtor_id, acc.portfolio_id, acc.phase_since::text AS phase_since, acc.phase_source, acc.manual_phase,
           acc.manual_phase_until::text AS manual_phase_until, acc.segments, acc.on_hold, acc.phase AS account_phase,
           -- Under a plan, the account's phase stays frozen, but what the plan does not cover is collected on its own
           -- standing: the phase its oldest open obligation's lateness gives (a manual phase still wins).
           CASE WHEN pd.debtor_id IS NOT NULL AND acc.phase_source <> 'manual' AND ob.oldest_due IS NOT NULL
                THEN ${sql.raw(thresholdPhaseSql('pdpd.dpd', 'pf'))} ELSE acc.phase END AS phase,
           CASE WHEN pd.debtor_id IS NOT NULL THEN pdpd.dpd ELSE acc.days_past_due END AS days_past_due,
           CASE WHEN pd.debtor_id IS NOT NULL THEN ${sql.raw(bucketCaseSql('pdpd.dpd'))} ELSE acc.bucket END AS bucket,
           CASE WHEN pd.debtor_id IS NOT NULL THEN coalesce(po.overdue, '{}'::jsonb) ELSE acc.overdue END AS overdue,
           (pd.debtor_id IS NOT NULL) AS planned,
           db.name, db.email, db.phone, db.whatsapp, db.country::text AS country, db.time_zone, db.tags, db.region, db.city,
           db.postal_code, db.type, db.attributes,
           ob.oldest_id, ob.oldest_external_id, ob.oldest_due::text AS oldest_due, ob.products, ob.kinds, bal.balances,
           lc.at AS last_contact_at, lo.id AS last_out_id, lo.at AS last_out_at,
           EXISTS (SELECT 1 FROM inbound_messages i WHERE i.company_id = ${c} AND i.debtor_id = acc.debtor_id AND i.received_at > lo.at) AS replied,
           done.keys AS done, pays.list AS payments, fails.list AS failures, cons.map AS consent, broken.list AS broken
      FROM acc
      JOIN debtors db ON db.id = acc.debtor_id ${range(sql`db.id`)}
      JOIN portfolios pf ON pf.id = acc.portfolio_id
      LEFT JOIN open_ob ob ON ob.debtor_id = acc.debtor_id
      LEFT JOIN planned pd ON pd.debtor_id = acc.debtor_id
      LEFT JOIN plan_overdue po ON po.debtor_id = acc.debtor_id
      CROSS JOIN LATERAL (SELECT ${d} - ob.oldest_due AS dpd) pdpd
      LEFT JOIN bal ON bal.debtor_id = acc.debtor_id
      LEFT JOIN last_contact lc ON lc.debtor_id = acc.debtor_id
      LEFT JOIN last_out lo ON lo.debtor_id = acc.debtor_id
      LEFT JOIN done ON done.debtor_id = acc.debtor_id
      LEFT JOIN pays ON pays.debtor_id = acc.debtor_id
      LEFT JOIN fails ON fails.debtor_id = acc.debtor_id
      LEFT JOIN cons ON cons.debtor_id = acc.debtor_id
      LEFT JOIN broken ON broken.debtor_id = acc.debtor_id
     ORDER BY acc.debtor_id`);
  return rows.map((r) => toAccount(r));
}

/**
 * Runs one read-only statement with JIT compilation off. The page query's estimated cost is high enough for
 * PostgreSQL to JIT-compile it, and compiling its ~300 functions took longer than running it (measured: 11.9 s of
 * JIT for a 0.6 s page). SET LOCAL keeps the change to this transaction.
 */
async function withoutJit<T>(ctx: Ctx, statement: ReturnType<typeof sql>): Promise<T[]> {
  return ctx.database.db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL jit = off`);
    return ((await tx.execute(statement)) as unknown as { rows: T[] }).rows;
  });
}

function toAccount(r: Row): StrategyAccount {
  const balances = toBigints(r.balances);
  const overdue = toBigints(r.overdue);
  const events: AccountEvent[] = [];
  for (const pay of r.payments ?? []) {
    const payment = { amount: BigInt(pay.amount), currency: pay.currency.trim(), contract: pay.contract ?? null };
    events.push({ kind: 'payment_received', cause: `payment:${pay.id}`, on: pay.on as PlainDate, payment });
  }
  for (const b of r.broken ?? []) events.push({ kind: b.kind, cause: b.cause, on: b.on as PlainDate });
  for (const f of r.failures ?? []) events.push({ kind: 'message_failed', cause: `message_failed:${f.id}`, on: localDate(f.at, r.time_zone) });
  events.push({ kind: 'entered_phase', cause: `entered_phase:${r.account_phase}:${r.phase_since}`, on: r.phase_since as PlainDate, phase: r.account_phase });
  const segments = arr(r.segments);
  const ruleFacts: AccountFacts = {
    phase: r.phase,
    bucket: r.bucket ?? 'current',
    days_past_due: r.days_past_due === null ? null : Number(r.days_past_due),
    balances,
    overdue,
    products: arr(r.products),
    kinds: arr(r.kinds),
    tags: arr(r.tags),
    region: r.region,
    country: r.country,
    city: r.city,
    postal_code: r.postal_code,
    type: r.type,
    on_hold: r.on_hold,
    attributes: r.attributes ?? {},
  };
  const facts: StrategyAccountFacts = {
    phase: r.phase,
    segments,
    ruleFacts,
    balances,
    oldestOpen: r.oldest_id === null || r.oldest_due === null ? null : { id: Number(r.oldest_id), dueOn: r.oldest_due as PlainDate },
    lastContactOn: r.last_contact_at === null ? null : localDate(r.last_contact_at, r.time_zone),
    lastOutbound: r.last_out_id === null || r.last_out_at === null ? null : { id: Number(r.last_out_id), on: localDate(r.last_out_at, r.time_zone), replied: !!r.replied },
    consent: (r.consent ?? {}) as Partial<Record<string, ConsentState>>,
    events,
    done: new Set(arr(r.done)),
  };
  return {
    debtorId: Number(r.debtor_id),
    portfolioId: Number(r.portfolio_id),
    name: r.name,
    country: r.country,
    timeZone: r.time_zone,
    email: r.email,
    phone: r.phone,
    whatsapp: r.whatsapp,
    phaseSource: r.phase_source,
    manualPhase: r.manual_phase,
    manualPhaseUntil: r.manual_phase_until as PlainDate | null,
    onHold: r.on_hold,
    underPlan: !!r.planned,
    daysPastDue: r.days_past_due === null ? null : Number(r.days_past_due),
    oldestExternalId: r.oldest_external_id,
    overdue,
    facts,
  };
}
