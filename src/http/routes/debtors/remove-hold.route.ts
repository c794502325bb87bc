import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses, externalIdParams } from '../../schemas.ts';
import { HOLD_REASONS, removeHold } from '../../../modules/collection-runs/index.ts';

// In the query string: bodies on DELETE are dropped by some proxies and clients.
const Query = z.strictObject({
  reason: z.enum(HOLD_REASONS).optional().describe('release only holds of this reason; all when absent'),
  note: z.string().max(2000).optional(),
});

/** DELETE /debtors/:external_id/holds — releases the debtor's active holds (of one reason, or all). */
export function removeHoldRoute(app: App): void {
  app.delete(
    '/debtors/:external_id/holds',
    {
      config: { permission: 'portfolio:write' },
      schema: {
        tags: ['debtors'],
        summary: 'Release a debtor’s holds',
        params: externalIdParams,
        querystring: Query,
        response: { 200: z.object({ released: z.number().int() }), ...errorResponses },
      },
    },
    async (request) => ({
      released: await removeHold(ctxOf(request), { debtorExternalId: request.params.external_id, reason: request.query.reason, note: request.query.note }),
    }),
  );
}
