import { asc, eq } from 'drizzle-orm';
import { agencies, users } from '../../db/tables/access.ts';
import type { Ctx } from '../shared/context.ts';
import { userView, type UserView } from './user-views.ts';

/** The company's users, by email. A company has tens of users, not thousands: no paging. */
export async function listUsers(ctx: Ctx, options: { includeInactive?: boolean } = {}): Promise<UserView[]> {
  const rows = await ctx.database.db
    .select({ row: users, agency: agencies.name })
    .from(users)
    .leftJoin(agencies, eq(agencies.id, users.agencyId))
    .where(eq(users.companyId, ctx.companyId))
    .orderBy(asc(users.email));
  return rows.filter((r) => options.includeInactive !== false || r.row.active).map((r) => userView(r.row, r.agency));
}

