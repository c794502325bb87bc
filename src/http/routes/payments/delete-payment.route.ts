import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses, externalIdParams } from '../../schemas.ts';
import { deletePayment } from '../../../modules/portfolio/index.ts';

/** DELETE /payments/:external_id — for a payment entered by mistake; balances are recomputed without it. */
export function deletePaymentRoute(app: App): void {
  app.delete(
    '/payments/:external_id',
    {
      config: { permission: 'payments:write' },
      schema: {
        tags: ['payments'],
        summary: 'Delete a payment recorded by mistake (use reverse for one that bounced)',
        params: externalIdParams,
        response: { 204: z.null().describe('deleted'), ...errorResponses },
      },
    },
    async (request, reply) => {
      await deletePayment(ctxOf(request), { externalId: request.params.external_id });
      return reply.code(204).send(null);
    },
  );
}
