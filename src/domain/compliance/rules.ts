/**
 * Contact compliance rule tables (DOMAIN.md §3), as plain data a company can adjust.
 *
 * A rule set says, for one country (or one regulator within a country):
 * - `hours`: the weekly windows in which contact is allowed, per channel class. `voice` covers calls and visits,
 *   `written` covers email, WhatsApp, SMS and letters. Where the law does not distinguish, both classes carry the
 *   same windows. Every window is half-open, [from, to): a CO Saturday window 08:00–15:00 allows 14:59:59 and refuses
 *   15:00:00. Times are wall-clock times in the debtor's time zone. `to` may be "24:00".
 * - `holidays`: whether contact is allowed on the country's holidays (`allowed`) or not (`refused`), and which
 *   holiday calendar applies (see holidays.ts).
 * - `week`: how "per week" is counted: `calendar` = Monday–Sunday in the debtor's time zone (the default),
 *   `rolling7` = the 7 local calendar days ending on the day judged.
 * - `caps`: frequency limits, each with a stable id that becomes part of the rule name (`cap.<set>.<id>`, or
 *   `wait.<set>.<id>` for a waiting period).
 * - `consentRequired`: channels that need the debtor's explicit consent (`granted`). A channel the debtor *denied* is
 *   refused everywhere, whether listed or not.
 * - `mandatoryHolds`: holds the law itself says stop contact at once (CL: lawsuit served, insolvency). Every hold
 *   suspends collection contact in every country; this list only changes the wording of the reason.
 *
 * Choices we made where the sources leave room (the stricter reading when in doubt) are listed in each set's
 * `notes`, so they travel with the data and show up wherever a rule set is displayed.
 */
import { z } from 'zod';
import { compose, say, t, TextError } from '../text.ts';
import { issueText, zodText } from '../zod-issues.ts';

export const CHANNELS = ['email', 'whatsapp', 'sms', 'letter', 'call', 'visit'] as const;
export type Channel = (typeof CHANNELS)[number];

export const CHANNEL_CLASSES = ['voice', 'written'] as const;
/** `voice`: calls and visits (what most laws regulate); `written`: email, WhatsApp, SMS, letters. */
export type ChannelClass = (typeof CHANNEL_CLASSES)[number];

export const VOICE_CHANNELS: readonly Channel[] = ['call', 'visit'];
export const WRITTEN_CHANNELS: readonly Channel[] = ['email', 'whatsapp', 'sms', 'letter'];

export function channelClass(channel: Channel): ChannelClass {
  return channel === 'call' || channel === 'visit' ? 'voice' : 'written';
}

export const CONTACT_OUTCOMES = ['attempt', 'conversation', 'effective'] as const;
/** `attempt`: sent or dialled, nobody reached; `conversation`: a phone conversation; `effective`: the debtor was reached. */
export type ContactOutcome = (typeof CONTACT_OUTCOMES)[number];

export const HOLD_REASONS = ['dispute', 'promise', 'agreement', 'deceased', 'bankruptcy', 'legal', 'customer_request'] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

export const RULE_SET_IDS = ['MX', 'MX-PROFECO', 'CO', 'CL', 'PE', 'BR', 'AR', 'US'] as const;
export type RuleSetId = (typeof RULE_SET_IDS)[number];

export const HOLIDAY_CALENDARS = ['MX', 'CO', 'CL', 'PE', 'BR', 'AR', 'US'] as const;
export type HolidayCalendarId = (typeof HOLIDAY_CALENDARS)[number];

/** ISO day of week: 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** Local wall-clock window [from, to) on the listed days. */
export interface TimeWindow {
  readonly days: readonly IsoWeekday[];
  /** "HH:MM", inclusive. */
  readonly from: string;
  /** "HH:MM" or "24:00", exclusive. */
  readonly to: string;
}

