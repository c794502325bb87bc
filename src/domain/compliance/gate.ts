/**
 * The contact compliance gate (DOMAIN.md §3): every outbound contact to a debtor passes `decideContact`, which says
 * - allowed now (`allowed: true`, `nextAllowedAt` = the instant asked about);
 * - refused until a later instant (hours, day of week, holiday, frequency cap): `nextAllowedAt` is the earliest
 *   instant at or after `at` when the same contact would be allowed, given the same history;
 * - refused with no instant (`nextAllowedAt: null`): a hold, an opt-out, consent missing or denied — these do not
 *   lapse by themselves — or, exceptionally, rules that allow nothing within `SEARCH_HORIZON_DAYS`.
 *
 * Everything is judged in the debtor's time zone: windows are wall-clock times, days are local calendar days, and
 * weeks are Monday–Sunday local weeks (or rolling 7 local days when the rule set says so). Windows are half-open,
 * [from, to). Days that change to or from daylight saving time are handled by Temporal: a window opening at a wall
 * time skipped by the change opens at the change itself.
 *
 * Order of checks: holds → opt-out → consent (the "never" refusals), then per instant: holiday → day of week →
 * frequency caps → time of day. The first failing check names the rule; the next allowed instant honours them all.
 *
 * Stable rule names:
 * - `allowed`
 * - `hold.<reason>` (legal, bankruptcy, deceased, dispute, customer_request, agreement, promise)
 * - `optout.<channel>`, `consent.denied`, `consent.missing`
 * - `holiday.<set>`, `hours.<set>.weekday` (no window that day of the week), `hours.<set>.time` (outside the hours)
 * - `cap.<set>.<cap id>` and `wait.<set>.<cap id>` (e.g. `cap.CO.per_day`, `cap.CO.channel_after_effective`,
 *   `cap.CL.voice_per_week`, `cap.CL.written_per_week`, `cap.CL.written_spacing`, `cap.US.regf_7in7`,
 *   `wait.US.after_conversation`)
 * where `<set>` is the rule set's id (`CO`, `MX-PROFECO`, …).
 *
 * History: earlier contacts (of this debt, for the US per-debt caps). Entries later than `at` are ignored, so the
 * gate can replay what it would have said at a past instant. Every outbound entry counts towards the counting caps
 * whatever its outcome; inbound entries (the debtor's replies) only start the channel lock and the waiting period.
 */
import { Temporal } from 'temporal-polyfill';
import { fromDayNumber, toDayNumber, type PlainDate } from '../calendar.ts';
import { holidaySet, isoWeekday } from './holidays.ts';
import {
  channelClass,
  CHANNELS,
  CONTACT_OUTCOMES,
  HOLD_REASONS,
  minutesOf,
  type Channel,
  type ContactOutcome,
  type ContactRules,
  type FrequencyCap,
  type HoldReason,
  type IsoWeekday,
  type TimeWindow,
} from './rules.ts';
import { capFacts, reasonText, type ContactReason, type ReasonFacts } from './reason.ts';

export type ConsentState = 'granted' | 'denied' | 'unknown';

/**
 * `outbound`: a contact the creditor made (message, call, visit). `inbound`: the debtor wrote or called in. Only
 * outbound contacts count towards the frequency caps (a debtor's reply is not a contact made to them); both count as
 * the effective contact or conversation that the channel lock and the waiting period start from.
 */
export type ContactDirection = 'outbound' | 'inbound';

export interface ContactRecord {
  readonly channel: Channel;
  readonly at: Date;
  readonly outcome: ContactOutcome;
  /** Default `outbound`. */
  readonly direction?: ContactDirection;
}

export interface ContactInput {
  /** The resolved rule set (see `resolveRules`). */
  readonly rules: ContactRules;
  /** The debtor's IANA time zone; `nextAllowedAt` is reported for it. */
  readonly timeZone: string;
  /**
   * Further zones the debtor may be in when the location is uncertain (US practice): the contact must be allowed in
   * every one of them. Defaults to none.
   */
  readonly candidateTimeZones?: readonly string[];
  readonly channel: Channel;
  /** The instant of the contact being judged. */
  readonly at: Date;
  readonly history?: readonly ContactRecord[];
  /** Consent per channel; a channel not listed is `unknown`. */
  readonly consent?: Readonly<Partial<Record<Channel, ConsentState>>>;
  /** Channels the debtor opted out of ("BAJA", "STOP"). */
  readonly optOuts?: readonly Channel[];
  /** Reasons of the holds active on the account. */
  readonly holds?: readonly HoldReason[];
  /**
   * Holiday dates (with the company's overrides) covering at least the year of `at` and the next. When omitted, the
   * rule set's built-in calendar is used for the year before `at` through two years after.
   */
  readonly holidays?: ReadonlySet<string> | readonly string[];
}

