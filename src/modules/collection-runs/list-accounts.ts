import { and, asc, desc, eq, getViewSelectedFields, gte, inArray, lte, or, sql, type SQL } from 'drizzle-orm';
import { accounts, debtors, portfolios } from '../../db/schema.ts';
import { matchesWords } from '../../db/search.ts';
import { MoneyError, parseCurrency, parseDecimal } from '../../domain/money.ts';
import { AppError, invalidInput, textOf } from '../shared/errors.ts';
import type { Ctx } from '../shared/context.ts';
import { visibleDebtorFilter } from '../access/visibility.ts';
import { after, badCursor, checkCursor, pageSize, toPage, type CursorKey, type Page } from '../portfolio/queries/page.ts';
import { debtorAccountView, type DebtorAccountView } from '../portfolio/queries/views.ts';
import { portfolioIdByName } from '../portfolio/queries/list-portfolios.ts';
import { checkSegmentName } from './segments.ts';
import { t } from '../../domain/text.ts';

/** An account (debtor within a portfolio) as the last daily run left it. */
export interface AccountView extends DebtorAccountView {
  debtor_external_id: string;
  name: string;
}

export type AccountSort = 'days_past_due' | 'balance' | 'name';

/** Filters of the account list; every one is optional and they combine with AND. Bounds are inclusive. */
export interface AccountFilters {
  portfolio?: string | undefined;
  phase?: string | undefined;
  bucket?: string | undefined;
  segment?: string | undefined;
  dpdMin?: number | undefined;
  dpdMax?: number | undefined;
  /** Decimal strings in `currency`; the balance compared is the account's balance in that currency only. */
  balanceMin?: string | undefined;
  balanceMax?: string | undefined;
  currency?: string | undefined;
  onHold?: boolean | undefined;
  /** Words that start words of the debtor's name (any case, accents optional), or the debtor's exact external id. */
  search?: string | undefined;
}

// Settled accounts have no DPD; they sort below every real DPD (which the calendar bounds to about ±400,000 days).
const NO_DPD = -1_000_000;

function moneyBound(value: string, currency: string, path: string): bigint {
  try {
    return parseDecimal(value, currency, { allowNegative: true });
  } catch (error) {
    if (error instanceof MoneyError) throw invalidInput(error, `query.${path}`, path);
    throw error;
  }
}

/**
 * Refuses a portfolio or segment filter naming none of the company's (a typo would otherwise list no accounts, as if
 * none matched), as the aging report does.
 */
export async function checkAccountFilterNames(ctx: Ctx, filters: Pick<AccountFilters, 'portfolio' | 'segment'>): Promise<void> {
  if (filters.portfolio !== undefined) await portfolioIdByName(ctx, filters.portfolio, { path: 'query.portfolio' });
  if (filters.segment !== undefined) await checkSegmentName(ctx, filters.segment, 'query.segment');
}

/** The order of the account list: days past due (worst first) unless told; names ascend and the rest descend unless told. */
function accountOrder(options: { sort?: AccountSort | undefined; order?: 'asc' | 'desc' | undefined }): { sort: AccountSort; order: 'asc' | 'desc' } {
  const sort = options.sort ?? 'days_past_due';
  return { sort, order: options.order ?? (sort === 'name' ? 'asc' : 'desc') };
}

/**
 * The list a cursor of {@link listAccounts} belongs to (see encodeCursor): its sort, the currency of a balance sort
 * (a balance key is minor units of that currency) and its direction, e.g. `accounts.balance.MXN.desc`.
 */
export function accountsCursorList(options: { sort?: AccountSort | undefined; order?: 'asc' | 'desc' | undefined; currency?: string | undefined }): string {
  const { sort, order } = accountOrder(options);
  return ['accounts', sort, ...(sort === 'balance' ? [(options.currency ?? '').toUpperCase()] : []), order].join('.');
}

/**
 * The company's accounts with filters, sorted by days past due (default, worst first), balance in one currency, or
 * debtor name, paged by keyset. Balances are never compared across currencies, so a balance filter or sort needs
 * `currency`.
 */
