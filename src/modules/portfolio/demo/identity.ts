/**
 * Who a demo debtor is: tax ids with correct check digits (RFC, NIT, RUC, RUT, CUIT), mobile numbers inside the
 * ranges libphonenumber-js treats as valid, and e-mail addresses derived from the name.
 */
import type { City, DemoCountry } from './countries.ts';
import type { Random } from './random.ts';

/** Upper-case ASCII letters only: accents dropped, Ñ kept as Ñ so callers can decide (the RFC turns it into X). */
export function plainLetters(text: string): string {
  return text
    .toUpperCase()
    .replaceAll('Ñ', '\u0000')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replaceAll('\u0000', 'Ñ')
    .replace(/[^A-ZÑ ]/g, '');
}

/** Lower-case ASCII for e-mail local parts and domains. */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]/g, '');
}

const pad2 = (n: number) => String(n).padStart(2, '0');

// --- Mexico: RFC ------------------------------------------------------------------------------------------------

// SAT's character values for the RFC check digit ("0"–"9" = 0–9, "A" = 10 … "&" = 24 … " " = 37, "Ñ" = 38).
const RFC_VALUES = '0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ Ñ';
const HOMOCLAVE_CHARS = '123456789ABCDEFGHIJKLMNPQRSTUVWXYZ';
// Four-letter prefixes SAT replaces (last letter becomes X) because they spell something rude.
const RFC_RUDE = new Set(
  'BUEI BUEY CACA CACO CAGA CAGO CAKA CAKO COGE COGI COJA COJE COJI COJO COLA CULO FALO FETO GETA GUEI GUEY JETA JOTO KACA KACO KAGA KAGO KAKA KAKO KOGE KOGI KOJA KOJE KOJI KOJO KOLA KULO LILO LOCA LOCO LOKA LOKO MAME MAMO MEAR MEAS MEON MIAR MION MOCO MOKO MULA MULO NACA NACO PEDA PEDO PENE PIPI PITO POPO PUTA PUTO QULO RATA ROBA ROBE ROBO RUIN SENO TETA VACA VAGA VAGO VAKA VUEI VUEY WUEI WUEY'.split(' '),
);

/** The RFC check digit of the first 11 (moral) or 12 (física) characters. */
export function rfcCheckDigit(body: string): string {
  const text = body.length === 11 ? ` ${body}` : body;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += RFC_VALUES.indexOf(text[i]!) * (13 - i);
  const r = sum % 11;
  if (r === 0) return '0';
  return r === 1 ? 'A' : String(11 - r);
}

function rfcDate(random: Random, fromYear: number, toYear: number): string {
  const year = random.int(fromYear, toYear);
  const month = random.int(1, 12);
  const day = random.int(1, 28);
  return `${pad2(year % 100)}${pad2(month)}${pad2(day)}`;
}

function homoclave(random: Random, body: string): string {
  const partial = body + random.pick([...HOMOCLAVE_CHARS]) + random.pick([...HOMOCLAVE_CHARS]);
  return partial + rfcCheckDigit(partial);
}

const vowel = (ch: string) => 'AEIOU'.includes(ch);
// Particles SAT skips in surnames and given names ("de la Cruz" → CRUZ; "María José" → JOSE).
const SURNAME_PARTICLES = new Set(['DA', 'DAS', 'DE', 'DEL', 'DER', 'DI', 'DIE', 'DD', 'EL', 'LA', 'LOS', 'LAS', 'LE', 'LES', 'MAC', 'MC', 'VAN', 'VON', 'Y']);
const COMMON_FIRST = new Set(['MARIA', 'MA', 'JOSE', 'J']);

function mainWord(text: string, skip: Set<string>): string {
  const words = plainLetters(text).split(' ').filter(Boolean);
  const kept = words.filter((w) => !skip.has(w));
  return (kept[0] ?? words[0] ?? 'X').replaceAll('Ñ', 'X');
}

