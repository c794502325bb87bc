/** Tables of the access module: the audit log (users, sessions and resets join it as they land). */

import { bigint, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { companies } from '../schema.ts';

/** Append-only: the product never updates or deletes a row (a trigger refuses both). */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    companyId: bigint('company_id', { mode: 'number' })
      .notNull()
      .references(() => companies.id),
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
