/**
 * Zod's problems in both languages. Zod writes its own (English) message for each kind of problem; the Spanish here is
 * written from the issue's kind and parameters. A schema's own message is written with {@link zodText}, which keeps
 * its Spanish so that {@link issueText} finds it again.
 */
import { t, type Message, type Text } from './text.ts';

/** What this needs of a zod issue (zod's own, or the form fastify-type-provider-zod passes on). */
export interface IssueLike {
  code?: string | undefined;
  message: string;
  expected?: unknown;
  origin?: unknown;
  format?: unknown;
  minimum?: unknown;
  maximum?: unknown;
  inclusive?: unknown;
  exact?: unknown;
  pattern?: unknown;
  values?: unknown;
  keys?: unknown;
  divisor?: unknown;
  prefix?: unknown;
  suffix?: unknown;
  includes?: unknown;
  params?: unknown;
}

const OWN = new Map<string, string>();

/**
 * A schema's own message in both languages, for zod (`.refine(check, zodText(t('…', '…')))`, `{ error: zodText(…) }`):
 * returns the English, which zod puts in the issue, and keeps the Spanish for {@link issueText}.
 */
export function zodText(text: Text): string {
  OWN.set(text.en, text.es);
  return text.en;
}

/**
 * A custom zod issue (`ctx.addIssue(customIssue(text))` in a superRefine) whose message is made at run time: its
 * Spanish travels in the issue's params, where {@link issueText} reads it.
 */
export function customIssue(text: Text): { code: 'custom'; message: string; params: { es: string } } {
  return { code: 'custom', message: text.en, params: { es: text.es } };
}

// Zod's default messages start like this; a schema's own never does (they are written in lower case).
const ZOD_DEFAULT = /^(Invalid|Too big|Too small|Unrecognized key)/;

const TYPES: Readonly<Record<string, Text>> = {
  string: t('text', 'texto'),
  number: t('a number', 'un número'),
  int: t('a whole number', 'un número entero'),
  bigint: t('a whole number', 'un número entero'),
  boolean: t('true or false', 'true o false'),
  object: t('an object', 'un objeto'),
  array: t('a list', 'una lista'),
  date: t('a date', 'una fecha'),
  null: t('null', 'null'),
  undefined: t('nothing', 'nada'),
  nan: t('NaN', 'NaN'),
};

/** A type as zod names it ("string"), in words; the English also reads zod's capitalised names. */
function typeName(name: unknown): Text {
  const text = String(name);
  return t(TYPES[text.toLowerCase()]?.en ?? text, TYPES[text]?.es ?? text);
}

const FORMATS: Readonly<Record<string, Text>> = {
  email: t('a valid email address', 'un correo electrónico válido'),
  url: t('a valid URL', 'una URL válida'),
  uuid: t('a valid UUID', 'un UUID válido'),
  datetime: t('an ISO 8601 date and time (e.g. 2026-03-10T09:00:00-06:00)', 'una fecha y hora ISO 8601 (p. ej. 2026-03-10T09:00:00-06:00)'),
  date: t('a date YYYY-MM-DD', 'una fecha AAAA-MM-DD'),
  time: t('a time HH:MM', 'una hora HH:MM'),
  e164: t('a phone number in E.164 format (e.g. +525512345678)', 'un teléfono en formato E.164 (p. ej. +525512345678)'),
  base64: t('base64 text', 'texto en base64'),
};

/** How zod names what it received, from its English message ("…, received undefined"). */
function received(message: string): string | null {
  return /received (\w+)/.exec(message)?.[1] ?? null;
}

const show = (value: unknown): string => (typeof value === 'string' ? `"${value}"` : String(value));

/**
 * Plain sentences, in both languages, for an issue whose message is zod's own: zod's reads like a type checker's
 * ("Invalid input: expected string, received undefined", "Too small: expected number to be >=1").
 */
