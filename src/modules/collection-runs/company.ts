import { eq } from 'drizzle-orm';
import { companies } from '../../db/schema.ts';
import type { Ctx } from '../shared/context.ts';

/** The acting company's row (time zone, country, default currency). */
export async function companyOf(ctx: Ctx) {
  const [company] = await ctx.database.db.select().from(companies).where(eq(companies.id, ctx.companyId));
  if (!company) throw new Error(`company ${ctx.companyId} vanished`);
  return company;
}
