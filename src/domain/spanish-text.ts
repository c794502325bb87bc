/**
 * Calendar dates and amounts written as the back office writes them (es-MX), for Spanish text the server composes:
 * the notes of holds and tasks, alerts. Text for a reader of either language (timeline summaries) uses reader-text.ts.
 */
import { dayIn, moneyIn } from './reader-text.ts';

/** A calendar date "2026-03-20" as "20 mar 2026"; anything else as given. */
export function dayEs(date: string): string {
  return dayIn(date, 'es');
}

/** Minor units as "1,250.50 MXN": the currency's decimals, thousands grouped. */
export function moneyEs(minor: bigint | string, currency: string): string {
  return moneyIn(minor, currency, 'es');
}
