/**
 * National holiday calendars, computed per year: MX, CO, CL, PE, BR, AR and US federal.
 *
 * Each calendar lists the days the law makes holidays nationwide, with the moving rules of each country:
 * - MX: Ley Federal del Trabajo art. 74 (Monday holidays "first Monday of February", "third Monday of March/November";
 *   1 October every six years for the presidential inauguration: 2024, 2030, …). Bank-only days (Holy Thursday,
 *   Good Friday, 2 November, 12 December) and election days are not statutory rest days: add them as overrides.
 * - CO: Ley 51 de 1983 (Ley Emiliani) moves seven fixed feasts and three Easter-based ones to the following Monday;
 *   Holy Thursday and Good Friday are not moved.
 * - CL: Ley 19.668 moves 29 June and 12 October to a Monday (Tue–Thu → that week's Monday, Fri → next Monday);
 *   Ley 20.299 moves 31 October (Tue → previous Friday, Wed → next Friday); Ley 20.215 / 20.983 add 17 September when
 *   it is a Monday and 20 September when it is a Friday; Ley 21.357 sets the Indigenous Peoples' Day on the date of the
 *   June solstice in Chile (computed astronomically, see `juneSolsticeDate`).
 * - PE: fixed dates plus Holy Thursday and Good Friday, including the days added in 2023–2024 (7 June, 23 July,
 *   6 August, 9 December).
 * - BR: national holidays plus Carnival Monday/Tuesday and Corpus Christi (bank holidays, which is what "business days"
 *   means for contact purposes); 20 November is national since Lei 14.759/2023.
 * - AR: Ley 27.399. Movable ones (17 June, 17 August, 12 October, 20 November): Tue/Wed → previous Monday,
 *   Thu/Fri → next Monday. Holy Thursday is a non-working day, not a holiday, and the yearly "feriados puente" are
 *   decreed by the government: add them as overrides.
 * - US: the eleven federal holidays (5 U.S.C. 6103) with their observed days (Saturday → Friday, Sunday → Monday);
 *   both the actual and the observed date are listed. A 1 January falling on Saturday is observed on 31 December of
 *   the year before, which is listed in that earlier year.
 *
 * Companies add or remove dates with `HolidayOverrides` (data, validated by `holidayOverridesSchema`).
 */
import { z } from 'zod';
import { Temporal } from 'temporal-polyfill';
import { addDays, isPlainDate, toDayNumber, type PlainDate } from '../calendar.ts';
import type { HolidayCalendarId, IsoWeekday } from './rules.ts';
import { t } from '../text.ts';
import { zodText } from '../zod-issues.ts';

export interface Holiday {
  readonly date: PlainDate;
  /** Name in the country's language. */
  readonly name: string;
}

export interface HolidayOverrides {
  /** Extra holidays (e.g. Argentina's "feriados puente", a regional holiday, an election day). */
  readonly add?: readonly { readonly date: string; readonly name: string }[];
  /** Dates that are not holidays for this company after all. */
  readonly remove?: readonly string[];
}

const plainDateSchema = z.string().refine(isPlainDate, { message: zodText(t('use a real date in the form YYYY-MM-DD', 'use una fecha real con el formato AAAA-MM-DD')) });

export const holidayOverridesSchema = z.strictObject({
  add: z.array(z.strictObject({ date: plainDateSchema, name: z.string().min(1) })).optional(),
  remove: z.array(plainDateSchema).optional(),
});

const date = (y: number, m: number, d: number): PlainDate =>
  `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}` as PlainDate;

/** ISO day of week of a date: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday). */
export function isoWeekday(d: PlainDate): IsoWeekday {
  return ((((toDayNumber(d) + 3) % 7) + 7) % 7 + 1) as IsoWeekday;
}

/**
 * Easter Sunday (Gregorian calendar), by the anonymous Gregorian computus (Meeus/Jones/Butcher):
 * the first Sunday after the ecclesiastical full moon on or after 21 March.
 */
export function easterSunday(year: number): PlainDate {
  const a = year % 19; // position in the 19-year Metonic cycle
  const b = Math.floor(year / 100); // century
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25); // lunar correction
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30; // epact-like: days from 21 March to the Paschal full moon
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7; // days from the full moon to the next Sunday
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return date(year, month, day);
}

/** The n-th (1-based) given weekday of a month. */
export function nthWeekday(year: number, month: number, weekday: IsoWeekday, n: number): PlainDate {
  const first = date(year, month, 1);
  const offset = (weekday - isoWeekday(first) + 7) % 7;
  return addDays(first, offset + (n - 1) * 7);
}

