/**
 * The conversations module's public surface: the WhatsApp self-service conversation. Debtors' messages enter through
 * `receiveProviderEvent` (webhooks) or `replyAsDebtorInSandbox`; each is answered once, inside the 24-hour window,
 * through the outbox and the free-form reply gate.
 */
export { receiveProviderEvent, replyAsDebtorInSandbox, CONVERSATION_ACTOR } from './receive-message.ts';
export { handleInboundMessage, CONVERSATION_IDLE_MS, type HandleInboundResult } from './handle-inbound-message.ts';
export { expireConversations } from './expire-conversations.ts';
export { listConversations, type ConversationView } from './list-conversations.ts';
export { loadConversationFacts, type DebtorFacts } from './load-facts.ts';
export { TASK_KINDS } from './run-effect.ts';
