import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses } from '../../schemas.ts';
import { removeSegment } from '../../../modules/collection-runs/index.ts';

/** DELETE /segments/:name */
export function removeSegmentRoute(app: App): void {
  app.delete(
    '/segments/:name',
    {
      config: { permission: 'settings:write' },
      schema: {
        tags: ['segments'],
        summary: 'Remove a segment (accounts lose it at the next run)',
        params: z.object({ name: z.string().min(1).max(80) }),
        response: { 204: z.null().describe('removed'), ...errorResponses },
      },
    },
    async (request, reply) => {
      await removeSegment(ctxOf(request), { name: request.params.name });
      return reply.code(204).send(null);
    },
  );
}
