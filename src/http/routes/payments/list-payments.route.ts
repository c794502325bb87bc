import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { decodeCursor, pageBody } from '../../pagination.ts';
import { errorResponses, pageOf, pageQuery, plainDate, queryBoolean, queryText } from '../../schemas.ts';
import { checkRange } from '../../ranges.ts';
import { t } from '../../../domain/text.ts';
import { listPayments } from '../../../modules/portfolio/queries/index.ts';
import { PaymentSchema } from './schemas.ts';

const Query = z.strictObject({
  debtor_external_id: queryText.optional(),
  paid_from: plainDate.optional(),
  paid_to: plainDate.optional(),
  reversed: queryBoolean.optional(),
  ...pageQuery,
});

/** GET /payments — filtered, keyset-paged list, newest payment date first. */
export function listPaymentsRoute(app: App): void {
  app.get(
    '/payments',
    {
      config: { permission: 'payments:read' },
      schema: {
        tags: ['payments'],
        summary: 'List payments (newest first)',
        querystring: Query,
        response: { 200: pageOf(PaymentSchema), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      checkRange(q, 'paid_from', 'paid_to', t('no payment', 'ningún pago'));
      const page = await listPayments(ctxOf(request), {
        debtorExternalId: q.debtor_external_id,
        paidFrom: q.paid_from,
        paidTo: q.paid_to,
        reversed: q.reversed,
        limit: q.limit,
        cursor: decodeCursor('payments', q.cursor),
      });
      return pageBody('payments', page);
    },
  );
}
