/**
 * Tax and personal identifiers of the countries we collect in: structure and check digits.
 *
 * Canonical forms (what `normalized` holds): upper case, no spaces or dots, and a dash only where the check digit is
 * conventionally written apart from the number and the dash is unambiguous:
 *   RUT `12345678-5`, CUIT/CUIL `20-12345678-6`, NIT `900123456-7`;
 * everything else is characters only: RFC `EKU9003173C9`, CURP, RUC `20131312955`, DNI, cédula, CPF `52998224725`,
 * CNPJ `11222333000181`. A NIT given without its verification digit is stored with the computed one, so that one
 * company always has one canonical form.
 */
import { t, type Text } from './text.ts';

/** What an accepted identifier turned out to be. */
export type TaxIdKind =
  | 'rfc_person'
  | 'rfc_company'
  | 'rfc_generic'
  | 'curp'
  | 'rut'
  | 'cuit'
  | 'dni'
  | 'nit'
  | 'cedula'
  | 'ruc'
  | 'cpf'
  | 'cnpj'
  | 'other';

/** Natural person or legal entity. */
export type TaxIdHolderType = 'person' | 'company';

/** Options of {@link validateTaxId}. */
export interface TaxIdOptions {
  /** When given, identifiers that can only belong to the other kind of holder are refused. */
  type?: TaxIdHolderType;
}

/** Outcome of {@link validateTaxId}; `reason` is a sentence the person who typed the value can act on. */
export type TaxIdResult = { ok: true; normalized: string; kind: TaxIdKind } | { ok: false; reason: Text };

const pass = (normalized: string, kind: TaxIdKind): TaxIdResult => ({ ok: true, normalized, kind });
const fail = (reason: Text): TaxIdResult => ({ ok: false, reason });

// NFC first so that an Ñ typed as N + combining tilde is one character, like the Ñ of the RFC alphabet.
function clean(value: string, separators: RegExp = /[\s.\-‐‑‒–—]/g): string {
  return value.normalize('NFC').toUpperCase().replace(separators, '');
}

const digitsOf = (text: string): number[] => [...text].map(Number);

/** Sum of digit × weight, pairing digits and weights from the left. */
function weightedSum(values: readonly number[], weights: readonly number[]): number {
  let sum = 0;
  values.forEach((value, i) => (sum += value * (weights[i] ?? 0)));
  return sum;
}

function isRealYymmdd(yymmdd: string, leap: (yy: number) => boolean): boolean {
  const yy = Number(yymmdd.slice(0, 2));
  const mm = Number(yymmdd.slice(2, 4));
  const dd = Number(yymmdd.slice(4, 6));
  const days = [31, leap(yy) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mm - 1];
  return days !== undefined && dd >= 1 && dd <= days;
}

// An RFC's two-digit year may be 19YY or 20YY; both centuries agree on leap years except 1900/2000, so 00 is taken
// as 2000 (a leap year) rather than refusing a company constituted on 29 February 2000.
const rfcLeap = (yy: number): boolean => yy % 4 === 0;

/**
 * Values of the SAT's RFC alphabet: 0-9, A-N, &, O-Z, blank, Ñ. The CURP alphabet is the same up to Z, with Ñ where
 * the RFC has &.
 */
const RFC_VALUES = '0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ Ñ';
const CURP_VALUES = '0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ';

/** SAT check digit: 12 characters (a company's RFC padded with a leading blank), weights 13..2, mod 11. */
function rfcCheckDigit(first12: string): string {
  const values = [...first12].map((c) => RFC_VALUES.indexOf(c));
  const remainder = weightedSum(values, [13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2]) % 11;
  if (remainder === 0) return '0';
  const digit = 11 - remainder;
  return digit === 10 ? 'A' : String(digit);
}

// Generic RFCs the SAT prescribes for the general public (XAXX) and foreign residents (XEXX); their last character is
// not a check digit.
const GENERIC_RFCS = new Set(['XAXX010101000', 'XEXX010101000']);