export async function listAccounts(
  ctx: Ctx,
  options: AccountFilters & { sort?: AccountSort | undefined; order?: 'asc' | 'desc' | undefined; limit?: number | undefined; cursor?: CursorKey | undefined },
): Promise<Page<AccountView>> {
  const limit = pageSize(options.limit);
  const { sort, order } = accountOrder(options);
  const needsCurrency = sort === 'balance' || options.balanceMin !== undefined || options.balanceMax !== undefined;
  if (needsCurrency && !options.currency) {
    throw new AppError('validation_failed', t('balances are kept per currency: add currency=… to filter or sort by balance', 'los saldos se llevan por moneda: agregue currency=… para filtrar u ordenar por saldo'), [
      { path: 'query.currency', reason: t('required with balance_min, balance_max or sort=balance', 'obligatorio con balance_min, balance_max o sort=balance') },
    ]);
  }
  let currency: string | undefined;
  if (options.currency) {
    try {
      currency = parseCurrency(options.currency);
    } catch (error) {
      throw new AppError('validation_failed', textOf(error), [{ path: 'query.currency', reason: textOf(error) }]);
    }
  }
  // The first page checks the names it filters by; later pages follow a cursor from a page that did.
  if (!options.cursor) await checkAccountFilterNames(ctx, options);
  // Minor units per currency, as the daily run stores them in the jsonb map.
  const balanceIn = currency ? sql`coalesce((${accounts.balances} ->> ${currency})::numeric, 0)` : sql`0`;
  const sortKey: SQL =
    sort === 'name' ? sql`${debtors.name}` : sort === 'balance' ? balanceIn : sql`coalesce(${accounts.daysPastDue}, ${sql.raw(String(NO_DPD))})`;
  const cursor = checkCursor(options.cursor, [sort === 'days_past_due' ? 'int32' : 'text', 'integer', 'integer']);
  // A balance key is minor units kept as text (it may exceed 2^53); it must still be an integer before SQL casts it.
  if (cursor && sort === 'balance' && !/^-?\d{1,30}$/.test(String(cursor[0]))) throw badCursor();

  // An agency sees only the accounts of debtors placed with it.
  const where: Array<SQL | undefined> = [eq(accounts.companyId, ctx.companyId), visibleDebtorFilter(ctx, accounts.debtorId)];
  if (options.portfolio !== undefined) where.push(eq(portfolios.name, options.portfolio));
  if (options.phase !== undefined) where.push(eq(accounts.phase, options.phase));
  if (options.bucket !== undefined) where.push(eq(accounts.bucket, options.bucket));
  if (options.segment !== undefined) where.push(sql`${accounts.segments} @> ARRAY[${options.segment}]::text[]`);
  if (options.dpdMin !== undefined) where.push(gte(accounts.daysPastDue, options.dpdMin));
  if (options.dpdMax !== undefined) where.push(lte(accounts.daysPastDue, options.dpdMax));
  if (options.onHold !== undefined) where.push(eq(accounts.onHold, options.onHold));
  const search = options.search?.trim();
  if (search) {
    // Both sides use an index: the name's words (debtors_name_search_idx) or the external id as typed or upper-cased.
    where.push(or(matchesWords(debtors.name, search), and(eq(debtors.companyId, ctx.companyId), inArray(debtors.externalId, [search, search.toUpperCase()]))));
  }
  if (currency && options.balanceMin !== undefined) where.push(sql`${balanceIn} >= ${moneyBound(options.balanceMin, currency, 'balance_min').toString()}::numeric`);
  if (currency && options.balanceMax !== undefined) where.push(sql`${balanceIn} <= ${moneyBound(options.balanceMax, currency, 'balance_max').toString()}::numeric`);
  if (cursor) {
    const keyValue = sort === 'name' ? sql`${cursor[0]}::text` : sort === 'balance' ? sql`${cursor[0]}::numeric` : sql`${cursor[0]}::int`;
    where.push(after([sortKey, accounts.debtorId, accounts.portfolioId], [keyValue, sql`${cursor[1]}::bigint`, sql`${cursor[2]}::bigint`], order));
  }

  const dir = order === 'asc' ? asc : desc;
  const rows = await ctx.database.db
    .select({
      account: getViewSelectedFields(accounts),
      externalId: debtors.externalId,
      name: debtors.name,
      portfolio: portfolios.name,
      key: sql<string | number>`${sortKey}`,
    })
    .from(accounts)
    .innerJoin(debtors, eq(debtors.id, accounts.debtorId))
    .innerJoin(portfolios, eq(portfolios.id, accounts.portfolioId))
    .where(and(...where))
    .orderBy(dir(sortKey), dir(accounts.debtorId), dir(accounts.portfolioId))
    .limit(limit + 1);

  return toPage(
    rows,
    limit,
    (r): AccountView => ({ debtor_external_id: r.externalId, name: r.name, ...debtorAccountView(r.account, r.portfolio) }),
    // numeric arrives as a string; keep it one so no balance ever passes through a float.
    (r) => [sort === 'days_past_due' ? Number(r.key) : String(r.key), r.account.debtorId, r.account.portfolioId],
  );
}