function defaultText(issue: IssueLike): Text {
  const sized = issue.origin === 'string' ? t('characters', 'caracteres') : issue.origin === 'array' || issue.origin === 'set' ? t('items', 'elementos') : null;
  switch (issue.code) {
    case 'invalid_type': {
      const got = received(issue.message);
      if (got === 'undefined') return t('is required', 'es obligatorio');
      const expected = typeName(issue.expected);
      if (got === 'NaN' || !got) return t(`must be ${expected.en}`, `debe ser ${expected.es}`);
      const what = typeName(got);
      return t(`must be ${expected.en}; got ${what.en}`, `debe ser ${expected.es}; se recibió ${what.es}`);
    }
    case 'invalid_value': {
      const values = Array.isArray(issue.values) ? issue.values : [];
      if (values.length === 1) return t(`must be ${show(values[0])}`, `debe ser ${show(values[0])}`);
      const list = values.map((v) => String(v)).join(', ');
      return t(`must be one of: ${list}`, `debe ser uno de: ${list}`);
    }
    case 'too_big': {
      const max = String(issue.maximum);
      if (issue.exact === true) return sized ? t(`must have exactly ${max} ${sized.en}`, `debe tener exactamente ${max} ${sized.es}`) : t(`must be exactly ${max}`, `debe ser exactamente ${max}`);
      if (sized) return issue.inclusive === false ? t(`must have fewer than ${max} ${sized.en}`, `debe tener menos de ${max} ${sized.es}`) : t(`must have at most ${max} ${sized.en}`, `debe tener como máximo ${max} ${sized.es}`);
      return issue.inclusive === false ? t(`must be less than ${max}`, `debe ser menor que ${max}`) : t(`must be at most ${max}`, `debe ser como máximo ${max}`);
    }
    case 'too_small': {
      const min = String(issue.minimum);
      if (issue.exact === true) return sized ? t(`must have exactly ${min} ${sized.en}`, `debe tener exactamente ${min} ${sized.es}`) : t(`must be exactly ${min}`, `debe ser exactamente ${min}`);
      if (sized && issue.inclusive !== false && min === '1') return issue.origin === 'string' ? t('cannot be empty', 'no puede estar vacío') : t('must have at least one item', 'debe tener al menos un elemento');
      if (sized) return issue.inclusive === false ? t(`must have more than ${min} ${sized.en}`, `debe tener más de ${min} ${sized.es}`) : t(`must have at least ${min} ${sized.en}`, `debe tener al menos ${min} ${sized.es}`);
      return issue.inclusive === false ? t(`must be greater than ${min}`, `debe ser mayor que ${min}`) : t(`must be at least ${min}`, `debe ser como mínimo ${min}`);
    }
    case 'invalid_format': {
      if (issue.format === 'starts_with') return t(`must start with ${show(issue.prefix)}`, `debe empezar con ${show(issue.prefix)}`);
      if (issue.format === 'ends_with') return t(`must end with ${show(issue.suffix)}`, `debe terminar con ${show(issue.suffix)}`);
      if (issue.format === 'includes') return t(`must include ${show(issue.includes)}`, `debe incluir ${show(issue.includes)}`);
      if (issue.format === 'regex') return t(`does not have the expected form (the pattern ${String(issue.pattern)})`, `no tiene el formato esperado (el patrón ${String(issue.pattern)})`);
      const format = FORMATS[String(issue.format)];
      return format ? t(`must be ${format.en}`, `debe ser ${format.es}`) : t('does not have the expected form', 'no tiene el formato esperado');
    }
    case 'not_multiple_of':
      return t(`must be a multiple of ${String(issue.divisor)}`, `debe ser múltiplo de ${String(issue.divisor)}`);
    case 'unrecognized_keys': {
      const keys = Array.isArray(issue.keys) ? issue.keys.map(String) : [];
      return keys.length === 1 ? t(`field not allowed: ${keys[0]}`, `campo no admitido: ${keys[0]}`) : t(`fields not allowed: ${keys.join(', ')}`, `campos no admitidos: ${keys.join(', ')}`);
    }
    case 'invalid_key':
      return t('has an invalid key', 'tiene una clave no válida');
    case 'invalid_element':
      return t('has an invalid element', 'tiene un elemento no válido');
    default:
      return t('is not a valid value', 'no es un valor válido');
  }
}

/** The issue's message in English: zod's own made plain ({@link defaultText}); a schema's own kept. */
function english(issue: IssueLike): string {
  if (!ZOD_DEFAULT.test(issue.message) || OWN.has(issue.message)) return issue.message;
  return defaultText(issue).en;
}

/** The issue's message in Spanish, or null when it is a schema's own message without its Spanish. */
function spanish(issue: IssueLike): string | null {
  const own = OWN.get(issue.message);
  if (own !== undefined) return own;
  const carried = (issue.params as { es?: unknown } | undefined)?.es;
  if (issue.code === 'custom' && typeof carried === 'string') return carried;
  if (!ZOD_DEFAULT.test(issue.message)) return null;
  return defaultText(issue).es;
}

/** A zod issue's message in both languages (English only for a schema's own message written without Spanish). */
export function issueText(issue: IssueLike): Message {
  const es = spanish(issue);
  return es === null ? issue.message : t(english(issue), es);
}
