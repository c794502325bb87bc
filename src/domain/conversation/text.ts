/**
 * Text as debtors write it on a phone: accents optional, any case, stray punctuation and emoji. Everything the
 * conversation understands is matched on the normalised form, so "Ya pagué!!", "ya pague" and "YA PAGUE" are one
 * phrase.
 */

/**
 * Lower case, accents and tildes removed (ñ becomes n, which no phrase we match depends on), punctuation other than
 * the characters numbers and amounts are written with (`$ , . / -`) turned into spaces, whitespace collapsed.
 */
export function normalizeText(input: string): string {
  return input
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[¿?¡!"'“”‘’`´*_~()[\]{}<>:;|\\]/g, ' ')
    .replace(/[^\p{L}\p{N}$,./%\- ]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const UNITS: Record<string, number> = {
  cero: 0,
  un: 1,
  uno: 1,
  una: 1,
  dos: 2,
  tres: 3,
  cuatro: 4,
  cinco: 5,
  seis: 6,
  siete: 7,
  ocho: 8,
  nueve: 9,
  diez: 10,
  once: 11,
  doce: 12,
  trece: 13,
  catorce: 14,
  quince: 15,
  dieciseis: 16,
  diecisiete: 17,
  dieciocho: 18,
  diecinueve: 19,
  veinte: 20,
  veintiun: 21,
  veintiuno: 21,
  veintiuna: 21,
  veintidos: 22,
  veintitres: 23,
  veinticuatro: 24,
  veinticinco: 25,
  veintiseis: 26,
  veintisiete: 27,
  veintiocho: 28,
  veintinueve: 29,
  treinta: 30,
  cuarenta: 40,
  cincuenta: 50,
  sesenta: 60,
  setenta: 70,
  ochenta: 80,
  noventa: 90,
  cien: 100,
  ciento: 100,
  doscientos: 200,
  doscientas: 200,
  trescientos: 300,
  trescientas: 300,
  cuatrocientos: 400,
  cuatrocientas: 400,
  quinientos: 500,
  quinientas: 500,
  seiscientos: 600,
  seiscientas: 600,
  setecientos: 700,
  setecientas: 700,
  ochocientos: 800,
  ochocientas: 800,
  novecientos: 900,
  novecientas: 900,
};

/** Words that may appear inside a number written in words. */
export function isNumberWord(word: string): boolean {
  return word in UNITS || word === 'mil' || word === 'millon' || word === 'millones' || word === 'y';
}

/**
 * The value of a Spanish cardinal written in words ("quinientos", "mil doscientos cincuenta", "dos millones"), or
 * null when the words do not form one. Works on normalised text (no accents).
 */
export function wordsToNumber(words: readonly string[]): number | null {
  if (words.length === 0) return null;
  let total = 0;
  let current = 0;
  let sawValue = false;
  let lastWasY = false;
  for (const [i, w] of words.entries()) {
    if (w === 'y') {
      // "treinta y cinco": only between tens and units.
      if (i === 0 || i === words.length - 1 || lastWasY) return null;
      lastWasY = true;
      continue;
    }
    lastWasY = false;
    if (w in UNITS) {
      current += UNITS[w]!;
      sawValue = true;
    } else if (w === 'mil') {
      total += (current === 0 ? 1 : current) * 1000;
      current = 0;
      sawValue = true;
    } else if (w === 'millon' || w === 'millones') {
      total = (total + (current === 0 ? 1 : current)) * 1_000_000;
      current = 0;
      sawValue = true;
    } else {
      return null;
    }
  }
  return sawValue ? total + current : null;
}

/** Splits normalised text into words (numbers with separators stay one word). */
export function wordsOf(normal: string): string[] {
  return normal.split(' ').filter(Boolean);
}