export interface ContactDecision {
  readonly allowed: boolean;
  /** `at` when allowed; the next allowed instant when refused for a while; null when refused until something changes. */
  readonly nextAllowedAt: Date | null;
  readonly rule: string;
  /** Why, as data: what the compliance log stores (reason.ts). */
  readonly reasonCode: ContactReason;
  /** Why, in Spanish (es-MX): `reasonText(reasonCode, 'es')`. */
  readonly reason: string;
  /** Why, in English. */
  readonly reasonEn: string;
}

export class ContactInputError extends Error {
  override name = 'ContactInputError';
}

/** How far ahead the gate looks for the next allowed instant. */
export const SEARCH_HORIZON_DAYS = 400;

/** Holds in the order they are reported when several are active: the legal ones first. */
const HOLD_ORDER: readonly HoldReason[] = ['legal', 'bankruptcy', 'deceased', 'dispute', 'customer_request', 'agreement', 'promise'];

const MS_PER_MINUTE = 60_000;

// ---------------------------------------------------------------------------------------------------------------
// Refusals

type Refusal =
  | { readonly kind: 'hold'; readonly hold: HoldReason; readonly mandatory: boolean }
  | { readonly kind: 'optout' }
  | { readonly kind: 'consent'; readonly state: 'denied' | 'unknown' }
  | { readonly kind: 'holiday'; readonly date: PlainDate }
  | { readonly kind: 'weekday'; readonly weekday: IsoWeekday }
  | { readonly kind: 'time'; readonly weekday: IsoWeekday; readonly windows: readonly TimeWindow[] }
  | {
      readonly kind: 'cap';
      readonly cap: FrequencyCap;
      readonly count: number;
      readonly reference: PlainDate | null;
      readonly referenceChannel: Channel | null;
      /** The reference contact was the debtor's own (a reply). */
      readonly referenceInbound: boolean;
    };

function ruleName(rules: ContactRules, channel: Channel, r: Refusal): string {
  switch (r.kind) {
    case 'hold':
      return `hold.${r.hold}`;
    case 'optout':
      return `optout.${channel}`;
    case 'consent':
      return r.state === 'denied' ? 'consent.denied' : 'consent.missing';
    case 'holiday':
      return `holiday.${rules.id}`;
    case 'weekday':
      return `hours.${rules.id}.weekday`;
    case 'time':
      return `hours.${rules.id}.time`;
    case 'cap':
      return `${r.cap.kind === 'wait_after_conversation' ? 'wait' : 'cap'}.${rules.id}.${r.cap.id}`;
  }
}

/** The facts of a refusal's sentence (reason.ts writes it). */
function refusalFacts(rules: ContactRules, channel: Channel, r: Refusal): ReasonFacts {
  const label = rules.label;
  switch (r.kind) {
    case 'hold':
      return { code: 'hold', hold: r.hold, mandatory: r.mandatory, rules: label };
    case 'optout':
      return { code: 'optout', channel };
    case 'consent':
      return r.state === 'denied' ? { code: 'consent_denied', channel } : { code: 'consent_missing', channel, rules: label };
    case 'holiday':
      return { code: 'holiday', date: r.date, rules: label };
    case 'weekday':
      return { code: 'weekday', channel, weekday: r.weekday, schedule: rules.hours[channelClass(channel)], rules: label };
    case 'time':
      return { code: 'hours', channel, weekday: r.weekday, windows: r.windows, rules: label };
    case 'cap':
      return {
        code: 'cap',
        cap: capFacts(r.cap),
        week: rules.week,
        count: r.count,
        reference: r.reference,
        referenceChannel: r.referenceChannel,
        referenceInbound: r.referenceInbound,
        rules: label,
      };
  }
}

