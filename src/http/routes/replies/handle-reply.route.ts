import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses } from '../../schemas.ts';
import { handleReply } from '../../../modules/messaging/index.ts';
import { ReplySchema, replyView } from './schemas.ts';

const Params = z.strictObject({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });

/** POST /replies/:id/handle — a person took care of the reply: the debtor's strategy resumes (audited). */
export function handleReplyRoute(app: App): void {
  app.post(
    '/replies/:id/handle',
    {
      config: { permission: 'interactions:write' },
      schema: {
        tags: ['replies'],
        summary: "Mark a reply (and the debtor's earlier waiting ones) handled; the strategy resumes at the next planning",
        params: Params,
        response: {
          200: z.object({
            reply: ReplySchema,
            already_handled: z.boolean().describe('it had been handled before: nothing changed'),
            handled_ids: z.array(z.number().int()),
            strategy_resumed: z.boolean().describe('no reply of the debtor is waiting any more'),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const r = await handleReply(ctxOf(request), { id: request.params.id });
      return { reply: replyView(r.reply), already_handled: r.alreadyHandled, handled_ids: r.handledIds, strategy_resumed: r.strategyResumed };
    },
  );
}
