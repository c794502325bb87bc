/**
 * From due steps to planned contacts: the part of planning shared by `planDay` (which writes the plan) and
 * `simulateStrategy` (which only counts it). No I/O here: the caller loads accounts and gate facts.
 *
 * For a message step: the debtor needs an address for the channel, then the contact gate decides. Allowed → pending
 * now; refused until later (hours, day, holiday, caps) → pending at the gate's next allowed instant; refused for good
 * (hold, opt-out, consent, no address) → recorded as refused, and the step's fallback channel, if any, is planned in
 * its place (judged the same way, with its own idempotency key). For a task step (call task, agency referral): an
 * active hold cancels it (recorded, so it is not retried), otherwise it is opened for the day. A payment plan's
 * agreement hold applies only to contacts about what the plan covers (ADR 0010).
 */
import { Temporal } from 'temporal-polyfill';
import { daysBetween, type PlainDate } from '../../domain/calendar.ts';
import { type Channel, type ContactReason } from '../../domain/compliance/index.ts';
import { formatDecimal } from '../../domain/money.ts';
import type { TemplateVariablesJson } from '../../domain/templates/index.ts';
import { isMessageChannel, type AccountEvent, type DueStep, type MessageChannel, type StepChannel } from '../../domain/strategies/index.ts';
import { factsForCause, judgeContact, judgeContactStable, type GateFacts, type ResolvedRules } from '../messaging/index.ts';
import { localDate, type StrategyAccount } from './load-accounts.ts';

export interface PlannedDecision {
  readonly allowed: boolean;
  readonly rule: string;
  /** Why, as data: what the compliance log stores, and what readers write out in their language (reason.ts). */
  readonly reasonCode: ContactReason;
  readonly nextAllowedAt: Date | null;
  readonly at: Date;
  /** The gate's channel (`call` for a call task). */
  readonly channel: string;
  readonly ruleSet: string | null;
}

interface PlannedBase {
  readonly debtorId: number;
  readonly debtorName: string;
  readonly portfolioId: number;
  readonly strategyId: number;
  readonly strategyVersionId: number;
  readonly stepId: string;
  readonly ruleId: string;
  readonly channel: StepChannel;
  readonly templateKey: string;
  readonly idempotencyKey: string;
  readonly cause: string;
  readonly causeDate: PlainDate;
  readonly lateBy: number;
  /** The decision that put the item in its state (null: a task opened without one). */
  readonly decision: PlannedDecision | null;
  /** Key of the item this one replaces on its fallback channel. */
  readonly fallbackOfKey: string | null;
}

export interface PlannedMessage extends PlannedBase {
  readonly kind: 'message';
  readonly channel: MessageChannel;
  readonly language: string;
  readonly recipient: string | null;
  readonly status: 'pending' | 'refused';
  readonly scheduledFor: Date;
  /** Pending, and the gate moved it to a later local day than the day judged (not just to the opening hour). */
  readonly deferred: boolean;
  /** Channel to use if the message finally fails at dispatch. */
  readonly fallbackChannel: StepChannel | null;
  readonly variables: TemplateVariablesJson;
}

export interface PlannedTask extends PlannedBase {
  readonly kind: 'task';
  readonly taskKind: 'call' | 'agency_referral';
  readonly status: 'open' | 'cancelled';
  readonly dueOn: PlainDate;
}

export type PlannedItem = PlannedMessage | PlannedTask;

export interface PlanContext {
  readonly strategyId: number;
  readonly strategyVersionId: number;
  readonly asOf: PlainDate;
  readonly language: string;
  /** The instant a contact for this account is judged at. */
  readonly at: (account: StrategyAccount) => Date;
  readonly rulesFor: (country: string) => ResolvedRules;
  readonly gateFacts: (debtorId: number) => GateFacts;
}

/** strategyVersion:step:debtor:cause:date — the same due step for the same cause is one message, whatever happens. */
export function idempotencyKey(versionId: number, stepId: string, debtorId: number, cause: string, causeDate: PlainDate): string {
  return `${versionId}:${stepId}:${debtorId}:${cause}:${causeDate}`;
}

