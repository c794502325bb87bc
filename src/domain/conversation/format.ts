/** How the conversation writes money and dates to a debtor (Spanish, es-MX by default). */
import type { PlainDate } from '../calendar.ts';
import { formatMoney } from '../templates/index.ts';
import { isoWeekdayOf } from './dates.ts';

const WEEKDAY_NAMES = ['lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado', 'domingo'];
const MONTH_NAMES = ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'];

/** "$500.00 MXN": the locale's format plus the ISO code, so a peso is never mistaken for a dollar. */
export function formatAmount(minor: bigint, currency: string, locale: string): string {
  return `${formatMoney(minor, currency, locale)} ${currency}`;
}

/** "viernes 27 de noviembre", with the year when it is not `today`'s. */
export function formatDay(date: PlainDate, today: PlainDate): string {
  const weekday = WEEKDAY_NAMES[isoWeekdayOf(date) - 1]!;
  const month = MONTH_NAMES[Number(date.slice(5, 7)) - 1]!;
  const day = Number(date.slice(8, 10));
  const year = date.slice(0, 4) === today.slice(0, 4) ? '' : ` de ${date.slice(0, 4)}`;
  return `${weekday} ${day} de ${month}${year}`;
}

/** "24 de noviembre de 2026". */
export function formatLongDate(date: PlainDate): string {
  return `${Number(date.slice(8, 10))} de ${MONTH_NAMES[Number(date.slice(5, 7)) - 1]!} de ${date.slice(0, 4)}`;
}
