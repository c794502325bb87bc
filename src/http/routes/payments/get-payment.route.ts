import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses, externalIdParams } from '../../schemas.ts';
import { getPayment } from '../../../modules/portfolio/queries/index.ts';
import { PaymentDetailSchema } from './schemas.ts';

/** GET /payments/:external_id — with its allocations. */
export function getPaymentRoute(app: App): void {
  app.get(
    '/payments/:external_id',
    {
      config: { permission: 'payments:read' },
      schema: {
        tags: ['payments'],
        summary: 'Get a payment with its allocations',
        params: externalIdParams,
        response: { 200: PaymentDetailSchema, ...errorResponses },
      },
    },
    async (request) => getPayment(ctxOf(request), { externalId: request.params.external_id }),
  );
}
