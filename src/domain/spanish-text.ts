/**
 * Calendar dates and amounts written as the back office writes them (es-MX), for Spanish text the server composes:
 * timeline summaries, the notes of holds and tasks, alerts.
 */
import { formatDecimal } from './money.ts';

const MONTHS_ES = ['ene', 'feb', 'mar', 'abr', 'may', 'jun', 'jul', 'ago', 'sep', 'oct', 'nov', 'dic'];

/** A calendar date "2026-03-20" as "20 mar 2026"; anything else as given. */
export function dayEs(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  return m ? `${Number(m[3])} ${MONTHS_ES[Number(m[2]) - 1]} ${m[1]}` : date;
}

/** Minor units as "1,250.50 MXN": the currency's decimals, thousands grouped. */
export function moneyEs(minor: bigint | string, currency: string): string {
  const [int = '0', frac] = formatDecimal(typeof minor === 'bigint' ? minor : BigInt(minor || '0'), currency).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${frac === undefined ? grouped : `${grouped}.${frac}`} ${currency}`;
}
