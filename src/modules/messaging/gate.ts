/**
 * The contact gate applied to real debtors: gathers what `decideContact` needs (holds, consent and opt-outs per
 * channel, the recent contact history) for many debtors in three set-based queries, and judges one contact.
 *
 * The history is every contact with the debtor, whoever made it: outbox messages (attempts), the debtor's replies
 * (inbound, effective on their channel), collectors' interactions (effective when the debtor was reached; on a call, a
 * conversation) and call tasks closed without an interaction (attempts).
 */
import { sql } from 'drizzle-orm';
import type { PlainDate } from '../../domain/calendar.ts';
import {
  CHANNELS,
  ContactInputError,
  decideContact,
  HOLD_REASONS,
  type Channel,
  type ConsentState,
  type ContactDecision,
  type ContactOutcome,
  type ContactRecord,
  type HoldReason,
} from '../../domain/compliance/index.ts';
import type { Ctx } from '../shared/context.ts';
import { RIGHT_PARTY_OUTCOMES } from '../worklists/interaction-codes.ts';
import type { ResolvedRules } from './contact-rules.ts';
import { bigintArray, textArray } from './sql.ts';

export interface GateHistoryEntry extends ContactRecord {
  /** The outbox row this contact is (null: a reply, a collector's call or any contact not in the outbox). */
  readonly outboxId: number | null;
}

export interface GateFacts {
  holds: HoldReason[];
  consent: Partial<Record<Channel, ConsentState>>;
  optOuts: Channel[];
  history: GateHistoryEntry[];
}

/** Statuses of an outbox row that count as a contact for the caps (pending rows count at their planned instant). */
export const CONTACT_STATUSES = ['pending', 'sending', 'sent', 'delivered', 'read'] as const;

/** How far back the history must reach: the longest cap window (7 days) plus a calendar week's start. */
export const HISTORY_DAYS = 14;

export function emptyGateFacts(): GateFacts {
  return { holds: [], consent: {}, optOuts: [], history: [] };
}

/**
 * Holds active on `onDate`, consent and opt-outs, and contacts since `since`, for each debtor. Debtors with nothing
 * recorded get empty facts.
 */
export async function loadGateFacts(ctx: Ctx, debtorIds: readonly number[], options: { onDate: PlainDate; since: Date }): Promise<Map<number, GateFacts>> {
  const out = new Map<number, GateFacts>();
  for (const id of debtorIds) out.set(id, emptyGateFacts());
  if (debtorIds.length === 0) return out;
  const ids = bigintArray(debtorIds);
  const holds = await ctx.database.query<{ debtor_id: string | number; reason: string }>(sql`
    SELECT debtor_id, reason FROM holds
     WHERE company_id = ${ctx.companyId} AND debtor_id = ANY(${ids}) AND released_at IS NULL
       AND starts_on <= ${options.onDate}::date AND (expires_on IS NULL OR expires_on > ${options.onDate}::date)`);
  for (const h of holds) {
    if ((HOLD_REASONS as readonly string[]).includes(h.reason)) out.get(Number(h.debtor_id))?.holds.push(h.reason as HoldReason);
  }
  const consents = await ctx.database.query<{ debtor_id: string | number; channel: string; status: string; opted_out: boolean }>(sql`
    SELECT debtor_id, channel, status, opted_out_at IS NOT NULL AS opted_out FROM consents
     WHERE company_id = ${ctx.companyId} AND debtor_id = ANY(${ids})`);
  for (const c of consents) {
    const f = out.get(Number(c.debtor_id));
    if (!f) continue;
    f.consent[c.channel as Channel] = c.status as ConsentState;
    if (c.opted_out) f.optOuts.push(c.channel as Channel);
  }
  const since = sql`${options.since.toISOString()}::timestamptz`;
  const rightParty = textArray(RIGHT_PARTY_OUTCOMES);
  const history = await ctx.database.query<{ outbox_id: string | number | null; debtor_id: string | number; channel: string; at: string | Date; outcome: string; inbound: boolean }>(sql`
    -- Messages sent or planned: every one is a contact attempt (pending rows count at their planned instant).
    SELECT id AS outbox_id, debtor_id, channel, coalesce(sent_at, next_attempt_at) AS at, 'attempt' AS outcome, false AS inbound
      FROM outbox_messages
     WHERE company_id = ${ctx.companyId} AND debtor_id = ANY(${ids})
       AND status IN ('pending', 'sending', 'sent', 'delivered', 'read')
       AND cause NOT LIKE 'optout:%' -- confirming an opt-out is not a collection contact
       AND coalesce(sent_at, next_attempt_at) >= ${since}
    UNION ALL
    -- The debtor's replies: an effective contact on the channel they used (CO: only that channel for the week).
    SELECT NULL, debtor_id, channel, received_at, 'effective', true
      FROM inbound_messages
     WHERE company_id = ${ctx.companyId} AND debtor_id = ANY(${ids}) AND received_at >= ${since}
    UNION ALL
    -- Collectors' interactions (gestiones): reaching the debtor is an effective contact, on the phone a conversation
    -- (US Reg F: no call for 7 days); anything else is an attempt. Notes are not contacts.
    SELECT NULL, debtor_id, channel, occurred_at,
           CASE WHEN outcome = ANY(${rightParty}) THEN (CASE WHEN channel = 'call' THEN 'conversation' ELSE 'effective' END) ELSE 'attempt' END,
           false
      FROM interactions
     WHERE company_id = ${ctx.companyId} AND debtor_id = ANY(${ids}) AND channel <> 'note' AND occurred_at >= ${since}
    UNION ALL
    -- A call task closed without an interaction recorded: it was a call, with no outcome known — an attempt.
    SELECT NULL, t.debtor_id, 'call', t.completed_at, 'attempt', false
      FROM tasks t
     WHERE t.company_id = ${ctx.companyId} AND t.debtor_id = ANY(${ids}) AND t.kind = 'call' AND t.status = 'done'
       AND t.completed_at >= ${since}
       AND NOT EXISTS (SELECT 1 FROM interactions i WHERE i.company_id = t.company_id AND i.task_id = t.id)`);
  for (const h of history) {
    if (!(CHANNELS as readonly string[]).includes(h.channel)) continue;
    out.get(Number(h.debtor_id))?.history.push({
      outboxId: h.outbox_id === null ? null : Number(h.outbox_id),
      channel: h.channel as Channel,
      at: new Date(h.at),
      outcome: h.outcome as ContactOutcome,
      ...(h.inbound ? { direction: 'inbound' as const } : {}),
    });
  }
  return out;
}

