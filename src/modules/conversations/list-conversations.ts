/** A debtor's WhatsApp conversations with their turns, newest first, for people following up. */
import { and, desc, eq, inArray } from 'drizzle-orm';
import { debtors } from '../../db/schema.ts';
import { conversations, conversationTurns } from '../../db/tables/conversations.ts';
import type { Ctx } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { visibleDebtorFilter } from '../access/index.ts';

export interface ConversationView {
  id: number;
  channel: string;
  status: string;
  step: string;
  startedAt: Date;
  lastInboundAt: Date;
  windowExpiresAt: Date;
  expiresAt: Date;
  turns: Array<{ id: number; inboundMessageId: number; intent: string | null; stepBefore: string; stepAfter: string; reply: string | null; replyWithheld: string | null; handled: boolean; effects: unknown[]; at: Date }>;
}

/** Lists the conversations of the debtor with external id `debtorExternalId`. */
export async function listConversations(ctx: Ctx, options: { debtorExternalId: string; limit?: number | undefined }): Promise<ConversationView[]> {
  const [debtor] = await ctx.database.db.select({ id: debtors.id }).from(debtors).where(and(eq(debtors.companyId, ctx.companyId), eq(debtors.externalId, options.debtorExternalId), visibleDebtorFilter(ctx)));
  if (!debtor) throw notFound('debtor', options.debtorExternalId);
  const rows = await ctx.database.db
    .select()
    .from(conversations)
    .where(and(eq(conversations.companyId, ctx.companyId), eq(conversations.debtorId, debtor.id)))
    .orderBy(desc(conversations.startedAt), desc(conversations.id))
    .limit(Math.min(Math.max(options.limit ?? 20, 1), 200));
  const turns = rows.length
    ? await ctx.database.db.select().from(conversationTurns).where(inArray(conversationTurns.conversationId, rows.map((r) => r.id))).orderBy(conversationTurns.id)
    : [];
  return rows.map((c) => ({
    id: c.id,
    channel: c.channel,
    status: c.status,
    step: String((c.state as { step?: { name?: string } }).step?.name ?? 'start'),
    startedAt: c.startedAt,
    lastInboundAt: c.lastInboundAt,
    windowExpiresAt: c.windowExpiresAt,
    expiresAt: c.expiresAt,
    turns: turns
      .filter((t) => t.conversationId === c.id)
      .map((t) => ({ id: t.id, inboundMessageId: t.inboundMessageId, intent: t.intent, stepBefore: t.stepBefore, stepAfter: t.stepAfter, reply: t.reply, replyWithheld: t.replyWithheld, handled: t.handled, effects: t.effects, at: t.createdAt })),
  }));
}