/**
 * A frequency cap. `channels` are both the contacts that count and the channels the cap applies to.
 * - `max_per_day`: at most `max` contacts on one local calendar day. In every `max_*` cap, `max` 0 means no contact
 *   at all by the cap's channels (a company may shut a channel off for a country).
 * - `max_per_week`: at most `max` contacts in one week (see `ContactRules.week`).
 * - `max_in_days`: at most `max` contacts in any `days` consecutive local days (a rolling window ending on the day
 *   judged; US Reg F's "7 calls within 7 days").
 * - `min_days_between`: at least `days` whole calendar days must lie strictly between two contacts (2 → a contact on
 *   Monday allows the next one on Thursday).
 * - `only_channel_after_effective`: after a contact whose outcome is one of `effectiveOutcomes`, only that contact's
 *   channel may be used for the rest of the week.
 * - `wait_after_conversation`: after a contact whose outcome is one of `conversationOutcomes`, none of `channels` for
 *   `days` local days, the conversation day being day 1 (7 → a Monday conversation allows the next call on Monday).
 */
export type FrequencyCap =
  | { readonly id: string; readonly kind: 'max_per_day'; readonly channels: readonly Channel[]; readonly max: number }
  | { readonly id: string; readonly kind: 'max_per_week'; readonly channels: readonly Channel[]; readonly max: number }
  | { readonly id: string; readonly kind: 'max_in_days'; readonly channels: readonly Channel[]; readonly max: number; readonly days: number }
  | { readonly id: string; readonly kind: 'min_days_between'; readonly channels: readonly Channel[]; readonly days: number }
  | { readonly id: string; readonly kind: 'only_channel_after_effective'; readonly channels: readonly Channel[]; readonly effectiveOutcomes: readonly ContactOutcome[] }
  | {
      readonly id: string;
      readonly kind: 'wait_after_conversation';
      readonly channels: readonly Channel[];
      readonly days: number;
      readonly conversationOutcomes: readonly ContactOutcome[];
    };

export interface ContactRules {
  /** Stable id used in rule names, e.g. "CO" or "MX-PROFECO". */
  readonly id: string;
  /** ISO 3166-1 alpha-2 country. */
  readonly country: HolidayCalendarId;
  /** Display names for reasons: Spanish and English. */
  readonly label: { readonly es: string; readonly en: string };
  /** Legal basis, for people reading a decision log. */
  readonly basis: string;
  readonly hours: { readonly voice: readonly TimeWindow[]; readonly written: readonly TimeWindow[] };
  readonly holidays: 'allowed' | 'refused';
  readonly holidayCalendar: HolidayCalendarId;
  readonly week: 'calendar' | 'rolling7';
  readonly caps: readonly FrequencyCap[];
  readonly consentRequired: readonly Channel[];
  readonly mandatoryHolds: readonly HoldReason[];
  /** Interpretation choices, in English. */
  readonly notes: readonly string[];
}

// ---------------------------------------------------------------------------------------------------------------
// Schema

const HHMM = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;

/** Minutes since local midnight of "HH:MM" (24:00 → 1440). */
export function minutesOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

const channelSchema = z.enum(CHANNELS);
const channelsSchema = z.array(channelSchema).min(1, zodText(t('list at least one channel', 'indique al menos un canal')));
const outcomesSchema = z.array(z.enum(CONTACT_OUTCOMES)).min(1, zodText(t('list at least one outcome', 'indique al menos un resultado')));
const capIdSchema = z.string().regex(/^[a-z0-9_]+$/, zodText(t('use lowercase letters, digits and underscores', 'use minúsculas, dígitos y guiones bajos')));
/** A cap's number of contacts: 0 means no contact at all by the cap's channels. */
const capMax = z.number().int('use a whole number of contacts').min(0, zodText(t('a cap cannot be negative (0 means no contact by these channels)', 'un tope no puede ser negativo (0 significa ningún contacto por estos canales)'))).max(1000, zodText(t('at most 1000 contacts', 'como máximo 1000 contactos')));
/** A number of days in a cap or a waiting period. */
const capDays = z.number().int('use a whole number of days').min(1, zodText(t('at least 1 day', 'al menos 1 día'))).max(366, zodText(t('at most 366 days', 'como máximo 366 días')));

