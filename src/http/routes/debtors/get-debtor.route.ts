import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses, externalIdParams } from '../../schemas.ts';
import { getDebtor } from '../../../modules/portfolio/queries/index.ts';
import { DebtorDetailSchema } from './schemas.ts';

/** GET /debtors/:external_id — a debtor with balances and credit per currency, accounts and open holds. */
export function getDebtorRoute(app: App): void {
  app.get(
    '/debtors/:external_id',
    {
      config: { permission: 'portfolio:read' },
      schema: {
        tags: ['debtors'],
        summary: 'Get a debtor with balances, unapplied credit, accounts and holds',
        params: externalIdParams,
        response: { 200: DebtorDetailSchema, ...errorResponses },
      },
    },
    async (request) => getDebtor(ctxOf(request), { externalId: request.params.external_id }),
  );
}
