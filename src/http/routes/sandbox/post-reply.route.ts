import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses } from '../../schemas.ts';
import { replyAsDebtorInSandbox } from '../../../modules/conversations/index.ts';
import { SANDBOX_REPLY_CHANNELS } from '../../../modules/messaging/index.ts';

const Body = z.strictObject({
  debtor_external_id: z.string().min(1).max(200),
  channel: z.enum(SANDBOX_REPLY_CHANNELS).optional().describe("default: the channel of the debtor's latest message, else their first address (WhatsApp, SMS, email)"),
  text: z.string().min(1).max(4096).describe('what the debtor writes; "BAJA", "STOP" or "ALTO" opts them out of the channel'),
});

const ReplySchema = z
  .object({
    channel: z.enum(SANDBOX_REPLY_CHANNELS),
    from: z.string(),
    inbound_id: z.number().int().nullable(),
    attributed: z.boolean().describe('false when the address is shared by several debtors: kept, but attached to none'),
    opted_out: z.boolean(),
    paused: z.boolean().describe("the debtor's strategy waits until a person handles the reply"),
    answer: z.string().nullable().describe('on WhatsApp: what the self-service assistant queued for the debtor (free-form text, inside the 24-hour window)'),
  })
  .meta({ id: 'SandboxReply' });

/** POST /sandbox/replies — answer as a debtor, through the same path as a provider's inbound webhook. */
export function postSandboxReplyRoute(app: App): void {
  app.post(
    '/sandbox/replies',
    {
      config: { permission: 'messages:send', wholeCompany: true },
      schema: {
        tags: ['sandbox'],
        summary: 'Record a reply from a debtor as if their provider had delivered it ("BAJA" opts out; any other reply pauses the strategy)',
        body: Body,
        response: { 201: ReplySchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const r = await replyAsDebtorInSandbox(ctxOf(request), { debtorExternalId: request.body.debtor_external_id, channel: request.body.channel, text: request.body.text });
      const answer = r.conversation?.kind === 'answered' ? r.conversation.reply : null;
      return reply.code(201).send({ channel: r.channel, from: r.from, inbound_id: r.inboundId, attributed: r.attributed, opted_out: r.optedOut, paused: r.paused, answer });
    },
  );
}