/** A persona física RFC (13 characters) from the person's names and a birth date in 1950–2004. */
export function rfcForPerson(random: Random, names: { given: string; paternal: string; maternal: string }): string {
  const paternal = mainWord(names.paternal, SURNAME_PARTICLES);
  const maternal = mainWord(names.maternal, SURNAME_PARTICLES);
  const givenWords = plainLetters(names.given).split(' ').filter(Boolean);
  const given = (givenWords.length > 1 && COMMON_FIRST.has(givenWords[0]!) ? givenWords[1]! : (givenWords[0] ?? 'X')).replaceAll('Ñ', 'X');
  const innerVowel = [...paternal.slice(1)].find(vowel) ?? 'X';
  let letters = `${paternal[0]}${innerVowel}${maternal[0]}${given[0]}`;
  if (RFC_RUDE.has(letters)) letters = `${letters.slice(0, 3)}X`;
  return homoclave(random, letters + rfcDate(random, 1950, 2004));
}

const COMPANY_SKIP = new Set(['DE', 'DEL', 'LA', 'LAS', 'LOS', 'EL', 'Y', 'E', 'CIA', 'COMPAÑIA', 'SOCIEDAD', 'SA', 'CV', 'SAPI', 'RL', 'S', 'A', 'C', 'V', 'R', 'L']);

/** A persona moral RFC (12 characters) from the company's name and a founding date in 1970–2022. */
export function rfcForCompany(random: Random, name: string): string {
  const words = plainLetters(name.replaceAll('.', ' ').replaceAll(',', ' ')).replaceAll('Ñ', 'X').split(' ').filter((w) => w && !COMPANY_SKIP.has(w));
  let letters: string;
  if (words.length >= 3) letters = words[0]![0]! + words[1]![0]! + words[2]![0]!;
  else if (words.length === 2) letters = words[0]![0]! + words[1]!.slice(0, 2);
  else letters = (words[0] ?? 'XXX').slice(0, 3);
  letters = letters.padEnd(3, 'X');
  return homoclave(random, letters + rfcDate(random, 1970, 2022));
}

// --- Colombia: NIT ----------------------------------------------------------------------------------------------

const NIT_WEIGHTS = [3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71];

/** DIAN's check digit for a NIT body (weights applied from the rightmost digit). */
export function nitCheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += Number(body[body.length - 1 - i]) * NIT_WEIGHTS[i]!;
  const r = sum % 11;
  return r > 1 ? 11 - r : r;
}

function nit(random: Random, company: boolean): string {
  // People's NIT is their cédula (8 or 10 digits); companies' are 9 digits from 800… and 900….
  const body = company ? String(random.int(800_000_000, 901_999_999)) : random.chance(0.6) ? String(random.int(1_000_000_000, 1_199_999_999)) : String(random.int(10_000_000, 99_999_999));
  return `${body}-${nitCheckDigit(body)}`;
}

// --- Peru RUC and Argentina CUIT share the 11-digit modulus 11 scheme with weights 5432765432 ------------------

const MOD11_WEIGHTS = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

function mod11(first10: string): number {
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += Number(first10[i]) * MOD11_WEIGHTS[i]!;
  return 11 - (sum % 11);
}

/** SUNAT's RUC check digit (10 → 0, 11 → 1). */
export function rucCheckDigit(first10: string): number {
  return mod11(first10) % 10;
}

function ruc(random: Random, company: boolean): string {
  const body = `${company ? '20' : '10'}${String(random.int(company ? 10_000_000 : 4_000_000, 99_999_999)).padStart(8, '0')}`;
  return body + rucCheckDigit(body);
}

/** AFIP's CUIT check digit, or null when the body has none (AFIP then issues a different prefix). */
export function cuitCheckDigit(first10: string): number | null {
  const d = mod11(first10);
  if (d === 11) return 0;
  return d === 10 ? null : d;
}

function cuit(random: Random, kind: 'male' | 'female' | 'company'): string {
  const prefix = kind === 'company' ? '30' : kind === 'female' ? '27' : '20';
  for (;;) {
    const body = `${prefix}${String(random.int(kind === 'company' ? 50_000_000 : 10_000_000, kind === 'company' ? 71_999_999 : 45_999_999))}`;
    const digit = cuitCheckDigit(body);
    if (digit !== null) return `${body.slice(0, 2)}-${body.slice(2)}-${digit}`;
  }
}

// --- Chile: RUT -------------------------------------------------------------------------------------------------

