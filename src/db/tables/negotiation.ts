/**
 * Tables of the negotiation module: the company's negotiation policy, promises to pay, payment plans (convenios and
 * settlements, with their installments and the obligations they cover) and disputes.
 *
 * Statuses are plain text checked by the module; partial unique indexes enforce "one live commitment per debtor and
 * currency" and "one open dispute per obligation", so two requests racing cannot both create one.
 */
import { sql } from 'drizzle-orm';
import { bigint, char, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { companies, companyId, debtorId, holds, obligations, portfolios } from '../schema.ts';
import { id, minor, createdAt, updatedAt } from '../columns.ts';


/** One policy document per company (defaults plus overrides by portfolio, segment and phase). */
export const negotiationPolicies = pgTable('negotiation_policies', {
  companyId: bigint('company_id', { mode: 'number' })
    .primaryKey()
    .references(() => companies.id),
  /** The validated file in its snake_case form (src/domain/negotiation/policy.ts). */
  document: jsonb('document').$type<Record<string, unknown>>().notNull(),
  /** The file as the user wrote it (YAML or JSON), for `policy show`. */
  source: text('source'),
  version: integer('version').notNull().default(1),
  updatedBy: text('updated_by').notNull(),
  updatedAt: updatedAt(),
});

/**
 * A promise to pay. Status: pending_approval → open → kept | partially_kept | broken, or cancelled / rejected.
 * `grace_until` is the last day a payment still counts; the promise hold lasts through it.
 */
export const promises = pgTable(
  'promises',
  {
    id: id(),
    companyId: companyId(),
    debtorId: debtorId(),
    portfolioId: bigint('portfolio_id', { mode: 'number' }).references(() => portfolios.id),
    currency: char('currency', { length: 3 }).notNull(),
    amount: minor('amount').notNull(),
    promisedOn: date('promised_on', { mode: 'string' }).notNull(),
    /** The day it was taken (company time zone): payments from this day on count towards it. */
    takenOn: date('taken_on', { mode: 'string' }).notNull(),
    graceUntil: date('grace_until', { mode: 'string' }).notNull(),
    /** portal | whatsapp | phone | email | sms | visit | api | import | other */
    channel: text('channel').notNull(),
    /** debtor | collector | import */
    takenBy: text('taken_by').notNull(),
    actor: text('actor').notNull(),
    status: text('status').notNull(),
    /** Matched payments, minor units, as of the last evaluation. */
    paid: minor('paid').notNull().default(sql`0`),
    resolvedOn: date('resolved_on', { mode: 'string' }),
    holdId: bigint('hold_id', { mode: 'number' }).references(() => holds.id),
    approvalTaskId: bigint('approval_task_id', { mode: 'number' }),
    /** The policy evaluation when taken: outcome and reasons. */
    evaluation: jsonb('evaluation').$type<Record<string, unknown>>().notNull().default({}),
    note: text('note'),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decisionNote: text('decision_note'),
    /** A client-chosen key: the same promise submitted twice is recorded once. */
    idempotencyKey: text('idempotency_key'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('promises_debtor_idx').on(t.debtorId),
    index('promises_company_status_idx').on(t.companyId, t.status, t.graceUntil),
    // Analytics: promises resolved on a day (the dashboard's kept rate).
    index('promises_company_resolved_idx').on(t.companyId, t.resolvedOn).where(sql`resolved_on IS NOT NULL`),
    uniqueIndex('promises_live_uq').on(t.debtorId, t.currency).where(sql`status IN ('pending_approval', 'open')`),
    uniqueIndex('promises_company_key_uq').on(t.companyId, t.idempotencyKey).where(sql`idempotency_key IS NOT NULL`),
  ],
);

/**
 * A payment plan (convenio) or a settlement (one installment with a discount). Status: pending_approval → active →
 * completed | broken, or cancelled / rejected. `total` = Σ installments = covered − discount + interest.
 */
export const paymentPlans = pgTable(
  'payment_plans',
  {
    id: id(),
    companyId: companyId(),
    debtorId: debtorId(),
    portfolioId: bigint('portfolio_id', { mode: 'number' }).references(() => portfolios.id),
    /** plan | settlement */
    kind: text('kind').notNull(),
    currency: char('currency', { length: 3 }).notNull(),
    status: text('status').notNull(),
    /** Balance of the covered obligations when the plan was made. */
    covered: minor('covered').notNull(),
    discount: minor('discount').notNull().default(sql`0`),
    interest: minor('interest').notNull().default(sql`0`),
    downPayment: minor('down_payment').notNull().default(sql`0`),
    total: minor('total').notNull(),
    /** weekly | biweekly | monthly (null for a settlement) */
    frequency: text('frequency'),
    /** Annual simple interest in basis points (null: none). */
    annualInterestBps: integer('annual_interest_bps'),
    /** Business days after an installment's date during which a payment still counts. */
    graceDays: integer('grace_days').notNull(),
    channel: text('channel').notNull(),
    takenBy: text('taken_by').notNull(),
    actor: text('actor').notNull(),
    createdOn: date('created_on', { mode: 'string' }).notNull(),
    /** When the plan started to run (approval day for one that needed approval); payments count from this day. */
    startedOn: date('started_on', { mode: 'string' }),
    resolvedOn: date('resolved_on', { mode: 'string' }),
    paid: minor('paid').notNull().default(sql`0`),
    holdId: bigint('hold_id', { mode: 'number' }).references(() => holds.id),
    approvalTaskId: bigint('approval_task_id', { mode: 'number' }),
    /** The role the policy names to approve exceptions. */
    approverRole: text('approver_role'),
    evaluation: jsonb('evaluation').$type<Record<string, unknown>>().notNull().default({}),
    /** Language of the written agreement: es-MX | en */
    language: text('language').notNull().default('es-MX'),
    note: text('note'),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decisionNote: text('decision_note'),
    /** External id of the obligation created for the plan's interest, if any. */
    interestObligationId: bigint('interest_obligation_id', { mode: 'number' }),
    idempotencyKey: text('idempotency_key'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('payment_plans_debtor_idx').on(t.debtorId),
    index('payment_plans_company_status_idx').on(t.companyId, t.status),
    uniqueIndex('payment_plans_live_uq').on(t.debtorId, t.currency).where(sql`status IN ('pending_approval', 'active')`),
    uniqueIndex('payment_plans_company_key_uq').on(t.companyId, t.idempotencyKey).where(sql`idempotency_key IS NOT NULL`),
  ],
);

/** The obligations a plan covers, with their balance when it was made. */
export const paymentPlanObligations = pgTable(
  'payment_plan_obligations',
  {
    planId: bigint('plan_id', { mode: 'number' })
      .notNull()
      .references(() => paymentPlans.id),
    obligationId: bigint('obligation_id', { mode: 'number' })
      .notNull()
      .references(() => obligations.id),
    balance: minor('balance').notNull(),
  },
  (t) => [primaryKey({ columns: [t.planId, t.obligationId] }), index('payment_plan_obligations_obligation_idx').on(t.obligationId)],
);

/** A plan's schedule. Seq 0 is the down payment when there is one. */
export const paymentPlanInstallments = pgTable(
  'payment_plan_installments',
  {
    planId: bigint('plan_id', { mode: 'number' })
      .notNull()
      .references(() => paymentPlans.id),
    seq: integer('seq').notNull(),
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    amount: minor('amount').notNull(),
    principal: minor('principal').notNull(),
    interest: minor('interest').notNull(),
    paid: minor('paid').notNull().default(sql`0`),
    paidOn: date('paid_on', { mode: 'string' }),
    /** pending | partial | paid | missed */
    status: text('status').notNull().default('pending'),
  },
  (t) => [primaryKey({ columns: [t.planId, t.seq] })],
);

/**
 * A dispute of one obligation. While open, the obligation is left out of what strategies collect (the strategy
 * engine reads this table); upheld → the obligation is adjusted or cancelled; rejected → collection resumes.
 */
export const disputes = pgTable(
  'disputes',
  {
    id: id(),
    companyId: companyId(),
    debtorId: debtorId(),
    obligationId: bigint('obligation_id', { mode: 'number' })
      .notNull()
      .references(() => obligations.id),
    /** open | upheld | rejected */
    status: text('status').notNull(),
    reason: text('reason').notNull(),
    channel: text('channel').notNull(),
    openedBy: text('opened_by').notNull(),
    actor: text('actor').notNull(),
    openedOn: date('opened_on', { mode: 'string' }).notNull(),
    taskId: bigint('task_id', { mode: 'number' }),
    resolution: text('resolution'),
    /** Upheld: the obligation's new amount (0 = cancelled). */
    adjustedAmount: minor('adjusted_amount'),
    previousAmount: minor('previous_amount'),
    /** What the debtor is told (Spanish), recorded when resolved. */
    debtorNotice: text('debtor_notice'),
    resolvedBy: text('resolved_by'),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('disputes_debtor_idx').on(t.debtorId),
    uniqueIndex('disputes_open_obligation_uq').on(t.obligationId).where(sql`status = 'open'`),
  ],
);
