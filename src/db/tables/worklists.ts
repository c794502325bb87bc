/**
 * Tables of the worklists module (interactions, assignments of accounts to collectors, the precomputed priority of
 * every account) and of the analytics module (daily aggregates the dashboards read).
 *
 * Collectors are users of the access module; they are referenced by id (`collector_id`) without a foreign key so the
 * two modules' tables can be created in either order.
 */
import { sql } from 'drizzle-orm';
import { bigint, boolean, char, date, index, integer, jsonb, pgTable, primaryKey, real, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { companyId, debtorId, portfolios } from '../schema.ts';
import { id, minor } from '../columns.ts';


/**
 * A gestión: one contact attempt or note by a person (call, visit, message by hand), with its outcome. Interactions
 * are facts: they are never updated, so KPIs computed from them can be recomputed for any past period.
 */
export const interactions = pgTable(
  'interactions',
  {
    id: id(),
    companyId: companyId(),
    debtorId: debtorId(),
    portfolioId: bigint('portfolio_id', { mode: 'number' }).references(() => portfolios.id),
    /** call | visit | whatsapp | email | sms | letter | note */
    channel: text('channel').notNull(),
    /** contacted_debtor | contacted_third_party | no_answer | wrong_number | promise | refusal | dispute | callback */
    outcome: text('outcome').notNull(),
    notes: text('notes'),
    nextActionOn: date('next_action_on', { mode: 'string' }),
    /** The user who worked the account (access module users.id), when a user did. */
    collectorId: bigint('collector_id', { mode: 'number' }),
    actor: text('actor').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    /** The call task this interaction completed, if any. */
    taskId: bigint('task_id', { mode: 'number' }),
    /** For outcome 'promise': what was promised (also recorded by the negotiation module when present). */
    promiseAmount: minor('promise_amount'),
    promiseCurrency: char('promise_currency', { length: 3 }),
    promiseDate: date('promise_date', { mode: 'string' }),
    /** negotiation's promise id, when the promise was recorded there. */
    promiseId: bigint('promise_id', { mode: 'number' }),
    /** A client-chosen key: submitting the same interaction twice records it once. */
    idempotencyKey: text('idempotency_key'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('interactions_debtor_idx').on(t.debtorId, t.occurredAt),
    index('interactions_company_at_idx').on(t.companyId, t.occurredAt),
    index('interactions_collector_idx').on(t.companyId, t.collectorId, t.occurredAt),
    // The interactions that took a promise (analytics: which collectors a resolved promise counts for).
    index('interactions_promise_idx').on(t.promiseId).where(sql`promise_id IS NOT NULL`),
    uniqueIndex('interactions_company_key_uq').on(t.companyId, t.idempotencyKey).where(sql`idempotency_key IS NOT NULL`),
  ],
);

/**
 * Who works an account, over time. The current assignment has `valid_to` null (one per account); reassigning closes
 * it and opens the next, so the history answers "whose account was it on day D" for per-collector results.
 */
export const assignments = pgTable(
  'assignments',
  {
    id: id(),
    companyId: companyId(),
    portfolioId: bigint('portfolio_id', { mode: 'number' })
      .notNull()
      .references(() => portfolios.id),
    debtorId: debtorId(),
    collectorId: bigint('collector_id', { mode: 'number' }).notNull(),
    validFrom: timestamp('valid_from', { withTimezone: true }).notNull(),
    validTo: timestamp('valid_to', { withTimezone: true }),
    /** rule | round_robin | manual | moved */
    source: text('source').notNull(),
    ruleId: bigint('rule_id', { mode: 'number' }),
    reason: text('reason'),
    assignedBy: text('assigned_by').notNull(),
    /**
     * Whether the debtor has a payment with credit left (unapplied, not reversed), kept by the balance recompute (the
     * only writer of unapplied amounts) and set when the assignment is made. It lets "Mi día" find a collector's
     * debtors with credit from a small index instead of going through every debtor the collector has.
     */
    hasCredit: boolean('has_credit').notNull().default(false),
  },
  (t) => [
    uniqueIndex('assignments_current_uq').on(t.portfolioId, t.debtorId).where(sql`valid_to IS NULL`),
    // With the debtor: a collector's current debtors straight from the index (worklist sections).
    index('assignments_collector_idx').on(t.companyId, t.collectorId, t.debtorId).where(sql`valid_to IS NULL`),
    index('assignments_debtor_idx').on(t.debtorId, t.validFrom),
    index('assignments_credit_idx').on(t.companyId, t.collectorId, t.debtorId).where(sql`valid_to IS NULL AND has_credit`),
  ],
);

/**
 * Assignment rules, tried in priority order (lowest first): an account matching every condition set on a rule goes
 * to one of the rule's collectors, round-robin among those with room under their capacity.
 */
export const assignmentRules = pgTable(
  'assignment_rules',
  {
    id: id(),
    companyId: companyId(),
    name: text('name').notNull(),
    priority: integer('priority').notNull().default(100),
    portfolioId: bigint('portfolio_id', { mode: 'number' }).references(() => portfolios.id),
    segment: text('segment'),
    phase: text('phase'),
    region: text('region'),
    collectorIds: bigint('collector_ids', { mode: 'number' }).array().notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('assignment_rules_company_name_uq').on(t.companyId, t.name)],
);

/** A collector's capacity (accounts they can hold) and whether they take new work. */
export const collectorSettings = pgTable(
  'collector_settings',
  {
    companyId: companyId(),
    collectorId: bigint('collector_id', { mode: 'number' }).notNull(),
    capacity: integer('capacity').notNull().default(500),
    active: boolean('active').notNull().default(true),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.companyId, t.collectorId] })],
);

