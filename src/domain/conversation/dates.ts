/**
 * Dates as debtors write them in Spanish: "hoy", "mañana", "pasado mañana", "el viernes", "el 15", "15/12",
 * "15 de diciembre", "en 3 días", "fin de mes", "la quincena", "la próxima semana". Everything is resolved against
 * `today`, the debtor's local calendar date (the caller converts "now" in the debtor's time zone); the real clock is
 * never read. Phrases our own patterns do not know go to chrono-node's Spanish parser, given a reference instant built
 * from `today` in UTC so that no time zone can move the date it answers.
 *
 * Choices (documented because people's usage varies):
 * - "el 15" is the next 15th on or after today; a day the month lacks ("el 31" in November) is the next month that
 *   has it.
 * - "el viernes" / "este viernes" / "el próximo viernes" is the next Friday strictly after today (said on a Friday it
 *   means a week later: the debtor would have said "hoy"); "el viernes de la próxima semana" / "el otro viernes" is
 *   the Friday of next calendar week (Monday to Sunday).
 * - "15/12" is day/month (Latin American order), the next such date on or after today when the year is missing.
 * - "la próxima semana" names no day: it is returned as a range and the conversation asks which day.
 * - "mañana" preceded by "la" / "en la" / "por la" is the morning, not tomorrow ("el viernes en la mañana").
 */
import * as chrono from 'chrono-node';
import { addDays, addMonths, daysInMonth, toDayNumber, type PlainDate } from '../calendar.ts';
import { wordsToNumber } from './text.ts';

/** A date found in a message, with where it was found in the normalised text (so amounts can skip it). */
export type DateMention =
  | { kind: 'date'; date: PlainDate; start: number; end: number }
  | { kind: 'range'; from: PlainDate; to: PlainDate; label: string; start: number; end: number };

export const MONTHS: Record<string, number> = {
  enero: 1,
  ene: 1,
  febrero: 2,
  feb: 2,
  marzo: 3,
  mar: 3,
  abril: 4,
  abr: 4,
  mayo: 5,
  may: 5,
  junio: 6,
  jun: 6,
  julio: 7,
  jul: 7,
  agosto: 8,
  ago: 8,
  septiembre: 9,
  setiembre: 9,
  sep: 9,
  sept: 9,
  octubre: 10,
  oct: 10,
  noviembre: 11,
  nov: 11,
  diciembre: 12,
  dic: 12,
};

/** ISO weekday (Monday 1 … Sunday 7) per Spanish name. */
export const WEEKDAYS: Record<string, number> = { lunes: 1, martes: 2, miercoles: 3, jueves: 4, viernes: 5, sabado: 6, domingo: 7 };

const MONTH_ALT = Object.keys(MONTHS)
  .sort((a, b) => b.length - a.length)
  .join('|');
const WEEKDAY_ALT = Object.keys(WEEKDAYS).join('|');
const NEXT_WEEK = '(?:proxima|siguiente|otra) semana|semana que viene';
const SMALL_NUMBER = '\\d{1,3}|un|una|uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|quince|veinte|treinta';

/** ISO weekday of a date (Monday 1 … Sunday 7). 1970-01-01 was a Thursday. */
export function isoWeekdayOf(date: PlainDate): number {
  return ((((toDayNumber(date) + 3) % 7) + 7) % 7) + 1;
}