/** A decision with its reason as data and in both languages. */
function decided(allowed: boolean, nextAllowedAt: Date | null, rule: string, reason: ContactReason): ContactDecision {
  return { allowed, nextAllowedAt, rule, reasonCode: reason, reason: reasonText(reason, 'es'), reasonEn: reasonText(reason, 'en') };
}

// ---------------------------------------------------------------------------------------------------------------
// Local time

interface Local {
  readonly day: number; // day number of the local date
  readonly weekday: IsoWeekday;
  readonly msOfDay: number; // wall-clock milliseconds since local midnight
}

function zoned(ms: number, zone: string): Temporal.ZonedDateTime {
  return Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(zone);
}

function localOf(ms: number, zone: string): Local {
  const z = zoned(ms, zone);
  return {
    day: toDayNumber(z.toPlainDate().toString() as PlainDate),
    weekday: z.dayOfWeek as IsoWeekday,
    msOfDay: ((z.hour * 60 + z.minute) * 60 + z.second) * 1000 + z.millisecond,
  };
}

function weekdayOfDay(day: number): IsoWeekday {
  return isoWeekday(fromDayNumber(day));
}

function inWindow(msOfDay: number, w: TimeWindow): boolean {
  return msOfDay >= minutesOf(w.from) * MS_PER_MINUTE && msOfDay < minutesOf(w.to) * MS_PER_MINUTE;
}

