/**
 * The one schema, for PostgreSQL and PGlite alike. Every business row carries company_id (the tenant) and every
 * query filters on it. Money columns are bigint minor units beside a currency code; due/paid dates are `date`.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  char,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  pgView,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { createdAt, id, minor, updatedAt } from './columns.ts';
import { bareIdentifier, searchDocument } from './search.ts';
import { bucketCaseSql } from './aging-sql.ts';

/** The tenant: every business row carries it and every query filters on it. */
export const companyId = () =>
  bigint('company_id', { mode: 'number' })
    .notNull()
    .references(() => companies.id);
/** The debtor a row belongs to. */
export const debtorId = () =>
  bigint('debtor_id', { mode: 'number' })
    .notNull()
    .references(() => debtors.id);
/**
 * company_id without a foreign key, for the high-volume portfolio tables the import and the daily run write in bulk:
 * a per-row FK check costs as much as the row's insert (measured: a third of an obligations import), every writer
 * takes the company from the authenticated context, and companies are never deleted.
 */
const tenantId = () => bigint('company_id', { mode: 'number' }).notNull();

export const companies = pgTable('companies', {
  id: id(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  country: char('country', { length: 2 }).notNull(),
  timeZone: text('time_zone').notNull(),
  defaultCurrency: char('default_currency', { length: 3 }).notNull(),
  locale: text('locale').notNull().default('es-MX'),
  createdAt: createdAt(),
});

export const apiKeys = pgTable(
  'api_keys',
  {
    id: id(),
    companyId: companyId(),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    keyHash: text('key_hash').notNull(),
    role: text('role').notNull().default('admin'),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('api_keys_hash_uq').on(t.keyHash)],
);

export const portfolios = pgTable(
  'portfolios',
  {
    id: id(),
    companyId: companyId(),
    name: text('name').notNull(),
    /** Days before the due date at which preventive reminders start. */
    preventiveDays: integer('preventive_days').notNull().default(5),
    administrativeFrom: integer('administrative_from').notNull().default(1),
    extrajudicialFrom: integer('extrajudicial_from').notNull().default(31),
    judicialFrom: integer('judicial_from').notNull().default(91),
    /** Grace days delay the phase, never the days past due. */
    graceDays: integer('grace_days').notNull().default(0),
    lastRunOn: date('last_run_on', { mode: 'string' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('portfolios_company_name_uq').on(t.companyId, t.name)],
);

export const debtors = pgTable(
  'debtors',
  {
    id: id(),
    companyId: companyId(),
    externalId: text('external_id').notNull(),
    /** Collated `cobranza_es` (migration 20261124100032): names sort in Spanish alphabetical order. */
    name: text('name').notNull(),
    type: text('type').notNull().default('person'),
    taxId: text('tax_id'),
    email: text('email'),
    phone: text('phone'),
    whatsapp: text('whatsapp'),
    country: char('country', { length: 2 }).notNull(),
    region: text('region'),
    city: text('city'),
    postalCode: text('postal_code'),
    timeZone: text('time_zone').notNull(),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    attributes: jsonb('attributes').$type<Record<string, string>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('debtors_company_external_uq').on(t.companyId, t.externalId),
    // Word-prefix search by name (src/db/search.ts builds the same expression for the queries).
    index('debtors_name_search_idx').using('gin', searchDocument(t.name)),
    // Search by the start of the tax id's letters and digits (src/db/search.ts, startsIdentifier).
    index('debtors_tax_id_search_idx').using('btree', sql`${bareIdentifier(t.taxId)} text_pattern_ops`),
    // Search by the start of the external id's letters and digits, in any case ("demo-c00000" finds DEMO-C000008).
    index('debtors_external_id_search_idx').using('btree', sql`${bareIdentifier(t.externalId)} text_pattern_ops`),
    // The accounts list sorted by name reads names in order from here and stops after a page (with debtors.id, the
    // list's tie-breaker); a name sort of 200,000 accounts otherwise sorts them all for every page.
    index('debtors_name_idx').on(t.name, t.id),
  ],
);

export const obligations = pgTable(
  'obligations',
  {
    id: id(),
    companyId: tenantId(),
    portfolioId: bigint('portfolio_id', { mode: 'number' })
      .notNull()
      .references(() => portfolios.id),
    debtorId: debtorId(),
    externalId: text('external_id').notNull(),
    kind: text('kind').notNull().default('invoice'),
    product: text('product'),
    currency: char('currency', { length: 3 }).notNull(),
    amount: minor('amount').notNull(),
    /** Derived by allocation: amount − Σ allocations. Kept here so the daily run is one scan. */
    balance: minor('balance').notNull(),
    issuedOn: date('issued_on', { mode: 'string' }),
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('obligations_company_external_uq').on(t.companyId, t.externalId),
    index('obligations_debtor_idx').on(t.debtorId),
    index('obligations_portfolio_idx').on(t.portfolioId),
  ],
);

export const payments = pgTable(
  'payments',
  {
    id: id(),
    companyId: tenantId(),
    debtorId: debtorId(),
    /** The obligation the payer named, if any; allocation goes there first. */
    obligationId: bigint('obligation_id', { mode: 'number' }).references(() => obligations.id),
    externalId: text('external_id').notNull(),
    currency: char('currency', { length: 3 }).notNull(),
    amount: minor('amount').notNull(),
    /** Derived by allocation: what could not be applied stays as credit on the debtor. */
    unapplied: minor('unapplied').notNull(),
    paidOn: date('paid_on', { mode: 'string' }).notNull(),
    method: text('method'),
    reference: text('reference'),
    reversedAt: timestamp('reversed_at', { withTimezone: true }),
    reversalReason: text('reversal_reason'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('payments_company_external_uq').on(t.companyId, t.externalId),
    index('payments_debtor_idx').on(t.debtorId),
    // The reversed payments, by external id: few, so a payments import finds the ones its file names (which it may not
    // change) without reading every payment of the company.
    index('payments_reversed_idx').on(t.companyId, t.externalId).where(sql`${t.reversedAt} IS NOT NULL`),
  ],
);

export const paymentAllocations = pgTable(
  'payment_allocations',
  {
    companyId: companyId(),
    paymentId: bigint('payment_id', { mode: 'number' })
      .notNull()
      .references(() => payments.id, { onDelete: 'cascade' }),
    obligationId: bigint('obligation_id', { mode: 'number' })
      .notNull()
      .references(() => obligations.id, { onDelete: 'cascade' }),
    debtorId: bigint('debtor_id', { mode: 'number' }).notNull(),
    amount: minor('amount').notNull(),
  },
  (t) => [primaryKey({ columns: [t.paymentId, t.obligationId] }), index('allocations_debtor_idx').on(t.debtorId)],
);

export const segments = pgTable(
  'segments',
  {
    id: id(),
    companyId: companyId(),
    name: text('name').notNull(),
    rule: text('rule').notNull(),
    description: text('description'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('segments_company_name_uq').on(t.companyId, t.name)],
);

/** Holds suspend collection contact; while one is active the account's phase is frozen. */
export const holds = pgTable(
  'holds',
  {
    id: id(),
    companyId: companyId(),
    debtorId: debtorId(),
    reason: text('reason').notNull(),
    note: text('note'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    expiresOn: date('expires_on', { mode: 'string' }),
    releasedAt: timestamp('released_at', { withTimezone: true }),
    releasedBy: text('released_by'),
    releaseNote: text('release_note'),
  },
  (t) => [index('holds_debtor_idx').on(t.debtorId)],
);

/**
 * The stored part of an account (debtor × portfolio), the table behind the `accounts` view. The daily run writes a
 * row only when something about the account changed: days past due are not stored but derived from the due date of
 * the oldest open obligation and the date of the portfolio's last run, so an account whose facts stay the same is not
 * rewritten every day (ADR 0003).
 */
export const accountStates = pgTable(
  'account_states',
  {
    companyId: tenantId(),
    // No foreign keys: every row is derived from obligations, which carry both, and the run inserts a portfolio's
    // accounts all at once on its first day, where the per-row checks cost a fifth of the run.
    portfolioId: bigint('portfolio_id', { mode: 'number' }).notNull(),
    debtorId: bigint('debtor_id', { mode: 'number' }).notNull(),
    /**
     * The date of the last run that placed the account, once a later run of its portfolio no longer finds it (it owes
     * nothing there any more); NULL while every run of the portfolio places it, its date being the portfolio's last run.
     */
    leftAsOf: date('left_as_of', { mode: 'string' }),
    phase: text('phase').notNull(),
    phaseSince: date('phase_since', { mode: 'string' }).notNull(),
    /** The phase before the run of the account's date, so re-running a day compares against the same predecessor. */
    previousPhase: text('previous_phase'),
    previousPhaseSince: date('previous_phase_since', { mode: 'string' }),
    phaseSource: text('phase_source').notNull().default('rule'),
    /** Due date of the oldest obligation with a balance; NULL when nothing is owed. Days past due = date − this. */
    oldestDueOn: date('oldest_due_on', { mode: 'string' }),
    balances: jsonb('balances').$type<Record<string, string>>().notNull(),
    overdue: jsonb('overdue').$type<Record<string, string>>().notNull(),
    /**
     * For an account owing in one currency, that currency and the balance and overdue sums `balances` and `overdue`
     * were built from (all NULL otherwise): the run compares these instead of rebuilding both for every account.
     */
    amountsCurrency: char('amounts_currency', { length: 3 }),
    balanceSum: minor('balance_sum'),
    overdueSum: minor('overdue_sum'),
    segments: text('segments').array().notNull().default(sql`'{}'::text[]`),
    onHold: boolean('on_hold').notNull().default(false),
    manualPhase: text('manual_phase'),
    manualPhaseReason: text('manual_phase_reason'),
    manualPhaseBy: text('manual_phase_by'),
    manualPhaseAt: timestamp('manual_phase_at', { withTimezone: true }),
    manualPhaseUntil: date('manual_phase_until', { mode: 'string' }),
    /**
     * The phase the run recorded in the account's history for its date. A manual phase changes `phase` at once, the
     * history only at the next run, which compares with this.
     */
    recordedPhase: text('recorded_phase').notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.portfolioId, t.debtorId] }),
    index('account_states_company_phase_idx').on(t.companyId, t.phase),
    index('account_states_debtor_idx').on(t.debtorId),
  ],
);

/**
 * Each account's history as ranges of run dates: a row holds from `valid_from` (a run date) up to the run date
 * `valid_to` (excluded; NULL: still current). The run writes a row only when the account's phase, balances, segments
 * or oldest open due date change; days past due and bucket on any date are derived from that due date. Read through
 * the `account_snapshots` view, one row per account per run date.
 */
export const accountHistory = pgTable(
  'account_history',
  {
    companyId: tenantId(),
    portfolioId: bigint('portfolio_id', { mode: 'number' }).notNull(),
    debtorId: bigint('debtor_id', { mode: 'number' }).notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validTo: date('valid_to', { mode: 'string' }),
    phase: text('phase').notNull(),
    oldestDueOn: date('oldest_due_on', { mode: 'string' }),
    balances: jsonb('balances').$type<Record<string, string>>().notNull(),
    segments: text('segments').array().notNull(),
  },
  (t) => [primaryKey({ columns: [t.portfolioId, t.debtorId, t.validFrom] }), index('account_history_portfolio_valid_to_idx').on(t.portfolioId, t.validTo)],
);

/** The dates each portfolio was run for: the days `account_snapshots` has rows for. */
export const portfolioRunDays = pgTable(
  'portfolio_run_days',
  {
    companyId: tenantId(),
    portfolioId: bigint('portfolio_id', { mode: 'number' })
      .notNull()
      .references(() => portfolios.id),
    asOf: date('as_of', { mode: 'string' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.portfolioId, t.asOf] }), index('portfolio_run_days_company_idx').on(t.companyId, t.asOf)],
);

/** An account's date: its portfolio's last run, or the last run that placed it once it left (account_states.left_as_of). */
const accountAsOf = 'coalesce(s.left_as_of, p.last_run_on)';

/**
 * An account is a debtor within a portfolio: the unit the daily run places in a phase and segments, as the last run
 * left it. A view over account_states with the columns the accounts table had: its date is its portfolio's last run,
 * days past due and bucket are derived from the oldest open due date as of that date, and the phase before the run of
 * that date is the phase itself unless it changed on that date (only then is `previous_phase` stored).
 */
export const accounts = pgView('accounts', {
  companyId: bigint('company_id', { mode: 'number' }).notNull(),
  portfolioId: bigint('portfolio_id', { mode: 'number' }).notNull(),
  debtorId: bigint('debtor_id', { mode: 'number' }).notNull(),
  asOf: date('as_of', { mode: 'string' }).notNull(),
  phase: text('phase').notNull(),
  phaseSince: date('phase_since', { mode: 'string' }).notNull(),
  previousPhase: text('previous_phase'),
  previousPhaseSince: date('previous_phase_since', { mode: 'string' }),
  phaseSource: text('phase_source').notNull(),
  daysPastDue: integer('days_past_due'),
  bucket: text('bucket'),
  balances: jsonb('balances').$type<Record<string, string>>().notNull(),
  overdue: jsonb('overdue').$type<Record<string, string>>().notNull(),
  segments: text('segments').array().notNull(),
  onHold: boolean('on_hold').notNull(),
  manualPhase: text('manual_phase'),
  manualPhaseReason: text('manual_phase_reason'),
  manualPhaseBy: text('manual_phase_by'),
  manualPhaseAt: timestamp('manual_phase_at', { withTimezone: true }),
  manualPhaseUntil: date('manual_phase_until', { mode: 'string' }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
}).as(
  sql.raw(`SELECT s.company_id, s.portfolio_id, s.debtor_id, ${accountAsOf} AS as_of, s.phase, s.phase_since,
       CASE WHEN s.phase_since < ${accountAsOf} THEN s.phase ELSE s.previous_phase END AS previous_phase,
       CASE WHEN s.phase_since < ${accountAsOf} THEN s.phase_since ELSE s.previous_phase_since END AS previous_phase_since, s.phase_source, ${accountAsOf} - s.oldest_due_on AS days_past_due,
       ${bucketCaseSql(`(${accountAsOf} - s.oldest_due_on)`)} AS bucket, s.balances, s.overdue, s.segments, s.on_hold,
       s.manual_phase, s.manual_phase_reason, s.manual_phase_by, s.manual_phase_at, s.manual_phase_until, s.updated_at
  FROM account_states s JOIN portfolios p ON p.id = s.portfolio_id`),
);

/**
 * One row per account per run date, as that day's run placed it (for roll rates, cure rates and trends): the
 * account_history range holding each run date, with days past due and bucket derived for the date.
 */
export const accountSnapshots = pgView('account_snapshots', {
  companyId: bigint('company_id', { mode: 'number' }).notNull(),
  asOf: date('as_of', { mode: 'string' }).notNull(),
  portfolioId: bigint('portfolio_id', { mode: 'number' }).notNull(),
  debtorId: bigint('debtor_id', { mode: 'number' }).notNull(),
  phase: text('phase').notNull(),
  daysPastDue: integer('days_past_due'),
  bucket: text('bucket'),
  balances: jsonb('balances').$type<Record<string, string>>().notNull(),
  segments: text('segments').array().notNull(),
}).as(
  sql.raw(`SELECT r.company_id, r.as_of, h.portfolio_id, h.debtor_id, h.phase, r.as_of - h.oldest_due_on AS days_past_due,
       ${bucketCaseSql('(r.as_of - h.oldest_due_on)')} AS bucket, h.balances, h.segments
  FROM portfolio_run_days r
  JOIN account_history h ON h.portfolio_id = r.portfolio_id AND h.valid_from <= r.as_of AND (h.valid_to IS NULL OR h.valid_to > r.as_of)`),
);

export const phaseChanges = pgTable(
  'phase_changes',
  {
    id: id(),
    companyId: tenantId(),
    portfolioId: bigint('portfolio_id', { mode: 'number' }).notNull(),
    debtorId: bigint('debtor_id', { mode: 'number' }).notNull(),
    asOf: date('as_of', { mode: 'string' }).notNull(),
    fromPhase: text('from_phase'),
    toPhase: text('to_phase').notNull(),
    cause: text('cause').notNull(),
    actor: text('actor'),
    reason: text('reason'),
    createdAt: createdAt(),
  },
  (t) => [index('phase_changes_debtor_idx').on(t.debtorId, t.asOf), index('phase_changes_company_date_idx').on(t.companyId, t.asOf)],
);

export const runs = pgTable(
  'runs',
  {
    id: id(),
    companyId: companyId(),
    portfolioId: bigint('portfolio_id', { mode: 'number' }).references(() => portfolios.id),
    asOf: date('as_of', { mode: 'string' }).notNull(),
    status: text('status').notNull(),
    forced: boolean('forced').notNull().default(false),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    stats: jsonb('stats').$type<Record<string, unknown>>(),
    error: text('error'),
    /** The database's clock when the process running it last reported it alive (see shared/job-liveness.ts). */
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }),
  },
  (t) => [index('runs_company_idx').on(t.companyId, t.asOf)],
);

export const imports = pgTable(
  'imports',
  {
    id: id(),
    companyId: companyId(),
    entity: text('entity').notNull(),
    fileName: text('file_name'),
    status: text('status').notNull(),
    dryRun: boolean('dry_run').notNull().default(false),
    rows: integer('rows').notNull().default(0),
    inserted: integer('inserted').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    unchanged: integer('unchanged').notNull().default(0),
    // reason: both languages ({ en, es }); imports recorded before reasons were translated hold an English string.
    errors: jsonb('errors').$type<Array<{ line: number; column: string; reason: string | { en: string; es: string } }>>(),
    /** Every error found; `errors` keeps the first ones only. */
    errorCount: integer('error_count').notNull().default(0),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    /** Who started it (user email, API key or command). */
    createdBy: text('created_by'),
    /** Size of the file when known, and how much of it was read: with `rows`, the progress of a running import. */
    fileBytes: bigint('file_bytes', { mode: 'number' }),
    bytesRead: bigint('bytes_read', { mode: 'number' }),
    /** The database's clock when the process running the import last reported it alive (see shared/job-liveness.ts). */
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }),
  },
  (t) => [index('imports_company_idx').on(t.companyId)],
);

