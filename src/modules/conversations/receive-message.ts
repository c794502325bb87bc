/**
 * Where debtors' messages enter the conversation: a provider's webhook event, or an operator answering as a debtor
 * in the sandbox. Both record the message exactly as the messaging module always does (one row per provider message
 * id; "BAJA" opts out at once), then let the conversation answer a WhatsApp message that was recorded now. A replayed
 * webhook records nothing new, so it is never answered twice.
 */
import { recordProviderEvent, recordSandboxReply, type InboundEvent, type ProviderEventResult, type SandboxReplyChannel, type SandboxReplyResult } from '../messaging/index.ts';
import type { Ctx } from '../shared/context.ts';
import { handleInboundMessage, type HandleInboundResult } from './handle-inbound-message.ts';

/** Who acts when the debtor serves themselves: recorded on promises, plans, disputes and in the audit log. */
export const CONVERSATION_ACTOR = 'debtor:whatsapp';

function asDebtor(ctx: Ctx): Ctx {
  return { ...ctx, actor: CONVERSATION_ACTOR };
}

/**
 * Answers a recorded message. The message is already safe in inbound_messages and unhandled, so a failure here must
 * not fail its delivery (a webhook would be retried and recorded as a replay): it is reported, and the message waits
 * for a person with the debtor's automation paused.
 */
async function answer(ctx: Ctx, inboundId: number): Promise<HandleInboundResult> {
  try {
    return await handleInboundMessage(asDebtor(ctx), { inboundId });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`conversation: message ${inboundId} left for a person: ${message}\n`);
    return { kind: 'failed', error: message };
  }
}

/** Records one provider event and, for a new WhatsApp message from a known debtor, answers it. */
export async function receiveProviderEvent(
  ctx: Ctx,
  options: { event: InboundEvent; provider?: string | undefined },
): Promise<ProviderEventResult & { conversation: HandleInboundResult | null }> {
  const result = await recordProviderEvent(ctx, options);
  if (result.kind !== 'message' || !result.recorded || result.inboundId === null || result.debtorId === null || options.event.channel !== 'whatsapp') {
    return { ...result, conversation: null };
  }
  return { ...result, conversation: await answer(ctx, result.inboundId) };
}

/** The sandbox's "reply as the debtor", answered by the conversation when it is a WhatsApp message. */
export async function replyAsDebtorInSandbox(
  ctx: Ctx,
  options: { debtorExternalId: string; channel?: SandboxReplyChannel | undefined; text: string },
): Promise<SandboxReplyResult & { conversation: HandleInboundResult | null }> {
  const result = await recordSandboxReply(ctx, options);
  if (result.channel !== 'whatsapp' || !result.attributed || result.inboundId === null) return { ...result, conversation: null };
  const conversation = await answer(ctx, result.inboundId);
  const paused = result.optedOut ? false : conversation.kind === 'answered' ? !conversation.handled : result.paused;
  return { ...result, paused, conversation };
}
