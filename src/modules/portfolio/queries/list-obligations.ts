import { and, asc, eq, gt, gte, lte, sql, type SQL } from 'drizzle-orm';
import { debtors, obligations, portfolios } from '../../../db/schema.ts';
import type { Ctx } from '../../shared/context.ts';
import { visibleDebtorFilter } from '../../access/visibility.ts';
import { after, checkCursor, pageSize, toPage, type CursorKey, type Page } from './page.ts';
import { obligationView, type ObligationView } from './views.ts';
import { portfolioIdByName } from './list-portfolios.ts';

/** Filters of the obligation list; every one is optional and they combine with AND. Dates are inclusive. */
export interface ObligationFilters {
  debtorExternalId?: string | undefined;
  portfolio?: string | undefined;
  currency?: string | undefined;
  /** true: something is still owed; false: fully paid. */
  open?: boolean | undefined;
  dueFrom?: string | undefined;
  dueTo?: string | undefined;
}

/** The company's obligations, filtered, ordered by due date (oldest first) and paged by keyset. */
export async function listObligations(
  ctx: Ctx,
  options: ObligationFilters & { limit?: number | undefined; cursor?: CursorKey | undefined },
): Promise<Page<ObligationView>> {
  const limit = pageSize(options.limit);
  const cursor = checkCursor(options.cursor, ['date', 'integer']);
  const where: Array<SQL | undefined> = [eq(obligations.companyId, ctx.companyId), visibleDebtorFilter(ctx, obligations.debtorId)];
  if (options.debtorExternalId !== undefined) where.push(eq(debtors.externalId, options.debtorExternalId));
  // A portfolio name that matches nothing (a typo) is refused, not answered with an empty page.
  if (options.portfolio !== undefined) where.push(eq(obligations.portfolioId, await portfolioIdByName(ctx, options.portfolio, { path: 'query.portfolio' })));
  if (options.currency !== undefined) where.push(eq(obligations.currency, options.currency.toUpperCase()));
  if (options.open !== undefined) where.push(options.open ? gt(obligations.balance, 0n) : sql`${obligations.balance} <= 0`);
  if (options.dueFrom !== undefined) where.push(gte(obligations.dueOn, options.dueFrom));
  if (options.dueTo !== undefined) where.push(lte(obligations.dueOn, options.dueTo));
  if (cursor) where.push(after([obligations.dueOn, obligations.id], [sql`${cursor[0]}::date`, sql`${cursor[1]}::bigint`], 'asc'));

  const rows = await ctx.database.db
    .select({ obligation: obligations, debtor: debtors.externalId, portfolio: portfolios.name })
    .from(obligations)
    .innerJoin(debtors, eq(debtors.id, obligations.debtorId))
    .innerJoin(portfolios, eq(portfolios.id, obligations.portfolioId))
    .where(and(...where))
    .orderBy(asc(obligations.dueOn), asc(obligations.id))
    .limit(limit + 1);
  return toPage(
    rows,
    limit,
    (r) => obligationView(r.obligation, r),
    (r) => [r.obligation.dueOn, r.obligation.id],
  );
}
