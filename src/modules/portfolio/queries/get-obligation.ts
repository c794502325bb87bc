import { and, eq } from 'drizzle-orm';
import { debtors, obligations, portfolios } from '../../../db/schema.ts';
import { notFound } from '../../shared/errors.ts';
import type { Ctx } from '../../shared/context.ts';
import { visibleDebtorFilter } from '../../access/visibility.ts';
import { obligationView, type ObligationView } from './views.ts';

/** One obligation of the company by its external id, or `not_found` (also for another company's, and for an agency, one whose debtor is not placed with it). */
export async function getObligation(ctx: Ctx, options: { externalId: string }): Promise<ObligationView> {
  const [row] = await ctx.database.db
    .select({ obligation: obligations, debtor: debtors.externalId, portfolio: portfolios.name })
    .from(obligations)
    .innerJoin(debtors, eq(debtors.id, obligations.debtorId))
    .innerJoin(portfolios, eq(portfolios.id, obligations.portfolioId))
    .where(and(eq(obligations.companyId, ctx.companyId), eq(obligations.externalId, options.externalId), visibleDebtorFilter(ctx, obligations.debtorId)));
  if (!row) throw notFound('obligation', options.externalId);
  return obligationView(row.obligation, row);
}
