/**
 * Why the contact gate decided what it did, as data: a stable code with the facts its sentence needs, written in either
 * language by {@link reasonText}. The compliance log keeps this (contact_decisions.reason holds it as JSON:
 * {@link storedReason}), not a sentence, and so do a refused message (outbox_messages.last_error) and a task the gate
 * put off or cancelled (tasks.note), so a refusal is read in its reader's language — the timeline, "Mi día" and the
 * compliance report in English or Spanish. Texts stored before kept their Spanish sentence, which
 * {@link storedReasonText} shows as it is.
 *
 * The facts are those of the moment of the decision (the rule set's name, its hours, the cap that refused), so a
 * reason reads the same after the rules change.
 */
import { Temporal } from 'temporal-polyfill';
import type { PlainDate } from '../calendar.ts';
import { type Channel, type FrequencyCap, type HoldReason, type IsoWeekday, type TimeWindow } from './rules.ts';
import { channelName, describeChannels, describeSchedule, describeWindow, formatDate, formatZoned, holdName, weekdayName, type Locale } from './text.ts';

/** The rule set's name in Spanish and English, e.g. "México (CONDUSEF, entidades financieras)". */
export interface RuleSetLabel {
  readonly es: string;
  readonly en: string;
}

/** What a frequency cap's sentence needs of it. */
export interface CapFacts {
  readonly kind: FrequencyCap['kind'];
  readonly channels: readonly Channel[];
  /** The `max_*` caps' limit. */
  readonly max?: number;
  /** The number of days of `max_in_days`, `min_days_between` and `wait_after_conversation`. */
  readonly days?: number;
}

/** The facts of one decision, by code. */
export type ReasonFacts =
  | { readonly code: 'allowed'; readonly channel: Channel; readonly rules: RuleSetLabel }
  | { readonly code: 'hold'; readonly hold: HoldReason; readonly mandatory: boolean; readonly rules: RuleSetLabel }
  | { readonly code: 'optout'; readonly channel: Channel }
  | { readonly code: 'consent_denied'; readonly channel: Channel }
  | { readonly code: 'consent_missing'; readonly channel: Channel; readonly rules: RuleSetLabel }
  | { readonly code: 'holiday'; readonly date: PlainDate; readonly rules: RuleSetLabel }
  | { readonly code: 'weekday'; readonly channel: Channel; readonly weekday: IsoWeekday; readonly schedule: readonly TimeWindow[]; readonly rules: RuleSetLabel }
  | { readonly code: 'hours'; readonly channel: Channel; readonly weekday: IsoWeekday; readonly windows: readonly TimeWindow[]; readonly rules: RuleSetLabel }
  | {
      readonly code: 'cap';
      readonly cap: CapFacts;
      readonly week: 'calendar' | 'rolling7';
      /** Contacts already counted. */
      readonly count: number;
      /** The day of the contact the cap counts from (the latest one counted). */
      readonly reference: PlainDate | null;
      readonly referenceChannel: Channel | null;
      /** The reference contact was the debtor's own (a reply). */
      readonly referenceInbound: boolean;
      readonly rules: RuleSetLabel;
    }
  /** The gate could not judge (bad data on the debtor); `error` is the check's own English. */
  | { readonly code: 'input_invalid'; readonly error: string }
  /** The debtor has no address for the channel. */
  | { readonly code: 'address_missing'; readonly channel: string }
  /** Confirming an opt-out the debtor asked for (not a collection contact). */
  | { readonly code: 'optout_confirmation' }
  /** A free-form reply inside the window the debtor's message opened, and its refusals (free-form-reply.ts). */
  | { readonly code: 'reply_in_window' }
  | { readonly code: 'window_closed' }
  | { readonly code: 'reply_optout'; readonly channel: string }
  | { readonly code: 'reply_consent_denied'; readonly channel: string }
  | { readonly code: 'reply_hold'; readonly hold: string };

/**
 * A decision's reason. A refusal that lapses by itself also says when the contact is allowed again: `next` (null when
 * nothing is allowed within the search horizon), and `zone` when a candidate time zone other than the debtor's refused.
 */
