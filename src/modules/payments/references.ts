/**
 * Bank-transfer and cash references of Mexico: the CLABE (18-digit interbank account number with its check digit)
 * and numeric payment references with a check digit chosen by the creditor's bank. Pure functions, no I/O.
 */
import { t, type Text } from '../../domain/text.ts';

/** CLABE weights 3, 7, 1 repeated over the first 17 digits (Banxico's published algorithm). */
const CLABE_WEIGHTS = [3, 7, 1];

/** The check digit of the first 17 digits of a CLABE. */
export function clabeCheckDigit(first17: string): number {
  if (!/^\d{17}$/.test(first17)) throw new Error('a CLABE check digit needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (Number(first17[i]) * CLABE_WEIGHTS[i % 3]!) % 10;
  return (10 - (sum % 10)) % 10;
}

/** Why a CLABE is not valid, or null when it is: 18 digits whose last one is the check digit of the others. */
export function clabeProblem(clabe: string): Text | null {
  if (!/^\d{18}$/.test(clabe)) return t('a CLABE has exactly 18 digits', 'una CLABE tiene exactamente 18 dígitos');
  const expected = clabeCheckDigit(clabe.slice(0, 17));
  if (Number(clabe[17]) !== expected) return t(`the check digit of this CLABE should be ${expected}, not ${clabe[17]}`, `el dígito verificador de esta CLABE debería ser ${expected}, no ${clabe[17]}`);
  return null;
}

/** Check-digit algorithms banks use on numeric references. */
export const CHECK_DIGITS = ['luhn', 'mod97', 'weights_371', 'none'] as const;
export type CheckDigitAlgorithm = (typeof CHECK_DIGITS)[number];

/** Luhn (mod 10, doubling every second digit from the right). */
function luhn(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** ISO 7064 MOD 97-10: two digits that make the whole number ≡ 1 (mod 97). */
function mod97(digits: string): string {
  let rest = 0;
  for (const c of `${digits}00`) rest = (rest * 10 + Number(c)) % 97;
  return String(98 - rest).padStart(2, '0');
}

/** The check digit(s) of `digits` under `algorithm` ('' for none). */
export function checkDigits(digits: string, algorithm: CheckDigitAlgorithm): string {
  if (!/^\d+$/.test(digits)) throw new Error('check digits are computed over digits only');
  switch (algorithm) {
    case 'luhn':
      return luhn(digits);
    case 'mod97':
      return mod97(digits);
    case 'weights_371': {
      let sum = 0;
      for (let i = 0; i < digits.length; i++) sum += (Number(digits[i]) * CLABE_WEIGHTS[i % 3]!) % 10;
      return String((10 - (sum % 10)) % 10);
    }
    case 'none':
      return '';
  }
}

/** Whether `reference` ends with the right check digit(s) for its body. */
export function referenceIsValid(reference: string, algorithm: CheckDigitAlgorithm): boolean {
  const width = algorithm === 'mod97' ? 2 : algorithm === 'none' ? 0 : 1;
  if (!/^\d+$/.test(reference) || reference.length <= width) return false;
  return checkDigits(reference.slice(0, reference.length - width), algorithm) === reference.slice(reference.length - width);
}

/**
 * A numeric reference: `prefix`, then `sequence` left-padded with zeros, then the check digit(s), `length` digits in
 * all. Throws when the sequence no longer fits (the creditor must lengthen the reference or change the prefix).
 */
export function buildReference(options: { prefix: string; sequence: number; length: number; algorithm: CheckDigitAlgorithm }): string {
  const width = options.algorithm === 'mod97' ? 2 : options.algorithm === 'none' ? 0 : 1;
  const room = options.length - options.prefix.length - width;
  const sequence = String(options.sequence);
  if (room < 1 || sequence.length > room) throw new Error(`sequence ${sequence} does not fit a ${options.length}-digit reference with prefix "${options.prefix}"`);
  const body = `${options.prefix}${sequence.padStart(room, '0')}`;
  return `${body}${checkDigits(body, options.algorithm)}`;
}

/**
 * A per-link CLABE inside a range the creditor's bank assigned: `prefix` (bank, plaza and account prefix), the
 * sequence left-padded to 17 digits, then the CLABE check digit.
 */
export function buildClabe(prefix: string, sequence: number): string {
  const room = 17 - prefix.length;
  const s = String(sequence);
  if (room < 1 || s.length > room) throw new Error(`sequence ${s} does not fit a CLABE with prefix "${prefix}"`);
  const first17 = `${prefix}${s.padStart(room, '0')}`;
  return `${first17}${clabeCheckDigit(first17)}`;
}
