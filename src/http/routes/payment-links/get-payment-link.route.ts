import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses } from '../../schemas.ts';
import { getPaymentLink } from '../../../modules/payments/index.ts';
import { LinkIdParams, linkJson, PaymentLinkSchema } from './schemas.ts';

/** GET /payment-links/:id — one link with its status and, once paid, the payment it became. */
export function getPaymentLinkRoute(app: App): void {
  app.get(
    '/payment-links/:id',
    {
      config: { permission: 'payments:read' },
      schema: { tags: ['payments'], summary: 'Get a payment link', params: LinkIdParams, response: { 200: PaymentLinkSchema, ...errorResponses } },
    },
    async (request) => linkJson(await getPaymentLink(ctxOf(request), { id: request.params.id })),
  );
}
