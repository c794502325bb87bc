/**
 * Tables of the portal module: the debtor's signed links, the identity check's attempts (kept per debtor, so a new
 * link does not reset a lock), the short sessions a passed check opens, what the debtor did in the portal (for the
 * timeline) and the company's portal settings.
 */
import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { companies, companyId, debtorId, debtors } from '../schema.ts';
import { id, createdAt } from '../columns.ts';


/** Per company: which identity check guards sensitive actions, how long links live, when the check locks. */
export const portalSettings = pgTable('portal_settings', {
  companyId: bigint('company_id', { mode: 'number' })
    .primaryKey()
    .references(() => companies.id),
  /** tax_id_last4 | birth_date | none */
  identityCheck: text('identity_check').notNull().default('tax_id_last4'),
  linkTtlDays: integer('link_ttl_days').notNull().default(30),
  maxAttempts: integer('max_attempts').notNull().default(5),
  lockMinutes: integer('lock_minutes').notNull().default(1440),
  /**
   * Signing key of the company's links when the server has no COBRANZA_PORTAL_SECRET: random, made on first use,
   * so a fresh install works without setup.
   */
  secret: text('secret').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** One issued link. The token carries company, debtor, this id and the expiry, signed; the row makes it revocable. */
export const portalLinks = pgTable(
  'portal_links',
  {
    id: id(),
    companyId: companyId(),
    debtorId: debtorId(),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    issuedBy: text('issued_by').notNull(),
    /** Why it was issued, unique per company: e.g. `outbox:123` for the link a message carries (issued once). */
    sourceKey: text('source_key'),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedBy: text('revoked_by'),
    /** When a session was last opened on it (the debtor passed the check). */
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
  },
  (t) => [
    index('portal_links_debtor_idx').on(t.debtorId),
    uniqueIndex('portal_links_source_uq').on(t.companyId, t.sourceKey).where(sql`${t.sourceKey} IS NOT NULL`),
  ],
);

/** Wrong answers to the identity check, per debtor; `locked_until` in the future refuses every answer. */
export const portalIdentityAttempts = pgTable('portal_identity_attempts', {
  debtorId: bigint('debtor_id', { mode: 'number' })
    .primaryKey()
    .references(() => debtors.id),
  companyId: companyId(),
  failures: integer('failures').notNull().default(0),
  lastFailureAt: timestamp('last_failure_at', { withTimezone: true }),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A passed identity check: a random token (stored as its SHA-256) valid for a short time on one link. */
export const portalSessions = pgTable(
  'portal_sessions',
  {
    id: id(),
    companyId: companyId(),
    linkId: bigint('link_id', { mode: 'number' })
      .notNull()
      .references(() => portalLinks.id),
    tokenHash: text('token_hash').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('portal_sessions_token_uq').on(t.tokenHash)],
);

/** What a debtor did in the portal; the debtor's timeline shows each row. */
export const portalEvents = pgTable(
  'portal_events',
  {
    id: id(),
    companyId: companyId(),
    debtorId: debtorId(),
    linkId: bigint('link_id', { mode: 'number' }).references(() => portalLinks.id),
    /** opened | identity_passed | identity_failed | identity_locked | payment_started | promise | plan | plan_request | dispute | contact_updated | opt_out | letter | agreement */
    kind: text('kind').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [index('portal_events_debtor_idx').on(t.debtorId, t.at)],
);
