import { and, asc, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import { debtors } from '../../../db/schema.ts';
import type { Ctx } from '../../shared/context.ts';
import { visibleDebtorFilter } from '../../access/visibility.ts';
import { after, checkCursor, likePrefix, pageSize, toPage, type CursorKey, type Page } from './page.ts';
import { debtorView, type DebtorView } from './views.ts';

/** Filters of the debtor list; every one is optional and they combine with AND. */
export interface DebtorFilters {
  externalId?: string | undefined;
  /** Prefix of the name (case-insensitive) or of the tax id (ignoring dots, dashes and spaces). */
  q?: string | undefined;
  country?: string | undefined;
  region?: string | undefined;
  tag?: string | undefined;
}

export type DebtorSort = 'external_id' | 'name';

/** The company's debtors, filtered, ordered by external id (or name) and paged by keyset. */
export async function listDebtors(
  ctx: Ctx,
  options: DebtorFilters & { sort?: DebtorSort | undefined; limit?: number | undefined; cursor?: CursorKey | undefined },
): Promise<Page<DebtorView>> {
  const limit = pageSize(options.limit);
  const sort = options.sort ?? 'external_id';
  const sortColumn = sort === 'name' ? debtors.name : debtors.externalId;
  const cursor = checkCursor(options.cursor, ['text', 'integer']);

  // An agency sees only the debtors placed with it.
  const where: Array<SQL | undefined> = [eq(debtors.companyId, ctx.companyId), visibleDebtorFilter(ctx)];
  if (options.externalId !== undefined) where.push(eq(debtors.externalId, options.externalId));
  if (options.country !== undefined) where.push(eq(debtors.country, options.country.toUpperCase()));
  if (options.region !== undefined) where.push(sql`lower(${debtors.region}) = lower(${options.region})`);
  if (options.tag !== undefined) where.push(sql`${debtors.tags} @> ARRAY[${options.tag}]::text[]`);
  const q = options.q?.trim();
  if (q) {
    // Tax ids are written with and without separators (RUT 12.345.678-5, RFC ABC-010101); compare bare characters.
    const bareQ = q.replace(/[^0-9A-Za-z]/g, '');
    where.push(
      or(
        ilike(debtors.name, likePrefix(q)),
        bareQ ? sql`regexp_replace(${debtors.taxId}, '[^0-9A-Za-z]', '', 'g') ILIKE ${likePrefix(bareQ)}` : undefined,
      ),
    );
  }
  if (cursor) where.push(after([sortColumn, debtors.id], [sql`${cursor[0]}::text`, sql`${cursor[1]}::bigint`], 'asc'));

  const rows = await ctx.database.db
    .select()
    .from(debtors)
    .where(and(...where))
    .orderBy(asc(sortColumn), asc(debtors.id))
    .limit(limit + 1);
  return toPage(rows, limit, debtorView, (r) => [sort === 'name' ? r.name : r.externalId, r.id]);
}
