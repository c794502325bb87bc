/**
 * Accounts as a flat table (CSV/XLSX), shared by the API's GET /accounts/export and the CLI's `report accounts`: one
 * column per currency for every amount (`balance_MXN`, `overdue_MXN`, `unapplied_MXN`), written as money so XLSX
 * holds numbers, and headers and word values (phase, bucket, yes/no) in the reader's language. JSON keeps its own
 * shape (objects currency → decimal string); this layout is for spreadsheets only.
 */
import { sql } from 'drizzle-orm';
import { phaseName, bucketName } from '../../domain/aging.ts';
import { say, t, type Language, type Text } from '../../domain/text.ts';
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

/** Amount fields: each becomes one column per currency. */
const AMOUNTS = new Set(['balance', 'overdue', 'unapplied']);

/**
 * The currencies of the company's books (obligations and payments), sorted: the amount columns of its account
 * tables, known before the first row is written so the table streams.
 */
export async function bookCurrencies(ctx: Ctx): Promise<string[]> {
  const rows = await ctx.database.query<{ currency: string }>(sql`
    SELECT currency::text AS currency FROM obligations WHERE company_id = ${ctx.companyId}
    UNION SELECT currency::text FROM payments WHERE company_id = ${ctx.companyId}
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
