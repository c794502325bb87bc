import { z } from 'zod';
import type { ReplyView } from '../../../modules/messaging/index.ts';

export const ReplySchema = z
  .object({
    id: z.number().int(),
    debtor_external_id: z.string().nullable().describe('null when the address matched no debtor (or several)'),
    debtor_name: z.string().nullable(),
    channel: z.string(),
    provider: z.string().nullable(),
    from: z.string(),
    text: z.string(),
    received_at: z.string(),
    handled_at: z.string().nullable().describe("null while it waits: the debtor's strategy is paused"),
  })
  .meta({ id: 'Reply' });

export function replyView(r: ReplyView) {
  return {
    id: r.id,
    debtor_external_id: r.debtorExternalId,
    debtor_name: r.debtorName,
    channel: r.channel,
    provider: r.provider,
    from: r.from,
    text: r.text,
    received_at: r.receivedAt.toISOString(),
    handled_at: r.handledAt?.toISOString() ?? null,
  };
}
