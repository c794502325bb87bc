import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses } from '../../schemas.ts';
import { listSegments } from '../../../modules/collection-runs/index.ts';
import { SegmentSchema } from './schemas.ts';

/** GET /segments — a company has a handful, so the list is not paged. */
export function listSegmentsRoute(app: App): void {
  app.get(
    '/segments',
    { config: { permission: 'portfolio:read' }, schema: { tags: ['segments'], summary: 'List segments', response: { 200: z.object({ data: z.array(SegmentSchema) }), ...errorResponses } } },
    async (request) => ({ data: await listSegments(ctxOf(request)) }),
  );
}
