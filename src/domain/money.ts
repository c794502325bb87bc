/**
 * Exact money: integer minor units (bigint) with an ISO 4217 currency code.
 * Decimal strings exist only at the edges (CSV, JSON); nothing here ever touches a float.
 */
import { t, TextError, type Text } from './text.ts';

/** Minor-unit exponents. UF (Chilean unidad de fomento) is a unit of account with 4 decimals. */
const EXPONENTS: Readonly<Record<string, number>> = Object.freeze({
  ARS: 2, BOB: 2, BRL: 2, CAD: 2, CLF: 4, CLP: 0, COP: 2, CRC: 2, DOP: 2, EUR: 2, GTQ: 2, HNL: 2,
  MXN: 2, NIO: 2, PAB: 2, PEN: 2, PYG: 0, USD: 2, UYU: 2, VES: 2, UF: 4,
});

/** Thrown by the parsers below; its `text` is a sentence the person who typed the amount can act on, in both languages. */
export class MoneyError extends TextError {
  override name = 'MoneyError';
}

export type Currency = string;

export interface Money {
  readonly amount: bigint;
  readonly currency: Currency;
}

/** Every currency code the product accepts. */
export function knownCurrencies(): string[] {
  return Object.keys(EXPONENTS).sort();
}

export function isKnownCurrency(code: string): boolean {
  return Object.hasOwn(EXPONENTS, code);
}

/** Codes ISO 4217 defines, as far as the runtime's ICU knows them (JPY, GBP…), whether or not the product takes them. */
let isoCodes: ReadonlySet<string> | undefined;

function isIsoCurrency(code: string): boolean {
  isoCodes ??= new Set(Intl.supportedValuesOf('currency'));
  return isoCodes.has(code);
}

/**
 * Why `code` is refused: a real ISO 4217 code the product does not support yet (with the list of those it does), or
 * a code that is no currency at all.
 */
export function unsupportedCurrencyText(code: string): Text {
  const upper = code.toUpperCase();
  if (/^[A-Z]{3}$/.test(upper) && isIsoCurrency(upper)) {
    const supported = knownCurrencies().join(', ');
    return t(
      `"${upper}" is an ISO 4217 currency that cobranza does not support yet; supported: ${supported}`,
      `"${upper}" es una moneda ISO 4217 que cobranza todavía no admite; se admiten: ${supported}`,
    );
  }
  return t(`unknown currency "${code}"`, `moneda desconocida "${code}"`);
}

/** Number of decimals of a currency's minor unit; throws for an unknown code. */
export function exponentOf(currency: Currency): number {
  const e = EXPONENTS[currency];
  if (e === undefined) throw new MoneyError(unsupportedCurrencyText(currency));
  return e;
}

/** Normalises user input ("mxn ", "Mxn") to an upper-case code and checks it is known. */
export function parseCurrency(input: string): Currency {
  const code = input.trim().toUpperCase();
  if (!/^[A-Z]{2,3}$/.test(code) || !isKnownCurrency(code)) throw new MoneyError(unsupportedCurrencyText(input.trim()));
  return code;
}

/** Amounts are stored as PostgreSQL bigint minor units. */
export const MAX_MINOR = 9_223_372_036_854_775_807n;

/**
 * The largest amount one document or payment may carry, in minor units (ten trillion pesos; a quadrillion Chilean
 * pesos): sums of nine thousand such amounts still fit a bigint, so an account's balance or a portfolio's total cannot
 * overflow, where amounts near {@link MAX_MINOR} would break every sum they enter.
 */
export const MAX_RECORD_MINOR = 999_999_999_999_999n;

const DECIMAL = /^([+-])?(\d+)(?:\.(\d*))?$/;

/**
 * Parses a decimal string ("1250.50", "-3", "1,250.50" is refused) into minor units.
 * More decimals than the currency allows is an error, never a rounding; trailing zeros are fine ("10.500" MXN).
 */
export function parseDecimal(input: string, currency: Currency, options: { allowNegative?: boolean } = {}): bigint {
  const exp = exponentOf(currency);
  const text = input.trim();
  const m = DECIMAL.exec(text);
  if (!m) throw new MoneyError(t(`"${input}" is not a number (use digits and a dot for decimals, e.g. 1250.50)`, `"${input}" no es un número (use dígitos y punto decimal, p. ej. 1250.50)`));
  const [, sign, whole = '', fracRaw = ''] = m;
  const frac = fracRaw.replace(/0+$/, '');
  if (frac.length > exp) {
    throw new MoneyError(
      exp === 0
        ? t(`"${input}" has decimals but ${currency} has none`, `"${input}" tiene decimales, pero ${currency} no los admite`)
        : t(`"${input}" has more than ${exp} decimals, the most ${currency} allows`, `"${input}" tiene más de ${exp} decimales, el máximo que admite ${currency}`),
    );
  }
  // One BigInt from the digits: whole part then the decimals padded to the currency's ("1250.5" MXN → 125050).
  const minor = BigInt(whole + frac.padEnd(exp, '0'));
  const value = sign === '-' ? -minor : minor;
  if (minor > MAX_MINOR) throw new MoneyError(t(`"${input}" is too large: amounts are stored as at most ${MAX_MINOR} minor units`, `"${input}" es demasiado grande: los montos se guardan como máximo en ${MAX_MINOR} unidades mínimas`));
  if (value < 0n && !options.allowNegative) throw new MoneyError(t(`"${input}" is negative; amounts must be zero or more`, `"${input}" es negativo; los montos deben ser cero o más`));
  return value;
}

/** Formats minor units as a plain decimal string with exactly the currency's decimals ("1250.50", "-0.05", "1500"). */
export function formatDecimal(amount: bigint, currency: Currency): string {
  const exp = exponentOf(currency);
  const negative = amount < 0n;
  const abs = negative ? -amount : amount;
  if (exp === 0) return `${negative ? '-' : ''}${abs}`;
  const s = abs.toString().padStart(exp + 1, '0');
  return `${negative ? '-' : ''}${s.slice(0, -exp)}.${s.slice(-exp)}`;
}

export function money(amount: bigint, currency: Currency): Money {
  exponentOf(currency);
  return { amount, currency };
}

/** Adds amounts of one currency; mixing currencies is a programming error. */
export function add(a: Money, b: Money): Money {
  if (a.currency !== b.currency) throw new MoneyError(t(`cannot add ${a.currency} to ${b.currency}`, `no se puede sumar ${a.currency} a ${b.currency}`));
  return { amount: a.amount + b.amount, currency: a.currency };
}

/** Sums a list of money values into one total per currency (never across currencies). */
export function totalsByCurrency(values: Iterable<Money>): Map<Currency, bigint> {
  const totals = new Map<Currency, bigint>();
  for (const v of values) totals.set(v.currency, (totals.get(v.currency) ?? 0n) + v.amount);
  return totals;
}

/** Converts a per-currency map of minor units into decimal strings, keys sorted, for JSON and CSV. */
export function decimalsByCurrency(totals: ReadonlyMap<Currency, bigint> | Record<string, bigint | string | number>): Record<string, string> {
  const entries = totals instanceof Map ? [...totals.entries()] : Object.entries(totals);
  const out: Record<string, string> = {};
  for (const [cur, v] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out[cur] = formatDecimal(BigInt(v), cur);
  return out;
}
