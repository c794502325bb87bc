/**
 * Calendar dates without time or zone ("PlainDate"), as ISO strings YYYY-MM-DD.
 * Arithmetic goes through a day number (days since 1970-01-01, proleptic Gregorian) so no time zone can shift a date.
 */

import { t, TextError } from './text.ts';

export type PlainDate = string & { readonly __plainDate: unique symbol };

export class CalendarError extends TextError {
  override name = 'CalendarError';
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const DMY = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

export type DateFormat = 'YYYY-MM-DD' | 'DD/MM/YYYY';

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

export function daysInMonth(y: number, m: number): number {
  return m === 2 && isLeapYear(y) ? 29 : (MONTH_DAYS[m - 1] ?? 0);
}

function check(y: number, m: number, d: number, input: string): void {
  if (y < 1900 || y > 2999) throw new CalendarError(t(`"${input}" has an implausible year`, `"${input}" tiene un año no válido`));
  if (m < 1 || m > 12) throw new CalendarError(t(`"${input}" has no month ${m}`, `"${input}" no tiene mes ${m}`));
  if (d < 1 || d > daysInMonth(y, m)) throw new CalendarError(
      t(
        `"${input}" is not a real date (day ${d} does not exist in ${y}-${String(m).padStart(2, '0')})`,
        `"${input}" no es una fecha real (el día ${d} no existe en ${y}-${String(m).padStart(2, '0')})`,
      ),
    );
}

function build(y: number, m: number, d: number, input: string): PlainDate {
  check(y, m, d, input);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}` as PlainDate;
}

/** Parses a calendar date in the given format; refuses impossible dates such as 2026-02-30. */
export function parseDate(input: string, format: DateFormat = 'YYYY-MM-DD'): PlainDate {
  const text = input.trim();
  if (format === 'YYYY-MM-DD') {
    const m = ISO.exec(text);
    if (!m) throw new CalendarError(t(`"${input}" is not a date in the form YYYY-MM-DD`, `"${input}" no es una fecha con el formato AAAA-MM-DD`));
    // Four, two and two digits: the text is already the canonical form once the date is real (millions of rows
    // in an import go through here).
    check(Number(m[1]), Number(m[2]), Number(m[3]), input);
    return text as PlainDate;
  }
  const m = DMY.exec(text);
  if (!m) throw new CalendarError(t(`"${input}" is not a date in the form DD/MM/YYYY`, `"${input}" no es una fecha con el formato DD/MM/AAAA`));
  return build(Number(m[3]), Number(m[2]), Number(m[1]), input);
}

export function isPlainDate(input: string): input is PlainDate {
  try {
    parseDate(input);
    return true;
  } catch {
    return false;
  }
}

// Day-number conversion after Howard Hinnant's days_from_civil.
export function toDayNumber(date: PlainDate): number {
  let y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function fromDayNumber(n: number): PlainDate {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}` as PlainDate;
}

export function addDays(date: PlainDate, days: number): PlainDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** b − a in calendar days. */
export function daysBetween(a: PlainDate, b: PlainDate): number {
  return toDayNumber(b) - toDayNumber(a);
}

/** Adds calendar months, clamping to the month's last day (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(date: PlainDate, months: number): PlainDate {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  return build(ny, nm, Math.min(d, daysInMonth(ny, nm)), date);
}

/** Formatters by time zone: building one costs far more than using it. */
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date it is at `instant` in `timeZone` (IANA name). */
export function dateInZone(instant: Date, timeZone: string): PlainDate {
  let format = dateFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    if (dateFormats.size < 1000) dateFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(instant);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}` as PlainDate;
}

/** True when `timeZone` is an IANA zone name this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

export function compareDates(a: PlainDate, b: PlainDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