export type ContactReason = ReasonFacts & {
  readonly zone?: string;
  readonly next?: { readonly at: string; readonly timeZone: string } | null;
  /** Days the gate looks ahead, for the sentence when `next` is null. */
  readonly horizonDays?: number;
};

export const REASON_CODES: ReadonlyArray<ReasonFacts['code']> = [
  'allowed',
  'hold',
  'optout',
  'consent_denied',
  'consent_missing',
  'holiday',
  'weekday',
  'hours',
  'cap',
  'input_invalid',
  'address_missing',
  'optout_confirmation',
  'reply_in_window',
  'window_closed',
  'reply_optout',
  'reply_consent_denied',
  'reply_hold',
];

/** The sentence of a reason in `locale`. */
export function reasonText(reason: ContactReason, locale: Locale): string {
  const es = locale === 'es';
  let text = factsText(reason, locale);
  if (reason.zone) text += es ? ` (Juzgado en la zona horaria candidata ${reason.zone}.)` : ` (Judged in the candidate time zone ${reason.zone}.)`;
  if (reason.next === null) {
    const days = reason.horizonDays ?? 0;
    text += es ? ` No hay ningún momento permitido en los próximos ${days} días con estas reglas.` : ` No instant within the next ${days} days is allowed under these rules.`;
  } else if (reason.next) {
    const when = formatZoned(Temporal.Instant.from(reason.next.at).toZonedDateTimeISO(reason.next.timeZone), locale);
    text += es ? ` Próximo momento permitido: ${when}.` : ` Next allowed: ${when}.`;
  }
  return text;
}

