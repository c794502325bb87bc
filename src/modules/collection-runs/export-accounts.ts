import type { Ctx } from '../shared/context.ts';
import type { Cell, Column } from '../shared/tabular.ts';
import { recordAudit } from '../access/audit.ts';
import { MAX_LIMIT } from '../portfolio/queries/page.ts';
import type { Language } from '../../domain/text.ts';
import { accountCells, accountColumns, bookCurrencies } from './account-table.ts';
import { listAccounts, type AccountFilters, type AccountSort, type AccountView } from './list-accounts.ts';

/** The accounts export's fields, in order; amounts become one column per currency (see account-table.ts). */
const FIELDS = ['debtor_external_id', 'name', 'portfolio', 'phase', 'days_past_due', 'bucket', 'balance', 'overdue', 'segments', 'on_hold', 'as_of'] as const;

function exportRow(a: AccountView, currencies: readonly string[], language: Language): Record<string, Cell> {
  const { debtor_external_id, name, portfolio, phase, days_past_due, bucket, segments, on_hold, as_of } = a;
  return accountCells({ debtor_external_id, name, portfolio, phase, days_past_due, bucket, segments, on_hold, as_of }, { balance: a.balances, overdue: a.overdue }, currencies, language);
}

/**
 * Every account the list shows with the same filters and order (an agency's own placements only), ready to write as
 * a table in `language` (headers and word values). Bad filters are refused before anything is recorded; the export is written to the audit log.
 */
export async function exportAccounts(
  ctx: Ctx,
  options: AccountFilters & { sort?: AccountSort | undefined; order?: 'asc' | 'desc' | undefined; format: string; language?: Language },
): Promise<{ columns: Column[]; rows: AsyncIterable<Record<string, Cell>> }> {
  const { format, language = 'en', ...filters } = options;
  const first = await listAccounts(ctx, { ...filters, limit: MAX_LIMIT });
  const currencies = await bookCurrencies(ctx, { portfolio: filters.portfolio });
  await recordAudit(ctx, { action: 'report.export', entity: 'report', entityId: 'accounts', after: { format, via: 'download', params: filters } });
  const rows = (async function* () {
    let page = first;
    for (;;) {
      for (const a of page.rows) yield exportRow(a, currencies, language);
      if (page.next === null) return;
      page = await listAccounts(ctx, { ...filters, limit: MAX_LIMIT, cursor: page.next });
    }
  })();
  return { columns: accountColumns(FIELDS, currencies, language), rows };
}
