/**
 * Amounts as debtors write them: "$500", "500 pesos", "$1,250.50", "1.250,50", "5 mil", "5k", "quinientos pesos",
 * "mil quinientos". Results are exact minor units of the conversation's currency (or the currency the debtor names),
 * never floats.
 *
 * Separators: a number with both "." and "," takes the last one as the decimal separator ("1,250.50" and "1.250,50"
 * are both 1250.50); a separator that repeats, or that is followed by exactly three digits, groups thousands
 * ("1,250" and "1.250" are 1250 whatever the locale: nobody owes a peso and a quarter written to the thousandth); a
 * single separator followed by one or two digits is the decimal separator ("500,5" and "500.50"). More decimals than
 * the currency has (e.g. "10.5" CLP) is not an amount.
 */
import { exponentOf, parseDecimal } from '../money.ts';
import { isNumberWord, wordsToNumber } from './text.ts';

/** An amount found in a message, in minor units; `marked` when a currency sign or word says it is money. */
export interface AmountMention {
  minor: bigint;
  currency: string;
  /** "$", a currency word or "mil"/"k" marked it as money; a bare number is only taken as one when one is expected. */
  marked: boolean;
  start: number;
  end: number;
}

const CURRENCY_WORDS: Record<string, string | null> = {
  peso: null,
  pesos: null,
  pesitos: null,
  varos: null,
  baros: null,
  mn: null,
  mxn: 'MXN',
  cop: 'COP',
  clp: 'CLP',
  ars: 'ARS',
  pen: 'PEN',
  brl: 'BRL',
  usd: 'USD',
  dolar: 'USD',
  dolares: 'USD',
  dls: 'USD',
  soles: 'PEN',
  sol: 'PEN',
  reales: 'BRL',
};
const CURRENCY_ALT = Object.keys(CURRENCY_WORDS)
  .sort((a, b) => b.length - a.length)
  .join('|');

const NUMERIC = new RegExp(
  `(\\$\\s?)?(\\d{1,3}(?:[.,]\\d{3})+(?:[.,]\\d{1,2})?|\\d+(?:[.,]\\d{1,2})?)(?![\\d/%])(\\s?(?:k|mil)\\b)?(\\s*(?:${CURRENCY_ALT})\\b)?`,
  'g',
);

/** The decimal string ("1250.50") a written number stands for, or null when its separators make no sense. */
export function numberText(token: string): string | null {
  const separators = [...token.matchAll(/[.,]/g)].map((m) => ({ char: m[0], index: m.index }));
  if (separators.length === 0) return token;
  const last = separators[separators.length - 1]!;
  const digitsAfterLast = token.length - last.index - 1;
  const mixed = separators.some((s) => s.char !== last.char);
  let decimalAt: number | null = null;
  if (mixed) {
    // The last separator is the decimal one; every other must be the other character, grouping thousands.
    if (separators.slice(0, -1).some((s) => s.char === last.char)) return null;
    decimalAt = last.index;
  } else if (separators.length === 1 && digitsAfterLast !== 3) {
    decimalAt = last.index;
  } else if (separators.length > 1 && digitsAfterLast !== 3) {
    // "1.250.50": the same character grouping thousands and then ending in cents.
    decimalAt = last.index;
  }
  const intPart = (decimalAt === null ? token : token.slice(0, decimalAt)).replace(/[.,]/g, '');
  const fracPart = decimalAt === null ? '' : token.slice(decimalAt + 1);
  // Thousands groups must be exactly three digits after the first.
  const groups = (decimalAt === null ? token : token.slice(0, decimalAt)).split(/[.,]/);
  if (groups.length > 1 && groups.slice(1).some((g) => g.length !== 3)) return null;
  if (!/^\d+$/.test(intPart) || (fracPart && !/^\d{1,2}$/.test(fracPart))) return null;
  return fracPart ? `${intPart}.${fracPart}` : intPart;
}