function dateOf(y: number, m: number, d: number): PlainDate | null {
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}` as PlainDate;
}

const yearOf = (d: PlainDate) => Number(d.slice(0, 4));
const monthOf = (d: PlainDate) => Number(d.slice(5, 7));

/** The next date on or after `today` whose day of the month is `day` (skipping months that lack it). */
export function nextDayOfMonth(today: PlainDate, day: number): PlainDate | null {
  if (day < 1 || day > 31) return null;
  let y = yearOf(today);
  let m = monthOf(today);
  for (let i = 0; i < 13; i++) {
    const candidate = dateOf(y, m, day);
    if (candidate && candidate >= today) return candidate;
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return null;
}

/** The next date on or after `today` with this day and month. */
function nextDayMonth(today: PlainDate, day: number, month: number): PlainDate | null {
  for (let y = yearOf(today); y <= yearOf(today) + 4; y++) {
    const candidate = dateOf(y, month, day);
    if (candidate && candidate >= today) return candidate;
  }
  return null;
}

function nextWeekday(today: PlainDate, weekday: number): PlainDate {
  const diff = (weekday - isoWeekdayOf(today) + 7) % 7;
  return addDays(today, diff === 0 ? 7 : diff);
}

function mondayOfNextWeek(today: PlainDate): PlainDate {
  return addDays(today, 8 - isoWeekdayOf(today));
}

function lastDayOfMonth(date: PlainDate): PlainDate {
  return dateOf(yearOf(date), monthOf(date), daysInMonth(yearOf(date), monthOf(date)))!;
}

function smallNumber(token: string): number | null {
  return /^\d+$/.test(token) ? Number(token) : wordsToNumber([token]);
}

interface Rule {
  re: RegExp;
  resolve(m: RegExpExecArray, today: PlainDate): Omit<DateMention, 'start' | 'end'> | null;
}

const date = (d: PlainDate | null) => (d ? ({ kind: 'date', date: d } as const) : null);

/**
 * Our own patterns, tried in order; each consumes its span so a later, shorter pattern cannot match inside it
 * ("pasado mañana" is not also "mañana"; "15 de diciembre" is not also "el 15").
 */
const RULES: Rule[] = [
  // 15/12/2026, 15-12-26, 15/12, 15.12 (day first)
  {
    re: /\b(\d{1,2})[/-](\d{1,2})(?:[/-](\d{2}|\d{4}))?\b/g,
    resolve(m, today) {
      const d = Number(m[1]);
      const mo = Number(m[2]);
      if (m[3] === undefined) return date(nextDayMonth(today, d, mo));
      const y = m[3].length === 2 ? 2000 + Number(m[3]) : Number(m[3]);
      return date(dateOf(y, mo, d));
    },
  },
  // 15 de diciembre (de 2026), primero de enero, 1o de mayo
  {
    re: new RegExp(`\\b(?:el\\s+)?(?:dia\\s+)?(\\d{1,2}|primero|1o|1ro)\\s+(?:de\\s+)?(${MONTH_ALT})\\b(?:\\s+(?:de(?:l)?\\s+)?(\\d{4}))?`, 'g'),
    resolve(m, today) {
      const d = /^\d+$/.test(m[1]!) ? Number(m[1]) : 1;
      const mo = MONTHS[m[2]!]!;
      return date(m[3] ? dateOf(Number(m[3]), mo, d) : nextDayMonth(today, d, mo));
    },
  },
  // diciembre 15
  {
    re: new RegExp(`\\b(${MONTH_ALT})\\s+(\\d{1,2})\\b(?!\\s*(?:mil|pesos|\\$|,|\\.\\d))`, 'g'),
    resolve(m, today) {
      return date(nextDayMonth(today, Number(m[2]), MONTHS[m[1]!]!));
    },
  },
  { re: /\bpasado\s+manana\b/g, resolve: (_m, today) => date(addDays(today, 2)) },
  { re: /\b(?:antier|anteayer|antes\s+de\s+ayer)\b/g, resolve: (_m, today) => date(addDays(today, -2)) },
  { re: /\bayer\b/g, resolve: (_m, today) => date(addDays(today, -1)) },
  { re: /\bhoy(?:\s+mismo)?\b/g, resolve: (_m, today) => date(today) },
  // "mañana" unless it is "la mañana" (the morning)
  { re: /(?<!\b(?:la|esta)\s)\bmanana\b/g, resolve: (_m, today) => date(addDays(today, 1)) },
  // el viernes de la próxima semana, el otro viernes, el viernes de la otra semana
  {
    re: new RegExp(`\\b(?:el\\s+)?(?:otro\\s+)?(${WEEKDAY_ALT})\\s+(?:de\\s+)?(?:la\\s+)?(?:${NEXT_WEEK})\\b`, 'g'),
    resolve: (m, today) => date(addDays(mondayOfNextWeek(today), WEEKDAYS[m[1]!]! - 1)),
  },
  {
    re: new RegExp(`\\bel\\s+otro\\s+(${WEEKDAY_ALT})\\b`, 'g'),
    resolve: (m, today) => date(addDays(mondayOfNextWeek(today), WEEKDAYS[m[1]!]! - 1)),
  },
  // el viernes, este viernes, el próximo viernes, viernes
  {
    re: new RegExp(`\\b(?:(?:el|este|esta|para el|el proximo|proximo|el siguiente)\\s+)?(${WEEKDAY_ALT})\\b(?:\\s+que\\s+viene)?`, 'g'),
    resolve: (m, today) => date(nextWeekday(today, WEEKDAYS[m[1]!]!)),
  },
  // en 3 días, dentro de una semana, en dos semanas, en 1 mes
  {
    re: new RegExp(`\\b(?:en|dentro\\s+de)\\s+(${SMALL_NUMBER})\\s+(dias?|semanas?|mes(?:es)?)\\b`, 'g'),
    resolve(m, today) {
      const n = smallNumber(m[1]!);
      if (n === null || n < 0 || n > 400) return null;
      const unit = m[2]!;
      if (unit.startsWith('dia')) return date(addDays(today, n));
      if (unit.startsWith('semana')) return date(addDays(today, 7 * n));
      return date(addMonths(today, n));
    },
  },
  { re: /\b(?:en|dentro\s+de)\s+(?:una\s+)?semana\b/g, resolve: (_m, today) => date(addDays(today, 7)) },
  { re: /\b(?:en|dentro\s+de)\s+(?:un\s+)?mes\b/g, resolve: (_m, today) => date(addMonths(today, 1)) },
  // fin de mes / a fin de mes / el último día del mes
  {
    re: /\b(?:a\s+)?(?:fin(?:al)?(?:es)?\s+de(?:l)?\s+mes|(?:el\s+)?ultimo\s+(?:dia\s+)?del\s+mes)\b/g,
    resolve: (_m, today) => date(lastDayOfMonth(today)),
  },
  // la quincena (Mexican paydays: the 15th and the last day of the month)
  {
    re: /\b(?:en\s+la\s+|la\s+|a\s+la\s+|para\s+la\s+)?(?:proxima\s+|siguiente\s+)?quincena\b/g,
    resolve(_m, today) {
      const fifteenth = dateOf(yearOf(today), monthOf(today), 15)!;
      return date(fifteenth >= today ? fifteenth : lastDayOfMonth(today));
    },
  },
  // el 15 del próximo mes / el 15 del mes que viene
  {
    re: /\b(?:el\s+)?(?:dia\s+)?(\d{1,2})\s+del?\s+(?:proximo\s+mes|mes\s+que\s+viene|siguiente\s+mes|otro\s+mes)\b/g,
    resolve(m, today) {
      const next = addMonths(dateOf(yearOf(today), monthOf(today), 1)!, 1);
      return date(dateOf(yearOf(next), monthOf(next), Number(m[1])));
    },
  },
  // el 15, el día 15, para el 30, el 15 de este mes
  {
    re: /\b(?:el|para\s+el|el\s+dia|dia)\s+(\d{1,2})\b(?:\s+de\s+este\s+mes)?(?!\s*(?:mil|pesos|\$|[.,]\d|%|dias?|semanas?|meses|mes\b))/g,
    resolve: (m, today) => date(nextDayOfMonth(today, Number(m[1]))),
  },
  // la próxima semana, la semana que viene, la otra semana
  {
    re: new RegExp(`\\b(?:la\\s+|a\\s+la\\s+|para\\s+la\\s+)?(?:${NEXT_WEEK})\\b`, 'g'),
    resolve(_m, today) {
      const from = mondayOfNextWeek(today);
      return { kind: 'range', from, to: addDays(from, 6), label: 'la próxima semana' };
    },
  },
  // esta semana
  {
    re: /\b(?:esta|en\s+esta)\s+semana\b/g,
    resolve(_m, today) {
      return { kind: 'range', from: today, to: addDays(mondayOfNextWeek(today), -1), label: 'esta semana' };
    },
  },
];

/**
 * Every date mentioned in `normal` (normalised text), in order of appearance. Overlapping matches keep the first rule
 * that claimed the characters.
 */
export function findDates(normal: string, today: PlainDate): DateMention[] {
  const taken: boolean[] = new Array<boolean>(normal.length).fill(false);
  const found: DateMention[] = [];
  for (const rule of RULES) {
    rule.re.lastIndex = 0;
    for (let m = rule.re.exec(normal); m; m = rule.re.exec(normal)) {
      const start = m.index;
      const end = start + m[0].length;
      if (taken.slice(start, end).some(Boolean)) continue;
      const resolved = rule.resolve(m, today);
      if (!resolved) continue;
      for (let i = start; i < end; i++) taken[i] = true;
      found.push({ ...resolved, start, end } as DateMention);
    }
  }
  for (const c of chronoDates(normal, today)) {
    if (taken.slice(c.start, c.end).some(Boolean)) continue;
    for (let i = c.start; i < c.end; i++) taken[i] = true;
    found.push(c);
  }
  return found.sort((a, b) => a.start - b.start);
}

/**
 * chrono-node's Spanish parser for phrasings our patterns miss. The reference instant is `today` at noon UTC with a
 * zero offset, and only the calendar components are read, so the answer is a date in the debtor's calendar whatever
 * the machine's zone. Its times, and bare numbers it reads as hours, are ignored.
 */
function chronoDates(normal: string, today: PlainDate): DateMention[] {
  const reference = { instant: new Date(`${today}T12:00:00Z`), timezone: 0 };
  const out: DateMention[] = [];
  for (const r of chrono.es.parse(normal, reference, { forwardDate: true })) {
    const c = r.start;
    if (!c.isCertain('day') && !c.isCertain('weekday') && !c.isCertain('month')) continue;
    // "mañana" is ours alone: chrono also reads "por la mañana" (the morning) as a date.
    if (/\bmanana\b/.test(r.text)) continue;
    const y = c.get('year');
    const m = c.get('month');
    const d = c.get('day');
    if (y === null || m === null || d === null) continue;
    const resolved = dateOf(y, m, d);
    if (!resolved) continue;
    out.push({ kind: 'date', date: resolved, start: r.index, end: r.index + r.text.length });
  }
  return out;
}

/** Parses a message that should be only a date (an answer to "¿qué día?"): a bare "15" counts as the day. */
export function findDateAnswer(normal: string, today: PlainDate): DateMention | null {
  const found = findDates(normal, today);
  if (found.length > 0) return found[0]!;
  const bare = /^(?:el\s+|dia\s+)?(\d{1,2})$/.exec(normal);
  if (bare) {
    const d = nextDayOfMonth(today, Number(bare[1]));
    if (d) return { kind: 'date', date: d, start: 0, end: normal.length };
  }
  return null;
}

/** Days from `today` to `date` (negative in the past). */
export function daysFrom(today: PlainDate, date: PlainDate): number {
  return toDayNumber(date) - toDayNumber(today);
}