/** The RUT check character ("0"–"9" or "K") of a body of digits. */
export function rutCheckDigit(body: string): string {
  let sum = 0;
  let weight = 2;
  for (let i = body.length - 1; i >= 0; i--) {
    sum += Number(body[i]) * weight;
    weight = weight === 7 ? 2 : weight + 1;
  }
  const d = 11 - (sum % 11);
  return d === 11 ? '0' : d === 10 ? 'K' : String(d);
}

function rut(random: Random, company: boolean): string {
  const body = String(company ? random.int(76_000_000, 77_999_999) : random.int(5_000_000, 26_999_999));
  const dotted = body.replace(/\B(?=(\d{3})+$)/g, '.');
  return `${dotted}-${rutCheckDigit(body)}`;
}

/** A valid tax id of the country's usual kind for a person or a company. */
export function taxIdFor(
  country: DemoCountry,
  random: Random,
  party: { type: 'person'; given: string; paternal: string; maternal: string; sex: 'male' | 'female' } | { type: 'company'; name: string },
): string {
  const company = party.type === 'company';
  switch (country) {
    case 'MX':
      return party.type === 'company' ? rfcForCompany(random, party.name) : rfcForPerson(random, party);
    case 'CO':
      return nit(random, company);
    case 'PE':
      return ruc(random, company);
    case 'CL':
      return rut(random, company);
    case 'AR':
      return cuit(random, party.type === 'company' ? 'company' : party.sex);
  }
}

// --- Phones -----------------------------------------------------------------------------------------------------

const CO_MOBILE_PREFIXES = ['300', '301', '302', '304', '305', '310', '311', '312', '313', '314', '315', '316', '317', '318', '319', '320', '321', '322', '323', '350', '351'];

function digits(random: Random, count: number, firstFrom = 0): string {
  let out = String(random.int(firstFrom, 9));
  for (let i = 1; i < count; i++) out += String(random.int(0, 9));
  return out;
}

/**
 * A mobile number as people write it in a spreadsheet: mostly international with spaces, sometimes the bare national
 * number. Subscriber numbers start at 2 (MX, CO, PE, CL) or 4–5 (AR) to stay inside allocated ranges.
 */
export function mobileFor(country: DemoCountry, city: City, random: Random): string {
  const international = random.chance(0.8);
  switch (country) {
    case 'MX': {
      const area = city.areaCode ?? '55';
      const rest = digits(random, 10 - area.length, 2);
      const grouped = area.length === 2 ? `${area} ${rest.slice(0, 4)} ${rest.slice(4)}` : `${area} ${rest.slice(0, 3)} ${rest.slice(3)}`;
      return international ? `+52 ${grouped}` : `${area}${rest}`;
    }
    case 'CO': {
      const national = random.pick(CO_MOBILE_PREFIXES) + digits(random, 7, 2);
      return international ? `+57 ${national.slice(0, 3)} ${national.slice(3, 6)} ${national.slice(6)}` : national;
    }
    case 'PE': {
      const national = `9${digits(random, 8, 1)}`;
      return international ? `+51 ${national.slice(0, 3)} ${national.slice(3, 6)} ${national.slice(6)}` : national;
    }
    case 'CL': {
      const national = `9${digits(random, 8, 2)}`;
      return international ? `+56 9 ${national.slice(1, 5)} ${national.slice(5)}` : national;
    }
    case 'AR': {
      const area = city.areaCode ?? '11';
      const rest = String(random.int(4, 5)) + digits(random, 9 - area.length);
      const split = rest.length - 4;
      return international ? `+54 9 ${area} ${rest.slice(0, split)}-${rest.slice(split)}` : `${area} 15 ${rest.slice(0, split)}-${rest.slice(split)}`;
    }
  }
}

/** A plausible personal e-mail from the names, e.g. "maria.lopez87@gmail.com". */
export function personalEmail(random: Random, given: string, surname: string, domain: string): string {
  const first = slug(given.split(' ')[0] ?? given) || 'cliente';
  const last = slug(surname.split(' ').at(-1) ?? surname) || 'correo';
  const style = random.int(0, 3);
  const local = style === 0 ? `${first}.${last}` : style === 1 ? `${first}${last}${random.int(1, 99)}` : style === 2 ? `${first[0]}${last}${random.int(60, 99)}` : `${first}_${last}`;
  return `${local}@${domain}`;
}
