/**
 * What providers tell us after a send (webhooks, normalised to InboundEvent by the adapters):
 * - a delivery status moves the outbox row forward (sent → delivered → read; failed/bounced ends it and plans the
 *   fallback channel) and is kept once in message_events, so a replayed webhook changes nothing;
 * - a debtor's message is kept once in inbound_messages (by provider id) and attached to the debtor whose address it
 *   came from. "BAJA", "STOP" or "ALTO" opts the debtor out of that channel at once and queues one confirmation;
 *   any other reply pauses the debtor's strategy until a person marks it handled (`markReplyHandled`).
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import { consents, debtors, inboundMessages, messageEvents, outboxMessages } from '../../db/schema.ts';
import { dateInZone } from '../../domain/calendar.ts';
import { notFound } from '../shared/errors.ts';
import type { Ctx } from '../shared/context.ts';
import { contactRulesResolver } from './contact-rules.ts';
import { HISTORY_DAYS, loadGateFacts } from './gate.ts';
import { createFallback } from './outbox-fallback.ts';
import type { InboundEvent } from './ports.ts';
import { loadAutomationSettings } from './settings.ts';

/** Words that opt a debtor out of the channel they were written on (compared without accents, case or punctuation). */
export const OPT_OUT_WORDS = ['BAJA', 'STOP', 'ALTO', 'STOPALL', 'UNSUBSCRIBE', 'CANCELAR SUSCRIPCION'] as const;

/** The cause of an opt-out confirmation row; dispatch sends these without the gate (it is not a collection contact). */
export const OPT_OUT_CAUSE_PREFIX = 'optout:';

const RANK: Record<string, number> = { pending: 0, sending: 1, sent: 2, delivered: 3, read: 4 };

export function isOptOut(text: string): boolean {
  const normal = text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/[^A-Z ]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return (OPT_OUT_WORDS as readonly string[]).includes(normal);
}

export type ProviderEventResult =
  | { kind: 'status'; recorded: boolean; outboxMessageId: number | null; status: string }
  | { kind: 'message'; recorded: boolean; inboundId: number | null; debtorId: number | null; optedOut: boolean };

/** Records one provider event; safe to call again with the same event. */
export async function recordProviderEvent(ctx: Ctx, options: { event: InboundEvent; provider?: string | undefined }): Promise<ProviderEventResult> {
  const e = options.event;
  return e.kind === 'status' ? recordStatus(ctx, e) : recordMessage(ctx, e, options.provider ?? null);
}

async function recordStatus(ctx: Ctx, e: Extract<InboundEvent, { kind: 'status' }>): Promise<ProviderEventResult> {
  const { db } = ctx.database;
  const [row] = await db
    .select()
    .from(outboxMessages)
    .where(and(eq(outboxMessages.companyId, ctx.companyId), eq(outboxMessages.channel, e.channel), eq(outboxMessages.providerMessageId, e.providerMessageId)));
  if (!row) return { kind: 'status', recorded: false, outboxMessageId: null, status: e.status };
  const inserted = await db
    .insert(messageEvents)
    .values({ companyId: ctx.companyId, outboxMessageId: row.id, status: e.status, at: e.at, detail: e.error ?? null, createdAt: ctx.clock.now() })
    .onConflictDoNothing({ target: [messageEvents.outboxMessageId, messageEvents.status] })
    .returning({ id: messageEvents.id });
  if (inserted.length === 0) return { kind: 'status', recorded: false, outboxMessageId: row.id, status: e.status };
  const now = ctx.clock.now();
  if (e.status === 'failed' || e.status === 'bounced') {
    const updated = await db
      .update(outboxMessages)
      .set({ status: 'failed', failedAt: e.at, lastError: e.error ?? e.status, updatedAt: now })
      .where(and(eq(outboxMessages.id, row.id), sql`${outboxMessages.status} IN ('sending', 'sent', 'delivered')`))
      .returning({ id: outboxMessages.id });
    if (updated.length) await fallbackAfterDeliveryFailure(ctx, row);
  } else if (e.status === 'delivered' || e.status === 'read') {
    // Statuses arrive out of order; a row only moves forward.
    const rank = RANK[e.status]!;
    await db
      .update(outboxMessages)
      .set({ status: e.status, ...(e.status === 'delivered' ? { deliveredAt: e.at } : { readAt: e.at }), updatedAt: now })
      .where(and(eq(outboxMessages.id, row.id), sql`(CASE ${outboxMessages.status} WHEN 'pending' THEN 0 WHEN 'sending' THEN 1 WHEN 'sent' THEN 2 WHEN 'delivered' THEN 3 WHEN 'read' THEN 4 ELSE 99 END) < ${rank}`));
    if (e.status === 'read') await db.update(outboxMessages).set({ deliveredAt: e.at }).where(and(eq(outboxMessages.id, row.id), isNull(outboxMessages.deliveredAt)));
  }
  return { kind: 'status', recorded: true, outboxMessageId: row.id, status: e.status };
}

