/** Closes conversations idle past their expiry, so reports count live conversations only. Safe to run any time. */
import { and, eq, lte } from 'drizzle-orm';
import { conversations } from '../../db/tables/conversations.ts';
import type { Ctx } from '../shared/context.ts';

/** Marks active conversations whose expiry has passed as expired; returns how many. */
export async function expireConversations(ctx: Ctx): Promise<number> {
  const now = ctx.clock.now();
  const rows = await ctx.database.db
    .update(conversations)
    .set({ status: 'expired', closedAt: now, busyUntil: null, updatedAt: now })
    .where(and(eq(conversations.companyId, ctx.companyId), eq(conversations.status, 'active'), lte(conversations.expiresAt, now)))
    .returning({ id: conversations.id });
  return rows.length;
}