/** The last given weekday of a month. */
export function lastWeekday(year: number, month: number, weekday: IsoWeekday): PlainDate {
  const nextMonthFirst = month === 12 ? date(year + 1, 1, 1) : date(year, month + 1, 1);
  const last = addDays(nextMonthFirst, -1);
  const back = (isoWeekday(last) - weekday + 7) % 7;
  return addDays(last, -back);
}

/** The date itself when it is a Monday, otherwise the following Monday (Colombia's Ley Emiliani). */
function nextMonday(d: PlainDate): PlainDate {
  const wd = isoWeekday(d);
  return wd === 1 ? d : addDays(d, 8 - wd);
}

/**
 * The date of the June solstice in Chile's time zone. Mean solstice after Meeus (Astronomical Algorithms, ch. 27,
 * years 2000–3000), accurate to a few minutes; TT is taken as UT (about a minute apart today). Years whose solstice
 * falls within minutes of Chilean midnight should be checked against the official decree.
 */
export function juneSolsticeDate(year: number, timeZone = 'America/Santiago'): PlainDate {
  const y = (year - 2000) / 1000;
  const jde = 2451716.56767 + 365241.62603 * y + 0.00325 * y ** 2 + 0.00888 * y ** 3 - 0.0003 * y ** 4;
  const epochMs = Math.round((jde - 2440587.5) * 86_400_000);
  return Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(timeZone).toPlainDate().toString() as PlainDate;
}

type Builder = (year: number) => Holiday[];

const h = (d: PlainDate, name: string): Holiday => ({ date: d, name });

const mx: Builder = (y) => {
  const list = [
    h(date(y, 1, 1), 'Año Nuevo'),
    h(nthWeekday(y, 2, 1, 1), 'Día de la Constitución (primer lunes de febrero)'),
    h(nthWeekday(y, 3, 1, 3), 'Natalicio de Benito Juárez (tercer lunes de marzo)'),
    h(date(y, 5, 1), 'Día del Trabajo'),
    h(date(y, 9, 16), 'Día de la Independencia'),
    h(nthWeekday(y, 11, 1, 3), 'Día de la Revolución (tercer lunes de noviembre)'),
    h(date(y, 12, 25), 'Navidad'),
  ];
  if (y >= 2024 && (y - 2024) % 6 === 0) list.push(h(date(y, 10, 1), 'Transmisión del Poder Ejecutivo Federal'));
  return list;
};

const co: Builder = (y) => {
  const easter = easterSunday(y);
  return [
    h(date(y, 1, 1), 'Año Nuevo'),
    h(nextMonday(date(y, 1, 6)), 'Día de los Reyes Magos'),
    h(nextMonday(date(y, 3, 19)), 'Día de San José'),
    h(addDays(easter, -3), 'Jueves Santo'),
    h(addDays(easter, -2), 'Viernes Santo'),
    h(date(y, 5, 1), 'Día del Trabajo'),
    h(nextMonday(addDays(easter, 39)), 'Ascensión del Señor'),
    h(nextMonday(addDays(easter, 60)), 'Corpus Christi'),
    h(nextMonday(addDays(easter, 68)), 'Sagrado Corazón de Jesús'),
    h(nextMonday(date(y, 6, 29)), 'San Pedro y San Pablo'),
    h(date(y, 7, 20), 'Día de la Independencia'),
    h(date(y, 8, 7), 'Batalla de Boyacá'),
    h(nextMonday(date(y, 8, 15)), 'La Asunción de la Virgen'),
    h(nextMonday(date(y, 10, 12)), 'Día de la Raza'),
    h(nextMonday(date(y, 11, 1)), 'Día de Todos los Santos'),
    h(nextMonday(date(y, 11, 11)), 'Independencia de Cartagena'),
    h(date(y, 12, 8), 'Día de la Inmaculada Concepción'),
    h(date(y, 12, 25), 'Navidad'),
  ];
};

/** Chile, Ley 19.668: Tue/Wed/Thu → Monday of that week; Fri → next Monday; Sat/Sun/Mon stay. */
function chileMonday(d: PlainDate): PlainDate {
  const wd = isoWeekday(d);
  if (wd >= 2 && wd <= 4) return addDays(d, 1 - wd);
  if (wd === 5) return addDays(d, 3);
  return d;
}

/** Chile, Ley 20.299 (31 October): Tue → previous Friday; Wed → next Friday. */
function chileEvangelical(d: PlainDate): PlainDate {
  const wd = isoWeekday(d);
  if (wd === 2) return addDays(d, -4);
  if (wd === 3) return addDays(d, 2);
  return d;
}

