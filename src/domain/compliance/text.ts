/**
 * Wording of the gate's decisions, in Spanish (es-MX, the default) and English. Dates and times are formatted here
 * rather than with Intl so the text is the same on every runtime and ICU version.
 */
import type { Temporal } from 'temporal-polyfill';
import type { PlainDate } from '../calendar.ts';
import { isoWeekday } from './holidays.ts';
import { CHANNELS, VOICE_CHANNELS, WRITTEN_CHANNELS, type Channel, type HoldReason, type IsoWeekday, type TimeWindow } from './rules.ts';

export type Locale = 'es' | 'en';

const WEEKDAYS: Record<Locale, readonly string[]> = {
  es: ['lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado', 'domingo'],
  en: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
};
const WEEKDAYS_PLURAL_ES = ['lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábados', 'domingos'];
const MONTHS: Record<Locale, readonly string[]> = {
  es: ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

const CHANNEL_NAMES: Record<Locale, Record<Channel, string>> = {
  es: { email: 'correo electrónico', whatsapp: 'WhatsApp', sms: 'SMS', letter: 'carta', call: 'llamada', visit: 'visita' },
  en: { email: 'email', whatsapp: 'WhatsApp', sms: 'SMS', letter: 'letter', call: 'call', visit: 'visit' },
};

const HOLD_NAMES: Record<Locale, Record<HoldReason, string>> = {
  es: {
    dispute: 'una disputa o reclamo del deudor',
    promise: 'una promesa de pago vigente',
    agreement: 'un convenio de pago vigente',
    deceased: 'el fallecimiento del deudor',
    bankruptcy: 'un procedimiento concursal (quiebra o insolvencia)',
    legal: 'una demanda judicial notificada',
    customer_request: 'una solicitud del cliente',
  },
  en: {
    dispute: 'a dispute raised by the debtor',
    promise: 'an open promise to pay',
    agreement: 'an active payment agreement',
    deceased: "the debtor's death",
    bankruptcy: 'an insolvency proceeding (bankruptcy)',
    legal: 'a lawsuit served',
    customer_request: "the creditor's request",
  },
};

export function weekdayName(day: IsoWeekday, locale: Locale): string {
  return WEEKDAYS[locale][day - 1] ?? '';
}

export function channelName(channel: Channel, locale: Locale): string {
  return CHANNEL_NAMES[locale][channel];
}

export function holdName(reason: HoldReason, locale: Locale): string {
  return HOLD_NAMES[locale][reason];
}

/** "lunes 12 de enero de 2026" / "Monday, January 12, 2026". */
export function formatDate(date: PlainDate, locale: Locale): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  const wd = weekdayName(isoWeekday(date), locale);
  return locale === 'es' ? `${wd} ${d} de ${MONTHS.es[m - 1]} de ${y}` : `${wd}, ${MONTHS.en[m - 1]} ${d}, ${y}`;
}

/** "lunes 9 de marzo de 2026, 07:00 (America/Bogota, UTC−05:00)". */
export function formatZoned(z: Temporal.ZonedDateTime, locale: Locale): string {
  const hh = String(z.hour).padStart(2, '0');
  const mm = String(z.minute).padStart(2, '0');
  const ss = z.second || z.millisecond ? `:${String(z.second).padStart(2, '0')}` : '';
  return `${formatDate(z.toPlainDate().toString() as PlainDate, locale)}, ${hh}:${mm}${ss} (${z.timeZoneId}, UTC${z.offset})`;
}

/** "de lunes a viernes", "los sábados", "todos los días", "lunes y miércoles". */
export function describeDays(days: readonly IsoWeekday[], locale: Locale): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  if (sorted.length === 7) return locale === 'es' ? 'todos los días' : 'every day';
  const runs: IsoWeekday[][] = [];
  for (const d of sorted) {
    const last = runs[runs.length - 1];
    if (last && last[last.length - 1] === d - 1) last.push(d);
    else runs.push([d]);
  }
  const parts = runs.flatMap((run) => {
    const first = run[0] as IsoWeekday;
    const lastDay = run[run.length - 1] as IsoWeekday;
    if (run.length >= 3) return [locale === 'es' ? `de ${weekdayName(first, 'es')} a ${weekdayName(lastDay, 'es')}` : `${weekdayName(first, 'en')} to ${weekdayName(lastDay, 'en')}`];
    return run.map((d) => (locale === 'es' ? `los ${WEEKDAYS_PLURAL_ES[d - 1]}` : `${weekdayName(d, 'en')}s`));
  });
  return joinList(parts, locale);
}

function joinList(parts: readonly string[], locale: Locale): string {
  if (parts.length <= 1) return parts[0] ?? '';
  const and = locale === 'es' ? ' y ' : ' and ';
  return `${parts.slice(0, -1).join(', ')}${and}${parts[parts.length - 1]}`;
}

/** "de 07:00 a 19:00" / "07:00 to 19:00". */
export function describeWindow(w: TimeWindow, locale: Locale): string {
  return locale === 'es' ? `de ${w.from} a ${w.to}` : `${w.from} to ${w.to}`;
}

/** The whole weekly schedule: "de lunes a viernes de 07:00 a 19:00 y los sábados de 08:00 a 15:00". */
export function describeSchedule(windows: readonly TimeWindow[], locale: Locale): string {
  if (windows.length === 0) return locale === 'es' ? 'ningún día' : 'on no day';
  return joinList(
    windows.map((w) => `${describeDays(w.days, locale)} ${describeWindow(w, locale)}`),
    locale,
  );
}

/** "llamadas o visitas", "medios escritos (correo, WhatsApp, SMS o carta)", "cualquier canal", or a list. */
export function describeChannels(channels: readonly Channel[], locale: Locale): string {
  const set = new Set(channels);
  const same = (list: readonly Channel[]) => set.size === list.length && list.every((c) => set.has(c));
  if (same(CHANNELS)) return locale === 'es' ? 'cualquier canal' : 'any channel';
  if (same(VOICE_CHANNELS)) return locale === 'es' ? 'llamadas o visitas' : 'calls or visits';
  if (same(WRITTEN_CHANNELS)) return locale === 'es' ? 'medios escritos (correo electrónico, WhatsApp, SMS o carta)' : 'written channels (email, WhatsApp, SMS or letter)';
  const names = CHANNELS.filter((c) => set.has(c)).map((c) => channelName(c, locale));
  if (names.length <= 1) return names[0] ?? '';
  const or = locale === 'es' ? ' o ' : ' or ';
  return `${names.slice(0, -1).join(', ')}${or}${names[names.length - 1]}`;
}
