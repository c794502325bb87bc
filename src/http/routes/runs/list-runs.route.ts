import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses } from '../../schemas.ts';
import { listRuns } from '../../../modules/collection-runs/index.ts';
import { runBody, RunSchema } from './schemas.ts';

const Query = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(50) });

/** GET /runs — the latest runs, newest first (a log, so the most recent `limit` are enough; no cursor). */
export function listRunsRoute(app: App): void {
  app.get(
    '/runs',
    {
      config: { permission: 'portfolio:read', wholeCompany: true },
      schema: {
        tags: ['runs'],
        summary: 'List the latest daily runs',
        querystring: Query,
        response: { 200: z.object({ data: z.array(RunSchema) }), ...errorResponses },
      },
    },
    async (request) => ({ data: (await listRuns(ctxOf(request), { limit: request.query.limit })).map(runBody) }),
  );
}