// ---------------------------------------------------------------------------------------------------------------
// Strategies and multichannel messaging

/** Per-company automation settings: when the daily run starts and the company's adjustments to the contact rules. */
export const automationSettings = pgTable('automation_settings', {
  companyId: bigint('company_id', { mode: 'number' })
    .primaryKey()
    .references(() => companies.id),
  /** Local wall-clock time ("HH:MM", company time zone) at which the daily run, planning and dispatch start. */
  dailyRunAt: text('daily_run_at').notNull().default('06:00'),
  enabled: boolean('enabled').notNull().default(true),
  /** Rule-set id → overrides accepted by `resolveRules` (src/domain/compliance/rules.ts). */
  complianceOverrides: jsonb('compliance_overrides').$type<Record<string, unknown>>().notNull().default({}),
  /** Rule set used for a debtor whose country has no built-in table (default: the company's country). */
  fallbackRuleSet: text('fallback_rule_set'),
  /** Who messages come from and the links they carry: creditor and agency identification, sender addresses, links. */
  sender: jsonb('sender').$type<Record<string, unknown>>().notNull().default({}),
  updatedAt: updatedAt(),
});

/** A named plan of collection for one portfolio; its definition lives in immutable versions. */
export const strategies = pgTable(
  'strategies',
  {
    id: id(),
    companyId: companyId(),
    portfolioId: bigint('portfolio_id', { mode: 'number' })
      .notNull()
      .references(() => portfolios.id),
    name: text('name').notNull(),
    description: text('description'),
    /** active | paused */
    status: text('status').notNull().default('active'),
    /** The version the engine runs (strategy_versions.id); no foreign key so the two tables need no cycle. */
    activeVersionId: bigint('active_version_id', { mode: 'number' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('strategies_company_name_uq').on(t.companyId, t.name),
    // One running strategy per portfolio, so every account has at most one plan.
    uniqueIndex('strategies_active_portfolio_uq').on(t.portfolioId).where(sql`status = 'active'`),
  ],
);

/** One immutable version of a strategy's definition; editing a strategy creates the next version. */
export const strategyVersions = pgTable(
  'strategy_versions',
  {
    id: id(),
    companyId: companyId(),
    strategyId: bigint('strategy_id', { mode: 'number' })
      .notNull()
      .references(() => strategies.id),
    version: integer('version').notNull(),
    definition: jsonb('definition').$type<Record<string, unknown>>().notNull(),
    /** The file as the user wrote it (YAML or JSON), for `strategies show`. */
    source: text('source'),
    /** sha256 of the canonical definition: applying the same definition again creates no version. */
    checksum: text('checksum').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('strategy_versions_strategy_version_uq').on(t.strategyId, t.version)],
);

/** A company's own templates, overriding the built-in defaults with the same key, channel and language. */
export const templates = pgTable(
  'templates',
  {
    id: id(),
    companyId: companyId(),
    key: text('key').notNull(),
    channel: text('channel').notNull(),
    language: text('language').notNull(),
    content: jsonb('content').$type<Record<string, unknown>>().notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    /** 1 when first saved, + 1 at every change; earlier contents are kept in the audit log (template.save). */
    version: integer('version').notNull().default(1),
    updatedBy: text('updated_by'),
  },
  (t) => [uniqueIndex('templates_company_key_uq').on(t.companyId, t.key, t.channel, t.language)],
);

/** A debtor's consent per channel, and the opt-out ("BAJA", "STOP") that overrides it at once. */
export const consents = pgTable(
  'consents',
  {
    companyId: companyId(),
    debtorId: debtorId(),
    channel: text('channel').notNull(),
    /** granted | denied | unknown */
    status: text('status').notNull().default('unknown'),
    optedOutAt: timestamp('opted_out_at', { withTimezone: true }),
    /** Where the consent or opt-out came from: import, api, inbound:<channel>, … */
    source: text('source'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.debtorId, t.channel] }), index('consents_company_idx').on(t.companyId)],
);

