/**
 * Sentences a person reads, in the two languages the product speaks: English (the API's default, for integrators) and
 * Mexican Spanish (the back office and the debtor portal). A refusal is written once with both texts, carrying the
 * same facts and parameters (ids, dates, amounts and field names stay as they are), and the edge that answers picks
 * one: HTTP by the request's Accept-Language, the CLI by COBRANZA_LANG / LANG.
 *
 * Plain strings are still accepted wherever a {@link Message} is: they are English only (the same in both languages)
 * and test/i18n/english-only.test.ts counts them so none comes back.
 */

export const LANGUAGES = ['en', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

/** One sentence in English and in Spanish. */
export interface Text {
  readonly en: string;
  readonly es: string;
}

/** A {@link Text}, or an English-only string. */
export type Message = string | Text;

/** A sentence in both languages: `t('debtor "D1" does not exist', 'el deudor "D1" no existe')`. */
export function t(en: string, es: string): Text {
  return { en, es };
}

/** Whether a value is a {@link Text} (e.g. read back from JSON, where an English-only string may also be stored). */
export function isText(value: unknown): value is Text {
  return typeof value === 'object' && value !== null && typeof (value as Text).en === 'string' && typeof (value as Text).es === 'string';
}

/** The message in `language`; an English-only string is the same in both. */
export function say(message: Message, language: Language): string {
  return typeof message === 'string' ? message : message[language];
}

/** The English of a message: what `Error.message`, logs and the CLI's default show. */
export function english(message: Message): string {
  return say(message, 'en');
}

/**
 * A sentence built from other messages, written once per language: `compose((l) => `${path}: ${say(reason, l)}`)`.
 */
export function compose(write: (language: Language) => string): Text {
  return { en: write('en'), es: write('es') };
}

/** What anything thrown says: both languages for our own errors (those with a `text`), else its English message. */
export function textOf(error: unknown): Message {
  if (typeof error === 'object' && error !== null && 'text' in error) {
    const text = (error as { text: unknown }).text;
    if (typeof text === 'string' || isText(text)) return text;
  }
  return error instanceof Error ? error.message : String(error);
}

/** The Spanish of what anything thrown says (its English message when it has none). */
export function spanishOf(error: unknown): string {
  return say(textOf(error), 'es');
}

/** "a, b and c" / "a, b y c": a short list in a sentence. */
export function listOf(items: readonly string[], language: Language): string {
  if (items.length <= 1) return items.join('');
  const and = language === 'es' ? 'y' : 'and';
  return `${items.slice(0, -1).join(', ')} ${and} ${items[items.length - 1]}`;
}

/** An error whose message is a {@link Message}: `message` is the English, `text` both languages. */
export class TextError extends Error {
  readonly text: Message;
  constructor(message: Message) {
    super(english(message));
    this.text = message;
  }
}

/** Levenshtein distance: the fewest single-character insertions, deletions and substitutions turning `a` into `b`. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}
