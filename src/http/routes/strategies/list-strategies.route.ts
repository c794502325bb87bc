import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses } from '../../schemas.ts';
import { listStrategies } from '../../../modules/strategies/index.ts';
import { StrategySummarySchema, summaryView } from './schemas.ts';

/** GET /strategies — the company's strategies with their active version. */
export function listStrategiesRoute(app: App): void {
  app.get(
    '/strategies',
    {
      config: { permission: 'strategies:read' },
      schema: {
        tags: ['strategies'],
        summary: 'List strategies with their active version',
        response: { 200: z.object({ data: z.array(StrategySummarySchema) }), ...errorResponses },
      },
    },
    async (request) => ({ data: (await listStrategies(ctxOf(request))).map(summaryView) }),
  );
}
