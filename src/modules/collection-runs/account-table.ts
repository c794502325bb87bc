/**
 * Accounts as a flat table (CSV/XLSX), shared by the API's GET /accounts/export and the CLI's `report accounts`: one
 * column per currency for every amount (`balance_MXN`, `overdue_MXN`, `unapplied_MXN`), written as money so XLSX
 * holds numbers, and headers and word values (phase, bucket, yes/no) in the reader's language. JSON keeps its own
 * shape (objects currency → decimal string); this layout is for spreadsheets only.
 */
import { sql } from 'drizzle-orm';
import { phaseName, bucketName } from '../../domain/aging.ts';
import { say, t, type Language, type Text } from '../../domain/text.ts';
import { visibleDebtorFilter } from '../access/visibility.ts';
import type { Ctx } from '../shared/context.ts';
import type { Cell, Column } from '../shared/tabular.ts';

/** Headers of the account tables' columns; amount columns get `_<currency>` appended. */
const HEADERS: Record<string, Text> = {
  debtor_external_id: t('debtor_external_id', 'id_cliente'),
  name: t('name', 'nombre'),
  portfolio: t('portfolio', 'cartera'),
  phase: t('phase', 'fase'),
  days_past_due: t('days_past_due', 'días de atraso'),
  bucket: t('bucket', 'tramo'),
  balance: t('balance', 'saldo'),
  overdue: t('overdue', 'vencido'),
  unapplied: t('unapplied', 'sin_aplicar'),
  segments: t('segments', 'segmentos'),
  on_hold: t('on_hold', 'en pausa'),
  as_of: t('as_of', 'fecha de corte'),
};

/** The XLSX sheet of an account table: the same for the API's download and the CLI's report. */
const SHEET = t('Accounts', 'Cuentas');

/** The name of an account table's XLSX sheet in `language`. */
export const accountsSheet = (language: Language): string => say(SHEET, language);

/** Amount fields: each becomes one column per currency. */
const AMOUNTS = new Set(['balance', 'overdue', 'unapplied']);

/**
 * The currencies of the books behind an account table, sorted: its amount columns, known before the first row is
 * written so the table streams. They are those of the obligations and payments of the debtors `ctx` may see (an
 * agency, only those placed with it: the visibility the table's rows have), in `portfolio` only when the table is of
 * one portfolio (there, the payments of the debtors with an account in it).
 *
 * Each side of the query is index-backed when it narrows: an agency's debtors come from its open placements
 * (agency_placements_agency_idx) and their books by debtor (obligations_debtor_idx, payments_debtor_idx), a
 * portfolio's obligations by portfolio (obligations_portfolio_idx).
 */
export async function bookCurrencies(ctx: Ctx, options: { portfolio?: string | undefined } = {}): Promise<string[]> {
  const portfolioId = options.portfolio === undefined ? null : sql`(SELECT id FROM portfolios WHERE company_id = ${ctx.companyId} AND name = ${options.portfolio})`;
  const inPortfolio = portfolioId === null ? sql`TRUE` : sql`o.portfolio_id = ${portfolioId}`;
  const ofPortfolio = portfolioId === null ? sql`TRUE` : sql`py.debtor_id IN (SELECT o.debtor_id FROM obligations o WHERE o.portfolio_id = ${portfolioId})`;
  const rows = await ctx.database.query<{ currency: string }>(sql`
    SELECT o.currency::text AS currency FROM obligations o
     WHERE o.company_id = ${ctx.companyId} AND ${inPortfolio} AND ${visibleDebtorFilter(ctx, sql`o.debtor_id`) ?? sql`TRUE`}
    UNION
    SELECT py.currency::text FROM payments py
     WHERE py.company_id = ${ctx.companyId} AND ${ofPortfolio} AND ${visibleDebtorFilter(ctx, sql`py.debtor_id`) ?? sql`TRUE`}
    ORDER BY 1`);
  return rows.map((r) => r.currency.trim());
}

/** The columns for `fields` in that order, amount fields spread over `currencies`. */
export function accountColumns(fields: readonly string[], currencies: readonly string[], language: Language): Column[] {
  return fields.flatMap((field): Column[] => {
    const header = say(HEADERS[field] ?? field, language);
    if (!AMOUNTS.has(field)) return [{ key: field, header }];
    return currencies.map((currency) => ({ key: `${field}_${currency}`, header: `${header}_${currency}`, money: { currency } }));
  });
}

/** An account's cells: amounts by currency (missing ones empty), segments joined, words in `language`. */
export function accountCells(
  row: { phase: string; bucket: string | null; segments: readonly string[]; on_hold: boolean } & Record<string, unknown>,
  amounts: Record<string, Record<string, string>>,
  currencies: readonly string[],
  language: Language,
): Record<string, Cell> {
  const cells: Record<string, Cell> = {};
  for (const [key, value] of Object.entries(row)) if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) cells[key] = value as Cell;
  cells.phase = phaseName(row.phase, language);
  cells.bucket = row.bucket === null ? null : bucketName(row.bucket, language);
  cells.segments = row.segments.join('; ');
  cells.on_hold = language === 'es' ? (row.on_hold ? 'sí' : 'no') : row.on_hold;
  for (const [field, byCurrency] of Object.entries(amounts)) for (const currency of currencies) cells[`${field}_${currency}`] = byCurrency[currency] ?? null;
  return cells;
}
