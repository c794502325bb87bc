/**
 * Which steps of a strategy are due for one account on one date. Pure: the caller gathers the facts (one set-based
 * query in the strategies module) and decides what to do with the answer (gate, outbox, tasks).
 *
 * Rule choice: the FIRST rule whose phases include the account's phase, whose segments (if any) meet the account's
 * segments, and whose `when` condition (if any) holds. Only that rule's steps are considered.
 *
 * Day-offset steps: the step's day is `due date of the oldest open obligation + offset`. On a date A the candidate
 * is the latest step whose day has come (offset ≤ A − due date); several steps sharing that offset are candidates
 * together. A candidate is due when it has not been done for this cause yet and its day is at most
 * `catchUpDays` before A. So:
 * - on its own day a step is due (the normal case);
 * - a day the engine did not run is caught up once, the next time it runs, within `catchUpDays`;
 * - a step whose day passed while a LATER step's day has also come is superseded and never sent: a debtor at +10
 *   gets the +10 message, not the +3 one it missed and then the +10 one;
 * - "done" means anything was recorded for (step, cause): sent, failed, refused by the gate, or skipped for good;
 *   a step refused by the gate (e.g. during a hold) is not retried the next day.
 * The cause of an offset step is the oldest open obligation (`obligation:<id>`): when it is paid, the next oldest
 * obligation starts its own cycle; when nothing is owed, no offset step is due.
 *
 * Event steps: each event the caller reports (payment received, promise broken, plan broken, message failed, entered phase)
 * carries its own cause and date; it is due from that date for `catchUpDays` days, once per cause.
 * `no_reply_days N` fires N days after the last message the strategy sent, when the debtor has not replied since
 * (cause `no_reply:<message id>`). Messages sent by no-reply steps themselves do not restart the count, so a
 * silent debtor gets one reminder per ordinary message, not an endless chain.
 *
 * Conditions: balance ≥ (any listed currency), not contacted in N days, consent granted for the channel. A step
 * whose conditions fail is skipped today and reported with the reason; it is not "done", so it may still be due on
 * a later day of its catch-up window.
 */
import { daysBetween, addDays, type PlainDate } from '../calendar.ts';
import { evaluateRule, type AccountFacts } from '../segment-rules.ts';
import type { StepChannel, StrategyDefinition, StrategyRule, StrategyStep } from './definition.ts';

export type EventKind = 'promise_broken' | 'plan_broken' | 'payment_received' | 'message_failed' | 'entered_phase';

export interface AccountEvent {
  readonly kind: EventKind;
  /** Unique identity of what happened, e.g. "payment:42"; becomes the step's cause. */
  readonly cause: string;
  readonly on: PlainDate;
  /** For entered_phase: the phase entered. */
  readonly phase?: string;
  /**
   * For payment_received: the payment itself, so the thank-you can name it even when the account is settled and
   * nothing else is left to quote. `contract` is the obligation it was applied to (or named), when there is one.
   */
  readonly payment?: { readonly amount: bigint; readonly currency: string; readonly contract: string | null };
}

export type ConsentState = 'granted' | 'denied' | 'unknown';

export interface StrategyAccountFacts {
  readonly phase: string;
  readonly segments: readonly string[];
  /** Facts for `when` conditions (the segment rule language). */
  readonly ruleFacts: AccountFacts;
  /** Currency → minor units owed. */
  readonly balances: Readonly<Record<string, bigint>>;
  /** The oldest open obligation (smallest due date, then id), or null when nothing is owed. */
  readonly oldestOpen: { readonly id: number | string; readonly dueOn: PlainDate } | null;
  /** Local date of the last message sent (or attempted) to the debtor on any channel. */
  readonly lastContactOn: PlainDate | null;
  /** The last message the strategy sent that was not itself a no-reply step, and whether the debtor replied since. */
  readonly lastOutbound: { readonly id: number | string; readonly on: PlainDate; readonly replied: boolean } | null;
  /** Consent per step channel (`call_task` is judged on "call"). */
  readonly consent: Readonly<Partial<Record<string, ConsentState>>>;
  readonly events: readonly AccountEvent[];
  /** `${stepId}|${cause}` for every step already done for a cause, under any version of the strategy. */
  readonly done: ReadonlySet<string>;
}

export interface DueStep {
  readonly rule: StrategyRule;
  readonly step: StrategyStep;
  readonly cause: string;
  /** The day the step was due for this cause (the date in the idempotency key). */
  readonly causeDate: PlainDate;
  /** Days between the step's day and the date judged: 0 on time, > 0 caught up. */
  readonly lateBy: number;
  /** The event that made an event step due (null for day-offset and no-reply steps). */
  readonly event: AccountEvent | null;
}

