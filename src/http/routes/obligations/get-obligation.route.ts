import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses, externalIdParams } from '../../schemas.ts';
import { getObligation } from '../../../modules/portfolio/queries/index.ts';
import { ObligationSchema } from './schemas.ts';

/** GET /obligations/:external_id */
export function getObligationRoute(app: App): void {
  app.get(
    '/obligations/:external_id',
    {
      config: { permission: 'portfolio:read' },
      schema: {
        tags: ['obligations'],
        summary: 'Get an obligation',
        params: externalIdParams,
        response: { 200: ObligationSchema, ...errorResponses },
      },
    },
    async (request) => getObligation(ctxOf(request), { externalId: request.params.external_id }),
  );
}
