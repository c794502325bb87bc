/**
 * Tables of the conversations module: WhatsApp self-service conversations and the turns they are made of.
 *
 * A conversation is one debtor on one channel; at most one is active at a time (partial unique index). Its state is
 * the pure machine's JSON (src/domain/conversation/machine.ts). `window_expires_at` is the end of the customer
 * service window the debtor's last message opened (its receipt + 24 h): free-form replies are only sent before it.
 * Each inbound message is one turn at most (unique inbound id), so a replayed webhook never answers twice.
 */
import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { companyId, debtorId, inboundMessages, outboxMessages } from '../schema.ts';

export const conversations = pgTable(
  'conversations',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    companyId: companyId(),
    debtorId: debtorId(),
    channel: text('channel').notNull(),
    /** active | closed | expired */
    status: text('status').notNull().default('active'),
    /** The machine's state (version, step, misunderstood count). */
    state: jsonb('state').$type<Record<string, unknown>>().notNull(),
    /** The debtor's address on the channel (E.164 for WhatsApp), where replies go. */
    address: text('address').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    lastInboundAt: timestamp('last_inbound_at', { withTimezone: true }).notNull(),
    /** last_inbound_at + 24 h: free-form replies only before this instant. */
    windowExpiresAt: timestamp('window_expires_at', { withTimezone: true }).notNull(),
    /** A conversation idle past this instant is expired; the debtor's next message starts a new one. */
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    turns: integer('turns').notNull().default(0),
    /** Held while one message is being answered, so two messages of one debtor are answered one after the other. */
    busyUntil: timestamp('busy_until', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('conversations_active_uq').on(t.companyId, t.debtorId, t.channel).where(sql`status = 'active'`),
    index('conversations_debtor_idx').on(t.debtorId, t.startedAt),
    index('conversations_expiry_idx').on(t.companyId, t.status, t.expiresAt),
  ],
);

/** One debtor message and what the conversation did with it. */
export const conversationTurns = pgTable(
  'conversation_turns',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    companyId: companyId(),
    conversationId: bigint('conversation_id', { mode: 'number' })
      .notNull()
      .references(() => conversations.id),
    inboundMessageId: bigint('inbound_message_id', { mode: 'number' })
      .notNull()
      .references(() => inboundMessages.id),
    /** What the message was understood as. */
    intent: text('intent'),
    stepBefore: text('step_before').notNull(),
    stepAfter: text('step_after').notNull(),
    /** Effects run, each with its outcome. */
    effects: jsonb('effects').$type<Array<Record<string, unknown>>>().notNull().default([]),
    /** The text answered (all replies of the turn, joined), or null when nothing was sent. */
    reply: text('reply'),
    /** The reply's outbox row. */
    outboxMessageId: bigint('outbox_message_id', { mode: 'number' }).references(() => outboxMessages.id),
    /** Why no reply was sent although the machine had one (opt-out, window closed, hold…). */
    replyWithheld: text('reply_withheld'),
    handled: boolean('handled').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('conversation_turns_inbound_uq').on(t.inboundMessageId), index('conversation_turns_conversation_idx').on(t.conversationId, t.id)],
);
