import type { Ctx } from '../shared/context.ts';
import type { Cell, Column } from '../shared/tabular.ts';
import { recordAudit } from '../access/audit.ts';
import { MAX_LIMIT } from '../portfolio/queries/page.ts';
import { listAccounts, type AccountFilters, type AccountSort, type AccountView } from './list-accounts.ts';

/** The accounts export's columns, with Spanish headers like the other exports. */
export const ACCOUNT_EXPORT_COLUMNS: Column[] = [
  { key: 'debtor_external_id', header: 'id_cliente' },
  { key: 'name', header: 'nombre' },
  { key: 'portfolio', header: 'cartera' },
  { key: 'phase', header: 'fase' },
  { key: 'days_past_due', header: 'días de atraso' },
  { key: 'bucket', header: 'tramo' },
  { key: 'balances', header: 'saldos' },
  { key: 'overdue', header: 'vencido' },
  { key: 'segments', header: 'segmentos' },
  { key: 'on_hold', header: 'en pausa' },
  { key: 'as_of', header: 'fecha de corte' },
];

/** Amounts per currency in one cell, e.g. "1250.50 MXN; 10.00 USD" (never summed across currencies). */
function perCurrency(amounts: Record<string, string>): string {
  return Object.entries(amounts)
    .map(([currency, amount]) => `${amount} ${currency}`)
    .join('; ');
}

function exportRow(a: AccountView): Record<string, Cell> {
  return {
    debtor_external_id: a.debtor_external_id,
    name: a.name,
    portfolio: a.portfolio,
    phase: a.phase,
    days_past_due: a.days_past_due,
    bucket: a.bucket,
    balances: perCurrency(a.balances),
    overdue: perCurrency(a.overdue),
    segments: a.segments.join('; '),
    on_hold: a.on_hold,
    as_of: a.as_of,
  };
}

/**
 * Every account the list shows with the same filters and order (an agency's own placements only), ready to write as
 * a table. Bad filters are refused before anything is recorded; the export is written to the audit log.
 */
export async function exportAccounts(
  ctx: Ctx,
  options: AccountFilters & { sort?: AccountSort | undefined; order?: 'asc' | 'desc' | undefined; format: string },
): Promise<AsyncIterable<Record<string, Cell>>> {
  const { format, ...filters } = options;
  const first = await listAccounts(ctx, { ...filters, limit: MAX_LIMIT });
  await recordAudit(ctx, { action: 'report.export', entity: 'report', entityId: 'accounts', after: { format, via: 'download', params: filters } });
  return (async function* () {
    let page = first;
    for (;;) {
      for (const a of page.rows) yield exportRow(a);
      if (page.next === null) return;
      page = await listAccounts(ctx, { ...filters, limit: MAX_LIMIT, cursor: page.next });
    }
  })();
}