/**
 * The priority of every open account, computed after the daily run by the scoring model, with the current collector
 * copied in so "the rest of my portfolio" is one index range scan. `expected_recovery` is in minor units of
 * `currency` (the account's main currency).
 */
export const worklistScores = pgTable(
  'worklist_scores',
  {
    companyId: companyId(),
    portfolioId: bigint('portfolio_id', { mode: 'number' }).notNull(),
    debtorId: bigint('debtor_id', { mode: 'number' }).notNull(),
    collectorId: bigint('collector_id', { mode: 'number' }),
    currency: char('currency', { length: 3 }).notNull(),
    balance: minor('balance').notNull(),
    score: real('score').notNull(),
    expectedRecovery: minor('expected_recovery').notNull(),
    /** Ranks across currencies: expected recovery in the company's currency first, then others (no FX is assumed). */
    rankKey: bigint('rank_key', { mode: 'number' }).notNull(),
    model: text('model').notNull(),
    features: jsonb('features').$type<Record<string, unknown>>().notNull(),
    asOf: date('as_of', { mode: 'string' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.portfolioId, t.debtorId] }), index('worklist_scores_collector_idx').on(t.companyId, t.collectorId, t.rankKey.desc(), t.debtorId.desc())],
);

// ---------------------------------------------------------------------------------------------------------------
// Analytics: daily aggregates the dashboards read (filled by the analytics refresh after each daily run)

/**
 * Portfolio by phase and bucket per day. `segment` '' is the row for all segments; an account in segments A and B is
 * also counted in the rows for A and for B, so filtering by one segment reads its rows and no filter reads ''.
 * `collector_id` 0 means unassigned.
 */
export const kpiDailyPortfolio = pgTable(
  'kpi_daily_portfolio',
  {
    companyId: companyId(),
    asOf: date('as_of', { mode: 'string' }).notNull(),
    portfolioId: bigint('portfolio_id', { mode: 'number' }).notNull(),
    collectorId: bigint('collector_id', { mode: 'number' }).notNull(),
    segment: text('segment').notNull(),
    phase: text('phase').notNull(),
    bucket: text('bucket').notNull(),
    /**
     * A finer split of DPD than the buckets, cut also at the delinquency thresholds (1, 30, 60, 90), so both the
     * buckets and "DPD ≥ 30" are exact sums of bands: current, 1-29, 30, 31-59, 60, 61-89, 90, 91-120, 121-180, 181+.
     */
    band: text('band').notNull(),
    currency: char('currency', { length: 3 }).notNull(),
    accounts: integer('accounts').notNull(),
    balance: minor('balance').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.companyId, t.asOf, t.portfolioId, t.collectorId, t.segment, t.phase, t.bucket, t.band, t.currency] }),
    index('kpi_daily_portfolio_segment_idx').on(t.companyId, t.segment, t.asOf),
  ],
);

