/** Column builders every table shares, so each module's tables file declares only what is its own. */
import { bigint, timestamp } from 'drizzle-orm/pg-core';
import { companies, debtors } from './schema.ts';

/** Identity primary key. */
export const id = () => bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity();
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
/** Money in integer minor units of the row's currency. */
export const minor = (name: string) => bigint(name, { mode: 'bigint' });
export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
export const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();
