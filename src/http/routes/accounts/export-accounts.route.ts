import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { downloadLanguageQuery, sendTable, TABLE_FORMATS } from '../../download.ts';
import { downloadLanguage } from '../../language.ts';
import { errorResponses } from '../../schemas.ts';
import { accountsSheet } from '../../../modules/collection-runs/account-table.ts';
import { exportAccounts } from '../../../modules/collection-runs/export-accounts.ts';
import { accountFilters, AccountFilterQuery } from './list-accounts.route.ts';

/** GET /accounts/export — the account list with the same filters and order, whole, as CSV or XLSX (audited). */
export function exportAccountsRoute(app: App): void {
  app.get(
    '/accounts/export',
    {
      config: { permission: 'reports:export' },
      schema: {
        tags: ['accounts'],
        summary: 'Download the filtered account list as CSV or XLSX (same filters as GET /accounts; one column per currency for amounts; headers in ?language= or the Accept-Language; audited)',
        querystring: z.strictObject({ ...AccountFilterQuery, format: z.enum(TABLE_FORMATS).default('xlsx'), language: downloadLanguageQuery }),
        response: errorResponses,
      },
    },
    async (request, reply) => {
      const { format, language: chosen, ...q } = request.query;
      const language = downloadLanguage(request, reply, chosen);
      const { columns, rows } = await exportAccounts(ctxOf(request), { ...accountFilters(q), format, language });
      return sendTable(reply, { format, fileName: language === 'es' ? 'cuentas' : 'accounts', sheet: accountsSheet(language), columns, rows });
    },
  );
}
