import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses } from '../../schemas.ts';
import { getPhases } from '../../../modules/collection-runs/index.ts';
import { phasesBody, PhasesSchema, portfolioParams } from './schemas.ts';

/** GET /portfolios/:name/phases */
export function getPhasesRoute(app: App): void {
  app.get(
    '/portfolios/:name/phases',
    {
      config: { permission: 'portfolio:read' },
      schema: { tags: ['portfolios'], summary: 'Phase thresholds of a portfolio', params: portfolioParams, response: { 200: PhasesSchema, ...errorResponses } },
    },
    async (request) => phasesBody(await getPhases(ctxOf(request), { portfolio: request.params.name })),
  );
}
