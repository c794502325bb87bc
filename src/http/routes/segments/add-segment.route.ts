import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { ErrorSchema, errorResponses } from '../../schemas.ts';
import { addSegment } from '../../../modules/collection-runs/index.ts';
import { SegmentSchema } from './schemas.ts';

const Body = z.strictObject({
  name: z.string().min(1).max(80),
  rule: z.string().min(1).max(4000).describe("segment rule, e.g. `phase = 'administrative' and balance.MXN >= 5000`"),
  description: z.string().max(1000).nullable().optional(),
});

/** POST /segments — the rule is checked now and applied from the next run. */
export function addSegmentRoute(app: App): void {
  app.post(
    '/segments',
    {
      config: { permission: 'settings:write' },
      schema: {
        tags: ['segments'],
        summary: 'Add a segment',
        body: Body,
        response: { 201: SegmentSchema, ...errorResponses, 409: ErrorSchema },
      },
    },
    async (request, reply) => {
      const segment = await addSegment(ctxOf(request), request.body);
      return reply.code(201).send(segment);
    },
  );
}