/** Money that moved per day: credit sales (obligations issued) and collections (payments), per collector. */
export const kpiDailyFlows = pgTable(
  'kpi_daily_flows',
  {
    companyId: companyId(),
    day: date('day', { mode: 'string' }).notNull(),
    portfolioId: bigint('portfolio_id', { mode: 'number' }).notNull(),
    collectorId: bigint('collector_id', { mode: 'number' }).notNull(),
    currency: char('currency', { length: 3 }).notNull(),
    sales: minor('sales').notNull(),
    collected: minor('collected').notNull(),
    payments: integer('payments').notNull(),
  },
  (t) => [primaryKey({ columns: [t.companyId, t.day, t.portfolioId, t.collectorId, t.currency] })],
);

/**
 * Account-tracked bucket transitions between the snapshot `lag_days` before `as_of` and `as_of`: the base of roll and
 * cure rates. An account that owes nothing at the end has `to_bucket` 'settled'.
 */
export const kpiDailyTransitions = pgTable(
  'kpi_daily_transitions',
  {
    companyId: companyId(),
    asOf: date('as_of', { mode: 'string' }).notNull(),
    lagDays: integer('lag_days').notNull(),
    portfolioId: bigint('portfolio_id', { mode: 'number' }).notNull(),
    collectorId: bigint('collector_id', { mode: 'number' }).notNull(),
    segment: text('segment').notNull(),
    currency: char('currency', { length: 3 }).notNull(),
    fromBucket: text('from_bucket').notNull(),
    toBucket: text('to_bucket').notNull(),
    accounts: integer('accounts').notNull(),
    startBalance: minor('start_balance').notNull(),
    endBalance: minor('end_balance').notNull(),
  },
  (t) => [primaryKey({ columns: [t.companyId, t.asOf, t.lagDays, t.portfolioId, t.collectorId, t.segment, t.currency, t.fromBucket, t.toBucket] })],
);

/** Which days the aggregates were computed for, and when. */
export const kpiRefreshes = pgTable(
  'kpi_refreshes',
  {
    companyId: companyId(),
    asOf: date('as_of', { mode: 'string' }).notNull(),
    refreshedAt: timestamp('refreshed_at', { withTimezone: true }).notNull(),
    accounts: integer('accounts').notNull(),
    durationMs: integer('duration_ms').notNull(),
  },
  (t) => [primaryKey({ columns: [t.companyId, t.asOf] })],
);

/**
 * The activity aggregates below are also per `portfolio_id`, `phase` and `segment`: the accounts the debtor had on the
 * day of the activity (activity-aggregates.ts, ADR 0011). Portfolio 0, phase '' and segment '' are the rows for all
 * (an activity counts once in each row set it matches, though its debtor matches through two accounts), so a
 * dashboard reads exactly the rows of its filters, or (0, '', '') without them: the primary key starts with them.
 * The refresh replaces days, by the (company_id, day) index. A refresh writes some 100,000 rows into each: no foreign
 * key on company_id (the refresh takes it from its context), which cost an eighth of the insert.
 */
const activityDimensions = () => ({
  companyId: bigint('company_id', { mode: 'number' }).notNull(),
  portfolioId: bigint('portfolio_id', { mode: 'number' }).notNull(),
  phase: text('phase').notNull(),
  segment: text('segment').notNull(),
});

/**
 * Interactions per local day (company time zone), collector and channel: the dashboard's contact figures and
 * per-collector results. `collector_id` 0: recorded by no collector. `kept`, `partially_kept` and `broken` count the
 * day's interactions whose promise has that status as of the refresh (a promise resolves weeks after it was taken, so
 * the refresh recomputes the days of promises that changed; see activity-aggregates.ts).
 */
export const kpiDailyInteractions = pgTable(
  'kpi_daily_interactions',
  {
    day: date('day', { mode: 'string' }).notNull(),
    collectorId: bigint('collector_id', { mode: 'number' }).notNull(),
    channel: text('channel').notNull(),
    ...activityDimensions(),
    interactions: integer('interactions').notNull(),
    answered: integer('answered').notNull(),
    rightParty: integer('right_party').notNull(),
    promises: integer('promises').notNull(),
    kept: integer('kept').notNull(),
    partiallyKept: integer('partially_kept').notNull(),
    broken: integer('broken').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.companyId, t.portfolioId, t.segment, t.phase, t.day, t.collectorId, t.channel] }),
    index('kpi_daily_interactions_day_idx').on(t.companyId, t.day),
  ],
);

