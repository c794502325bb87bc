import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { sendTable, TABLE_FORMATS } from '../../download.ts';
import { errorResponses } from '../../schemas.ts';
import { ACCOUNT_EXPORT_COLUMNS, exportAccounts } from '../../../modules/collection-runs/export-accounts.ts';
import { accountFilters, AccountFilterQuery } from './list-accounts.route.ts';

/** GET /accounts/export — the account list with the same filters and order, whole, as CSV or XLSX (audited). */
export function exportAccountsRoute(app: App): void {
  app.get(
    '/accounts/export',
    {
      config: { permission: 'reports:export' },
      schema: {
        tags: ['accounts'],
        summary: 'Download the filtered account list as CSV or XLSX (same filters as GET /accounts; audited)',
        querystring: z.strictObject({ ...AccountFilterQuery, format: z.enum(TABLE_FORMATS).default('xlsx') }),
        response: errorResponses,
      },
    },
    async (request, reply) => {
      const { format, ...q } = request.query;
      const rows = await exportAccounts(ctxOf(request), { ...accountFilters(q), format });
      return sendTable(reply, { format, fileName: 'cuentas', sheet: 'Cuentas', columns: ACCOUNT_EXPORT_COLUMNS, rows });
    },
  );
}
