/**
 * Row scoping beyond the company. An agency sees only the debtors currently placed with it; every other role sees
 * the whole company. Queries that list or read debtors (or anything hanging off a debtor) add this filter, e.g.
 *
 *   .where(and(eq(debtors.companyId, ctx.companyId), visibleDebtorFilter(ctx)))
 *   .where(and(eq(accounts.companyId, ctx.companyId), visibleDebtorFilter(ctx, accounts.debtorId)))
 */
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { debtors } from '../../db/schema.ts';
import { agencyPlacements } from '../../db/tables/access.ts';
import type { Ctx } from '../shared/context.ts';
import { PLACEMENT_SCOPED_ROLES } from './permissions.ts';

/**
 * A condition on a debtor-id column limiting rows to the debtors the context may see, or undefined when it may see
 * them all (drizzle's `and()` skips undefined). `debtorId` defaults to `debtors.id`.
 */
export function visibleDebtorFilter(ctx: Ctx, debtorId: SQLWrapper = debtors.id): SQL | undefined {
  const p = ctx.principal;
  if (!p || p.role !== 'agency') return undefined;
  // An agency principal without an agency (a misconfigured API key) sees nothing rather than everything.
  if (p.agencyId === null) return sql`false`;
  return sql`${debtorId} in (select ${agencyPlacements.debtorId} from ${agencyPlacements} where ${agencyPlacements.companyId} = ${ctx.companyId} and ${agencyPlacements.agencyId} = ${p.agencyId} and ${agencyPlacements.endedAt} is null)`;
}

/** Whether the context's view is limited to some debtors (agencies); callers can skip work that is pointless then. */
export function isScopedToPlacements(ctx: Ctx): boolean {
  return ctx.principal !== undefined && PLACEMENT_SCOPED_ROLES.includes(ctx.principal.role);
}
