import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses } from '../../schemas.ts';
import { getRun } from '../../../modules/collection-runs/index.ts';
import { runBody, RunSchema } from './schemas.ts';

/** GET /runs/:id — poll this after POST /runs until status is no longer "running". */
export function getRunRoute(app: App): void {
  app.get(
    '/runs/:id',
    {
      config: { permission: 'portfolio:read', wholeCompany: true },
      schema: {
        tags: ['runs'],
        summary: 'Get a daily run',
        params: z.object({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }),
        response: { 200: RunSchema, ...errorResponses },
      },
    },
    async (request) => runBody(await getRun(ctxOf(request), { id: request.params.id })),
  );
}
