/**
 * Replies from debtors, as a person works them: the list of replies waiting for someone (or all of them), and
 * marking one handled. A reply pauses the debtor's strategy (planning leaves out debtors with an unhandled reply);
 * handling it resumes the strategy at the next planning, unless a later reply is still waiting.
 *
 * Handling reply N also handles the same debtor's earlier unhandled replies: whoever answers the latest message has
 * read the conversation up to it. A reply that arrived after N stays waiting. Handling is audited (`reply.handle`)
 * in the same transaction; handling an already handled reply changes nothing and is not an error.
 */
import { and, desc, eq, isNotNull, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { debtors, inboundMessages } from '../../db/schema.ts';
import { recordAudit } from '../access/audit.ts';
import { visibleDebtorFilter } from '../access/visibility.ts';
import { AppError } from '../shared/errors.ts';
import type { Ctx } from '../shared/context.ts';
import { t } from '../../domain/text.ts';

export const REPLY_STATUSES = ['unhandled', 'handled', 'all'] as const;
export type ReplyStatus = (typeof REPLY_STATUSES)[number];

export interface ReplyView {
  id: number;
  debtorId: number | null;
  /** Null when the sender's address matched no debtor (or several). */
  debtorExternalId: string | null;
  debtorName: string | null;
  channel: string;
  provider: string | null;
  from: string;
  text: string;
  receivedAt: Date;
  handledAt: Date | null;
}

const MAX_LIMIT = 500;

/** Replies, newest first; `before` is the id cursor of the next page (the last id of the previous one). */
export async function listReplies(
  ctx: Ctx,
  options: { status?: ReplyStatus | undefined; debtorExternalId?: string | undefined; limit?: number | undefined; before?: number | undefined } = {},
): Promise<{ data: ReplyView[]; nextBefore: number | null }> {
  const status = options.status ?? 'unhandled';
  const limit = Math.min(Math.max(options.limit ?? 50, 1), MAX_LIMIT);
  const rows = await ctx.database.db
    .select({
      id: inboundMessages.id,
      debtorId: inboundMessages.debtorId,
      debtorExternalId: debtors.externalId,
      debtorName: debtors.name,
      channel: inboundMessages.channel,
      provider: inboundMessages.provider,
      from: inboundMessages.fromAddress,
      text: inboundMessages.text,
      receivedAt: inboundMessages.receivedAt,
      handledAt: inboundMessages.handledAt,
    })
    .from(inboundMessages)
    .leftJoin(debtors, eq(debtors.id, inboundMessages.debtorId))
    .where(
      and(
        eq(inboundMessages.companyId, ctx.companyId),
        status === 'unhandled' ? isNull(inboundMessages.handledAt) : status === 'handled' ? isNotNull(inboundMessages.handledAt) : undefined,
        options.debtorExternalId !== undefined ? eq(debtors.externalId, options.debtorExternalId) : undefined,
        options.before !== undefined ? lt(inboundMessages.id, options.before) : undefined,
        visibleDebtorFilter(ctx, inboundMessages.debtorId),
      ),
    )
    .orderBy(desc(inboundMessages.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return { data: page, nextBefore: rows.length > limit ? page[page.length - 1]!.id : null };
}

export interface HandleReplyResult {
  reply: ReplyView;
  /** True when it had been handled before: nothing changed. */
  alreadyHandled: boolean;
  /** Every reply marked handled by this call (this one and the debtor's earlier waiting ones). */
  handledIds: number[];
  /** No reply of the debtor is waiting any more: the strategy resumes at the next planning. */
  strategyResumed: boolean;
}

/** Marks reply `id` (and the same debtor's earlier unhandled replies) handled. */
export async function handleReply(ctx: Ctx, input: { id: number }): Promise<HandleReplyResult> {
  if (!Number.isSafeInteger(input.id) || input.id <= 0) throw new AppError('validation_failed', t(`reply id must be a positive whole number, got "${input.id}"`, `el id de la respuesta debe ser un número entero positivo; se recibió "${input.id}"`), [{ path: 'id', reason: t('not a positive integer', 'no es un entero positivo') }]);
  return ctx.database.db.transaction(async (tx) => {
    // Locked, so two people handling the same reply at once audit it once.
    const [row] = await tx
      .select()
      .from(inboundMessages)
      .where(and(eq(inboundMessages.companyId, ctx.companyId), eq(inboundMessages.id, input.id), visibleDebtorFilter(ctx, inboundMessages.debtorId)))
      .for('update');
    if (!row) throw new AppError('not_found', t(`reply ${input.id} does not exist`, `no existe la respuesta ${input.id}`));
    const [debtor] = row.debtorId === null ? [] : await tx.select({ externalId: debtors.externalId, name: debtors.name }).from(debtors).where(eq(debtors.id, row.debtorId));
    const view = (handledAt: Date | null): ReplyView => ({
      id: row.id,
      debtorId: row.debtorId,
      debtorExternalId: debtor?.externalId ?? null,
      debtorName: debtor?.name ?? null,
      channel: row.channel,
      provider: row.provider,
      from: row.fromAddress,
      text: row.text,
      receivedAt: row.receivedAt,
      handledAt,
    });
    const waiting = async () =>
      row.debtorId === null
        ? 0
        : ((await tx.select({ n: sql<number>`count(*)::int` }).from(inboundMessages).where(and(eq(inboundMessages.debtorId, row.debtorId), isNull(inboundMessages.handledAt))))[0]?.n ?? 0);
    if (row.handledAt !== null) return { reply: view(row.handledAt), alreadyHandled: true, handledIds: [], strategyResumed: row.debtorId !== null && (await waiting()) === 0 };

    const now = ctx.clock.now();
    const handled = await tx
      .update(inboundMessages)
      .set({ handledAt: now })
      .where(
        and(
          eq(inboundMessages.companyId, ctx.companyId),
          isNull(inboundMessages.handledAt),
          row.debtorId === null
            ? eq(inboundMessages.id, row.id)
            : or(eq(inboundMessages.id, row.id), and(eq(inboundMessages.debtorId, row.debtorId), lte(inboundMessages.receivedAt, row.receivedAt))),
        ),
      )
      .returning({ id: inboundMessages.id });
    const handledIds = handled.map((h) => h.id).sort((a, b) => a - b);
    const resumed = row.debtorId !== null && (await waiting()) === 0;
    await recordAudit(
      ctx,
      {
        action: 'reply.handle',
        entity: 'inbound_message',
        entityId: row.id,
        before: { handled_at: null },
        after: { handled_at: now.toISOString(), handled_ids: handledIds, debtor: debtor?.externalId ?? null, strategy_resumed: resumed },
      },
      tx,
    );
    return { reply: view(now), alreadyHandled: false, handledIds, strategyResumed: resumed };
  });
}
