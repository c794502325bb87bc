import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses } from '../../schemas.ts';
import { listReplies, REPLY_STATUSES } from '../../../modules/messaging/index.ts';
import { ReplySchema, replyView } from './schemas.ts';

const Query = z.strictObject({
  status: z.enum(REPLY_STATUSES).default('unhandled'),
  debtor: z.string().min(1).max(200).optional().describe("a debtor's external id"),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  before: z.coerce.number().int().min(1).optional().describe('cursor: next_before of the previous page'),
});

/** GET /replies — replies from debtors, newest first (by default those waiting for a person). */
export function listRepliesRoute(app: App): void {
  app.get(
    '/replies',
    {
      config: { permission: 'worklist:read' },
      schema: {
        tags: ['replies'],
        summary: "Replies from debtors, newest first; unhandled ones pause the debtor's strategy",
        querystring: Query,
        response: { 200: z.object({ data: z.array(ReplySchema), next_before: z.number().int().nullable() }), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const page = await listReplies(ctxOf(request), { status: q.status, debtorExternalId: q.debtor, limit: q.limit, before: q.before });
      return { data: page.data.map(replyView), next_before: page.nextBefore };
    },
  );
}
