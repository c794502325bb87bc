/**
 * The compliance rules as the API sends them, and the editor's draft of one country's rules: hours as text per
 * weekday and channel class ("07:00–22:00, 16:00–19:00"; empty = no contact that day), the holiday and week rules,
 * the caps with their numbers as typed, and the channels that need consent. `overridesOf` turns a draft back into the
 * overrides the API stores — only the fields that differ from the built-in set, so later changes to the product's
 * tables still reach every field the company left alone — and lists what the user must fix first.
 */

/** Every query of the compliance page starts with this key, so a change refetches whichever year is shown. */
export const COMPLIANCE_QUERY = ['settings', 'compliance'] as const;

export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
export const CHANNEL_CLASSES = ['voice', 'written'] as const;
export type ChannelClass = (typeof CHANNEL_CLASSES)[number];
export const CHANNELS = ['email', 'whatsapp', 'sms', 'letter', 'call', 'visit'] as const;
export const CAP_KINDS = ['max_per_day', 'max_per_week', 'max_in_days', 'min_days_between', 'only_channel_after_effective', 'wait_after_conversation'] as const;
export type CapKind = (typeof CAP_KINDS)[number];

export interface TimeWindow {
  days: number[];
  from: string;
  to: string;
}
export interface Cap {
  id: string;
  kind: CapKind;
  channels: string[];
  max?: number;
  days?: number;
  effectiveOutcomes?: string[];
  conversationOutcomes?: string[];
}
export interface Rules {
  id: string;
  label: { es: string; en: string };
  basis: string;
  hours: { voice: TimeWindow[]; written: TimeWindow[] };
  holidays: 'allowed' | 'refused';
  week: 'calendar' | 'rolling7';
  caps: Cap[];
  consentRequired: string[];
  notes: string[];
}
export interface Adjustments {
  rule_set?: string;
  overrides?: Record<string, unknown>;
  holidays?: { add?: Array<{ date: string; name: string }>; remove?: string[] };
}
export interface CountryRules {
  country: string;
  rules: Rules;
  built_in: Rules;
  adjustments: Adjustments | null;
  holidays: Array<{ date: string; name: string }>;
}
export interface ComplianceSettings {
  company_country: string;
  time_zone: string;
  year: number;
  countries: CountryRules[];
}

export const capHasMax = (kind: string) => kind === 'max_per_day' || kind === 'max_per_week' || kind === 'max_in_days';
export const capHasDays = (kind: string) => kind === 'max_in_days' || kind === 'min_days_between' || kind === 'wait_after_conversation';

export interface CapDraft {
  id: string;
  kind: CapKind;
  channels: string[];
  max: string;
  days: string;
  /** Outcomes of the "after an effective contact / a conversation" kinds, kept as they were. */
  outcomes: string[];
}
export interface RulesDraft {
  hours: Record<ChannelClass, Record<number, string>>;
  holidays: 'allowed' | 'refused';
  week: 'calendar' | 'rolling7';
  caps: CapDraft[];
  consentRequired: string[];
}

/** The windows of one weekday as text, e.g. "08:00–15:00". */
export function hoursText(windows: readonly TimeWindow[], day: number): string {
  return windows
    .filter((w) => w.days.includes(day))
    .sort((a, b) => a.from.localeCompare(b.from))
    .map((w) => `${w.from}–${w.to}`)
    .join(', ');
}

