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
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const id = () => bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity();
const companyId = () =>
  bigint('company_id', { mode: 'number' })
    .notNull()
    .references(() => companies.id);
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();
const minor = (name: string) => bigint(name, { mode: 'bigint' });

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
  (t) => [uniqueIndex('debtors_company_external_uq').on(t.companyId, t.externalId)],
);

export const obligations = pgTable(
  'obligations',
  {
    id: id(),
    companyId: companyId(),
    portfolioId: bigint('portfolio_id', { mode: 'number' })
      .notNull()
      .references(() => portfolios.id),
    debtorId: bigint('debtor_id', { mode: 'number' })
      .notNull()
      .references(() => debtors.id),
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
    companyId: companyId(),
    debtorId: bigint('debtor_id', { mode: 'number' })
      .notNull()
      .references(() => debtors.id),
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
    debtorId: bigint('debtor_id', { mode: 'number' })
      .notNull()
      .references(() => debtors.id),
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

/** An account is a debtor within a portfolio: the unit the daily run places in a phase and segments. */
export const accounts = pgTable(
  'accounts',
  {
    companyId: companyId(),
    portfolioId: bigint('portfolio_id', { mode: 'number' })
      .notNull()
      .references(() => portfolios.id),
    debtorId: bigint('debtor_id', { mode: 'number' })
      .notNull()
      .references(() => debtors.id),
    asOf: date('as_of', { mode: 'string' }).notNull(),
    phase: text('phase').notNull(),
    phaseSince: date('phase_since', { mode: 'string' }).notNull(),
    /** The phase before the run of `as_of`, so re-running a day compares against the same predecessor. */
    previousPhase: text('previous_phase'),
    previousPhaseSince: date('previous_phase_since', { mode: 'string' }),
    phaseSource: text('phase_source').notNull().default('rule'),
    daysPastDue: integer('days_past_due'),
    bucket: text('bucket'),
    balances: jsonb('balances').$type<Record<string, string>>().notNull(),
    overdue: jsonb('overdue').$type<Record<string, string>>().notNull(),
    segments: text('segments').array().notNull().default(sql`'{}'::text[]`),
    onHold: boolean('on_hold').notNull().default(false),
    manualPhase: text('manual_phase'),
    manualPhaseReason: text('manual_phase_reason'),
    manualPhaseBy: text('manual_phase_by'),
    manualPhaseAt: timestamp('manual_phase_at', { withTimezone: true }),
    manualPhaseUntil: date('manual_phase_until', { mode: 'string' }),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.portfolioId, t.debtorId] }),
    index('accounts_company_phase_idx').on(t.companyId, t.phase),
    index('accounts_debtor_idx').on(t.debtorId),
  ],
);

/** One row per account per run date: history for roll rates, cure rates and trends. */
export const accountSnapshots = pgTable(
  'account_snapshots',
  {
    companyId: companyId(),
    asOf: date('as_of', { mode: 'string' }).notNull(),
    portfolioId: bigint('portfolio_id', { mode: 'number' }).notNull(),
    debtorId: bigint('debtor_id', { mode: 'number' }).notNull(),
    phase: text('phase').notNull(),
    daysPastDue: integer('days_past_due'),
    bucket: text('bucket'),
    balances: jsonb('balances').$type<Record<string, string>>().notNull(),
    segments: text('segments').array().notNull(),
  },
  (t) => [primaryKey({ columns: [t.companyId, t.asOf, t.portfolioId, t.debtorId] })],
);

export const phaseChanges = pgTable(
  'phase_changes',
  {
    id: id(),
    companyId: companyId(),
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
    errors: jsonb('errors').$type<Array<{ line: number; column: string; reason: string }>>(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('imports_company_idx').on(t.companyId)],
);
