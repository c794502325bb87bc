/**
 * Answers one WhatsApp message from a debtor: the self-service conversation's turn.
 *
 * 1. The message must be attributed to a debtor and not answered before (one turn per inbound message, unique).
 * 2. Debtors who opted out of WhatsApp, or whose account is under a hold that stops all contact (legal action,
 *    insolvency, death), get no automated answer: the message stays unhandled for a person (and, for the holds, a
 *    task says so).
 * 3. The debtor's active conversation is taken (or started; an idle one past its expiry is closed and a new one
 *    begun) and held with a short lease, so two messages of one debtor are answered one after the other.
 * 4. The pure machine runs: the message, then each effect it asks for (run through negotiation and payments with an
 *    idempotency key derived from the inbound message) until none is left.
 * 5. In one transaction: the turn, the new state, the window (the message's receipt + 24 h), the reply in the outbox
 *    (free-form text, key derived from the inbound message, judged by the free-form reply gate) and the message
 *    marked handled — unless an advisor was asked for or the reply could not be sent, in which case it stays for a
 *    person and the debtor's automation stays paused.
 */
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { inboundMessages, tasks } from '../../db/schema.ts';
import { conversations, conversationTurns } from '../../db/tables/conversations.ts';
import { initialState, step, type ConversationEffect, type ConversationState, type EffectOutcome, type StepResult } from '../../domain/conversation/index.ts';
import { CUSTOMER_SERVICE_WINDOW_MS, enqueueFreeFormReply, HISTORY_DAYS, judgeFreeFormReply, loadGateFacts } from '../messaging/index.ts';
import type { Ctx } from '../shared/context.ts';
import { loadConversationFacts, type DebtorFacts } from './load-facts.ts';
import { runEffect, TASK_KINDS } from './run-effect.ts';

/** An idle conversation ends this long after the debtor's last message. */
export const CONVERSATION_IDLE_MS = CUSTOMER_SERVICE_WINDOW_MS;
/** How long one turn may hold its conversation. */
const LEASE_MS = 60_000;
/** Effects one message may cause (the machine chains at most two; more is a loop). */
const MAX_EFFECTS = 6;
const STOPPING_HOLDS = ['legal', 'bankruptcy', 'deceased'];

export type HandleInboundResult =
  | { kind: 'skipped'; reason: 'not_whatsapp' | 'not_attributed' | 'already_answered' | 'opted_out' | 'hold' | 'window_closed' | 'busy' }
  | { kind: 'failed'; error: string }
  | {
      kind: 'answered';
      conversationId: number;
      turnId: number;
      intent: string | null;
      step: string;
      /** The text queued for the debtor, or null. */
      reply: string | null;
      outboxMessageId: number | null;
      /** Why a reply the machine wrote was not queued. */
      withheld: string | null;
      handled: boolean;
      effects: Array<{ effect: ConversationEffect; outcome: EffectOutcome }>;
    };

type ConversationRow = typeof conversations.$inferSelect;

