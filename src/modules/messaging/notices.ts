/**
 * Notices: messages that answer something the debtor did or asked for — the written agreement of a payment plan,
 * the outcome of a dispute. They go through the outbox and the compliance gate like any contact (hours, holidays,
 * caps, opt-outs, consent, the holds the law or the debtor placed), with one difference: the holds that exist
 * because of the debtor's own arrangement (`agreement`, `promise`) do not stop them, since the notice is about that
 * arrangement. One row per idempotency key, so a replay never sends a notice twice.
 *
 * The channel is chosen when the notice is queued: the first of the preferred channels (email first) for which the
 * debtor has an address and the gate does not refuse for good (opted out, consent denied or required and missing).
 * When every channel with an address is refused, the row is queued on the first one anyway, so the refusal is
 * recorded at dispatch and shows on the debtor's timeline.
 */
import { and, eq } from 'drizzle-orm';
import { debtors, outboxMessages } from '../../db/schema.ts';
import type { PlainDate } from '../../domain/calendar.ts';
import type { Ctx } from '../shared/context.ts';
import { contactRulesResolver } from './contact-rules.ts';
import { factsForCause, HISTORY_DAYS, judgeContactStable, loadGateFacts, NOTICE_CAUSE_PREFIX } from './gate.ts';
import { loadAutomationSettings } from './settings.ts';

/** Channels a notice may go by, in the order tried. */
export const NOTICE_CHANNELS = ['email', 'whatsapp', 'sms'] as const;
export type NoticeChannel = (typeof NOTICE_CHANNELS)[number];

export interface NoticeInput {
  debtorId: number;
  templateKey: string;
  /** es-MX or en. */
  language: string;
  /** Unique per company: the same key twice is one message. */
  idempotencyKey: string;
  /** What the notice is about, after the prefix: e.g. `agreement:12` → cause `notice:agreement:12`. */
  about: string;
  causeDate: PlainDate;
  portfolioId?: number | null;
  /** The template's values (JSON form), per channel chosen (e.g. shorter text for SMS). */
  variables: (channel: NoticeChannel) => Record<string, unknown>;
}

/**
 * Queues a notice once. `ctx` may run inside a transaction (its database is the transaction), so the notice commits
 * with the change it announces. Returns the row's id and channel, or null when the key was already queued or the
 * debtor has no address on any notice channel.
 */
export async function enqueueNotice(ctx: Ctx, notice: NoticeInput): Promise<{ id: number; channel: NoticeChannel } | null> {
  const { db } = ctx.database;
  const [existing] = await db
    .select({ id: outboxMessages.id })
    .from(outboxMessages)
    .where(and(eq(outboxMessages.companyId, ctx.companyId), eq(outboxMessages.idempotencyKey, notice.idempotencyKey)));
  if (existing) return null;
  const [debtor] = await db
    .select({ country: debtors.country, timeZone: debtors.timeZone, email: debtors.email, phone: debtors.phone, whatsapp: debtors.whatsapp })
    .from(debtors)
    .where(and(eq(debtors.companyId, ctx.companyId), eq(debtors.id, notice.debtorId)));
  if (!debtor) return null;
  const addresses: Record<NoticeChannel, string | null> = { email: debtor.email, whatsapp: debtor.whatsapp ?? debtor.phone, sms: debtor.phone };
  const candidates = NOTICE_CHANNELS.filter((c) => addresses[c]);
  if (candidates.length === 0) return null;

  const now = ctx.clock.now();
  const settings = await loadAutomationSettings(ctx);
  const rules = contactRulesResolver(settings)(debtor.country);
  const cause = `${NOTICE_CAUSE_PREFIX}${notice.about}`;
  const loaded = await loadGateFacts(ctx, [notice.debtorId], { onDate: notice.causeDate, since: new Date(now.getTime() - HISTORY_DAYS * 86_400_000) });
  const facts = factsForCause(loaded.get(notice.debtorId)!, cause);
  const judged = candidates.map((channel) => ({ channel, judged: judgeContactStable(rules, debtor, facts, channel, now) }));
  const chosen = judged.find((j) => j.judged.allowed || j.judged.nextAllowedAt !== null) ?? judged[0]!;
  // Due when the gate allows it (a notice queued at night waits for the morning); dispatch judges it again.
  const when = chosen.judged.allowed ? now : (chosen.judged.nextAllowedAt ?? now);
  const [row] = await db
    .insert(outboxMessages)
    .values({
      companyId: ctx.companyId,
      debtorId: notice.debtorId,
      portfolioId: notice.portfolioId ?? null,
      channel: chosen.channel,
      templateKey: notice.templateKey,
      language: notice.language,
      idempotencyKey: notice.idempotencyKey,
      cause,
      causeDate: notice.causeDate,
      recipient: addresses[chosen.channel],
      scheduledFor: when,
      nextAttemptAt: when,
      variables: notice.variables(chosen.channel),
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing({ target: [outboxMessages.companyId, outboxMessages.idempotencyKey] })
    .returning({ id: outboxMessages.id });
  return row ? { id: row.id, channel: chosen.channel } : null;
}

/** The language of notices that follow no document of their own: the company's. */
export function noticeLanguage(locale: string): 'es-MX' | 'en' {
  return locale.toLowerCase().startsWith('en') ? 'en' : 'es-MX';
}