const cl: Builder = (y) => {
  const easter = easterSunday(y);
  const list = [
    h(date(y, 1, 1), 'Año Nuevo'),
    h(addDays(easter, -2), 'Viernes Santo'),
    h(addDays(easter, -1), 'Sábado Santo'),
    h(date(y, 5, 1), 'Día Nacional del Trabajo'),
    h(date(y, 5, 21), 'Día de las Glorias Navales'),
    h(juneSolsticeDate(y), 'Día Nacional de los Pueblos Indígenas'),
    h(chileMonday(date(y, 6, 29)), 'San Pedro y San Pablo'),
    h(date(y, 7, 16), 'Día de la Virgen del Carmen'),
    h(date(y, 8, 15), 'Asunción de la Virgen'),
    h(date(y, 9, 18), 'Independencia Nacional'),
    h(date(y, 9, 19), 'Día de las Glorias del Ejército'),
    h(chileMonday(date(y, 10, 12)), 'Encuentro de Dos Mundos'),
    h(chileEvangelical(date(y, 10, 31)), 'Día de las Iglesias Evangélicas y Protestantes'),
    h(date(y, 11, 1), 'Día de Todos los Santos'),
    h(date(y, 12, 8), 'Inmaculada Concepción'),
    h(date(y, 12, 25), 'Navidad'),
  ];
  if (isoWeekday(date(y, 9, 17)) === 1) list.push(h(date(y, 9, 17), 'Feriado de Fiestas Patrias (17 de septiembre en lunes)'));
  if (isoWeekday(date(y, 9, 20)) === 5) list.push(h(date(y, 9, 20), 'Feriado de Fiestas Patrias (20 de septiembre en viernes)'));
  return list;
};

const pe: Builder = (y) => {
  const easter = easterSunday(y);
  return [
    h(date(y, 1, 1), 'Año Nuevo'),
    h(addDays(easter, -3), 'Jueves Santo'),
    h(addDays(easter, -2), 'Viernes Santo'),
    h(date(y, 5, 1), 'Día del Trabajo'),
    h(date(y, 6, 7), 'Batalla de Arica y Día de la Bandera'),
    h(date(y, 6, 29), 'San Pedro y San Pablo'),
    h(date(y, 7, 23), 'Día de la Fuerza Aérea del Perú'),
    h(date(y, 7, 28), 'Fiestas Patrias'),
    h(date(y, 7, 29), 'Fiestas Patrias'),
    h(date(y, 8, 6), 'Batalla de Junín'),
    h(date(y, 8, 30), 'Santa Rosa de Lima'),
    h(date(y, 10, 8), 'Combate de Angamos'),
    h(date(y, 11, 1), 'Día de Todos los Santos'),
    h(date(y, 12, 8), 'Inmaculada Concepción'),
    h(date(y, 12, 9), 'Batalla de Ayacucho'),
    h(date(y, 12, 25), 'Navidad'),
  ];
};

const br: Builder = (y) => {
  const easter = easterSunday(y);
  return [
    h(date(y, 1, 1), 'Confraternização Universal'),
    h(addDays(easter, -48), 'Carnaval (segunda-feira)'),
    h(addDays(easter, -47), 'Carnaval (terça-feira)'),
    h(addDays(easter, -2), 'Sexta-feira Santa'),
    h(date(y, 4, 21), 'Tiradentes'),
    h(date(y, 5, 1), 'Dia do Trabalho'),
    h(addDays(easter, 60), 'Corpus Christi'),
    h(date(y, 9, 7), 'Independência do Brasil'),
    h(date(y, 10, 12), 'Nossa Senhora Aparecida'),
    h(date(y, 11, 2), 'Finados'),
    h(date(y, 11, 15), 'Proclamação da República'),
    h(date(y, 11, 20), 'Dia Nacional de Zumbi e da Consciência Negra'),
    h(date(y, 12, 25), 'Natal'),
  ];
};

/** Argentina, Ley 27.399 art. 6: Tue/Wed → previous Monday; Thu/Fri → next Monday. */
function argentinaMovable(d: PlainDate): PlainDate {
  const wd = isoWeekday(d);
  if (wd === 2 || wd === 3) return addDays(d, 1 - wd);
  if (wd === 4 || wd === 5) return addDays(d, 8 - wd);
  return d;
}