/** Handles the inbound message `inboundId` (see the module comment). Safe to call again: the second call does nothing. */
export async function handleInboundMessage(ctx: Ctx, options: { inboundId: number }): Promise<HandleInboundResult> {
  const { db } = ctx.database;
  const [inbound] = await db.select().from(inboundMessages).where(and(eq(inboundMessages.companyId, ctx.companyId), eq(inboundMessages.id, options.inboundId)));
  if (!inbound) return { kind: 'skipped', reason: 'not_attributed' };
  if (inbound.channel !== 'whatsapp') return { kind: 'skipped', reason: 'not_whatsapp' };
  if (inbound.debtorId === null) return { kind: 'skipped', reason: 'not_attributed' };
  const debtorId = inbound.debtorId;
  const [done] = await db.select({ id: conversationTurns.id }).from(conversationTurns).where(eq(conversationTurns.inboundMessageId, inbound.id));
  if (done) return { kind: 'skipped', reason: 'already_answered' };

  const now = ctx.clock.now();
  const windowExpiresAt = new Date(inbound.receivedAt.getTime() + CUSTOMER_SERVICE_WINDOW_MS);
  // A message delivered after its own window closed (a webhook held up a day) could never be answered: a person
  // takes it, and nothing is recorded on the debtor's behalf that they would never see confirmed.
  if (windowExpiresAt <= now) return { kind: 'skipped', reason: 'window_closed' };
  const firstFacts = await loadConversationFacts(ctx, debtorId);
  const gate = (await loadGateFacts(ctx, [debtorId], { onDate: firstFacts.today, since: new Date(now.getTime() - HISTORY_DAYS * 86_400_000) })).get(debtorId)!;
  const optOutMessage = inbound.handledAt !== null && gate.optOuts.includes('whatsapp');
  if (gate.optOuts.includes('whatsapp') && !optOutMessage) return { kind: 'skipped', reason: 'opted_out' };
  const stop = gate.holds.find((h) => STOPPING_HOLDS.includes(h));
  if (stop) {
    await taskForPerson(ctx, firstFacts, inbound.id, `Mensaje por WhatsApp de un deudor con suspensión (${stop}); no se respondió automáticamente: "${inbound.text}"`);
    return { kind: 'skipped', reason: 'hold' };
  }

  const conversation = await claimConversation(ctx, debtorId, inbound.fromAddress, inbound.receivedAt);
  if (!conversation) return { kind: 'skipped', reason: 'busy' };
  try {
    const facts = await loadConversationFacts(ctx, debtorId);
    const before = (conversation.state as unknown as ConversationState) ?? initialState();
    const results: StepResult[] = [step(before, { kind: 'message', text: inbound.text }, facts)];
    const effects: Array<{ effect: ConversationEffect; outcome: EffectOutcome }> = [];
    for (let r = results[0]!; r.effect; ) {
      if (effects.length >= MAX_EFFECTS) throw new Error(`conversation ${conversation.id}: more than ${MAX_EFFECTS} effects for one message`);
      const outcome = await runEffect(ctx, facts, r.effect, `conversation:${inbound.id}:${effects.length}:${r.effect.kind}`);
      effects.push({ effect: r.effect, outcome });
      r = step(r.state, { kind: 'outcome', outcome }, facts);
      results.push(r);
    }
    const last = results[results.length - 1]!;
    const text = results.flatMap((r) => r.replies).join('\n\n').trim();
    // Opting out is confirmed by the messaging module's own message; the machine writes nothing for it.
    const judged = text ? judgeFreeFormReply(gate, 'whatsapp', windowExpiresAt, now) : null;
    const withheld = judged && !judged.allowed ? `${judged.rule}: ${judged.reason}` : null;
    const handled = results.every((r) => r.handled) && withheld === null;
    return await persist(ctx, { conversation, inbound, facts, state: last.state, before, text, judgedAllowed: judged?.allowed ?? false, withheld, handled, windowExpiresAt, effects, intent: results[0]!.intent });
  } catch (error) {
    await release(ctx, conversation.id);
    throw error;
  }
}

interface PersistInput {
  conversation: ConversationRow;
  inbound: typeof inboundMessages.$inferSelect;
  facts: DebtorFacts;
  state: ConversationState;
  before: ConversationState;
  text: string;
  judgedAllowed: boolean;
  withheld: string | null;
  handled: boolean;
  windowExpiresAt: Date;
  effects: Array<{ effect: ConversationEffect; outcome: EffectOutcome }>;
  intent: string | null;
}

