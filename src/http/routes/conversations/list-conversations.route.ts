import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses, externalIdParams } from '../../schemas.ts';
import { listConversations } from '../../../modules/conversations/index.ts';

const Query = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(20).describe('most conversations returned, newest first') });

const ConversationsSchema = z
  .object({
    debtor: z.string(),
    data: z.array(
      z.object({
        id: z.number().int(),
        channel: z.string(),
        status: z.enum(['active', 'closed', 'expired']).or(z.string()),
        step: z.string().describe('where the conversation stands (menu, promise_confirm, with_advisor, …)'),
        started_at: z.string(),
        last_inbound_at: z.string(),
        window_expires_at: z.string().describe('free-form answers are only sent before this instant'),
        expires_at: z.string(),
        turns: z.array(
          z.object({
            id: z.number().int(),
            inbound_message_id: z.number().int(),
            intent: z.string().nullable(),
            step_before: z.string(),
            step_after: z.string(),
            reply: z.string().nullable().describe('the answer queued, in Spanish'),
            reply_withheld: z.string().nullable().describe('why an answer was not sent (rule: reason)'),
            handled: z.boolean(),
            effects: z.array(z.unknown()),
            at: z.string(),
          }),
        ),
      }),
    ),
  })
  .meta({ id: 'DebtorConversations' });

/** GET /debtors/:external_id/conversations — the debtor's WhatsApp self-service conversations and what each message did. */
export function listConversationsRoute(app: App): void {
  app.get(
    '/debtors/:external_id/conversations',
    {
      config: { permission: 'portfolio:read' },
      schema: {
        tags: ['debtors'],
        summary: "A debtor's WhatsApp self-service conversations, newest first, with each message's intent, answer and effects",
        params: externalIdParams,
        querystring: Query,
        response: { 200: ConversationsSchema, ...errorResponses },
      },
    },
    async (request) => {
      const rows = await listConversations(ctxOf(request), { debtorExternalId: request.params.external_id, limit: request.query.limit });
      return {
        debtor: request.params.external_id,
        data: rows.map((c) => ({
          id: c.id,
          channel: c.channel,
          status: c.status,
          step: c.step,
          started_at: c.startedAt.toISOString(),
          last_inbound_at: c.lastInboundAt.toISOString(),
          window_expires_at: c.windowExpiresAt.toISOString(),
          expires_at: c.expiresAt.toISOString(),
          turns: c.turns.map((t) => ({
            id: t.id,
            inbound_message_id: t.inboundMessageId,
            intent: t.intent,
            step_before: t.stepBefore,
            step_after: t.stepAfter,
            reply: t.reply,
            reply_withheld: t.replyWithheld,
            handled: t.handled,
            effects: t.effects,
            at: t.at.toISOString(),
          })),
        })),
      };
    },
  );
}
