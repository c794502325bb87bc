/**
 * Column builders every table shares. The ones that reference a table (companyId, debtorId) live in schema.ts beside
 * those tables, so this file imports nothing of ours and no import cycle can form.
 */
import { bigint, timestamp } from 'drizzle-orm/pg-core';

/** Identity primary key. */
export const id = () => bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity();
/** Money in integer minor units of the row's currency. */
export const minor = (name: string) => bigint(name, { mode: 'bigint' });
export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
export const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();
