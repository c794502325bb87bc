/**
 * The contact gate applied to real debtors: gathers what `decideContact` needs (holds, consent and opt-outs per
 * channel, the recent contact history) for many debtors in three set-based queries, and judges one contact.
 *
 * The history is every contact with the debtor, whoever made it: outbox messages (attempts), the debtor's replies
 * (inbound, effective on their channel), collectors' interactions (effective when the debtor was reached; on a call, a
 * conversation) and call tasks closed without an interaction (attempts).
 *
 * Holds stop every contact, with two exceptions decided by the contact's cause (`holdsForCause`, used when a contact is
 * planned, when its fallback is written and when it is re-checked at send time):
 * - the `agreement` hold of an active payment plan stops only the collection of the obligations the plan covers; a
 *   contact about another obligation (cause `obligation:<id>`, what day-offset steps collect) is judged without it
 *   (ADR 0010). An `agreement` hold placed by hand holds everything;
 * - a notice (cause `notice:…`: the written agreement, a dispute's outcome) answers the debtor's own arrangement, so
 *   the holds that exist because of it (`agreement`, `promise`) do not stop it.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { PlainDate } from '../../domain/calendar.ts';
import {
  CHANNELS,
  ContactInputError,
  decideContact,
  HOLD_REASONS,
  reasonText,
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
  /**
   * Present when every active `agreement` hold of the debtor belongs to an active payment plan: such a hold does not
   * stop contacts about obligations outside `covered` (the plans' obligations and interest).
   */
  planAgreement?: { readonly covered: ReadonlySet<number> };
}

/** The cause of every notice row (`notice:<what>:<id>`). */
export const NOTICE_CAUSE_PREFIX = 'notice:';

/** Holds placed because of the debtor's own arrangement: a notice about it is not stopped by them. */
const ARRANGEMENT_HOLDS: readonly HoldReason[] = ['agreement', 'promise'];

/** The obligation a cause is about (`obligation:<id>`), or null. */
function obligationOf(cause: string | null | undefined): number | null {
  const m = cause ? /^obligation:(\d+)$/.exec(cause) : null;
  return m ? Number(m[1]) : null;
}

/** The holds that apply to a contact with this cause (see the module comment). */
export function holdsForCause(facts: GateFacts, cause: string | null | undefined): HoldReason[] {
  if (cause?.startsWith(NOTICE_CAUSE_PREFIX)) {
    const holds = facts.holds.filter((h) => !ARRANGEMENT_HOLDS.includes(h));
    return holds.length === facts.holds.length ? facts.holds : holds;
  }
  const scope = facts.planAgreement;
  if (!scope || !facts.holds.includes('agreement')) return facts.holds;
  const obligation = obligationOf(cause);
  if (obligation === null || scope.covered.has(obligation)) return facts.holds;
  return facts.holds.filter((h) => h !== 'agreement');
}

/** The facts to judge a contact with this cause: the same object, or a copy without the holds that do not apply. */
export function factsForCause(facts: GateFacts, cause: string | null | undefined): GateFacts {
  const holds = holdsForCause(facts, cause);
  // The history array is shared, so contacts planned on the copy are seen by later judgements on the original.
  return holds === facts.holds ? facts : { ...facts, holds };
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
  const holds = await ctx.database.query<GateHoldRow>(gateFactsSql.holds(ctx.companyId, ids, sql`${options.onDate}::date`));
  await loadPlanAgreements(ctx, out, addGateHolds(out, holds));
  addGateConsents(out, await ctx.database.query<GateConsentRow>(gateFactsSql.consents(ctx.companyId, ids)));
  addGateHistory(out, await ctx.database.query<GateHistoryRow>(gateFactsSql.history(ctx.companyId, ids, sql`${options.since.toISOString()}::timestamptz`)));
  return out;
}

type Id = string | number;
export type GateHoldRow = { debtor_id: Id; reason: string; of_plan: boolean };
export type GateConsentRow = { debtor_id: Id; channel: string; status: string; opted_out: boolean };
export type GateHistoryRow = { outbox_id: Id | null; debtor_id: Id; channel: string; at: string | Date; outcome: string; inbound: boolean };

/**
 * The statements {@link loadGateFacts} runs, for a read model that embeds them in one statement of its own: `ids` is
 * a bigint[] expression, `onDate` a date and `since` a timestamptz expression. Their rows go to addGateHolds (then
 * loadPlanAgreements), addGateConsents and addGateHistory.
 */