export function fallbackKey(key: string, channel: StepChannel): string {
  return `${key}:fallback:${channel}`;
}

/** The debtor's address on a channel, or null. A letter goes to the debtor's name (postal data lives on the debtor). */
export function recipientFor(account: Pick<StrategyAccount, 'email' | 'phone' | 'whatsapp' | 'name'>, channel: MessageChannel): string | null {
  switch (channel) {
    case 'email':
      return account.email;
    case 'sms':
      return account.phone;
    case 'whatsapp':
      return account.whatsapp ?? account.phone;
    case 'letter':
      return account.name;
  }
}

/**
 * Values templates render from, as of the day planned, in the templates' JSON form (money as decimal strings per
 * currency). The creditor, agency, links and opt-out text are added when the message is rendered.
 */
export function variablesFor(account: StrategyAccount, asOf: PlainDate, event: AccountEvent | null = null): TemplateVariablesJson {
  const money = (m: Record<string, bigint>) => Object.fromEntries(Object.entries(m).map(([cur, v]) => [cur, formatDecimal(v, cur)]));
  const due = account.facts.oldestOpen?.dueOn ?? null;
  const person = (account.facts.ruleFacts.type ?? 'person') === 'person';
  const vars: TemplateVariablesJson = {
    debtor: { name: account.name, first_name: person ? (account.name.trim().split(/\s+/)[0] ?? account.name) : account.name },
    // The minimum to be up to date is what is overdue.
    amount: { total: money(account.facts.balances as Record<string, bigint>), overdue: money(account.overdue), minimum: money(account.overdue) },
    ...(due ? { due_date: due, days_past_due: daysBetween(due, asOf) } : {}),
    ...(account.oldestExternalId ? { contract: account.oldestExternalId } : {}),
  };
  const payment = event?.payment;
  if (payment) {
    // A thank-you is about the payment that caused it: its amount, date and contract. The balance left is shown in
    // the payment's currency too, as zero when the payment settled it (a settled account owes nothing to list).
    vars.payment = { amount: { [payment.currency]: formatDecimal(payment.amount, payment.currency) }, date: event.on };
    vars.amount = { ...vars.amount, total: { [payment.currency]: formatDecimal(0n, payment.currency), ...vars.amount!.total } };
    if (payment.contract) vars.contract = payment.contract;
    else delete vars.contract;
  }
  return vars;
}

/** Midnight of a local date in a zone, as an instant (UTC midnight for a zone the runtime does not know). */
export function startOfLocalDay(date: PlainDate, timeZone: string): Date {
  try {
    return new Date(Temporal.PlainDate.from(date).toZonedDateTime({ timeZone }).epochMilliseconds);
  } catch {
    return new Date(`${date}T00:00:00Z`);
  }
}

/** Plans the due steps of one account. Planned pending messages are added to the account's gate history. */
export function planAccount(ctx: PlanContext, account: StrategyAccount, due: readonly DueStep[]): PlannedItem[] {
  const items: PlannedItem[] = [];
  for (const d of due) {
    const key = idempotencyKey(ctx.strategyVersionId, d.step.id, account.debtorId, d.cause, d.causeDate);
    const base = {
      debtorId: account.debtorId,
      debtorName: account.name,
      portfolioId: account.portfolioId,
      strategyId: ctx.strategyId,
      strategyVersionId: ctx.strategyVersionId,
      stepId: d.step.id,
      ruleId: d.rule.id,
      templateKey: d.step.template,
      cause: d.cause,
      causeDate: d.causeDate,
      lateBy: d.lateBy,
    };
    const event = d.event;
    const primary = planOne(ctx, account, { ...base, channel: d.step.channel, idempotencyKey: key, fallbackOfKey: null }, d.step.fallback, event);
    items.push(primary);
    const refusedForGood = primary.kind === 'message' ? primary.status === 'refused' : primary.status === 'cancelled';
    if (refusedForGood && d.step.fallback) {
      items.push(planOne(ctx, account, { ...base, channel: d.step.fallback, idempotencyKey: fallbackKey(key, d.step.fallback), fallbackOfKey: key }, null, event));
    }
  }
  return items;
}