export const timeWindowSchema = z
  .strictObject({
    days: z
      .array(z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5), z.literal(6), z.literal(7)]))
      .min(1, zodText(t('list at least one ISO weekday (1 = Monday … 7 = Sunday)', 'indique al menos un día de la semana ISO (1 = lunes … 7 = domingo)'))),
    from: z.string().regex(HHMM, zodText(t('use HH:MM (00:00–23:59)', 'use HH:MM (00:00–23:59)'))),
    to: z.string().regex(HHMM, zodText(t('use HH:MM (00:01–24:00)', 'use HH:MM (00:01–24:00)'))),
  })
  .refine((w) => minutesOf(w.from) < minutesOf(w.to), {
    message: zodText(t('a window must end after it starts (windows are [from, to) within one day)', 'una ventana debe terminar después de empezar (las ventanas son [from, to) dentro de un mismo día)')),
  });

export const frequencyCapSchema = z.discriminatedUnion('kind', [
  z.strictObject({ id: capIdSchema, kind: z.literal('max_per_day'), channels: channelsSchema, max: capMax }),
  z.strictObject({ id: capIdSchema, kind: z.literal('max_per_week'), channels: channelsSchema, max: capMax }),
  z.strictObject({ id: capIdSchema, kind: z.literal('max_in_days'), channels: channelsSchema, max: capMax, days: capDays }),
  z.strictObject({ id: capIdSchema, kind: z.literal('min_days_between'), channels: channelsSchema, days: capDays }),
  z.strictObject({ id: capIdSchema, kind: z.literal('only_channel_after_effective'), channels: channelsSchema, effectiveOutcomes: outcomesSchema }),
  z.strictObject({ id: capIdSchema, kind: z.literal('wait_after_conversation'), channels: channelsSchema, days: capDays, conversationOutcomes: outcomesSchema }),
]);

const hoursSchema = z.strictObject({ voice: z.array(timeWindowSchema), written: z.array(timeWindowSchema) });

export const contactRulesSchema = z
  .strictObject({
    id: z.string().regex(/^[A-Z]{2}(?:-[A-Z0-9]+)*$/, zodText(t('use a country code, optionally with a suffix, e.g. "MX-PROFECO"', 'use un código de país, opcionalmente con un sufijo, p. ej. "MX-PROFECO"'))),
    country: z.enum(HOLIDAY_CALENDARS),
    label: z.strictObject({ es: z.string().min(1), en: z.string().min(1) }),
    basis: z.string(),
    hours: hoursSchema,
    holidays: z.enum(['allowed', 'refused']),
    holidayCalendar: z.enum(HOLIDAY_CALENDARS),
    week: z.enum(['calendar', 'rolling7']),
    caps: z.array(frequencyCapSchema),
    consentRequired: z.array(channelSchema),
    mandatoryHolds: z.array(z.enum(HOLD_REASONS)),
    notes: z.array(z.string()),
  })
  .refine((r) => new Set(r.caps.map((c) => c.id)).size === r.caps.length, {
    message: zodText(t('cap ids must be unique within a rule set', 'los ids de los topes deben ser únicos dentro de un conjunto de reglas')),
    path: ['caps'],
  });

/** A company's adjustments: any top-level field replaced; `hours.voice` and `hours.written` replaced separately. */
export const contactRulesOverridesSchema = z.strictObject({
  label: z.strictObject({ es: z.string().min(1), en: z.string().min(1) }).optional(),
  basis: z.string().optional(),
  hours: z.strictObject({ voice: z.array(timeWindowSchema).optional(), written: z.array(timeWindowSchema).optional() }).optional(),
  holidays: z.enum(['allowed', 'refused']).optional(),
  holidayCalendar: z.enum(HOLIDAY_CALENDARS).optional(),
  week: z.enum(['calendar', 'rolling7']).optional(),
  caps: z.array(frequencyCapSchema).optional(),
  consentRequired: z.array(channelSchema).optional(),
  mandatoryHolds: z.array(z.enum(HOLD_REASONS)).optional(),
  notes: z.array(z.string()).optional(),
});
export type ContactRulesOverrides = z.infer<typeof contactRulesOverridesSchema>;

