import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { decodeCursor, pageBody } from '../../pagination.ts';
import { errorResponses, pageOf, pageQuery, plainDate, queryBoolean, queryText } from '../../schemas.ts';
import { checkRange } from '../../ranges.ts';
import { listObligations } from '../../../modules/portfolio/queries/index.ts';
import { ObligationSchema } from './schemas.ts';
import { zodText } from '../../../domain/zod-issues.ts';
import { t } from '../../../domain/text.ts';

const Query = z.strictObject({
  debtor_external_id: queryText.optional(),
  portfolio: queryText.optional(),
  currency: z.string().regex(/^[A-Za-z]{2,3}$/, zodText(t('must be a currency code such as MXN', 'debe ser un código de moneda como MXN'))).optional(),
  open: queryBoolean.optional().describe('true: still owed; false: fully paid'),
  due_from: plainDate.optional(),
  due_to: plainDate.optional(),
  ...pageQuery,
});

/** GET /obligations — filtered, keyset-paged list, oldest due date first. */
export function listObligationsRoute(app: App): void {
  app.get(
    '/obligations',
    {
      config: { permission: 'portfolio:read' },
      schema: {
        tags: ['obligations'],
        summary: 'List obligations (oldest due date first)',
        querystring: Query,
        response: { 200: pageOf(ObligationSchema), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      checkRange(q, 'due_from', 'due_to', t('no obligation', 'ninguna obligación'));
      const page = await listObligations(ctxOf(request), {
        debtorExternalId: q.debtor_external_id,
        portfolio: q.portfolio,
        currency: q.currency,
        open: q.open,
        dueFrom: q.due_from,
        dueTo: q.due_to,
        limit: q.limit,
        cursor: decodeCursor('obligations', q.cursor),
      });
      return pageBody('obligations', page);
    },
  );
}
