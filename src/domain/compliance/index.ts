/** Contact compliance: rule tables, holiday calendars and the gate every outbound contact passes (DOMAIN.md §3). */
export * from './rules.ts';
export * from './holidays.ts';
export * from './gate.ts';
export * from './reason.ts';
export { formatDate, formatZoned, weekdayName, type Locale } from './text.ts';