function factsText(r: ReasonFacts, locale: Locale): string {
  const es = locale === 'es';
  switch (r.code) {
    case 'allowed':
      return es
        ? `Contacto por ${channelName(r.channel, 'es')} permitido en este momento según las reglas de ${r.rules.es}.`
        : `Contact by ${channelName(r.channel, 'en')} is allowed now under the rules of ${r.rules.en}.`;
    case 'hold':
      if (r.mandatory) {
        return es
          ? `La cuenta tiene una suspensión por ${holdName(r.hold, 'es')}; en ${r.rules.es} la ley exige detener de inmediato la cobranza extrajudicial.`
          : `The account is on hold because of ${holdName(r.hold, 'en')}; in ${r.rules.en} the law requires extrajudicial collection to stop at once.`;
      }
      return es
        ? `La cuenta tiene una suspensión por ${holdName(r.hold, 'es')}; el contacto de cobranza queda suspendido mientras siga activa.`
        : `The account is on hold because of ${holdName(r.hold, 'en')}; collection contact is suspended while the hold is active.`;
    case 'optout':
      return es
        ? `El deudor se dio de baja del canal ${channelName(r.channel, 'es')} (BAJA/STOP); la baja se respeta de inmediato y no se le contacta por ese medio.`
        : `The debtor opted out of ${channelName(r.channel, 'en')} (BAJA/STOP); the opt-out is honoured at once and that channel is not used.`;
    case 'consent_denied':
      return es ? `El deudor no autorizó el canal ${channelName(r.channel, 'es')}; no se le contacta por ese medio.` : `The debtor refused consent for ${channelName(r.channel, 'en')}; that channel is not used.`;
    case 'consent_missing':
      return es
        ? `No consta la autorización del deudor para el canal ${channelName(r.channel, 'es')}; en ${r.rules.es} este canal requiere su consentimiento previo.`
        : `There is no record of the debtor's consent for ${channelName(r.channel, 'en')}; in ${r.rules.en} this channel requires prior consent.`;
    case 'holiday':
      return es
        ? `El ${formatDate(r.date, 'es')} es día festivo en ${r.rules.es} y no se permite contactar al deudor.`
        : `${formatDate(r.date, 'en')} is a public holiday in ${r.rules.en}; contacting the debtor is not allowed.`;
    case 'weekday': {
      const schedule = describeSchedule(r.schedule, locale);
      return es
        ? `En ${r.rules.es} no se permite contactar por ${channelName(r.channel, 'es')} en ${weekdayName(r.weekday, 'es')}; el horario permitido es ${schedule} (hora local del deudor).`
        : `In ${r.rules.en}, contact by ${channelName(r.channel, 'en')} is not allowed on ${weekdayName(r.weekday, 'en')}; the allowed hours are ${schedule} (debtor's local time).`;
    }
    case 'hours': {
      const today = r.windows.map((w) => describeWindow(w, locale)).join(es ? ' y ' : ' and ');
      return es
        ? `Fuera del horario permitido para contactar por ${channelName(r.channel, 'es')} en ${r.rules.es}: el ${weekdayName(r.weekday, 'es')} solo ${today} (hora local del deudor).`
        : `Outside the hours allowed for contact by ${channelName(r.channel, 'en')} in ${r.rules.en}: on ${weekdayName(r.weekday, 'en')} only ${today} (debtor's local time).`;
    }
    case 'cap':
      return capText(r, locale);
    case 'input_invalid':
      return es ? `No se puede evaluar el contacto: ${r.error}. Corrija los datos del deudor.` : `The contact cannot be judged: ${r.error}. Correct the debtor's details.`;
    case 'address_missing': {
      const address = ADDRESSES[r.channel]?.[locale] ?? (es ? `un dato de contacto para ${r.channel}` : `a contact detail for ${r.channel}`);
      return es ? `El deudor no tiene ${address} registrado; no se le puede contactar por este medio.` : `The debtor has no ${address} on record; they cannot be contacted this way.`;
    }
    case 'optout_confirmation':
      return es ? 'Confirmación de baja solicitada por el deudor; no es un contacto de cobranza.' : 'Confirmation of the opt-out the debtor asked for; it is not a collection contact.';
    case 'reply_in_window':
      return es ? 'Respuesta al deudor dentro de la ventana de 24 horas que abrió su mensaje.' : 'A reply to the debtor within the 24-hour window their message opened.';
    case 'window_closed':
      return es
        ? 'La ventana de 24 horas que abrió el mensaje del deudor ya cerró; fuera de ella solo se envían plantillas aprobadas.'
        : "The 24-hour window the debtor's message opened has closed; outside it only approved templates are sent.";
    case 'reply_optout':
      return es ? `El deudor pidió la baja del canal ${r.channel}; no se le responde por ese medio.` : `The debtor opted out of ${r.channel}; they are not answered that way.`;
    case 'reply_consent_denied':
      return es ? `El deudor no autorizó el canal ${r.channel}.` : `The debtor refused consent for ${r.channel}.`;
    case 'reply_hold':
      return es
        ? `La cuenta tiene una suspensión (${r.hold}) que detiene todo contacto; un asesor debe atender el mensaje.`
        : `The account has a hold (${r.hold}) that stops all contact; an advisor must attend to the message.`;
  }
}

