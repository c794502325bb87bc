import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses, externalIdParams } from '../../schemas.ts';
import { answerLanguage } from '../../language.ts';
import { debtorTimeline, debtorTimelinePage, timelineDebtor, TIMELINE_KINDS, type TimelinePage } from '../../../modules/messaging/index.ts';

const Query = z.strictObject({
  limit: z.coerce.number().int().min(1).max(10_000).default(1000).describe('most entries returned, oldest first'),
  before: z.string().min(1).max(400).optional().describe('a cursor (timeline_before of the debtor 360, or before of an earlier page): the latest `limit` entries before it'),
});

const TimelineSchema = z
  .object({
    debtor: z.string(),
    data: z.array(
      z.object({
        at: z.string(),
        kind: z.enum(TIMELINE_KINDS),
        channel: z.string().nullable(),
        summary: z.string().describe('what happened, in the language of the Accept-Language header (English by default)'),
        ref: z.number().int().describe('id of the row behind the entry'),
        details: z.record(z.string(), z.unknown()),
      }),
    ),
    before: z.string().nullable().describe('with ?before=: the cursor for the entries before these, null at the start; null without ?before='),
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
        summary: "A debtor's timeline: every message, delivery status, reply, refusal by the compliance gate, task, phase change, payment, hold and decision on a promise to pay, oldest first; with ?before= the page of entries before a cursor",
        params: externalIdParams,
        querystring: Query,
        response: { 200: TimelineSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(request);
      const { limit, before } = request.query;
      const language = answerLanguage(request, reply);
      let page: TimelinePage;
      if (before === undefined) page = { entries: await debtorTimeline(ctx, { debtorExternalId: request.params.external_id, limit, language }), before: null };
      else {
        const debtor = await timelineDebtor(ctx, request.params.external_id);
        page = await debtorTimelinePage(ctx, { debtorId: debtor.id, timeZone: debtor.tz, limit, before, language });
      }
      return {
        debtor: request.params.external_id,
        data: page.entries.map((e) => ({ at: e.at.toISOString(), kind: e.kind, channel: e.channel, summary: e.summary, ref: e.ref, details: e.details })),
        before: page.before,
      };
    },
  );
}