function validateRfc(rfc: string, holder: TaxIdHolderType): TaxIdResult {
  const letters = holder === 'person' ? 4 : 3;
  const shape = new RegExp(`^([A-ZÑ&]{${letters}})(\\d{6})([A-Z0-9]{2}[0-9A])$`);
  if (!new RegExp(`^[A-ZÑ&]{${letters}}\\d`).test(rfc)) {
    return fail(t(holder === 'person' ? "A person's RFC must start with 4 letters" : "A company's RFC must start with 3 letters", holder === 'person' ? 'El RFC de una persona física debe empezar con 4 letras' : 'El RFC de una persona moral debe empezar con 3 letras'));
  }
  const m = shape.exec(rfc);
  if (!m) return fail(t('RFC must have a date YYMMDD after the letters and end with a 3-character homoclave (digit or A last)', 'El RFC debe tener una fecha AAMMDD después de las letras y terminar con una homoclave de 3 caracteres (un dígito o A al final)'));
  if (!isRealYymmdd(m[2] ?? '', rfcLeap)) return fail(t(`RFC date ${m[2]} is not a real date (YYMMDD)`, `La fecha ${m[2]} del RFC no es una fecha real (AAMMDD)`));
  const padded = holder === 'person' ? rfc : ` ${rfc}`;
  if (rfcCheckDigit(padded.slice(0, 12)) !== rfc.slice(-1)) return fail(t('RFC check digit does not match', 'El dígito verificador del RFC no coincide'));
  return pass(rfc, holder === 'person' ? 'rfc_person' : 'rfc_company');
}

// RENAPO state codes; NE is "born abroad".
const CURP_STATES = new Set(
  'AS BC BS CC CL CM CS CH DF DG GT GR HG JC MC MN MS NT NL OC PL QT QR SP SL SR TC TS TL VZ YN ZS NE'.split(' '),
);

// Sex marker: H, M, and X, which RENAPO issues to non-binary people.
const CURP_SHAPE = /^[A-Z][AEIOUX][A-Z]{2}(\d{6})[HMX]([A-Z]{2})[B-DF-HJ-NP-TV-Z]{3}([A-Z0-9])(\d)$/;

function validateCurp(curp: string): TaxIdResult {
  const m = CURP_SHAPE.exec(curp);
  if (!m) {
    return fail(t('CURP must be 4 letters, a date YYMMDD, H, M or X, a state code, 3 consonants, a character and a digit', 'La CURP debe tener 4 letras, una fecha AAMMDD, H, M o X, la clave de un estado, 3 consonantes, un carácter y un dígito'));
  }
  const [, yymmdd = '', state = '', differentiator = ''] = m;
  // The 17th character is a digit for people born before 2000 and a letter after, which settles the century.
  const century = /\d/.test(differentiator) ? 1900 : 2000;
  const leap = (yy: number): boolean => {
    const y = century + yy;
    return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  };
  if (!isRealYymmdd(yymmdd, leap)) return fail(t(`CURP date ${yymmdd} is not a real date (YYMMDD)`, `La fecha ${yymmdd} de la CURP no es una fecha real (AAMMDD)`));
  if (!CURP_STATES.has(state)) return fail(t(`CURP state code ${state} is not a Mexican state (or NE for born abroad)`, `La clave de estado ${state} de la CURP no es un estado de México (o NE si nació en el extranjero)`));
  const values = [...curp.slice(0, 17)].map((c) => CURP_VALUES.indexOf(c));
  const sum = weightedSum(values, [18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2]);
  if (String((10 - (sum % 10)) % 10) !== curp.slice(-1)) return fail(t('CURP check digit does not match', 'El dígito verificador de la CURP no coincide'));
  return pass(curp, 'curp');
}

function validateMx(value: string, type: TaxIdHolderType | undefined): TaxIdResult {
  const id = clean(value);
  if (GENERIC_RFCS.has(id)) return pass(id, 'rfc_generic');
  if (id.length === 18) {
    if (type === 'company') return fail(t("A CURP identifies a person; a company's RFC has 12 characters", 'Una CURP identifica a una persona física; el RFC de una persona moral tiene 12 caracteres'));
    return validateCurp(id);
  }
  if (id.length === 13) {
    if (type === 'company') return fail(t("A 13-character RFC belongs to a person; a company's RFC has 12 characters", 'Un RFC de 13 caracteres es de una persona física; el RFC de una persona moral tiene 12 caracteres'));
    return validateRfc(id, 'person');
  }
  if (id.length === 12) {
    if (type === 'person') return fail(t("A 12-character RFC belongs to a company; a person's RFC has 13 characters", 'Un RFC de 12 caracteres es de una persona moral; el RFC de una persona física tiene 13 caracteres'));
    return validateRfc(id, 'company');
  }
  if (type === 'person') return fail(t("A person's RFC must have 13 characters, or give the 18-character CURP", 'El RFC de una persona física debe tener 13 caracteres, o indique la CURP de 18 caracteres'));
  if (type === 'company') return fail(t("A company's RFC must have 12 characters", 'El RFC de una persona moral debe tener 12 caracteres'));
  return fail(t('RFC must have 12 characters (company) or 13 (person); a CURP has 18', 'El RFC debe tener 12 caracteres (persona moral) o 13 (persona física); una CURP tiene 18'));
}