export const gateFactsSql = {
  holds: (c: number, ids: SQL, onDate: SQL): SQL => sql`
    SELECT h.debtor_id, h.reason,
           EXISTS (SELECT 1 FROM payment_plans pl WHERE pl.company_id = h.company_id AND pl.hold_id = h.id AND pl.status = 'active') AS of_plan
      FROM holds h
     WHERE h.company_id = ${c} AND h.debtor_id = ANY(${ids}) AND h.released_at IS NULL
       AND h.starts_on <= ${onDate} AND (h.expires_on IS NULL OR h.expires_on > ${onDate})`,
  consents: (c: number, ids: SQL): SQL => sql`
    SELECT debtor_id, channel, status, opted_out_at IS NOT NULL AS opted_out FROM consents
     WHERE company_id = ${c} AND debtor_id = ANY(${ids})`,
  history: (c: number, ids: SQL, since: SQL): SQL => sql`
    -- Messages sent or planned: every one is a contact attempt (pending rows count at their planned instant).
    SELECT id AS outbox_id, debtor_id, channel, coalesce(sent_at, next_attempt_at) AS at, 'attempt' AS outcome, false AS inbound
      FROM outbox_messages
     WHERE company_id = ${c} AND debtor_id = ANY(${ids})
       AND status IN ('pending', 'sending', 'sent', 'delivered', 'read')
       AND cause NOT LIKE 'optout:%' -- confirming an opt-out is not a collection contact
       AND coalesce(sent_at, next_attempt_at) >= ${since}
    UNION ALL
    -- The debtor's replies: an effective contact on the channel they used (CO: only that channel for the week).
    SELECT NULL, debtor_id, channel, received_at, 'effective', true
      FROM inbound_messages
     WHERE company_id = ${c} AND debtor_id = ANY(${ids}) AND received_at >= ${since}
    UNION ALL
    -- Collectors' interactions (gestiones): reaching the debtor is an effective contact, on the phone a conversation
    -- (US Reg F: no call for 7 days); anything else is an attempt. Notes are not contacts.
    SELECT NULL, debtor_id, channel, occurred_at,
           CASE WHEN outcome = ANY(${textArray(RIGHT_PARTY_OUTCOMES)}) THEN (CASE WHEN channel = 'call' THEN 'conversation' ELSE 'effective' END) ELSE 'attempt' END,
           false
      FROM interactions
     WHERE company_id = ${c} AND debtor_id = ANY(${ids}) AND channel <> 'note' AND occurred_at >= ${since}
    UNION ALL
    -- A call task closed without an interaction recorded: it was a call, with no outcome known — an attempt.
    SELECT NULL, t.debtor_id, 'call', t.completed_at, 'attempt', false
      FROM tasks t
     WHERE t.company_id = ${c} AND t.debtor_id = ANY(${ids}) AND t.kind = 'call' AND t.status = 'done'
       AND t.completed_at >= ${since}
       AND NOT EXISTS (SELECT 1 FROM interactions i WHERE i.company_id = t.company_id AND i.task_id = t.id)`,
};

/** Adds active holds to the facts; returns the debtors whose agreement holds all belong to active plans. */
export function addGateHolds(out: Map<number, GateFacts>, holds: readonly GateHoldRow[]): number[] {
  // Debtors whose agreement holds all belong to active plans (true) or not all (false).
  const planOnly = new Map<number, boolean>();
  for (const h of holds) {
    if ((HOLD_REASONS as readonly string[]).includes(h.reason)) out.get(Number(h.debtor_id))?.holds.push(h.reason as HoldReason);
    if (h.reason === 'agreement') planOnly.set(Number(h.debtor_id), (planOnly.get(Number(h.debtor_id)) ?? true) && !!h.of_plan);
  }
  return [...planOnly].filter(([, only]) => only).map(([id]) => id);
}

/** Adds consent and opt-outs to the facts. */
export function addGateConsents(out: Map<number, GateFacts>, consents: readonly GateConsentRow[]): void {
  for (const c of consents) {
    const f = out.get(Number(c.debtor_id));
    if (!f) continue;
    f.consent[c.channel as Channel] = c.status as ConsentState;
    if (c.opted_out) f.optOuts.push(c.channel as Channel);
  }
}

/** Adds the contact history to the facts. */
export function addGateHistory(out: Map<number, GateFacts>, history: readonly GateHistoryRow[]): void {
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
}

/** The covered obligations of debtors whose agreement holds all belong to active plans. */
export async function loadPlanAgreements(ctx: Ctx, out: Map<number, GateFacts>, debtorIds: readonly number[]): Promise<void> {
  if (debtorIds.length === 0) return;
  const ids = bigintArray(debtorIds);
  const covered = await ctx.database.query<{ debtor_id: string | number; obligation_id: string | number }>(sql`
    SELECT pl.debtor_id, ppo.obligation_id FROM payment_plans pl JOIN payment_plan_obligations ppo ON ppo.plan_id = pl.id
     WHERE pl.company_id = ${ctx.companyId} AND pl.debtor_id = ANY(${ids}) AND pl.status = 'active'
    UNION ALL
    SELECT pl.debtor_id, pl.interest_obligation_id FROM payment_plans pl
     WHERE pl.company_id = ${ctx.companyId} AND pl.debtor_id = ANY(${ids}) AND pl.status = 'active' AND pl.interest_obligation_id IS NOT NULL`);
  const scopes = new Map(debtorIds.map((id) => [id, { covered: new Set<number>() }]));
  for (const c of covered) scopes.get(Number(c.debtor_id))?.covered.add(Number(c.obligation_id));
  for (const [id, scope] of scopes) {
    const facts = out.get(id);
    if (facts) facts.planAgreement = scope;
  }
}

export interface GateJudgement extends ContactDecision {
  readonly ruleSet: string;
  readonly at: Date;
  readonly channel: Channel;
}

/**
 * Judges one contact; `excludeOutboxId` keeps the row being re-checked out of its own history. The facts are the
 * contact's own: `factsForCause` first when its cause may lift a hold.
 */
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
    const reasonCode = { code: 'input_invalid', error: error.message } as const;
    decision = { allowed: false, nextAllowedAt: null, rule: 'gate.input_invalid', reasonCode, reason: reasonText(reasonCode, 'es'), reasonEn: reasonText(reasonCode, 'en') };
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