export function draftOf(rules: Rules): RulesDraft {
  const hours = { voice: {}, written: {} } as RulesDraft['hours'];
  for (const cls of CHANNEL_CLASSES) for (const d of WEEKDAYS) hours[cls][d] = hoursText(rules.hours[cls], d);
  return {
    hours,
    holidays: rules.holidays,
    week: rules.week,
    caps: rules.caps.map((c) => ({
      id: c.id,
      kind: c.kind,
      channels: [...c.channels],
      max: c.max === undefined ? '' : String(c.max),
      days: c.days === undefined ? '' : String(c.days),
      outcomes: [...(c.effectiveOutcomes ?? c.conversationOutcomes ?? [])],
    })),
    consentRequired: [...rules.consentRequired],
  };
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const HHMM = /^(?:[01]\d|2[0-3]):[0-5]\d$/;

/** "7:00 - 22:00, 16:00–19:00" → windows; null when a piece is not "HH:MM–HH:MM" with the end after the start. */
export function parseDayHours(text: string): Array<{ from: string; to: string }> | null {
  const pieces = text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const out: Array<{ from: string; to: string }> = [];
  for (const piece of pieces) {
    const m = /^(\d{1,2}:\d{2})\s*(?:–|—|-|a|to)\s*(\d{1,2}:\d{2})$/.exec(piece);
    if (!m) return null;
    const from = m[1]!.padStart(5, '0');
    const to = m[2]!.padStart(5, '0');
    if (!HHMM.test(from) || !(HHMM.test(to) || to === '24:00') || minutes(from) >= minutes(to)) return null;
    out.push({ from, to });
  }
  return out;
}

/** One window per distinct time range, listing the days it applies to; with the days each window came from. */
function windowsOf(days: Record<number, Array<{ from: string; to: string }>>): TimeWindow[] {
  const byRange = new Map<string, TimeWindow>();
  for (const d of WEEKDAYS) {
    for (const r of days[d] ?? []) {
      const key = `${r.from}-${r.to}`;
      const w = byRange.get(key) ?? { days: [], from: r.from, to: r.to };
      w.days.push(d);
      byRange.set(key, w);
    }
  }
  return [...byRange.values()].sort((a, b) => a.days[0]! - b.days[0]! || a.from.localeCompare(b.from));
}

/** Day-by-day schedule of a list of windows, for comparing two lists however they group their days. */
function schedule(windows: readonly TimeWindow[]): string {
  return WEEKDAYS.map((d) => hoursText(windows, d)).join('|');
}

function capOf(c: CapDraft): Cap {
  const cap: Cap = { id: c.id, kind: c.kind, channels: CHANNELS.filter((ch) => c.channels.includes(ch)) };
  if (capHasMax(c.kind)) cap.max = Number(c.max);
  if (capHasDays(c.kind)) cap.days = Number(c.days);
  const outcomes = c.outcomes.length ? c.outcomes : ['effective', 'conversation'];
  if (c.kind === 'only_channel_after_effective') cap.effectiveOutcomes = outcomes;
  if (c.kind === 'wait_after_conversation') cap.conversationOutcomes = outcomes;
  return cap;
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** Problems to fix before saving, by field: `hours.<class>.<day>`, `caps.<i>.max|days|channels`. */
export type DraftProblems = Record<string, 'hours' | 'max' | 'days' | 'channels'>;

export interface OverridesResult {
  overrides: Record<string, unknown>;
  problems: DraftProblems;
  /** The weekdays behind each window sent, so the server's `overrides.hours.<class>.<i>` points at fields. */
  windowDays: Record<ChannelClass, number[][]>;
}

/**
 * The overrides to save: the fields of `draft` that differ from `builtIn`, plus the overrides the editor does not
 * show (label, notes…) kept from `current`.
 */
export function overridesOf(draft: RulesDraft, builtIn: Rules, current: Record<string, unknown> | undefined): OverridesResult {
  const problems: DraftProblems = {};
  const { hours: _h, holidays: _ho, week: _w, caps: _c, consentRequired: _cr, ...kept } = current ?? {};
  const overrides: Record<string, unknown> = { ...kept };
  const hours: Record<string, TimeWindow[]> = {};
  const windowDays = { voice: [], written: [] } as Record<ChannelClass, number[][]>;
  for (const cls of CHANNEL_CLASSES) {
    const days: Record<number, Array<{ from: string; to: string }>> = {};
    for (const d of WEEKDAYS) {
      const parsed = parseDayHours(draft.hours[cls][d] ?? '');
      if (parsed === null) problems[`hours.${cls}.${d}`] = 'hours';
      else days[d] = parsed;
    }
    const windows = windowsOf(days);
    windowDays[cls] = windows.map((w) => w.days);
    if (schedule(windows) !== schedule(builtIn.hours[cls])) hours[cls] = windows;
  }
  if (Object.keys(hours).length) overrides.hours = hours;
  if (draft.holidays !== builtIn.holidays) overrides.holidays = draft.holidays;
  if (draft.week !== builtIn.week) overrides.week = draft.week;
  draft.caps.forEach((c, i) => {
    if (capHasMax(c.kind) && !/^\d+$/.test(c.max.trim())) problems[`caps.${i}.max`] = 'max';
    if (capHasDays(c.kind) && (!/^\d+$/.test(c.days.trim()) || Number(c.days) < 1 || Number(c.days) > 366)) problems[`caps.${i}.days`] = 'days';
    if (c.channels.length === 0) problems[`caps.${i}.channels`] = 'channels';
  });
  const caps = draft.caps.map(capOf);
  if (JSON.stringify(caps) !== JSON.stringify(builtIn.caps.map((c) => capOf(draftOf({ ...builtIn, caps: [c] }).caps[0]!)))) overrides.caps = caps;
  if (!sameSet(draft.consentRequired, builtIn.consentRequired)) overrides.consentRequired = CHANNELS.filter((c) => draft.consentRequired.includes(c));
  return { overrides, problems, windowDays };
}

/** A cap id not used by the others, from its kind. */
export function newCapId(kind: string, caps: readonly CapDraft[]): string {
  let n = 1;
  while (caps.some((c) => c.id === `${kind}_${n}`)) n++;
  return `${kind}_${n}`;
}