// Compile-time check that the schema and the hand-written types agree.
type _SchemaMatchesType = z.infer<typeof contactRulesSchema> extends ContactRules ? true : never;
const _schemaMatchesType: _SchemaMatchesType = true;
void _schemaMatchesType;

export class ComplianceRulesError extends TextError {
  override name = 'ComplianceRulesError';
}

// ---------------------------------------------------------------------------------------------------------------
// The default tables

const MON_FRI: readonly IsoWeekday[] = [1, 2, 3, 4, 5];
const MON_SAT: readonly IsoWeekday[] = [1, 2, 3, 4, 5, 6];
const EVERY_DAY: readonly IsoWeekday[] = [1, 2, 3, 4, 5, 6, 7];
const ALL_CHANNELS: readonly Channel[] = CHANNELS;

/** The same windows for calls/visits and for written channels. */
function sameForAll(windows: readonly TimeWindow[]): ContactRules['hours'] {
  return { voice: windows, written: windows };
}

const WHATSAPP_OPT_IN =
  'WhatsApp needs the debtor\'s opt-in (WhatsApp Business Platform policy), so consent is required for it everywhere.';

const SETS: Record<RuleSetId, ContactRules> = {
  MX: {
    id: 'MX',
    country: 'MX',
    label: { es: 'México (CONDUSEF, entidades financieras)', en: 'Mexico (CONDUSEF, financial institutions)' },
    basis: 'CONDUSEF, disposiciones en materia de despachos de cobranza',
    hours: sameForAll([{ days: EVERY_DAY, from: '07:00', to: '22:00' }]),
    holidays: 'allowed',
    holidayCalendar: 'MX',
    week: 'calendar',
    caps: [],
    consentRequired: ['whatsapp'],
    mandatoryHolds: [],
    notes: [
      'Financial creditors (CONDUSEF): 07:00–22:00 in the debtor\'s local time, every day of the week, for every channel (the rule names no channel).',
      'The rule sets hours only, so holidays are allowed; a company may set holidays to "refused".',
      'Commercial creditors use MX-PROFECO instead.',
      WHATSAPP_OPT_IN,
    ],
  },
  'MX-PROFECO': {
    id: 'MX-PROFECO',
    country: 'MX',
    label: { es: 'México (PROFECO, proveedores comerciales)', en: 'Mexico (PROFECO, commercial creditors)' },
    basis: 'PROFECO, cobranza de proveedores comerciales',
    hours: sameForAll([{ days: MON_FRI, from: '07:00', to: '22:00' }]),
    holidays: 'refused',
    holidayCalendar: 'MX',
    week: 'calendar',
    caps: [],
    consentRequired: ['whatsapp'],
    mandatoryHolds: [],
    notes: [
      'Commercial creditors (PROFECO): Monday to Friday 07:00–22:00 local time, every channel.',
      'Monday to Friday reads as working days, so the statutory rest days (LFT art. 74) are refused: the stricter reading.',
      WHATSAPP_OPT_IN,
    ],
  },
  CO: {
    id: 'CO',
    country: 'CO',
    label: { es: 'Colombia', en: 'Colombia' },
    basis: 'Ley 2300 de 2023',
    hours: sameForAll([
      { days: MON_FRI, from: '07:00', to: '19:00' },
      { days: [6], from: '08:00', to: '15:00' },
    ]),
    holidays: 'refused',
    holidayCalendar: 'CO',
    week: 'calendar',
    caps: [
      { id: 'per_day', kind: 'max_per_day', channels: ALL_CHANNELS, max: 1 },
      { id: 'channel_after_effective', kind: 'only_channel_after_effective', channels: ALL_CHANNELS, effectiveOutcomes: ['effective', 'conversation'] },
    ],
    consentRequired: ALL_CHANNELS,
    mandatoryHolds: [],
    notes: [
      'The law\'s window applies to every channel: Monday–Friday 07:00–19:00, Saturday 08:00–15:00, never on Sundays or holidays.',
      'At most one contact per local day across all channels, attempts included (the stricter reading).',
      'After an effective contact (outcome "effective" or a phone "conversation"), only that channel for the rest of the calendar week (Monday–Sunday).',
      'Only channels the debtor authorised: consent is required for every channel.',
    ],
  },
  CL: {
    id: 'CL',
    country: 'CL',
    label: { es: 'Chile', en: 'Chile' },
    basis: 'Ley 19.496 art. 37, modificada por Ley 21.320',
    hours: sameForAll([{ days: MON_SAT, from: '08:00', to: '20:00' }]),
    holidays: 'refused',
    holidayCalendar: 'CL',
    week: 'calendar',
    caps: [
      { id: 'voice_per_week', kind: 'max_per_week', channels: VOICE_CHANNELS, max: 1 },
      { id: 'written_per_week', kind: 'max_per_week', channels: WRITTEN_CHANNELS, max: 2 },
      { id: 'written_spacing', kind: 'min_days_between', channels: WRITTEN_CHANNELS, days: 2 },
    ],
    consentRequired: ['whatsapp'],
    mandatoryHolds: ['legal', 'bankruptcy'],
    notes: [
      'Monday–Saturday 08:00–20:00, not on holidays, for every channel (the stricter reading: the window is not limited to calls and visits).',
      'At most one call or visit per calendar week (attempts count); at most two contacts per week by the other channels together.',
      '"Separated by at least two days" is read strictly: two whole days must lie between written contacts (Monday, then Thursday at the earliest), also across week boundaries.',
      'A served lawsuit or an insolvency proceeding stops extrajudicial contact at once.',
      WHATSAPP_OPT_IN,
    ],
  },
  PE: {
    id: 'PE',
    country: 'PE',
    label: { es: 'Perú', en: 'Peru' },
    basis: 'Ley 29571 (Código de Protección y Defensa del Consumidor) art. 62',
    hours: sameForAll([{ days: MON_FRI, from: '07:00', to: '20:00' }]),
    holidays: 'refused',
    holidayCalendar: 'PE',
    week: 'calendar',
    caps: [],
    consentRequired: ['whatsapp'],
    mandatoryHolds: [],
    notes: [
      'The window the law states for calls and visits (Monday–Friday 07:00–20:00, not holidays) is applied to written channels too: the stricter reading.',
      WHATSAPP_OPT_IN,
    ],
  },
  BR: {
    id: 'BR',
    country: 'BR',
    label: { es: 'Brasil', en: 'Brazil' },
    basis: 'Código de Defesa do Consumidor arts. 42 e 71',
    hours: sameForAll([{ days: MON_FRI, from: '08:00', to: '20:00' }]),
    holidays: 'refused',
    holidayCalendar: 'BR',
    week: 'calendar',
    caps: [],
    consentRequired: ['whatsapp'],
    mandatoryHolds: [],
    notes: [
      'The CDC sets no hours; the common reading is business days 08:00–20:00. Business days are Monday–Friday except national holidays (Saturday excluded: the stricter reading).',
      'The holiday calendar includes Carnival and Corpus Christi (bank holidays).',
      WHATSAPP_OPT_IN,
    ],
  },
  AR: {
    id: 'AR',
    country: 'AR',
    label: { es: 'Argentina', en: 'Argentina' },
    basis: 'Ley 24.240 art. 8 bis (trato digno); sin franja horaria legal',
    hours: sameForAll([{ days: MON_FRI, from: '09:00', to: '19:00' }]),
    holidays: 'refused',
    holidayCalendar: 'AR',
    week: 'calendar',
    caps: [],
    consentRequired: ['whatsapp'],
    mandatoryHolds: [],
    notes: [
      'No statutory window was found; the default is a conservative Monday–Friday 09:00–19:00, not on holidays, for every channel.',
      'The "feriados puente" the government decrees each year are not computable: add them as holiday overrides.',
      WHATSAPP_OPT_IN,
    ],
  },
  US: {
    id: 'US',
    country: 'US',
    label: { es: 'Estados Unidos', en: 'the United States' },
    basis: 'FDCPA §805(a)(1); Regulation F 12 CFR 1006.6(b)(1)(i), 1006.14(b)',
    hours: sameForAll([{ days: EVERY_DAY, from: '08:00', to: '21:00' }]),
    holidays: 'allowed',
    holidayCalendar: 'US',
    week: 'calendar',
    caps: [
      { id: 'regf_7in7', kind: 'max_in_days', channels: ['call'], max: 7, days: 7 },
      { id: 'after_conversation', kind: 'wait_after_conversation', channels: ['call'], days: 7, conversationOutcomes: ['conversation', 'effective'] },
    ],
    consentRequired: ['whatsapp'],
    mandatoryHolds: [],
    notes: [
      'FDCPA: 08:00–21:00 at the consumer\'s location, any day, every channel (electronic messages included under Reg F); holidays are not restricted.',
      'When the location is uncertain, pass every candidate zone: the contact must be allowed in all of them.',
      'Reg F call frequency, per debt (pass the history of that debt): at most 7 call attempts within 7 consecutive days, and none within 7 days after a telephone conversation, the conversation day being day 1. Days are local calendar days.',
      'An "effective" call counts as a telephone conversation.',
      'Every email and SMS must carry an opt-out notice; that is the message template\'s job, not the gate\'s.',
      WHATSAPP_OPT_IN,
    ],
  },
};

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** The built-in rule sets, read-only. */
export const RULE_SETS: Readonly<Record<RuleSetId, ContactRules>> = deepFreeze(SETS);