/**
 * Every outbound message, written with its idempotency key before it is sent. A row moves
 * pending → sending → sent → delivered → read, or to failed / refused / cancelled.
 */
export const outboxMessages = pgTable(
  'outbox_messages',
  {
    id: id(),
    companyId: companyId(),
    debtorId: debtorId(),
    portfolioId: bigint('portfolio_id', { mode: 'number' }),
    strategyId: bigint('strategy_id', { mode: 'number' }),
    strategyVersionId: bigint('strategy_version_id', { mode: 'number' }).references(() => strategyVersions.id),
    stepId: text('step_id'),
    channel: text('channel').notNull(),
    templateKey: text('template_key').notNull(),
    language: text('language').notNull().default('es-MX'),
    /** strategyVersion:step:debtor:cause:date (fallbacks append :fallback:<channel>); unique per company. */
    idempotencyKey: text('idempotency_key').notNull(),
    /** Why the message exists: obligation:<id>, payment:<id>, message_failed:<id>, … */
    cause: text('cause').notNull(),
    /** The date the step was due for this cause (not the day it was planned). */
    causeDate: date('cause_date', { mode: 'string' }).notNull(),
    recipient: text('recipient'),
    scheduledFor: timestamp('scheduled_for', { withTimezone: true }).notNull(),
    /** When the row may next be claimed (scheduled time, backoff, or the gate's next allowed instant). */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(5),
    /** A row in 'sending' whose lease has passed is reclaimed (the worker died between claim and result). */
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    fallbackChannel: text('fallback_channel'),
    /** The row this one replaces on its fallback channel. */
    fallbackOf: bigint('fallback_of', { mode: 'number' }),
    provider: text('provider'),
    providerMessageId: text('provider_message_id'),
    /** Facts the template renders from, taken when the message was planned. */
    variables: jsonb('variables').$type<Record<string, unknown>>().notNull().default({}),
    /** What was handed to the provider. */
    payload: jsonb('payload').$type<Record<string, unknown>>(),
    gateRule: text('gate_rule'),
    lastError: text('last_error'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    readAt: timestamp('read_at', { withTimezone: true }),
    failedAt: timestamp('failed_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('outbox_company_key_uq').on(t.companyId, t.idempotencyKey),
    // Dispatch claims walk these in order and stop after a batch: due rows by time, and claims whose lease ran out.
    index('outbox_pending_idx').on(t.companyId, t.nextAttemptAt, t.id).where(sql`status = 'pending'`),
    index('outbox_sending_idx').on(t.companyId, t.leaseUntil).where(sql`status = 'sending'`),
    index('outbox_debtor_idx').on(t.debtorId, t.createdAt),
    index('outbox_provider_msg_idx').on(t.providerMessageId),
  ],
);

/** Delivery events of outbound messages (statuses from providers), for the timeline; a replayed webhook is one row. */
export const messageEvents = pgTable(
  'message_events',
  {
    id: id(),
    companyId: companyId(),
    outboxMessageId: bigint('outbox_message_id', { mode: 'number' })
      .notNull()
      .references(() => outboxMessages.id),
    status: text('status').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    detail: text('detail'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('message_events_msg_status_uq').on(t.outboxMessageId, t.status)],
);

/** Every decision of the contact compliance gate, allowed or refused: the compliance log (kept ≥ 2 years). */
export const contactDecisions = pgTable(
  'contact_decisions',
  {
    id: id(),
    companyId: companyId(),
    debtorId: debtorId(),
    outboxMessageId: bigint('outbox_message_id', { mode: 'number' }),
    taskId: bigint('task_id', { mode: 'number' }),
    channel: text('channel').notNull(),
    /** The instant judged. */
    at: timestamp('at', { withTimezone: true }).notNull(),
    /** plan | dispatch */
    stage: text('stage').notNull(),
    allowed: boolean('allowed').notNull(),
    rule: text('rule').notNull(),
    /**
     * Why, as data: a reason's code and facts as JSON (src/domain/compliance/reason.ts), written out in the reader's
     * language when read. Decisions logged before hold their Spanish sentence.
     */
    reason: text('reason').notNull(),
    nextAllowedAt: timestamp('next_allowed_at', { withTimezone: true }),
    ruleSet: text('rule_set'),
    createdAt: createdAt(),
  },
  (t) => [index('contact_decisions_company_at_idx').on(t.companyId, t.at), index('contact_decisions_debtor_idx').on(t.debtorId, t.at)],
);

/** Work for people created by strategies: call tasks for collectors and referrals to an agency. */
export const tasks = pgTable(
  'tasks',
  {
    id: id(),
    companyId: companyId(),
    debtorId: debtorId(),
    portfolioId: bigint('portfolio_id', { mode: 'number' }),
    /** call | agency_referral */
    kind: text('kind').notNull(),
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    /** open | done | cancelled */
    status: text('status').notNull().default('open'),
    strategyId: bigint('strategy_id', { mode: 'number' }),
    strategyVersionId: bigint('strategy_version_id', { mode: 'number' }),
    stepId: text('step_id'),
    templateKey: text('template_key'),
    cause: text('cause').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    note: text('note'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('tasks_company_key_uq').on(t.companyId, t.idempotencyKey), index('tasks_debtor_idx').on(t.debtorId), index('tasks_company_due_idx').on(t.companyId, t.status, t.dueOn)],
);

/** Messages from debtors on any channel; a replayed webhook is recorded once. */
export const inboundMessages = pgTable(
  'inbound_messages',
  {
    id: id(),
    companyId: companyId(),
    /** Null when the sender matched no debtor. */
    debtorId: bigint('debtor_id', { mode: 'number' }).references(() => debtors.id),
    channel: text('channel').notNull(),
    provider: text('provider'),
    providerMessageId: text('provider_message_id').notNull(),
    fromAddress: text('from_address').notNull(),
    text: text('text').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    /** When a person (or the self-service flow) took care of it; until then the debtor's strategy is paused. */
    handledAt: timestamp('handled_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('inbound_company_provider_uq').on(t.companyId, t.channel, t.providerMessageId), index('inbound_debtor_idx').on(t.debtorId, t.receivedAt)],
);
