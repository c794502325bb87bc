import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses, externalIdParams } from '../../schemas.ts';
import { debtorTimeline } from '../../../modules/messaging/index.ts';

const Query = z.strictObject({ limit: z.coerce.number().int().min(1).max(10_000).default(1000).describe('most entries returned, oldest first') });

const TimelineSchema = z
  .object({
    debtor: z.string(),
    data: z.array(
      z.object({
        at: z.string(),
        kind: z.enum(['message', 'delivery', 'reply', 'refusal', 'task', 'phase', 'payment', 'hold', 'hold_released', 'portal', 'interaction']),
        channel: z.string().nullable(),
        summary: z.string().describe('what happened, in Spanish'),
        ref: z.number().int().describe('id of the row behind the entry'),
        details: z.record(z.string(), z.unknown()),
      }),
    ),
  })
  .meta({ id: 'DebtorTimeline' });

/** GET /debtors/:external_id/timeline — messages, delivery statuses, replies, gate refusals, tasks, phases, payments and holds, in order. */
export function getTimelineRoute(app: App): void {
  app.get(
    '/debtors/:external_id/timeline',
    {
      config: { permission: 'portfolio:read' },
      schema: {
        tags: ['debtors'],
        summary: "A debtor's timeline: every message, delivery status, reply, refusal by the compliance gate, task, phase change, payment and hold, oldest first",
        params: externalIdParams,
        querystring: Query,
        response: { 200: TimelineSchema, ...errorResponses },
      },
    },
    async (request) => {
      const entries = await debtorTimeline(ctxOf(request), { debtorExternalId: request.params.external_id, limit: request.query.limit });
      return {
        debtor: request.params.external_id,
        data: entries.map((e) => ({ at: e.at.toISOString(), kind: e.kind, channel: e.channel, summary: e.summary, ref: e.ref, details: e.details })),
      };
    },
  );
}