export interface GateJudgement extends ContactDecision {
  readonly ruleSet: string;
  readonly at: Date;
  readonly channel: Channel;
}

/** Judges one contact; `excludeOutboxId` keeps the row being re-checked out of its own history. */
export function judgeContact(
  resolved: ResolvedRules,
  debtor: { timeZone: string },
  facts: GateFacts,
  channel: Channel,
  at: Date,
  excludeOutboxId?: number,
): GateJudgement {
  const year = at.getUTCFullYear();
  let decision: ContactDecision;
  try {
    decision = decideContact({
      rules: resolved.rules,
      timeZone: debtor.timeZone,
      channel,
      at,
      history: excludeOutboxId === undefined ? facts.history : facts.history.filter((h) => h.outboxId !== excludeOutboxId),
      consent: facts.consent,
      optOuts: facts.optOuts,
      holds: facts.holds,
      holidays: resolved.holidays(year),
    });
  } catch (error) {
    // Bad data on one debtor (e.g. a time zone the runtime does not know) refuses that contact, not the whole run.
    if (!(error instanceof ContactInputError)) throw error;
    const reason = `No se puede evaluar el contacto: ${error.message}. Corrija los datos del deudor.`;
    decision = { allowed: false, nextAllowedAt: null, rule: 'gate.input_invalid', reason, reasonEn: `The contact cannot be judged: ${error.message}.` };
  }
  return { ...decision, ruleSet: resolved.rules.id, at, channel };
}

/**
 * Judges a contact and, when it is deferred, judges it again at the instant proposed, until the answer is stable.
 * The gate ignores history entries after the instant it judges, so a contact already planned for 07:00 does not
 * stop another one judged at 06:00 from being proposed for 07:00 too; judging again at 07:00 sees it (e.g. one
 * contact per day in Colombia moves the second one to the next day). The decision returned is the last refusal (its
 * rule is what set the final instant), reported for the instant first asked about.
 */
export function judgeContactStable(
  resolved: ResolvedRules,
  debtor: { timeZone: string },
  facts: GateFacts,
  channel: Channel,
  at: Date,
  excludeOutboxId?: number,
): GateJudgement {
  let t = at;
  let lastRefusal: GateJudgement | null = null;
  for (let i = 0; i < 16; i++) {
    const j = judgeContact(resolved, debtor, facts, channel, t, excludeOutboxId);
    if (j.allowed) return lastRefusal ? { ...lastRefusal, nextAllowedAt: t, at } : j;
    if (j.nextAllowedAt === null) return { ...j, at };
    lastRefusal = j;
    t = j.nextAllowedAt;
  }
  return { ...lastRefusal!, at };
}
