/**
 * Business days for grace periods: Monday to Friday, minus the holidays the caller passes (a country's calendar from
 * src/domain/compliance/holidays.ts, with the company's overrides).
 */
import { addDays, type PlainDate } from '../calendar.ts';
import { isoWeekday } from '../compliance/holidays.ts';

/** Tells whether a date is a holiday; the default knows none. */
export type HolidayTest = (date: PlainDate) => boolean;

const noHolidays: HolidayTest = () => false;

export function isBusinessDay(date: PlainDate, isHoliday: HolidayTest = noHolidays): boolean {
  return isoWeekday(date) <= 5 && !isHoliday(date);
}

/**
 * `date` plus `days` business days. Zero gives `date` itself even when it is not a business day (no grace). A promise
 * due on a Friday with one business day of grace runs to the Monday (or the Tuesday when that Monday is a holiday).
 */
export function addBusinessDays(date: PlainDate, days: number, isHoliday: HolidayTest = noHolidays): PlainDate {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`business days must be a whole number ≥ 0, got ${days}`);
  let current = date;
  for (let left = days; left > 0; ) {
    current = addDays(current, 1);
    if (isBusinessDay(current, isHoliday)) left--;
  }
  return current;
}
