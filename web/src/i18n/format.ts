/**
 * Locale-aware formatting of what the API sends: money as decimal strings beside an ISO currency (never floats:
 * Intl formats the decimal string exactly), calendar dates as YYYY-MM-DD, instants as ISO strings.
 */

/** The languages the product speaks; Spanish (Mexico) is the default. */
export type Locale = 'es-MX' | 'en';
export const LOCALES: readonly Locale[] = ['es-MX', 'en'];
export const DEFAULT_LOCALE: Locale = 'es-MX';

/** The Intl locale used for numbers and dates of a product language. */
export function intlLocale(locale: Locale): string {
  return locale === 'en' ? 'en-US' : 'es-MX';
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** "1234.5" MXN → "$1,234.50" (es-MX). An amount that is not a decimal string is shown as given. */
export function formatMoney(amount: string, currency: string, locale: Locale): string {
  if (!DECIMAL.test(amount)) return amount;
  const format = new Intl.NumberFormat(intlLocale(locale), { style: 'currency', currency, currencyDisplay: 'symbol' });
  // A string argument is formatted as an exact decimal (Intl.NumberFormat v3), so no float rounding happens here.
  return format.format(amount as unknown as number);
}

/**
 * An amount short, for a chart's axis: 1234567 MXN → "$1.2 M" (es-MX). The axis's steps are numbers the chart picks,
 * not amounts of any record, so a number is fine here; amounts a person reads in full go through {@link formatMoney}.
 */
export function formatMoneyCompact(value: number, currency: string, locale: Locale): string {
  return new Intl.NumberFormat(intlLocale(locale), { style: 'currency', currency, currencyDisplay: 'symbol', notation: 'compact' }).format(value);
}

/** A plain number or decimal string with grouping: 12345 → "12,345". */
export function formatNumber(value: number | string | bigint, locale: Locale, options: Intl.NumberFormatOptions = {}): string {
  return new Intl.NumberFormat(intlLocale(locale), options).format(value as number);
}

/** A calendar date "2026-03-15" → "15 mar 2026" (es-MX); the date never shifts with the viewer's time zone. */
export function formatDate(date: string, locale: Locale, style: 'medium' | 'long' | 'short' = 'medium'): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  const utc = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: style, timeZone: 'UTC' }).format(utc);
}

/**
 * A day or a month of a chart axis, short: "2026-03-15" → "15 mar" ("Mar 15" in English), with the year when
 * `withYear` (a chart spanning several years); "2026-03" → "mar 2026". Never shifts with the viewer's time zone.
 */
export function formatPeriod(period: string, locale: Locale, options: { withYear?: boolean } = {}): string {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(period);
  if (!m) return period;
  const utc = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, m[3] ? Number(m[3]) : 1));
  const parts: Intl.DateTimeFormatOptions = m[3] ? { day: 'numeric', month: 'short', ...(options.withYear && { year: 'numeric' }) } : { month: 'short', year: 'numeric' };
  return new Intl.DateTimeFormat(intlLocale(locale), { ...parts, timeZone: 'UTC' }).format(utc);
}

/** Decimals of the figures of the dashboard (percentages, days): always one, so figures side by side line up. */
export const FIGURE_DIGITS = 1;

/**
 * A percentage given in percent units (66.67 → "66.7 %", 100 → "100.0 %", as the locale writes percentages), with
 * {@link FIGURE_DIGITS} decimals. The value is scaled as a decimal string, so no float division shifts the rounding.
 */
export function formatPercent(value: number, locale: Locale): string {
  const text = String(value);
  const exact = /e/i.test(text) ? value / 100 : (`${text}e-2` as unknown as number);
  return new Intl.NumberFormat(intlLocale(locale), { style: 'percent', minimumFractionDigits: FIGURE_DIGITS, maximumFractionDigits: FIGURE_DIGITS }).format(exact);
}

/** A figure that is not a percentage (days, ratios of the dashboard) with {@link FIGURE_DIGITS} decimals: 45.17 → "45.2". */
export function formatFigure(value: number, locale: Locale): string {
  return formatNumber(value, locale, { minimumFractionDigits: FIGURE_DIGITS, maximumFractionDigits: FIGURE_DIGITS });
}

/** An instant (ISO string) in a time zone (the company's, or the viewer's when not given). */
export function formatDateTime(instant: string, locale: Locale, timeZone?: string): string {
  const d = new Date(instant);
  if (Number.isNaN(d.getTime())) return instant;
  return new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: 'medium', timeStyle: 'short', ...(timeZone && { timeZone }) }).format(d);
}

/**
 * What a person typed as an amount → a decimal string the API accepts, or null. Accepts "1,234.50", "1234.5",
 * "$ 500" and, when the comma is clearly decimal ("500,5" / "1.234,50"), that too. Never goes through a float.
 */
export function parseAmountInput(text: string): string | null {
  let s = text.replace(/[\s$]/g, '').replace(/^(MXN|USD|COP|CLP|PEN|BRL|ARS)/i, '');
  if (s === '') return null;
  const lastDot = s.lastIndexOf('.');
  const lastComma = s.lastIndexOf(',');
  if (lastComma > lastDot && /,\d{1,2}$/.test(s)) {
    // "1.234,50": comma is the decimal separator, dots group thousands.
    s = s.replace(/\./g, '').replace(',', '.');
  } else {
    s = s.replace(/,/g, '');
  }
  if (!/^\d+(\.\d+)?$/.test(s)) return null;
  const [int = '0', frac] = s.split('.');
  const trimmed = int.replace(/^0+(?=\d)/, '');
  return frac ? `${trimmed}.${frac}` : trimmed;
}

/** How many decimals an amount in `currency` may have (MXN 2, CLP 0), as ISO 4217 and Intl know it. */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    // Not a currency code Intl knows: the API will judge it.
    return 2;
  }
}

/** Whether a decimal string has more decimals than its currency allows ("10.005" MXN, "10.5" CLP): never rounded. */
export function hasTooManyDecimals(amount: string, currency: string): boolean {
  return fraction(amount).replace(/0+$/, '').length > currencyDigits(currency);
}

/** Compares two non-negative decimal strings exactly: -1, 0 or 1. */
export function compareDecimal(a: string, b: string): number {
  const scale = Math.max(fraction(a).length, fraction(b).length);
  const x = toScaled(a, scale);
  const y = toScaled(b, scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

function fraction(v: string): string {
  return v.split('.')[1] ?? '';
}

function toScaled(v: string, scale: number): bigint {
  const negative = v.startsWith('-');
  const [int = '0', frac = ''] = v.replace(/^-/, '').split('.');
  const n = BigInt(int + frac.padEnd(scale, '0'));
  return negative ? -n : n;
}
