import { and, asc, eq, or, sql, type SQL } from 'drizzle-orm';
import { debtors } from '../../../db/schema.ts';
import { regionMeant } from '../../../db/regions.ts';
import { tagKey, tagKeySql } from '../../../domain/tags.ts';
import { matchesWords, startsIdentifier } from '../../../db/search.ts';
import type { Ctx } from '../../shared/context.ts';
import { visibleDebtorFilter } from '../../access/visibility.ts';
import { after, checkCursor, pageSize, toPage, type CursorKey, type Page } from './page.ts';
import { debtorView, type DebtorView } from './views.ts';

/** Filters of the debtor list; every one is optional and they combine with AND. */
export interface DebtorFilters {
  externalId?: string | undefined;
  /**
   * Words that start words of the name, in any case and with or without accents ("jose hernan" finds "José
   * Hernández"), or the start of the external id or of the tax id (ignoring case, dots, dashes and spaces).
   */
  q?: string | undefined;
  country?: string | undefined;
  /** A region's code or name, read for each debtor's country as an import reads it ("CDMX" finds CMX). */
  region?: string | undefined;
  /** A tag, in any case. */
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
  // Regions and tags are stored composed (NFC, records.ts): a value typed decomposed is composed to match them. A
  // region's name or code is read for each debtor's country as the import reads it ("CDMX" finds CMX).
  if (options.region !== undefined) where.push(sql`lower(${debtors.region}) = lower(${regionMeant(debtors.country, options.region)})`);
  // A tag in any case (domain/tags.ts): "VIP" finds debtors tagged vip.
  if (options.tag !== undefined) {
    const key = tagKey(options.tag.trim().normalize('NFC'));
    where.push(sql`EXISTS (SELECT 1 FROM unnest(${debtors.tags}) AS e(v) WHERE ${sql.raw(tagKeySql('e.v'))} = ${key})`);
  }
  const q = options.q?.trim();
  if (q) {
    // Each side reads an index (debtors_name_search_idx, debtors_tax_id_search_idx, debtors_external_id_search_idx).
    // Tax ids are written with and without separators (RUT 12.345.678-5, RFC ABC-010101), and external ids are typed
    // in any case ("demo-c000008"), so their bare characters are compared. Text with nothing searchable in it ("%",
    // "-") finds nothing.
    where.push(or(matchesWords(debtors.name, q), startsIdentifier(debtors.taxId, q), startsIdentifier(debtors.externalId, q)) ?? sql`FALSE`);
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
