import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses } from '../../schemas.ts';
import { rowOf, saveOne } from '../../save-one.ts';
import { getObligation } from '../../../modules/portfolio/queries/index.ts';
import { CreateObligationBody, OBLIGATION_COLUMNS, ObligationSchema } from './schemas.ts';

/** POST /obligations — creates an obligation, or updates the one with this external id (201 vs 200). */
export function createObligationRoute(app: App): void {
  app.post(
    '/obligations',
    {
      config: { permission: 'portfolio:write' },
      schema: {
        tags: ['obligations'],
        summary: 'Create (or update by external_id) an obligation',
        body: CreateObligationBody,
        response: { 200: ObligationSchema, 201: ObligationSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(request);
      const saved = await saveOne(ctx, 'obligations', rowOf(request.body, OBLIGATION_COLUMNS));
      return reply.code(saved.created ? 201 : 200).send(await getObligation(ctx, { externalId: request.body.external_id.trim() }));
    },
  );
}
