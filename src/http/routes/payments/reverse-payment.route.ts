import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { ErrorSchema, errorResponses, externalIdParams } from '../../schemas.ts';
import { reversePayment } from '../../../modules/portfolio/index.ts';
import { getPayment } from '../../../modules/portfolio/queries/index.ts';
import { PaymentDetailSchema, ReverseBody } from './schemas.ts';

/** POST /payments/:external_id/reverse — the payment stays on record but applies nothing; balances are restored. */
export function reversePaymentRoute(app: App): void {
  app.post(
    '/payments/:external_id/reverse',
    {
      config: { permission: 'payments:write' },
      schema: {
        tags: ['payments'],
        summary: 'Reverse a payment (bounced, charged back)',
        params: externalIdParams,
        body: ReverseBody,
        response: { 200: PaymentDetailSchema, ...errorResponses, 409: ErrorSchema },
      },
    },
    async (request) => {
      const ctx = ctxOf(request);
      await reversePayment(ctx, { externalId: request.params.external_id, reason: request.body.reason });
      return getPayment(ctx, { externalId: request.params.external_id });
    },
  );
}
