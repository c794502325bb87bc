import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../../db/connection.ts';
import { portfolios } from '../../../db/schema.ts';
import type { Ctx } from '../../shared/context.ts';
import { notFound, t } from '../../shared/errors.ts';

/** A portfolio with its phase thresholds and the date of its last daily run. */
export interface PortfolioView {
  /** Internal id, for use cases that take one (e.g. recording a run); the API speaks in names. */
  id: number;
  name: string;
  preventive_days: number;
  administrative_from: number;
  extrajudicial_from: number;
  judicial_from: number;
  grace_days: number;
  last_run_on: string | null;
}

/** The company's portfolios by name (a handful per company, so no paging). */
export async function listPortfolios(ctx: Ctx): Promise<PortfolioView[]> {
  const rows = await ctx.database.db.select().from(portfolios).where(eq(portfolios.companyId, ctx.companyId)).orderBy(asc(portfolios.name));
  return rows.map((p) => ({
    id: p.id,
    name: p.name,
    preventive_days: p.preventiveDays,
    administrative_from: p.administrativeFrom,
    extrajudicial_from: p.extrajudicialFrom,
    judicial_from: p.judicialFrom,
    grace_days: p.graceDays,
    last_run_on: p.lastRunOn,
  }));
}

/**
 * The id of the company's portfolio named `name`, or a not_found error naming it; `path` is the input that named it
 * (a query parameter), when the refusal should point at it. `db` is a transaction to read in, if any.
 */
export async function portfolioIdByName(ctx: Ctx, name: string, options: { path?: string; db?: Db } = {}): Promise<number> {
  const db = options.db ?? ctx.database.db;
  const [p] = await db
    .select({ id: portfolios.id })
    .from(portfolios)
    .where(and(eq(portfolios.companyId, ctx.companyId), eq(portfolios.name, name)));
  if (p) return p.id;
  throw notFound('portfolio', name, options.path === undefined ? [] : [{ path: options.path, reason: t('no portfolio has this name', 'ninguna cartera tiene este nombre') }]);
}
