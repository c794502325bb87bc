/**
 * Calendar dates and amounts inside sentences the server writes for a reader (timeline summaries), in that reader's
 * language: English or Mexican Spanish. Both group thousands with "," and write decimals after "." (es-MX writes
 * numbers as English does, unlike Spain's Spanish), and both put the ISO code after the amount so a peso is never
 * mistaken for a dollar; dates differ in their month names.
 */
import { formatDecimal } from './money.ts';
import type { Language } from './text.ts';

const MONTHS: Record<Language, readonly string[]> = {
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
  es: ['ene', 'feb', 'mar', 'abr', 'may', 'jun', 'jul', 'ago', 'sep', 'oct', 'nov', 'dic'],
};

/** How each language writes a number: the thousands separator and the decimal mark. */
const NUMBERS: Record<Language, { group: string; decimal: string }> = {
  en: { group: ',', decimal: '.' },
  es: { group: ',', decimal: '.' },
};

/** A calendar date "2026-03-20" as "20 Mar 2026" / "20 mar 2026"; anything else as given. */
export function dayIn(date: string, language: Language): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  return m ? `${Number(m[3])} ${MONTHS[language][Number(m[2]) - 1]} ${m[1]}` : date;
}

/** Minor units as "1,250.50 MXN" in `language`: the currency's decimals, thousands grouped, the code after. */
export function moneyIn(minor: bigint | string, currency: string, language: Language): string {
  const { group, decimal } = NUMBERS[language];
  const [int = '0', frac] = formatDecimal(typeof minor === 'bigint' ? minor : BigInt(minor || '0'), currency).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  return `${frac === undefined ? grouped : `${grouped}${decimal}${frac}`} ${currency}`;
}