export interface SkippedStep {
  readonly step: StrategyStep;
  readonly cause: string;
  readonly causeDate: PlainDate;
  readonly reason: string;
}

export interface DueStepsResult {
  readonly rule: StrategyRule | null;
  readonly due: readonly DueStep[];
  readonly skipped: readonly SkippedStep[];
}

export function doneKey(stepId: string, cause: string): string {
  return `${stepId}|${cause}`;
}

/** The channel whose consent a step needs: a call task is a call. */
export function consentChannel(channel: StepChannel): string {
  return channel === 'call_task' ? 'call' : channel;
}

/** The first rule that applies to the account, or null. */
export function matchRule(definition: StrategyDefinition, facts: Pick<StrategyAccountFacts, 'phase' | 'segments' | 'ruleFacts'>): StrategyRule | null {
  for (const rule of definition.rules) {
    if (!rule.phases.includes(facts.phase as never)) continue;
    if (rule.segments.length && !rule.segments.some((s) => facts.segments.includes(s))) continue;
    if (rule.whenAst && !evaluateRule(rule.whenAst, facts.ruleFacts)) continue;
    return rule;
  }
  return null;
}

function failedCondition(step: StrategyStep, facts: StrategyAccountFacts, asOf: PlainDate): string | null {
  const c = step.conditions;
  if (c.balanceGte) {
    const entries = Object.entries(c.balanceGte);
    if (!entries.some(([currency, min]) => (facts.balances[currency] ?? 0n) >= min)) {
      return `balance below ${entries.map(([cur, min]) => `${min} ${cur} (minor units)`).join(' / ')}`;
    }
  }
  if (c.notContactedDays !== undefined && facts.lastContactOn !== null && daysBetween(facts.lastContactOn, asOf) < c.notContactedDays) {
    return `contacted on ${facts.lastContactOn}, less than ${c.notContactedDays} days ago`;
  }
  if (c.hasConsent && facts.consent[consentChannel(step.channel)] !== 'granted') {
    return `no consent recorded for ${consentChannel(step.channel)}`;
  }
  return null;
}

/** The steps due for one account on `asOf`; see the module comment for the rules. */
export function dueSteps(definition: StrategyDefinition, facts: StrategyAccountFacts, asOf: PlainDate): DueStepsResult {
  const rule = matchRule(definition, facts);
  if (!rule) return { rule: null, due: [], skipped: [] };
  const window = definition.catchUpDays;
  const candidates: Array<{ step: StrategyStep; cause: string; causeDate: PlainDate; event: AccountEvent | null }> = [];

  // Day offsets: the latest step whose day has come, if it is within the catch-up window.
  if (facts.oldestOpen) {
    const dpd = daysBetween(facts.oldestOpen.dueOn, asOf);
    let latest: number | null = null;
    for (const s of rule.steps) {
      if (s.trigger.kind === 'days' && s.trigger.days <= dpd && (latest === null || s.trigger.days > latest)) latest = s.trigger.days;
    }
    if (latest !== null && dpd - latest <= window) {
      const cause = `obligation:${facts.oldestOpen.id}`;
      const causeDate = addDays(facts.oldestOpen.dueOn, latest);
      for (const s of rule.steps) {
        if (s.trigger.kind === 'days' && s.trigger.days === latest) candidates.push({ step: s, cause, causeDate, event: null });
      }
    }
  }

  for (const s of rule.steps) {
    const t = s.trigger;
    if (t.kind !== 'event') continue;
    if (t.event === 'no_reply_days') {
      const last = facts.lastOutbound;
      if (!last || last.replied) continue;
      const day = addDays(last.on, t.days);
      const lag = daysBetween(day, asOf);
      if (lag >= 0 && lag <= window) candidates.push({ step: s, cause: `no_reply:${last.id}`, causeDate: day, event: null });
      continue;
    }
    for (const e of facts.events) {
      if (e.kind !== t.event) continue;
      if (t.event === 'entered_phase' && e.phase !== t.phase) continue;
      const lag = daysBetween(e.on, asOf);
      if (lag >= 0 && lag <= window) candidates.push({ step: s, cause: e.cause, causeDate: e.on, event: e });
    }
  }

  const due: DueStep[] = [];
  const skipped: SkippedStep[] = [];
  for (const c of candidates) {
    if (facts.done.has(doneKey(c.step.id, c.cause))) continue;
    const failed = failedCondition(c.step, facts, asOf);
    if (failed) skipped.push({ step: c.step, cause: c.cause, causeDate: c.causeDate, reason: failed });
    else due.push({ rule, ...c, lateBy: daysBetween(c.causeDate, asOf) });
  }
  return { rule, due, skipped };
}