/** The first instant ≥ notBefore on local `day` whose wall time lies in window `w`, or null. */
function windowStart(day: number, w: TimeWindow, zone: string, notBefore: number): number | null {
  const d = Temporal.PlainDate.from(fromDayNumber(day));
  const minutes = minutesOf(w.from);
  const wall = d.toPlainDateTime({ hour: Math.floor(minutes / 60), minute: minutes % 60 });
  const earlier = wall.toZonedDateTime(zone, { disambiguation: 'earlier' });
  let candidates: number[];
  if (!earlier.toPlainDateTime().equals(wall)) {
    // The wall time does not exist (clocks jumped forward over it): the window opens when the clocks change.
    const transition = earlier.getTimeZoneTransition('next');
    candidates = transition ? [transition.epochMilliseconds] : [];
  } else {
    // A repeated wall time (clocks went back) gives two candidates; take the first not before `notBefore`.
    candidates = [earlier.epochMilliseconds, wall.toZonedDateTime(zone, { disambiguation: 'later' }).epochMilliseconds];
  }
  for (const c of candidates) {
    if (c < notBefore) continue;
    const l = localOf(c, zone);
    if (l.day === day && inWindow(l.msOfDay, w)) return c;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Evaluation in one zone

interface Entry {
  readonly channel: Channel;
  readonly outcome: ContactOutcome;
  readonly inbound: boolean;
  readonly day: number;
}

interface ZoneContext {
  readonly zone: string;
  readonly entries: readonly Entry[];
}

interface Context {
  readonly rules: ContactRules;
  readonly channel: Channel;
  readonly windows: readonly TimeWindow[];
  readonly holidays: ReadonlySet<string>;
}

function weekStart(day: number): number {
  return day - (weekdayOfDay(day) - 1);
}

function sameWeekUpTo(ctx: Context, entryDay: number, day: number): boolean {
  if (entryDay > day) return false;
  return ctx.rules.week === 'calendar' ? weekStart(entryDay) === weekStart(day) : day - entryDay <= 6;
}

function capRefusal(ctx: Context, z: ZoneContext, cap: FrequencyCap, day: number): Refusal | null {
  if (!cap.channels.includes(ctx.channel)) return null;
  const all = z.entries.filter((e) => cap.channels.includes(e.channel) && e.day <= day);
  const relevant = all.filter((e) => !e.inbound);
  const refuse = (count: number, ref: Entry | null): Refusal => ({
    kind: 'cap',
    cap,
    count,
    reference: ref ? fromDayNumber(ref.day) : null,
    referenceChannel: ref?.channel ?? null,
    referenceInbound: ref?.inbound ?? false,
  });
  const latest = (list: Entry[]) => list.reduce<Entry | null>((a, e) => (!a || e.day >= a.day ? e : a), null);
  switch (cap.kind) {
    case 'max_per_day': {
      const n = relevant.filter((e) => e.day === day);
      return n.length >= cap.max ? refuse(n.length, latest(n)) : null;
    }
    case 'max_per_week': {
      const n = relevant.filter((e) => sameWeekUpTo(ctx, e.day, day));
      return n.length >= cap.max ? refuse(n.length, latest(n)) : null;
    }
    case 'max_in_days': {
      const n = relevant.filter((e) => day - e.day < cap.days);
      return n.length >= cap.max ? refuse(n.length, latest(n)) : null;
    }
    case 'min_days_between': {
      // Whole days strictly between = day − e.day − 1, which must be ≥ cap.days.
      const n = relevant.filter((e) => day - e.day <= cap.days);
      return n.length > 0 ? refuse(n.length, latest(n)) : null;
    }
    case 'only_channel_after_effective': {
      const n = all.filter((e) => cap.effectiveOutcomes.includes(e.outcome) && e.channel !== ctx.channel && sameWeekUpTo(ctx, e.day, day));
      return n.length > 0 ? refuse(n.length, latest(n)) : null;
    }
    case 'wait_after_conversation': {
      // The conversation day is day 1: blocked on days e.day … e.day + days − 1.
      const n = all.filter((e) => cap.conversationOutcomes.includes(e.outcome) && day - e.day < cap.days);
      return n.length > 0 ? refuse(n.length, latest(n)) : null;
    }
  }
}

/** Why a whole local day is closed to this contact, or null when some of its hours are open. */
function dayRefusal(ctx: Context, z: ZoneContext, day: number): Refusal | null {
  const date = fromDayNumber(day);
  if (ctx.rules.holidays === 'refused' && ctx.holidays.has(date)) return { kind: 'holiday', date };
  const weekday = weekdayOfDay(day);
  if (!ctx.windows.some((w) => w.days.includes(weekday))) return { kind: 'weekday', weekday };
  for (const cap of ctx.rules.caps) {
    const r = capRefusal(ctx, z, cap, day);
    if (r) return r;
  }
  return null;
}

function windowsOn(ctx: Context, weekday: IsoWeekday): TimeWindow[] {
  return ctx.windows.filter((w) => w.days.includes(weekday)).sort((a, b) => minutesOf(a.from) - minutesOf(b.from));
}

function refusalAt(ctx: Context, z: ZoneContext, ms: number): Refusal | null {
  const l = localOf(ms, z.zone);
  const byDay = dayRefusal(ctx, z, l.day);
  if (byDay) return byDay;
  const windows = windowsOn(ctx, l.weekday);
  if (windows.some((w) => inWindow(l.msOfDay, w))) return null;
  return { kind: 'time', weekday: l.weekday, windows };
}

/** The first instant ≥ ms allowed in this zone, or null within the horizon. */
function nextInZone(ctx: Context, z: ZoneContext, ms: number): number | null {
  const l = localOf(ms, z.zone);
  for (let i = 0; i <= SEARCH_HORIZON_DAYS; i++) {
    const day = l.day + i;
    if (dayRefusal(ctx, z, day)) continue;
    for (const w of windowsOn(ctx, weekdayOfDay(day))) {
      if (i === 0 && inWindow(l.msOfDay, w)) return ms;
      const start = windowStart(day, w, z.zone, ms);
      if (start !== null) return start;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Input checks

function isValidZone(zone: string): boolean {
  try {
    Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(zone);
    return true;
  } catch {
    return false;
  }
}

function validate(input: ContactInput): void {
  if (!(input.at instanceof Date) || Number.isNaN(input.at.getTime())) throw new ContactInputError('`at` must be a valid Date');
  if (!(CHANNELS as readonly string[]).includes(input.channel)) throw new ContactInputError(`unknown channel "${String(input.channel)}"; use one of ${CHANNELS.join(', ')}`);
  for (const zone of [input.timeZone, ...(input.candidateTimeZones ?? [])]) {
    if (typeof zone !== 'string' || !isValidZone(zone)) throw new ContactInputError(`"${String(zone)}" is not an IANA time zone (e.g. America/Bogota)`);
  }
  (input.history ?? []).forEach((h, i) => {
    if (!(CHANNELS as readonly string[]).includes(h.channel)) throw new ContactInputError(`history[${i}]: unknown channel "${String(h.channel)}"`);
    if (!(CONTACT_OUTCOMES as readonly string[]).includes(h.outcome)) throw new ContactInputError(`history[${i}]: outcome must be one of ${CONTACT_OUTCOMES.join(', ')}`);
    if (!(h.at instanceof Date) || Number.isNaN(h.at.getTime())) throw new ContactInputError(`history[${i}]: \`at\` must be a valid Date`);
    if (h.direction !== undefined && h.direction !== 'outbound' && h.direction !== 'inbound') throw new ContactInputError(`history[${i}]: direction must be outbound or inbound`);
  });
  for (const hold of input.holds ?? []) {
    if (!(HOLD_REASONS as readonly string[]).includes(hold)) throw new ContactInputError(`unknown hold reason "${String(hold)}"; use one of ${HOLD_REASONS.join(', ')}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The gate

function neverRefusal(input: ContactInput): Refusal | null {
  const active = new Set(input.holds ?? []);
  const hold = HOLD_ORDER.find((h) => active.has(h));
  if (hold) return { kind: 'hold', hold, mandatory: input.rules.mandatoryHolds.includes(hold) };
  if ((input.optOuts ?? []).includes(input.channel)) return { kind: 'optout' };
  const consent = input.consent?.[input.channel] ?? 'unknown';
  if (consent === 'denied') return { kind: 'consent', state: 'denied' };
  if (consent !== 'granted' && input.rules.consentRequired.includes(input.channel)) return { kind: 'consent', state: 'unknown' };
  return null;
}

function defaultHolidays(rules: ContactRules, at: Date): Set<string> {
  const y = at.getUTCFullYear();
  return holidaySet(rules.holidayCalendar, [y - 1, y, y + 1, y + 2]);
}

export function decideContact(input: ContactInput): ContactDecision {
  validate(input);
  const { rules, channel, at } = input;
  const never = neverRefusal(input);
  if (never) return decided(false, null, ruleName(rules, channel, never), refusalFacts(rules, channel, never));

  const ctx: Context = {
    rules,
    channel,
    windows: rules.hours[channelClass(channel)],
    holidays: input.holidays === undefined ? defaultHolidays(rules, at) : input.holidays instanceof Set ? input.holidays : new Set(input.holidays as readonly string[]),
  };
  const atMs = at.getTime();
  const history = (input.history ?? []).filter((h) => h.at.getTime() <= atMs);
  const zones = [...new Set([input.timeZone, ...(input.candidateTimeZones ?? [])])].map(
    (zone): ZoneContext => ({
      zone,
      entries: history.map((h) => ({ channel: h.channel, outcome: h.outcome, inbound: h.direction === 'inbound', day: localOf(h.at.getTime(), zone).day })),
    }),
  );

  let refusal: { zone: string; refusal: Refusal } | null = null;
  for (const z of zones) {
    const r = refusalAt(ctx, z, atMs);
    if (r) {
      refusal = { zone: z.zone, refusal: r };
      break;
    }
  }
  if (!refusal) return decided(true, new Date(atMs), 'allowed', { code: 'allowed', channel, rules: rules.label });

  const next = nextAllowed(ctx, zones, atMs);
  return decided(false, next === null ? null : new Date(next), ruleName(rules, channel, refusal.refusal), {
    ...refusalFacts(rules, channel, refusal.refusal),
    ...(refusal.zone !== input.timeZone && { zone: refusal.zone }),
    next: next === null ? null : { at: new Date(next).toISOString(), timeZone: input.timeZone },
    ...(next === null && { horizonDays: SEARCH_HORIZON_DAYS }),
  });
}

/** The first instant ≥ ms allowed in every zone: advance to the latest zone's next opening until all agree. */
function nextAllowed(ctx: Context, zones: readonly ZoneContext[], ms: number): number | null {
  const limit = ms + (SEARCH_HORIZON_DAYS + 1) * 86_400_000;
  let t = ms;
  while (t <= limit) {
    let latest = t;
    for (const z of zones) {
      const n = nextInZone(ctx, z, t);
      if (n === null) return null;
      if (n > latest) latest = n;
    }
    if (latest === t) return t;
    t = latest;
  }
  return null;
}

/** The instant as ISO 8601 with the offset it has in `timeZone`, e.g. "2026-03-09T07:00:00-05:00". */
export function formatInstantInZone(instant: Date, timeZone: string): string {
  return zoned(instant.getTime(), timeZone).toString({ timeZoneName: 'never' });
}
