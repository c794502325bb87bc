/**
 * Free-form replies inside the WhatsApp customer service window.
 *
 * A debtor's message opens a 24-hour window in which the business may answer with free text (outside it only approved
 * templates may be sent). Replies go through the outbox like every other message, with an idempotency key derived from
 * the inbound message they answer, so a replayed webhook never answers twice. They are judged by their own gate, not
 * the collection contact gate: they answer the debtor, at the hour the debtor chose, so hours and caps do not apply,
 * but the window, the opt-out, a refused consent and the holds under which the law stops all contact (legal action,
 * insolvency, death) do. Being contacts all the same, they count in the history the collection gate caps.
 */
import { outboxMessages } from '../../db/schema.ts';
import type { PlainDate } from '../../domain/calendar.ts';
import type { Ctx } from '../shared/context.ts';
import type { GateFacts } from './gate.ts';
import { reasonText, type ContactReason } from '../../domain/compliance/index.ts';

/** The template key of a free-form reply row: its text is the row's `variables.text`. */
export const FREE_FORM_REPLY_KEY = 'free_form_reply';
/** The cause of a free-form reply row; dispatch judges these with `judgeFreeFormReply`. */
export const FREE_FORM_CAUSE_PREFIX = 'reply:';
/** How long a debtor's message keeps the window open. */
export const CUSTOMER_SERVICE_WINDOW_MS = 24 * 3600_000;
/** WhatsApp's limit for a text body. */
export const FREE_FORM_MAX_CHARS = 4096;

/** Holds under which no contact at all is made, not even an answer. */
const STOPPING_HOLDS = ['legal', 'bankruptcy', 'deceased'] as const;

export interface FreeFormJudgement {
  allowed: boolean;
  rule: string;
  /** Why, as data: what the compliance log stores. */
  reasonCode: ContactReason;
  /** Why, in Spanish. */
  reason: string;
  nextAllowedAt: null;
  ruleSet: null;
}

function judgement(allowed: boolean, rule: string, reasonCode: ContactReason): FreeFormJudgement {
  return { allowed, rule, reasonCode, reason: reasonText(reasonCode, 'es'), nextAllowedAt: null, ruleSet: null };
}

/** Whether a free-form reply may be sent at `now`. Refusals are final: a closed window does not reopen by itself. */
export function judgeFreeFormReply(facts: GateFacts, channel: string, windowExpiresAt: Date | null, now: Date): FreeFormJudgement {
  if (facts.optOuts.includes(channel as never)) return judgement(false, `optout.${channel}`, { code: 'reply_optout', channel });
  if (facts.consent[channel as never] === 'denied') return judgement(false, 'consent.denied', { code: 'reply_consent_denied', channel });
  const stop = STOPPING_HOLDS.find((h) => facts.holds.includes(h));
  if (stop) return judgement(false, `hold.${stop}`, { code: 'reply_hold', hold: stop });
  if (windowExpiresAt === null || now.getTime() >= windowExpiresAt.getTime()) return judgement(false, 'whatsapp.window_closed', { code: 'window_closed' });
  return judgement(true, 'reply.in_window', { code: 'reply_in_window' });
}

/** The window end a reply row carries, or null when it has none (which refuses it). */
export function windowOf(variables: Record<string, unknown>): Date | null {
  const v = variables.window_expires_at;
  if (typeof v !== 'string') return null;
  const at = new Date(v);
  return Number.isNaN(at.getTime()) ? null : at;
}

/**
 * Writes a free-form reply to the outbox, once per `idempotencyKey`. Returns the row's id, or null when a row with
 * that key already existed (a replay). Pass the transaction as `db` to write it with the rest of a change.
 */
export async function enqueueFreeFormReply(
  ctx: Ctx,
  reply: { debtorId: number; channel: 'whatsapp'; to: string; text: string; idempotencyKey: string; cause: string; windowExpiresAt: Date; causeDate: PlainDate },
  db: Ctx['database']['db'] = ctx.database.db,
): Promise<number | null> {
  const now = ctx.clock.now();
  const text = reply.text.length > FREE_FORM_MAX_CHARS ? `${reply.text.slice(0, FREE_FORM_MAX_CHARS - 1)}…` : reply.text;
  const inserted = await db
    .insert(outboxMessages)
    .values({
      companyId: ctx.companyId,
      debtorId: reply.debtorId,
      channel: reply.channel,
      templateKey: FREE_FORM_REPLY_KEY,
      language: 'es-MX',
      idempotencyKey: reply.idempotencyKey,
      cause: `${FREE_FORM_CAUSE_PREFIX}${reply.cause}`,
      causeDate: reply.causeDate,
      recipient: reply.to,
      scheduledFor: now,
      nextAttemptAt: now,
      maxAttempts: 3,
      variables: { text, window_expires_at: reply.windowExpiresAt.toISOString() },
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing({ target: [outboxMessages.companyId, outboxMessages.idempotencyKey] })
    .returning({ id: outboxMessages.id });
  return inserted[0]?.id ?? null;
}
