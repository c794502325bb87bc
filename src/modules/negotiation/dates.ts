/** Date helpers of the module, typed for stored date strings. */
import { addDays, type PlainDate } from '../../domain/calendar.ts';
import { addBusinessDays as addBusiness, type HolidayTest } from '../../domain/negotiation/index.ts';

export function addBusinessDays(date: string, days: number, isHoliday: HolidayTest): PlainDate {
  return addBusiness(date as PlainDate, days, isHoliday);
}

export function addDaysSafe(date: string, days: number): PlainDate {
  return addDays(date as PlainDate, days);
}