type ItemBase = Omit<PlannedBase, 'decision'>;

function planOne(ctx: PlanContext, account: StrategyAccount, base: ItemBase, fallback: StepChannel | null, event: AccountEvent | null): PlannedItem {
  const at = ctx.at(account);
  // A payment plan's agreement hold does not stop the collection of obligations the plan does not cover.
  const facts = factsForCause(ctx.gateFacts(account.debtorId), base.cause);
  const channel = base.channel;
  if (!isMessageChannel(channel)) {
    const taskKind = channel === 'call_task' ? 'call' : 'agency_referral';
    const hold = facts.holds[0];
    if (hold) {
      const judged = judgeContact(ctx.rulesFor(account.country), account, facts, 'call', at);
      return { ...base, kind: 'task', taskKind, status: 'cancelled', dueOn: ctx.asOf, decision: toDecision(judged) };
    }
    if (taskKind === 'call') {
      // A call task is a call: it is due on the first local day the gate allows a call (e.g. US Reg F: not within
      // 7 days after a phone conversation; CO: not on another channel's effective-contact week), or cancelled when
      // calls are refused for good (consent, opt-out).
      const judged = judgeContactStable(ctx.rulesFor(account.country), account, facts, 'call', at);
      if (!judged.allowed && judged.nextAllowedAt === null) return { ...base, kind: 'task', taskKind, status: 'cancelled', dueOn: ctx.asOf, decision: toDecision(judged) };
      // Only a call put off to a later day is logged (with why); an open task is not yet a contact, the call is.
      if (judged.allowed) return { ...base, kind: 'task', taskKind, status: 'open', dueOn: ctx.asOf, decision: null };
      return { ...base, kind: 'task', taskKind, status: 'open', dueOn: localDay(judged.nextAllowedAt!, account.timeZone) as PlainDate, decision: toDecision(judged) };
    }
    return { ...base, kind: 'task', taskKind, status: 'open', dueOn: ctx.asOf, decision: null };
  }
  const recipient = recipientFor(account, channel);
  const common = { ...base, kind: 'message' as const, channel, language: ctx.language, recipient, variables: variablesFor(account, ctx.asOf, event), fallbackChannel: fallback };
  if (!recipient) {
    const reasonCode: ContactReason = { code: 'address_missing', channel };
    const decision: PlannedDecision = {
      allowed: false,
      rule: `address.missing.${channel}`,
      reasonCode,
      nextAllowedAt: null,
      at,
      channel,
      ruleSet: null,
    };
    return { ...common, status: 'refused', scheduledFor: at, deferred: false, decision };
  }
  const judged = judgeContactStable(ctx.rulesFor(account.country), account, facts, channel as Channel, at);
  if (!judged.allowed && judged.nextAllowedAt === null) return { ...common, status: 'refused', scheduledFor: at, deferred: false, decision: toDecision(judged) };
  const scheduledFor = judged.allowed ? at : judged.nextAllowedAt!;
  // Later contacts planned in the same pass see this one (the gate ignores entries after the instant it judges).
  facts.history.push({ outboxId: -1 - facts.history.length, channel: channel as Channel, at: scheduledFor, outcome: 'attempt' });
  const deferred = localDay(scheduledFor, account.timeZone) !== localDay(at, account.timeZone);
  return { ...common, status: 'pending', scheduledFor, deferred, decision: toDecision(judged) };
}

/** The local date of an instant (UTC for a zone the runtime does not know); formatters are cached per zone. */
function localDay(instant: Date, timeZone: string): string {
  return localDate(instant, timeZone);
}

function toDecision(j: ReturnType<typeof judgeContact>): PlannedDecision {
  return { allowed: j.allowed, rule: j.rule, reasonCode: j.reasonCode, nextAllowedAt: j.nextAllowedAt, at: j.at, channel: j.channel, ruleSet: j.ruleSet };
}
