/**
 * Tables of the payments module: payment links, what providers reported (one row per provider payment, which is what
 * makes applying idempotent), the company's payment settings and the alerts treasury works from.
 *
 * A link's target (an installment or a settlement of the negotiation module) is stored as kind + id without a foreign
 * key, so the two modules' tables can be created in either order.
 */
import { sql } from 'drizzle-orm';
import { bigint, char, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { companies, companyId, debtorId, debtors, payments } from '../schema.ts';
import { id, minor, createdAt, updatedAt } from '../columns.ts';


/** Per company: which provider new links use, how long they live, and the bank-transfer reference scheme. */
export const paymentSettings = pgTable('payment_settings', {
  companyId: bigint('company_id', { mode: 'number' })
    .primaryKey()
    .references(() => companies.id),
  /** sandbox | stripe | mercadopago | bank_reference; null means the server's default (COBRANZA_PAYMENTS). */
  provider: text('provider'),
  linkTtlHours: integer('link_ttl_hours').notNull().default(72),
  /** See BankReferenceSettings in src/modules/payments/settings.ts. */
  bankReference: jsonb('bank_reference').$type<Record<string, unknown>>().notNull().default({}),
  updatedAt: updatedAt(),
});

/**
 * A payment link. Moves pending → open (the provider accepted it) → paid, or to expired / cancelled. `pending` only
 * lasts while the provider is being called; a retry with the same idempotency key finishes it.
 */
export const paymentLinks = pgTable(
  'payment_links',
  {
    id: id(),
    companyId: companyId(),
    /** Random, unguessable: the id in URLs and in what providers carry back (metadata, external_reference). */
    publicId: text('public_id').notNull(),
    debtorId: debtorId(),
    /** debtor | obligation | installment | settlement */
    targetKind: text('target_kind').notNull(),
    /** obligations.id, or the negotiation module's installment / settlement id; null for a debtor link. */
    targetId: bigint('target_id', { mode: 'number' }),
    currency: char('currency', { length: 3 }).notNull(),
    amount: minor('amount').notNull(),
    provider: text('provider').notNull(),
    status: text('status').notNull().default('pending'),
    description: text('description').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** Stripe Checkout Session id, Mercado Pago preference id, the bank/cash reference, or the sandbox id. */
    providerReference: text('provider_reference'),
    /** Bank transfers: the CLABE the debtor transfers to (a per-link CLABE when the creditor has a range). */
    clabe: text('clabe'),
    url: text('url'),
    idempotencyKey: text('idempotency_key').notNull(),
    createdBy: text('created_by').notNull(),
    paymentId: bigint('payment_id', { mode: 'number' }).references(() => payments.id, { onDelete: 'set null' }),
    paidAt: timestamp('paid_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    lastError: text('last_error'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('payment_links_public_uq').on(t.publicId),
    uniqueIndex('payment_links_company_key_uq').on(t.companyId, t.idempotencyKey),
    uniqueIndex('payment_links_provider_ref_uq').on(t.companyId, t.provider, t.providerReference).where(sql`provider_reference IS NOT NULL`),
    index('payment_links_clabe_idx').on(t.companyId, t.clabe).where(sql`clabe IS NOT NULL`),
    index('payment_links_debtor_idx').on(t.debtorId, t.createdAt),
    index('payment_links_target_idx').on(t.companyId, t.targetKind, t.targetId),
  ],
);

/**
 * Every payment a provider reported (a webhook, a bank statement line, a sandbox click), applied or refused. The
 * unique (company, provider, provider_payment_id) is what makes a replayed event apply nothing the second time.
 */
export const providerPayments = pgTable(
  'provider_payments',
  {
    id: id(),
    companyId: companyId(),
    provider: text('provider').notNull(),
    /** Stripe Checkout Session id, Mercado Pago payment id, bank transaction id, sandbox id. */
    providerPaymentId: text('provider_payment_id').notNull(),
    paymentLinkId: bigint('payment_link_id', { mode: 'number' }).references(() => paymentLinks.id),
    /** What the payer quoted: a bank statement's reference column, a provider's external reference. */
    reference: text('reference'),
    currency: char('currency', { length: 3 }).notNull(),
    amount: minor('amount').notNull(),
    paidOn: date('paid_on', { mode: 'string' }).notNull(),
    /** applied | refused */
    status: text('status').notNull(),
    /** Why it was refused (the alert kind), null when applied. */
    reason: text('reason'),
    paymentId: bigint('payment_id', { mode: 'number' }).references(() => payments.id, { onDelete: 'set null' }),
    /** The provider's own record, for treasury (never secrets). */
    raw: jsonb('raw').$type<Record<string, unknown>>(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('provider_payments_uq').on(t.companyId, t.provider, t.providerPaymentId),
    index('provider_payments_link_idx').on(t.paymentLinkId),
  ],
);

/**
 * Money that arrived and was not applied: an amount or currency that does not match its link, a reference that
 * matches no link, a payment for a link already paid or cancelled. Treasury resolves them by hand.
 */
export const paymentAlerts = pgTable(
  'payment_alerts',
  {
    id: id(),
    companyId: companyId(),
    /** amount_mismatch | currency_mismatch | unknown_reference | link_not_open */
    kind: text('kind').notNull(),
    providerPaymentId: bigint('provider_payment_id', { mode: 'number' })
      .notNull()
      .references(() => providerPayments.id),
    paymentLinkId: bigint('payment_link_id', { mode: 'number' }).references(() => paymentLinks.id),
    debtorId: bigint('debtor_id', { mode: 'number' }).references(() => debtors.id),
    currency: char('currency', { length: 3 }).notNull(),
    amount: minor('amount').notNull(),
    expectedCurrency: char('expected_currency', { length: 3 }),
    expectedAmount: minor('expected_amount'),
    /** English, for the log; the UI words it from `kind`. */
    detail: text('detail').notNull(),
    /** open | resolved */
    status: text('status').notNull().default('open'),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolvedBy: text('resolved_by'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('payment_alerts_provider_payment_uq').on(t.providerPaymentId), index('payment_alerts_company_status_idx').on(t.companyId, t.status, t.createdAt)],
);