function capText(r: Extract<ReasonFacts, { code: 'cap' }>, locale: Locale): string {
  const es = locale === 'es';
  const country = r.rules[locale];
  const { cap } = r;
  const via = describeChannels(cap.channels, locale);
  const max = cap.max ?? 0;
  const days = cap.days ?? 0;
  const weekEs = r.week === 'calendar' ? 'por semana (de lunes a domingo)' : 'en 7 días corridos';
  const weekEn = r.week === 'calendar' ? 'per week (Monday to Sunday)' : 'in any 7 consecutive days';
  const ref = r.reference ? formatDate(r.reference, locale) : '';
  if (cap.max === 0) {
    return es ? `En ${country} no se permite ningún contacto por ${via} (límite de 0).` : `${country} allows no contact by ${via} (a limit of 0).`;
  }
  switch (cap.kind) {
    case 'max_per_day':
      return es
        ? `Ya hubo ${contactsEs(r.count)} por ${via} en el mismo día; en ${country} se permite como máximo ${max} por día.`
        : `${alreadyEn(r.count)} by ${via} on the same day; ${country} allows at most ${max} per day.`;
    case 'max_per_week':
      return es
        ? `Ya hubo ${contactsEs(r.count)} por ${via} esta semana; en ${country} se permite como máximo ${max} ${weekEs}.`
        : `${alreadyEn(r.count)} by ${via} this week; ${country} allows at most ${max} ${weekEn}.`;
    case 'max_in_days':
      return es
        ? `Ya hubo ${contactsEs(r.count)} por ${via} en los últimos ${days} días; en ${country} se permite como máximo ${max} en ${days} días consecutivos.`
        : `${alreadyEn(r.count)} by ${via} in the last ${days} days; ${country} allows at most ${max} within ${days} consecutive days.`;
    case 'min_days_between':
      return es
        ? `El último contacto por ${via} fue el ${ref}; en ${country} deben mediar al menos ${days} días completos entre uno y otro.`
        : `The last contact by ${via} was on ${ref}; ${country} requires at least ${days} whole days between them.`;
    case 'only_channel_after_effective': {
      const used = r.referenceChannel ? channelName(r.referenceChannel, locale) : '';
      const restEs = r.week === 'calendar' ? 'el resto de la semana (de lunes a domingo)' : 'durante 7 días corridos desde ese contacto';
      const restEn = r.week === 'calendar' ? 'for the rest of the week (Monday to Sunday)' : 'for 7 consecutive days from that contact';
      if (r.referenceInbound) {
        return es
          ? `El deudor respondió por ${used} el ${ref} (contacto efectivo); en ${country}, después de un contacto efectivo solo puede usarse ese canal ${restEs}.`
          : `The debtor replied by ${used} on ${ref} (an effective contact); in ${country}, after an effective contact only that channel may be used ${restEn}.`;
      }
      return es
        ? `Hubo un contacto efectivo por ${used} el ${ref}; en ${country}, después de un contacto efectivo solo puede usarse ese canal ${restEs}.`
        : `There was an effective contact by ${used} on ${ref}; in ${country}, after an effective contact only that channel may be used ${restEn}.`;
    }
    case 'wait_after_conversation':
      return es
        ? `Hubo una conversación telefónica el ${ref}; en ${country} no se permite contactar por ${via} durante ${days} días, contando ese día como el primero.`
        : `There was a telephone conversation on ${ref}; ${country} allows no contact by ${via} for ${days} days, counting that day as day 1.`;
  }
}

/** What a message channel needs of the debtor (all masculine in Spanish: "no tiene … registrado"). */
const ADDRESSES: Partial<Record<string, RuleSetLabel>> = {
  email: { es: 'correo electrónico', en: 'email address' },
  sms: { es: 'teléfono móvil', en: 'mobile number' },
  whatsapp: { es: 'número de WhatsApp', en: 'WhatsApp number' },
  letter: { es: 'domicilio', en: 'postal address' },
};

const contactsEs = (n: number): string => `${n} ${n === 1 ? 'contacto' : 'contactos'}`;
const alreadyEn = (n: number): string => (n === 1 ? 'There was already 1 contact' : `There were already ${n} contacts`);

/** What a frequency cap's sentence needs of it. */
export function capFacts(cap: FrequencyCap): CapFacts {
  return { kind: cap.kind, channels: cap.channels, ...('max' in cap && { max: cap.max }), ...('days' in cap && { days: cap.days }) };
}

/** The text a reason is stored as (contact_decisions.reason): its JSON. */
export function storedReason(reason: ContactReason): string {
  return JSON.stringify(reason);
}

/** A stored reason read back; null for the sentence a decision logged before reasons were data (or anything else). */
export function parseStoredReason(stored: string): ContactReason | null {
  if (!stored.startsWith('{')) return null;
  try {
    const value = JSON.parse(stored) as unknown;
    if (typeof value === 'object' && value !== null && (REASON_CODES as readonly string[]).includes((value as { code?: unknown }).code as string)) return value as ContactReason;
  } catch {
    // not JSON: an old sentence that happens to start with a brace
  }
  return null;
}

/** A stored reason in `locale`; a sentence stored before reasons were data, as it was written (Spanish). */
export function storedReasonText(stored: string, locale: Locale): string {
  const reason = parseStoredReason(stored);
  if (!reason) return stored;
  try {
    return reasonText(reason, locale);
  } catch {
    // A reason whose facts no longer read (e.g. a time zone this runtime does not know): its code, not a failure.
    return reason.code;
  }
}