async function fallbackAfterDeliveryFailure(ctx: Ctx, row: typeof outboxMessages.$inferSelect): Promise<void> {
  const [debtor] = await ctx.database.db.select().from(debtors).where(eq(debtors.id, row.debtorId));
  if (!debtor) return;
  const settings = await loadAutomationSettings(ctx);
  const now = ctx.clock.now();
  const today = dateInZone(now, settings.timeZone);
  const facts = (await loadGateFacts(ctx, [row.debtorId], { onDate: today, since: new Date(now.getTime() - HISTORY_DAYS * 86_400_000) })).get(row.debtorId)!;
  await createFallback(ctx, row, debtor, contactRulesResolver(settings)(debtor.country), facts, today);
}

const digits = (s: string) => s.replace(/\D/g, '');

async function recordMessage(ctx: Ctx, e: Extract<InboundEvent, { kind: 'message' }>, provider: string | null): Promise<ProviderEventResult> {
  const { db } = ctx.database;
  const from = e.from.trim();
  const match =
    e.channel === 'email'
      ? sql`lower(email) = lower(${from})`
      : e.channel === 'whatsapp'
        ? sql`regexp_replace(coalesce(whatsapp, phone), '\\D', '', 'g') = ${digits(from)}`
        : sql`regexp_replace(phone, '\\D', '', 'g') = ${digits(from)}`;
  const found = await ctx.database.query<{ id: string | number }>(sql`SELECT id FROM debtors WHERE company_id = ${ctx.companyId} AND ${match} ORDER BY id LIMIT 2`);
  // An address shared by two debtors cannot be attributed; a person sorts it out.
  const debtorId = found.length === 1 ? Number(found[0]!.id) : null;
  const optOut = debtorId !== null && isOptOut(e.text);
  const now = ctx.clock.now();
  const inserted = await db
    .insert(inboundMessages)
    .values({
      companyId: ctx.companyId,
      debtorId,
      channel: e.channel,
      provider,
      providerMessageId: e.providerMessageId,
      fromAddress: from,
      text: e.text,
      receivedAt: e.at,
      handledAt: optOut ? now : null,
      createdAt: now,
    })
    .onConflictDoNothing({ target: [inboundMessages.companyId, inboundMessages.channel, inboundMessages.providerMessageId] })
    .returning({ id: inboundMessages.id });
  const inboundId = inserted[0]?.id ?? null;
  if (inboundId === null) return { kind: 'message', recorded: false, inboundId: null, debtorId, optedOut: false };
  if (optOut) await optOutDebtor(ctx, debtorId, e.channel, from, inboundId);
  return { kind: 'message', recorded: true, inboundId, debtorId, optedOut: optOut };
}

async function optOutDebtor(ctx: Ctx, debtorId: number, channel: string, from: string, inboundId: number): Promise<void> {
  const { db } = ctx.database;
  const now = ctx.clock.now();
  const [before] = await db.select().from(consents).where(and(eq(consents.debtorId, debtorId), eq(consents.channel, channel)));
  await db
    .insert(consents)
    .values({ companyId: ctx.companyId, debtorId, channel, status: before?.status ?? 'unknown', optedOutAt: now, source: `inbound:${channel}`, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({ target: [consents.debtorId, consents.channel], set: { optedOutAt: now, source: `inbound:${channel}`, updatedAt: now } });
  // Confirm once: a debtor already opted out who writes BAJA again gets no second confirmation.
  if (before?.optedOutAt) return;
  const settings = await loadAutomationSettings(ctx);
  await db
    .insert(outboxMessages)
    .values({
      companyId: ctx.companyId,
      debtorId,
      channel,
      templateKey: 'optout_confirmation',
      language: settings.locale.toLowerCase().startsWith('en') ? 'en' : 'es-MX',
      idempotencyKey: `${OPT_OUT_CAUSE_PREFIX}${debtorId}:${channel}:${inboundId}`,
      cause: `${OPT_OUT_CAUSE_PREFIX}${inboundId}`,
      causeDate: dateInZone(now, settings.timeZone),
      recipient: from,
      scheduledFor: now,
      nextAttemptAt: now,
      maxAttempts: 3,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing({ target: [outboxMessages.companyId, outboxMessages.idempotencyKey] });
}

/** Marks a debtor's replies handled, so their strategy resumes at the next planning. Returns how many. */
export async function markReplyHandled(ctx: Ctx, options: { debtorExternalId: string }): Promise<number> {
  const [d] = await ctx.database.db.select({ id: debtors.id }).from(debtors).where(and(eq(debtors.companyId, ctx.companyId), eq(debtors.externalId, options.debtorExternalId)));
  if (!d) throw notFound('debtor', options.debtorExternalId);
  const rows = await ctx.database.db
    .update(inboundMessages)
    .set({ handledAt: ctx.clock.now() })
    .where(and(eq(inboundMessages.companyId, ctx.companyId), eq(inboundMessages.debtorId, d.id), isNull(inboundMessages.handledAt)))
    .returning({ id: inboundMessages.id });
  return rows.length;
}