/** Chile's RUT/RUN: weights 2..7 repeating from the right, 11 − sum mod 11, where 11 is 0 and 10 is K. */
function validateCl(value: string): TaxIdResult {
  const id = clean(value);
  const m = /^(\d+)([0-9K])$/.exec(id);
  if (!m) return fail(t('RUT must be digits followed by a check digit 0-9 or K', 'El RUT debe tener dígitos seguidos de un dígito verificador 0-9 o K'));
  const body = (m[1] ?? '').replace(/^0+/, '');
  // Numbers below 100.000 were never issued; below 1.000.000 belong to people registered before the 1940s.
  if (body.length < 6 || body.length > 8) return fail(t('RUT must have 6 to 8 digits before the check digit', 'El RUT debe tener de 6 a 8 dígitos antes del dígito verificador'));
  const sum = weightedSum(digitsOf(body).reverse(), [2, 3, 4, 5, 6, 7, 2, 3]);
  const check = 11 - (sum % 11);
  const expected = check === 11 ? '0' : check === 10 ? 'K' : String(check);
  if (expected !== m[2]) return fail(t('RUT check digit does not match', 'El dígito verificador del RUT no coincide'));
  return pass(`${body}-${m[2]}`, 'rut');
}

const CUIT_PERSON_PREFIXES = ['20', '23', '24', '27'];
const CUIT_COMPANY_PREFIXES = ['30', '33', '34'];

