/** Small reads every worklist use case needs: the company's day and a debtor by external id. */
import { and, eq } from 'drizzle-orm';
import { companies, debtors } from '../../db/schema.ts';
import { dateInZone, type PlainDate } from '../../domain/calendar.ts';
import { visibleDebtorFilter } from '../access/index.ts';
import type { Ctx } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';

export interface CompanyFacts {
  timeZone: string;
  defaultCurrency: string;
  country: string;
  name: string;
}

/** The acting company's time zone, currency and country. */
export async function companyFacts(ctx: Ctx): Promise<CompanyFacts> {
  const [c] = await ctx.database.db
    .select({ timeZone: companies.timeZone, defaultCurrency: companies.defaultCurrency, country: companies.country, name: companies.name })
    .from(companies)
    .where(eq(companies.id, ctx.companyId));
  if (!c) throw new Error(`company ${ctx.companyId} vanished`);
  return c;
}

/** Today in the company's time zone: every "as of" in the back office is this date unless told otherwise. */
export async function companyToday(ctx: Ctx): Promise<PlainDate> {
  return dateInZone(ctx.clock.now(), (await companyFacts(ctx)).timeZone);
}

/** The company's debtor by external id, or `not_found` (also for another company's debtor, and for an agency, a debtor not placed with it). */
export async function debtorByExternalId(ctx: Ctx, externalId: string): Promise<typeof debtors.$inferSelect> {
  const [row] = await ctx.database.db
    .select()
    .from(debtors)
    .where(and(eq(debtors.companyId, ctx.companyId), eq(debtors.externalId, externalId), visibleDebtorFilter(ctx)));
  if (!row) throw notFound('debtor', externalId);
  return row;
}

/** The acting user's id when a signed-in user acts; null for API keys and the system. */
export function actingUserId(ctx: Ctx): number | null {
  return ctx.principal?.kind === 'user' ? ctx.principal.id : null;
}
