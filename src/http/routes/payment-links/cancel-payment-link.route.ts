import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { ErrorSchema, errorResponses } from '../../schemas.ts';
import { cancelPaymentLink } from '../../../modules/payments/index.ts';
import { LinkIdParams, linkJson, PaymentLinkSchema } from './schemas.ts';

/** POST /payment-links/:id/cancel — stops offering a link; money that still arrives for it is raised as an alert. */
export function cancelPaymentLinkRoute(app: App): void {
  app.post(
    '/payment-links/:id/cancel',
    {
      config: { permission: 'payments:write' },
      schema: {
        tags: ['payments'],
        summary: 'Cancel a payment link',
        params: LinkIdParams,
        body: z.strictObject({ reason: z.string().min(1).max(500).optional() }).optional(),
        response: { 200: PaymentLinkSchema, ...errorResponses, 409: ErrorSchema },
      },
    },
    async (request) => linkJson(await cancelPaymentLink(ctxOf(request), { id: request.params.id, reason: request.body?.reason })),
  );
}
