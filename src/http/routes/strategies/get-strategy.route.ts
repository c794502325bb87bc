import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses } from '../../schemas.ts';
import { showStrategy } from '../../../modules/strategies/index.ts';
import { detailView, nameParams, StrategyDetailSchema } from './schemas.ts';

const Query = z.strictObject({ version: z.coerce.number().int().min(1).max(1_000_000).optional().describe('a version number; default the active one') });

/** GET /strategies/:name — a strategy's definition (active version unless ?version=) and its versions. */
export function getStrategyRoute(app: App): void {
  app.get(
    '/strategies/:name',
    {
      config: { permission: 'strategies:read' },
      schema: {
        tags: ['strategies'],
        summary: "A strategy's definition (the active version unless ?version=) and the list of its versions",
        params: nameParams,
        querystring: Query,
        response: { 200: StrategyDetailSchema, ...errorResponses },
      },
    },
    async (request) => detailView(await showStrategy(ctxOf(request), { name: request.params.name, version: request.query.version })),
  );
}