function toMinor(decimal: string, multiplier: number, currency: string): bigint | null {
  try {
    let minor = parseDecimal(decimal, currency);
    if (multiplier !== 1) minor *= BigInt(multiplier);
    return minor > 0n ? minor : null;
  } catch {
    return null;
  }
}

function currencyOf(word: string | undefined, fallback: string): string {
  if (!word) return fallback;
  const code = CURRENCY_WORDS[word.trim()];
  return code ?? fallback;
}

/**
 * Every amount in `normal` (normalised text) outside the `skip` spans (dates found first), in order. `currency` is the
 * conversation's currency, used unless the debtor names another.
 */
export function findAmounts(normal: string, currency: string, skip: ReadonlyArray<{ start: number; end: number }> = []): AmountMention[] {
  const inSkip = (start: number, end: number) => skip.some((s) => start < s.end && end > s.start);
  const out: AmountMention[] = [];
  NUMERIC.lastIndex = 0;
  for (let m = NUMERIC.exec(normal); m; m = NUMERIC.exec(normal)) {
    const start = m.index;
    const end = start + m[0].length;
    // A number glued to letters ("3ro", "2x") is not an amount.
    if (start > 0 && /[\p{L}\d/.,-]/u.test(normal[start - 1]!) && !m[1]) continue;
    if (inSkip(start, end)) continue;
    const text = numberText(m[2]!);
    if (text === null) continue;
    const multiplier = m[3] ? 1000 : 1;
    const cur = currencyOf(m[4], currency);
    const minor = toMinor(text, multiplier, cur);
    if (minor === null) continue;
    out.push({ minor, currency: cur, marked: Boolean(m[1] || m[3] || m[4]), start, end });
  }
  out.push(...wordAmounts(normal, currency, skip));
  return out.sort((a, b) => a.start - b.start);
}

/**
 * Amounts written in words ("quinientos pesos", "mil quinientos", "dos mil"): a run of number words is money when a
 * currency word follows it or it holds "mil", "cien(tos)" (nobody promises "tres" of anything else in this chat).
 */
function wordAmounts(normal: string, currency: string, skip: ReadonlyArray<{ start: number; end: number }>): AmountMention[] {
  const out: AmountMention[] = [];
  const re = /\S+/g;
  const tokens: Array<{ word: string; start: number; end: number }> = [];
  for (let m = re.exec(normal); m; m = re.exec(normal)) tokens.push({ word: m[0], start: m.index, end: m.index + m[0].length });
  let i = 0;
  while (i < tokens.length) {
    if (!isNumberWord(tokens[i]!.word) || tokens[i]!.word === 'y') {
      i++;
      continue;
    }
    let j = i;
    while (j < tokens.length && isNumberWord(tokens[j]!.word)) j++;
    // A trailing "y" belongs to the sentence, not the number.
    while (j > i && tokens[j - 1]!.word === 'y') j--;
    const run = tokens.slice(i, j);
    // "5 mil" was read with its digits already.
    if (run[0]!.word === 'mil' && i > 0 && /\d$/.test(tokens[i - 1]!.word)) {
      i = j;
      continue;
    }
    const value = wordsToNumber(run.map((t) => t.word));
    const next = tokens[j]?.word;
    const currencyWord = next !== undefined && next in CURRENCY_WORDS ? next : undefined;
    const big = run.some((t) => /^(mil|millon|millones|cien|ciento|\w+cientos|\w+cientas)$/.test(t.word));
    const start = run[0]!.start;
    const end = currencyWord ? tokens[j]!.end : run[run.length - 1]!.end;
    if (value !== null && value > 0 && (currencyWord || big) && !skip.some((s) => start < s.end && end > s.start)) {
      const cur = currencyOf(currencyWord, currency);
      const minor = toMinor(String(value), 1, cur);
      if (minor !== null) out.push({ minor, currency: cur, marked: true, start, end });
    }
    i = Math.max(j, i + 1);
  }
  return out;
}

/** The number of decimals people may write for a currency (for messages that explain a refused amount). */
export function decimalsOf(currency: string): number {
  return exponentOf(currency);
}