/** Argentina's CUIT/CUIL (they share one format) and DNI. */
function validateAr(value: string, type: TaxIdHolderType | undefined): TaxIdResult {
  const id = clean(value);
  if (!/^\d+$/.test(id)) return fail(t('CUIT/CUIL must be 11 digits (a DNI 7 or 8 digits)', 'El CUIT/CUIL debe tener 11 dígitos (un DNI, 7 u 8 dígitos)'));
  if (id.length === 7 || id.length === 8) {
    if (type === 'company') return fail(t('A DNI identifies a person; companies use an 11-digit CUIT', 'Un DNI identifica a una persona; las empresas usan un CUIT de 11 dígitos'));
    return pass(id, 'dni');
  }
  if (id.length !== 11) return fail(t('CUIT/CUIL must have 11 digits (a DNI 7 or 8)', 'El CUIT/CUIL debe tener 11 dígitos (un DNI, 7 u 8)'));
  const prefix = id.slice(0, 2);
  const isPerson = CUIT_PERSON_PREFIXES.includes(prefix);
  if (!isPerson && !CUIT_COMPANY_PREFIXES.includes(prefix)) {
    return fail(t(`CUIT/CUIL must start with 20, 23, 24, 27, 30, 33 or 34, not ${prefix}`, `El CUIT/CUIL debe empezar con 20, 23, 24, 27, 30, 33 o 34, no con ${prefix}`));
  }
  if (type === 'company' && isPerson) return fail(t(`A CUIT starting with ${prefix} belongs to a person; companies start with 30, 33 or 34`, `Un CUIT que empieza con ${prefix} es de una persona; los de empresas empiezan con 30, 33 o 34`));
  if (type === 'person' && !isPerson) return fail(t(`A CUIT starting with ${prefix} belongs to a company; people start with 20, 23, 24 or 27`, `Un CUIT que empieza con ${prefix} es de una empresa; los de personas empiezan con 20, 23, 24 o 27`));
  const remainder = weightedSum(digitsOf(id.slice(0, 10)), [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) % 11;
  // A remainder of 1 would need check digit 10: AFIP never issues such a number (it switches the prefix to 23/33).
  const expected = remainder === 0 ? 0 : 11 - remainder;
  if (expected === 10 || String(expected) !== id.slice(-1)) return fail(t('CUIT/CUIL check digit does not match', 'El dígito verificador del CUIT/CUIL no coincide'));
  return pass(`${prefix}-${id.slice(2, 10)}-${id.slice(-1)}`, 'cuit');
}

/** DIAN's verification digit: weights 3, 7, 13, ... from the rightmost digit; remainders 0 and 1 are the digit. */
function nitCheckDigit(base: string): number {
  const weights = [3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71];
  const remainder = weightedSum(digitsOf(base).reverse(), weights) % 11;
  return remainder < 2 ? remainder : 11 - remainder;
}

/**
 * Colombia's NIT and cédula. Company NITs are 9 digits starting with 8 or 9; without a dash, 10 such digits are read
 * as NIT + verification digit. Other digit strings are cédulas, and a person's NIT (cédula + digit) needs its dash.
 */
function validateCo(value: string, type: TaxIdHolderType | undefined): TaxIdResult {
  // The dash before the verification digit carries meaning, so it is read before separators are dropped.
  const text = clean(value, /[\s.]/g);
  const withDigit = /^([\d-]+)-(\d)$/.exec(text);
  if (withDigit) {
    const base = (withDigit[1] ?? '').replace(/-/g, '');
    if (!/^\d{6,15}$/.test(base)) return fail(t('NIT must have 6 to 15 digits before the verification digit', 'El NIT debe tener de 6 a 15 dígitos antes del dígito de verificación'));
    if (String(nitCheckDigit(base)) !== withDigit[2]) return fail(t('NIT verification digit does not match', 'El dígito de verificación del NIT no coincide'));
    return pass(`${base}-${withDigit[2]}`, 'nit');
  }
  const id = text.replace(/-/g, '');
  if (!/^\d+$/.test(id)) return fail(t('NIT must be digits, optionally followed by a dash and the verification digit', 'El NIT debe tener solo dígitos, opcionalmente seguidos de un guion y el dígito de verificación'));
  if (type !== 'person' && /^[89]\d{8}$/.test(id)) return pass(`${id}-${nitCheckDigit(id)}`, 'nit');
  if (type !== 'person' && /^[89]\d{9}$/.test(id)) {
    const base = id.slice(0, 9);
    if (String(nitCheckDigit(base)) !== id.slice(-1)) return fail(t('NIT verification digit does not match', 'El dígito de verificación del NIT no coincide'));
    return pass(`${base}-${id.slice(-1)}`, 'nit');
  }
  if (type === 'company') return fail(t('Company NIT must be 9 digits starting with 8 or 9, optionally with its verification digit', 'El NIT de una empresa debe tener 9 dígitos y empezar con 8 o 9, opcionalmente con su dígito de verificación'));
  if (id.length < 6 || id.length > 10) return fail(t('Cédula must have 6 to 10 digits', 'La cédula debe tener de 6 a 10 dígitos'));
  return pass(id, 'cedula');
}

/** Peru's RUC (SUNAT: weights 5,4,3,2,7,6,5,4,3,2; 11 − sum mod 11, keeping the last digit) and DNI. */
function validatePe(value: string, type: TaxIdHolderType | undefined): TaxIdResult {
  const id = clean(value);
  if (!/^\d+$/.test(id)) return fail(t('RUC must be 11 digits (a DNI 8 digits)', 'El RUC debe tener 11 dígitos (un DNI, 8 dígitos)'));
  if (id.length === 8) {
    if (type === 'company') return fail(t('A DNI identifies a person; companies use an 11-digit RUC', 'Un DNI identifica a una persona; las empresas usan un RUC de 11 dígitos'));
    return pass(id, 'dni');
  }
  if (id.length !== 11) return fail(t('RUC must have 11 digits (a DNI 8)', 'El RUC debe tener 11 dígitos (un DNI, 8)'));
  const prefix = id.slice(0, 2);
  if (!['10', '15', '16', '17', '20'].includes(prefix)) return fail(t(`RUC must start with 10, 15, 16, 17 or 20, not ${prefix}`, `El RUC debe empezar con 10, 15, 16, 17 o 20, no con ${prefix}`));
  // 10 is a person with a DNI and 20 a legal entity; 15-17 cover other natural persons and are left unconstrained.
  if (type === 'person' && prefix === '20') return fail(t('A RUC starting with 20 belongs to a company', 'Un RUC que empieza con 20 es de una empresa'));
  if (type === 'company' && prefix === '10') return fail(t('A RUC starting with 10 belongs to a person; companies start with 20', 'Un RUC que empieza con 10 es de una persona; los de empresas empiezan con 20'));
  const check = 11 - (weightedSum(digitsOf(id.slice(0, 10)), [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) % 11);
  if (String(check % 10) !== id.slice(-1)) return fail(t('RUC check digit does not match', 'El dígito verificador del RUC no coincide'));
  return pass(id, 'ruc');
}

/** Brazilian mod-11 digit: remainders 0 and 1 give 0. */
function brDigit(values: readonly number[], weights: readonly number[]): number {
  const remainder = weightedSum(values, weights) % 11;
  return remainder < 2 ? 0 : 11 - remainder;
}

/**
 * Brazil's CPF and CNPJ. CNPJs may be alphanumeric (Receita Federal, from July 2026): letters count as their ASCII
 * code minus 48, the two check digits stay numeric.
 */
function validateBr(value: string, type: TaxIdHolderType | undefined): TaxIdResult {
  const id = clean(value, /[\s.\-‐‑‒–—/]/g);
  if (/^\d{11}$/.test(id)) {
    if (type === 'company') return fail(t('A CPF identifies a person; companies use a 14-character CNPJ', 'Un CPF identifica a una persona; las empresas usan un CNPJ de 14 caracteres'));
    // Repeated digits pass the arithmetic but were never issued.
    if (/^(\d)\1{10}$/.test(id)) return fail(t('CPF cannot be one digit repeated', 'El CPF no puede ser un solo dígito repetido'));
    const d = digitsOf(id);
    const first = brDigit(d.slice(0, 9), [10, 9, 8, 7, 6, 5, 4, 3, 2]);
    const second = brDigit([...d.slice(0, 9), first], [11, 10, 9, 8, 7, 6, 5, 4, 3, 2]);
    if (`${first}${second}` !== id.slice(9)) return fail(t('CPF check digits do not match', 'Los dígitos verificadores del CPF no coinciden'));
    return pass(id, 'cpf');
  }
  if (/^[0-9A-Z]{12}\d{2}$/.test(id)) {
    if (type === 'person') return fail(t('A CNPJ identifies a company; people use an 11-digit CPF', 'Un CNPJ identifica a una empresa; las personas usan un CPF de 11 dígitos'));
    if (/^(.)\1{13}$/.test(id)) return fail(t('CNPJ cannot be one character repeated', 'El CNPJ no puede ser un solo carácter repetido'));
    const values = [...id.slice(0, 12)].map((c) => c.charCodeAt(0) - 48);
    const first = brDigit(values, [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]);
    const second = brDigit([...values, first], [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]);
    if (`${first}${second}` !== id.slice(12)) return fail(t('CNPJ check digits do not match', 'Los dígitos verificadores del CNPJ no coinciden'));
    return pass(id, 'cnpj');
  }
  return fail(t('CPF must have 11 digits; a CNPJ 14 characters', 'El CPF debe tener 11 dígitos; un CNPJ, 14 caracteres'));
}

function validateOther(value: string): TaxIdResult {
  const id = clean(value);
  if (!/^[\p{L}\p{Nd}]{1,30}$/u.test(id)) return fail(t('Tax id must be letters and digits only, at most 30 of them', 'El identificador fiscal solo puede tener letras y dígitos, 30 como máximo'));
  return pass(id, 'other');
}

/**
 * Validates and normalises a tax or personal identifier of `country` (ISO 3166-1 alpha-2, any case): structure, dates
 * and check digits where the format has them. Spaces, dots and dashes are ignored; countries without specific rules
 * accept up to 30 letters and digits as kind 'other'.
 */
export function validateTaxId(value: string, country: string, options: TaxIdOptions = {}): TaxIdResult {
  if (clean(value) === '') return fail(t('Tax id is empty', 'El identificador fiscal está vacío'));
  const type = options.type;
  switch (country.trim().toUpperCase()) {
    case 'MX':
      return validateMx(value, type);
    case 'CL':
      return validateCl(value);
    case 'AR':
      return validateAr(value, type);
    case 'CO':
      return validateCo(value, type);
    case 'PE':
      return validatePe(value, type);
    case 'BR':
      return validateBr(value, type);
    default:
      return validateOther(value);
  }
}
