import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses } from '../../schemas.ts';
import { rowOf, saveOne } from '../../save-one.ts';
import { getPayment } from '../../../modules/portfolio/queries/index.ts';
import { CreatePaymentBody, PAYMENT_COLUMNS, PaymentDetailSchema } from './schemas.ts';

/** POST /payments — records a payment and allocates it (named obligation first, then oldest due); 201 with allocations. */
export function createPaymentRoute(app: App): void {
  app.post(
    '/payments',
    {
      config: { permission: 'payments:write' },
      schema: {
        tags: ['payments'],
        summary: 'Record a payment (or update it by external_id)',
        body: CreatePaymentBody,
        response: { 200: PaymentDetailSchema, 201: PaymentDetailSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(request);
      const saved = await saveOne(ctx, 'payments', rowOf(request.body, PAYMENT_COLUMNS));
      return reply.code(saved.created ? 201 : 200).send(await getPayment(ctx, { externalId: request.body.external_id.trim() }));
    },
  );
}
