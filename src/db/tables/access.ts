/**
 * Tables of the access module: agencies, users, sessions, password resets, sign-in attempts, agency placements and
 * the audit log. Secrets (passwords, session and reset tokens) are never stored in the clear.
 */

import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { companies, companyId, debtorId } from '../schema.ts';
import { id } from '../columns.ts';


/** Append-only: the product never updates or deletes a row (a trigger refuses both). */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    companyId: companyId(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id'),
    before: jsonb('before'),
    after: jsonb('after'),
  },
  (t) => [index('audit_log_company_at_idx').on(t.companyId, t.at.desc()), index('audit_log_entity_idx').on(t.companyId, t.entity, t.entityId)],
);

/** External collection agencies (despachos) a company places accounts with. */
export const agencies = pgTable(
  'agencies',
  {
    id: id(),
    companyId: companyId(),
    name: text('name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('agencies_company_name_uq').on(t.companyId, t.name)],
);

/**
 * People who sign in. An email is unique across companies (it names one person in one company, so sign-in needs no
 * company field); it is stored lower-cased. An agency user always names its agency, and only agency users do.
 */
export const users = pgTable(
  'users',
  {
    id: id(),
    companyId: companyId(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: text('role').notNull(),
    agencyId: bigint('agency_id', { mode: 'number' }).references(() => agencies.id),
    active: boolean('active').notNull().default(true),
    /** argon2id PHC string. */
    passwordHash: text('password_hash').notNull(),
    /** Failed sign-ins since the last success or lockout. */
    failedLogins: integer('failed_logins').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('users_email_uq').on(t.email),
    index('users_company_idx').on(t.companyId),
    check('users_role_ck', sql`${t.role} in ('admin','supervisor','collector','agency','auditor','viewer')`),
    check('users_agency_ck', sql`(${t.role} = 'agency') = (${t.agencyId} is not null)`),
    check('users_email_lower_ck', sql`${t.email} = lower(${t.email})`),
  ],
);

/** Signed-in sessions. Only the SHA-256 of the cookie's token is stored. */
export const sessions = pgTable(
  'sessions',
  {
    id: id(),
    companyId: companyId(),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.id),
    tokenHash: text('token_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    /** Absolute end, whatever the activity. */
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    userAgent: text('user_agent'),
  },
  (t) => [uniqueIndex('sessions_token_uq').on(t.tokenHash), index('sessions_user_idx').on(t.userId)],
);

/** Password reset links: single use and expiring; only the token's SHA-256 is stored. */
export const passwordResets = pgTable(
  'password_resets',
  {
    id: id(),
    companyId: companyId(),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.id),
    tokenHash: text('token_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('password_resets_token_uq').on(t.tokenHash), index('password_resets_user_idx').on(t.userId)],
);

/** Every sign-in attempt, for investigation; the lockout itself counts on `users.failed_logins`. */
export const loginAttempts = pgTable(
  'login_attempts',
  {
    id: id(),
    /** As typed (lower-cased), also when no such user exists. */
    email: text('email').notNull(),
    userId: bigint('user_id', { mode: 'number' }).references(() => users.id),
    companyId: bigint('company_id', { mode: 'number' }).references(() => companies.id),
    at: timestamp('at', { withTimezone: true }).notNull(),
    /** succeeded | bad_password | unknown_user | inactive | locked */
    outcome: text('outcome').notNull(),
    ip: text('ip'),
  },
  (t) => [index('login_attempts_email_at_idx').on(t.email, t.at)],
);

/**
 * Which agency works a debtor. History is kept: ending a placement stamps `ended_at`; at most one placement per
 * debtor is open at a time.
 */
export const agencyPlacements = pgTable(
  'agency_placements',
  {
    id: id(),
    companyId: companyId(),
    debtorId: debtorId(),
    agencyId: bigint('agency_id', { mode: 'number' })
      .notNull()
      .references(() => agencies.id),
    placedAt: timestamp('placed_at', { withTimezone: true }).notNull(),
    placedBy: text('placed_by').notNull(),
    note: text('note'),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    endedBy: text('ended_by'),
  },
  (t) => [
    uniqueIndex('agency_placements_open_uq').on(t.companyId, t.debtorId).where(sql`${t.endedAt} is null`),
    index('agency_placements_agency_idx').on(t.companyId, t.agencyId).where(sql`${t.endedAt} is null`),
  ],
);