/**
 * Promises resolved per day (`resolved_on`) as kept, partially kept or broken. `collector_id` 0 is the row for every
 * promise; a collector's row counts the promises they recorded an interaction for (one promise can be in several
 * collectors' rows, once in the 0 row).
 */
export const kpiDailyPromiseOutcomes = pgTable(
  'kpi_daily_promise_outcomes',
  {
    day: date('day', { mode: 'string' }).notNull(),
    collectorId: bigint('collector_id', { mode: 'number' }).notNull(),
    ...activityDimensions(),
    kept: integer('kept').notNull(),
    partiallyKept: integer('partially_kept').notNull(),
    broken: integer('broken').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.companyId, t.portfolioId, t.segment, t.phase, t.day, t.collectorId] }),
    index('kpi_daily_promise_outcomes_day_idx').on(t.companyId, t.day),
  ],
);

/**
 * Outbound messages per local day of creation, channel and strategy step: sent, delivered, read, failed, replied
 * (a reply on the same channel within 7 days of sending) and paid within 7 days of the sending day, as of the refresh.
 * `strategy_id` 0 and `step_id` '' stand for none (a message outside any strategy).
 */
export const kpiDailyMessages = pgTable(
  'kpi_daily_messages',
  {
    day: date('day', { mode: 'string' }).notNull(),
    channel: text('channel').notNull(),
    strategyId: bigint('strategy_id', { mode: 'number' }).notNull(),
    stepId: text('step_id').notNull(),
    ...activityDimensions(),
    sent: integer('sent').notNull(),
    delivered: integer('delivered').notNull(),
    read: integer('read').notNull(),
    failed: integer('failed').notNull(),
    replied: integer('replied').notNull(),
    paidWithin7Days: integer('paid_within_7_days').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.companyId, t.portfolioId, t.segment, t.phase, t.day, t.channel, t.strategyId, t.stepId] }),
    index('kpi_daily_messages_day_idx').on(t.companyId, t.day),
  ],
);

/**
 * How far the activity aggregates (interactions, promise outcomes, messages) go: every local day up to `through`
 * (the day before the refresh's own day) is summed in them; later days are read from the source tables.
 */
export const kpiActivityRefreshes = pgTable('kpi_activity_refreshes', {
  companyId: companyId().primaryKey(),
  through: date('through', { mode: 'string' }).notNull(),
  /** The first day the last refresh recomputed. */
  recomputedFrom: date('recomputed_from', { mode: 'string' }).notNull(),
  refreshedAt: timestamp('refreshed_at', { withTimezone: true }).notNull(),
  durationMs: integer('duration_ms').notNull(),
});

/** Alert digests sent, so the daily digest goes once per recipient per day whatever retries happen. */
export const alertDigests = pgTable(
  'alert_digests',
  {
    id: id(),
    companyId: companyId(),
    day: date('day', { mode: 'string' }).notNull(),
    recipient: text('recipient').notNull(),
    role: text('role').notNull(),
    alerts: integer('alerts').notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    error: text('error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('alert_digests_day_recipient_uq').on(t.companyId, t.day, t.recipient)],
);

/**
 * What a collector costs the company a month (salary, seat, telephony…), for the dashboard's cost per peso recovered,
 * effective-dated: a row applies from `effective_from` until the day before the collector's next row, and the first
 * row also covers the days before it. `-infinity` marks a cost carried over from before costs had dates. One currency
 * per collector; a dashboard period is charged each day's monthly cost prorated by days (collectorPeriodCosts).
 */
export const collectorCosts = pgTable(
  'collector_costs',
  {
    companyId: companyId(),
    collectorId: bigint('collector_id', { mode: 'number' }).notNull(),
    effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
    currency: char('currency', { length: 3 }).notNull(),
    monthlyCost: minor('monthly_cost').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    updatedBy: text('updated_by').notNull(),
  },
  (t) => [primaryKey({ columns: [t.companyId, t.collectorId, t.effectiveFrom] })],
);
