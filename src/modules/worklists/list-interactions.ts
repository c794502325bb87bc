import { and, desc, eq, gte, lt } from 'drizzle-orm';
import { debtors } from '../../db/schema.ts';
import { interactions } from '../../db/tables/worklists.ts';
import type { Ctx } from '../shared/context.ts';
import { interactionView, type InteractionView } from './interaction-view.ts';
import { debtorByExternalId } from './lookups.ts';
import { visibleDebtorFilter } from '../access/index.ts';

/** Interactions newest first, of one debtor or of the company, optionally of one collector and within instants. */
export async function listInteractions(
  ctx: Ctx,
  options: { debtorExternalId?: string | undefined; collectorId?: number | undefined; from?: Date | undefined; to?: Date | undefined; limit?: number | undefined; beforeId?: number | undefined } = {},
): Promise<{ data: InteractionView[]; next_before_id: number | null }> {
  const limit = Math.min(Math.max(options.limit ?? 100, 1), 1000);
  const where = [eq(interactions.companyId, ctx.companyId), visibleDebtorFilter(ctx, interactions.debtorId)];
  if (options.debtorExternalId) where.push(eq(interactions.debtorId, (await debtorByExternalId(ctx, options.debtorExternalId)).id));
  if (options.collectorId) where.push(eq(interactions.collectorId, options.collectorId));
  if (options.from) where.push(gte(interactions.occurredAt, options.from));
  if (options.to) where.push(lt(interactions.occurredAt, options.to));
  if (options.beforeId) where.push(lt(interactions.id, options.beforeId));
  const rows = await ctx.database.db
    .select({ i: interactions, ext: debtors.externalId })
    .from(interactions)
    .innerJoin(debtors, eq(debtors.id, interactions.debtorId))
    .where(and(...where))
    .orderBy(desc(interactions.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return { data: page.map((r) => interactionView(r.i, r.ext)), next_before_id: rows.length > limit ? page[page.length - 1]!.i.id : null };
}
