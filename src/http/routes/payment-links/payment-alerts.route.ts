import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { ErrorSchema, errorResponses } from '../../schemas.ts';
import { listPaymentAlerts, resolvePaymentAlert } from '../../../modules/payments/index.ts';
import { alertJson, PaymentAlertSchema } from './schemas.ts';

/** GET /payment-alerts and POST /payment-alerts/:id/resolve — money that arrived and was not applied, for treasury. */
export function paymentAlertsRoutes(app: App): void {
  app.get(
    '/payment-alerts',
    {
      config: { permission: 'payments:read' },
      schema: {
        tags: ['payments'],
        summary: 'List payment alerts (mismatched or unmatched payments)',
        querystring: z.strictObject({ status: z.enum(['open', 'resolved', 'all']).default('open'), limit: z.coerce.number().int().min(1).max(1000).default(100) }),
        response: { 200: z.object({ data: z.array(PaymentAlertSchema) }), ...errorResponses },
      },
    },
    async (request) => ({ data: (await listPaymentAlerts(ctxOf(request), request.query)).map(alertJson) }),
  );
  app.post(
    '/payment-alerts/:id/resolve',
    {
      config: { permission: 'payments:write' },
      schema: {
        tags: ['payments'],
        summary: 'Mark a payment alert resolved, saying how',
        params: z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) }),
        body: z.strictObject({ note: z.string().min(1).max(1000) }),
        response: { 204: z.null(), ...errorResponses, 409: ErrorSchema },
      },
    },
    async (request, reply) => {
      await resolvePaymentAlert(ctxOf(request), { id: request.params.id, note: request.body.note });
      return reply.code(204).send(null);
    },
  );
}