export function isRuleSetId(value: string): value is RuleSetId {
  return (RULE_SET_IDS as readonly string[]).includes(value);
}

function describeIssues(error: z.ZodError, language: 'en' | 'es'): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${say(issueText(i), language)}`).join('; ');
}

/** Validates a complete rule set (e.g. a company's own, read from JSON). */
export function parseContactRules(input: unknown): ContactRules {
  const r = contactRulesSchema.safeParse(input);
  if (!r.success) throw new ComplianceRulesError(compose((l) => `${l === 'es' ? 'reglas de contacto no válidas' : 'invalid contact rules'}: ${describeIssues(r.error, l)}`));
  return deepFreeze(r.data);
}

/**
 * The rule set to judge with: a built-in set (or any valid set) with a company's overrides applied and validated.
 * Overrides replace whole fields; `hours.voice` and `hours.written` can be replaced independently.
 */
export function resolveRules(base: RuleSetId | ContactRules, overrides?: unknown): ContactRules {
  const baseRules = typeof base === 'string' ? RULE_SETS[base] : base;
  if (!baseRules) throw new ComplianceRulesError(t(`unknown rule set "${String(base)}"; use one of ${RULE_SET_IDS.join(', ')}`, `conjunto de reglas desconocido "${String(base)}"; use uno de ${RULE_SET_IDS.join(', ')}`));
  if (overrides === undefined) return parseContactRules(baseRules);
  const o = contactRulesOverridesSchema.safeParse(overrides);
  if (!o.success) throw new ComplianceRulesError(compose((l) => `${l === 'es' ? `ajustes no válidos para ${baseRules.id}` : `invalid overrides for ${baseRules.id}`}: ${describeIssues(o.error, l)}`));
  const { hours, ...rest } = o.data;
  return parseContactRules({
    ...baseRules,
    ...rest,
    hours: { voice: hours?.voice ?? baseRules.hours.voice, written: hours?.written ?? baseRules.hours.written },
  });
}