async function persist(ctx: Ctx, p: PersistInput): Promise<HandleInboundResult> {
  const now = ctx.clock.now();
  // Messages can arrive out of order; the window runs from the latest one received.
  const lastInboundAt = p.conversation.turns === 0 || p.inbound.receivedAt > p.conversation.lastInboundAt ? p.inbound.receivedAt : p.conversation.lastInboundAt;
  const windowExpiresAt = new Date(lastInboundAt.getTime() + CUSTOMER_SERVICE_WINDOW_MS);
  const closed = p.state.step.name === 'closed';
  return ctx.database.db.transaction(async (tx) => {
    const outboxMessageId =
      p.text && p.judgedAllowed
        ? await enqueueFreeFormReply(
            ctx,
            { debtorId: p.facts.debtorId, channel: 'whatsapp', to: p.inbound.fromAddress, text: p.text, idempotencyKey: `conversation:reply:${p.inbound.id}`, cause: `conversation:${p.conversation.id}`, windowExpiresAt: p.windowExpiresAt, causeDate: p.facts.companyToday },
            tx,
          )
        : null;
    const [turn] = await tx
      .insert(conversationTurns)
      .values({
        companyId: ctx.companyId,
        conversationId: p.conversation.id,
        inboundMessageId: p.inbound.id,
        intent: p.intent,
        stepBefore: p.before.step.name,
        stepAfter: p.state.step.name,
        effects: p.effects.map((e) => JSON.parse(JSON.stringify(e)) as Record<string, unknown>),
        reply: p.text || null,
        outboxMessageId,
        replyWithheld: p.withheld,
        handled: p.handled,
        createdAt: now,
      })
      .returning({ id: conversationTurns.id });
    await tx
      .update(conversations)
      .set({
        state: p.state as unknown as Record<string, unknown>,
        lastInboundAt,
        windowExpiresAt,
        expiresAt: new Date(lastInboundAt.getTime() + CONVERSATION_IDLE_MS),
        turns: sql`${conversations.turns} + 1`,
        busyUntil: null,
        ...(closed ? { status: 'closed', closedAt: now } : {}),
        updatedAt: now,
      })
      .where(eq(conversations.id, p.conversation.id));
    if (p.handled) await tx.update(inboundMessages).set({ handledAt: now }).where(and(eq(inboundMessages.id, p.inbound.id), isNull(inboundMessages.handledAt)));
    return {
      kind: 'answered',
      conversationId: p.conversation.id,
      turnId: turn!.id,
      intent: p.intent,
      step: p.state.step.name,
      reply: outboxMessageId !== null ? p.text : null,
      outboxMessageId,
      withheld: p.withheld,
      handled: p.handled,
      effects: p.effects,
    } satisfies HandleInboundResult;
  });
}

/**
 * The debtor's active WhatsApp conversation, held for this turn: an idle one past its expiry is closed as expired and
 * a new one started. Null when another turn holds it for longer than we wait.
 */
async function claimConversation(ctx: Ctx, debtorId: number, address: string, receivedAt: Date): Promise<ConversationRow | null> {
  const { db } = ctx.database;
  for (let attempt = 0; attempt < 50; attempt++) {
    const now = ctx.clock.now();
    const [active] = await db.select().from(conversations).where(and(eq(conversations.companyId, ctx.companyId), eq(conversations.debtorId, debtorId), eq(conversations.channel, 'whatsapp'), eq(conversations.status, 'active')));
    if (active && active.expiresAt <= now) {
      await db.update(conversations).set({ status: 'expired', closedAt: now, updatedAt: now }).where(and(eq(conversations.id, active.id), eq(conversations.status, 'active')));
      continue;
    }
    if (!active) {
      const [created] = await db
        .insert(conversations)
        .values({
          companyId: ctx.companyId,
          debtorId,
          channel: 'whatsapp',
          state: initialState() as unknown as Record<string, unknown>,
          address,
          startedAt: now,
          lastInboundAt: receivedAt,
          windowExpiresAt: new Date(receivedAt.getTime() + CUSTOMER_SERVICE_WINDOW_MS),
          expiresAt: new Date(Math.max(receivedAt.getTime() + CONVERSATION_IDLE_MS, now.getTime() + LEASE_MS)),
          busyUntil: new Date(now.getTime() + LEASE_MS),
          createdAt: now,
          updatedAt: now,
        })
        .onConflictDoNothing()
        .returning();
      if (created) return created;
      continue; // another turn started it first
    }
    const [claimed] = await db
      .update(conversations)
      .set({ busyUntil: new Date(now.getTime() + LEASE_MS), address, updatedAt: now })
      .where(and(eq(conversations.id, active.id), eq(conversations.status, 'active'), or(isNull(conversations.busyUntil), lt(conversations.busyUntil, now))))
      .returning();
    if (claimed) return claimed;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return null;
}

async function release(ctx: Ctx, conversationId: number): Promise<void> {
  await ctx.database.db.update(conversations).set({ busyUntil: null }).where(eq(conversations.id, conversationId));
}

async function taskForPerson(ctx: Ctx, facts: DebtorFacts, inboundId: number, note: string): Promise<void> {
  const now = ctx.clock.now();
  await ctx.database.db
    .insert(tasks)
    .values({ companyId: ctx.companyId, debtorId: facts.debtorId, kind: TASK_KINDS.verify_payment, dueOn: facts.companyToday, status: 'open', cause: 'conversation:held', idempotencyKey: `conversation:${inboundId}:held`, note, createdAt: now, updatedAt: now })
    .onConflictDoNothing({ target: [tasks.companyId, tasks.idempotencyKey] });
}