const ar: Builder = (y) => {
  const easter = easterSunday(y);
  return [
    h(date(y, 1, 1), 'Año Nuevo'),
    h(addDays(easter, -48), 'Carnaval'),
    h(addDays(easter, -47), 'Carnaval'),
    h(date(y, 3, 24), 'Día Nacional de la Memoria por la Verdad y la Justicia'),
    h(date(y, 4, 2), 'Día del Veterano y de los Caídos en la Guerra de Malvinas'),
    h(addDays(easter, -2), 'Viernes Santo'),
    h(date(y, 5, 1), 'Día del Trabajador'),
    h(date(y, 5, 25), 'Día de la Revolución de Mayo'),
    h(argentinaMovable(date(y, 6, 17)), 'Paso a la Inmortalidad del General Martín Miguel de Güemes'),
    h(date(y, 6, 20), 'Paso a la Inmortalidad del General Manuel Belgrano'),
    h(date(y, 7, 9), 'Día de la Independencia'),
    h(argentinaMovable(date(y, 8, 17)), 'Paso a la Inmortalidad del General José de San Martín'),
    h(argentinaMovable(date(y, 10, 12)), 'Día del Respeto a la Diversidad Cultural'),
    h(argentinaMovable(date(y, 11, 20)), 'Día de la Soberanía Nacional'),
    h(date(y, 12, 8), 'Inmaculada Concepción de María'),
    h(date(y, 12, 25), 'Navidad'),
  ];
};

/** US federal holidays with observed days; the observed 31 December for a Saturday 1 January is listed here too. */
const us: Builder = (y) => {
  const fixed: Array<[PlainDate, string]> = [
    [date(y, 1, 1), "New Year's Day"],
    [date(y, 6, 19), 'Juneteenth National Independence Day'],
    [date(y, 7, 4), 'Independence Day'],
    [date(y, 11, 11), 'Veterans Day'],
    [date(y, 12, 25), 'Christmas Day'],
  ];
  const list: Holiday[] = [
    h(nthWeekday(y, 1, 1, 3), 'Birthday of Martin Luther King, Jr.'),
    h(nthWeekday(y, 2, 1, 3), "Washington's Birthday"),
    h(lastWeekday(y, 5, 1), 'Memorial Day'),
    h(nthWeekday(y, 9, 1, 1), 'Labor Day'),
    h(nthWeekday(y, 10, 1, 2), 'Columbus Day'),
    h(nthWeekday(y, 11, 4, 4), 'Thanksgiving Day'),
  ];
  for (const [d, name] of fixed) {
    list.push(h(d, name));
    const wd = isoWeekday(d);
    // 1 January on a Saturday is observed on 31 December of the year before (listed in that year, below).
    if (wd === 6 && name !== "New Year's Day") list.push(h(addDays(d, -1), `${name} (observed)`));
    if (wd === 7) list.push(h(addDays(d, 1), `${name} (observed)`));
  }
  if (isoWeekday(date(y + 1, 1, 1)) === 6) list.push(h(date(y, 12, 31), "New Year's Day (observed)"));
  return list;
};

const BUILDERS: Record<HolidayCalendarId, Builder> = { MX: mx, CO: co, CL: cl, PE: pe, BR: br, AR: ar, US: us };

/**
 * The holidays of one calendar year, sorted by date, with a company's overrides applied (additions dated in
 * `year` are included; removals drop every holiday on that date). Two holidays on one date are both listed.
 */
export function holidaysFor(calendar: HolidayCalendarId, year: number, overrides?: HolidayOverrides): Holiday[] {
  const build = BUILDERS[calendar];
  if (!build) throw new Error(`unknown holiday calendar "${String(calendar)}"`);
  if (!Number.isInteger(year) || year < 1900 || year > 2999) throw new Error(`year must be a whole number between 1900 and 2999, got ${year}`);
  const o = overrides ? holidayOverridesSchema.parse(overrides) : {};
  const removed = new Set(o.remove ?? []);
  const added = (o.add ?? []).filter((a) => a.date.startsWith(`${year}-`)).map((a) => h(a.date as PlainDate, a.name));
  return [...build(year), ...added]
    .filter((x) => !removed.has(x.date))
    .sort((a, b) => toDayNumber(a.date) - toDayNumber(b.date) || a.name.localeCompare(b.name));
}

/** The set of holiday dates over several years, ready for the gate (give the year of the contact and the next). */
export function holidaySet(calendar: HolidayCalendarId, years: readonly number[], overrides?: HolidayOverrides): Set<PlainDate> {
  const set = new Set<PlainDate>();
  for (const y of years) for (const x of holidaysFor(calendar, y, overrides)) set.add(x.date);
  return set;
}

