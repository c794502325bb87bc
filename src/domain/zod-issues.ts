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

const TYPE_ES: Readonly<Record<string, string>> = {
  string: 'texto',
  number: 'un número',
  int: 'un número entero',
  bigint: 'un número entero',
  boolean: 'true o false',
  object: 'un objeto',
  array: 'una lista',
  date: 'una fecha',
  null: 'null',
  undefined: 'nada',
  nan: 'NaN',
};

const FORMAT_ES: Readonly<Record<string, string>> = {
  email: 'un correo electrónico válido',
  url: 'una URL válida',
  uuid: 'un UUID válido',
  datetime: 'una fecha y hora ISO 8601 (p. ej. 2026-03-10T09:00:00-06:00)',
  date: 'una fecha AAAA-MM-DD',
  time: 'una hora HH:MM',
  e164: 'un teléfono en formato E.164 (p. ej. +525512345678)',
  base64: 'texto en base64',
};

const typeEs = (name: unknown): string => TYPE_ES[String(name)] ?? String(name);

const TYPE_EN: Readonly<Record<string, string>> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  bigint: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  date: 'a date',
  null: 'null',
  undefined: 'nothing',
  nan: 'NaN',
};

const typeEn = (name: unknown): string => TYPE_EN[String(name).toLowerCase()] ?? String(name);

const FORMAT_EN: Readonly<Record<string, string>> = {
  email: 'a valid email address',
  url: 'a valid URL',
  uuid: 'a valid UUID',
  datetime: 'an ISO 8601 date and time (e.g. 2026-03-10T09:00:00-06:00)',
  date: 'a date YYYY-MM-DD',
  time: 'a time HH:MM',
  e164: 'a phone number in E.164 format (e.g. +525512345678)',
  base64: 'base64 text',
};

/**
 * The issue's message in plain English where zod's own reads like a type checker's ("Invalid input: expected string,
 * received undefined", "Too small: expected number to be >=1"): the same sentences as the Spanish below. A schema's
 * own message is kept.
 */
function english(issue: IssueLike): string {
  if (!ZOD_DEFAULT.test(issue.message) || OWN.has(issue.message)) return issue.message;
  const sized = issue.origin === 'string' ? 'characters' : issue.origin === 'array' || issue.origin === 'set' ? 'items' : null;
  switch (issue.code) {
    case 'invalid_type': {
      const got = received(issue.message);
      if (got === 'undefined') return 'is required';
      if (got === 'NaN') return `must be ${typeEn(issue.expected)}`;
      return `must be ${typeEn(issue.expected)}${got ? `; got ${typeEn(got)}` : ''}`;
    }
    case 'invalid_value': {
      const values = Array.isArray(issue.values) ? issue.values : [];
      return values.length === 1 ? `must be ${show(values[0])}` : `must be one of: ${values.map((v) => String(v)).join(', ')}`;
    }
    case 'too_big': {
      const max = String(issue.maximum);
      if (issue.exact === true) return sized ? `must have exactly ${max} ${sized}` : `must be exactly ${max}`;
      if (sized) return issue.inclusive === false ? `must have fewer than ${max} ${sized}` : `must have at most ${max} ${sized}`;
      return issue.inclusive === false ? `must be less than ${max}` : `must be at most ${max}`;
    }
    case 'too_small': {
      const min = String(issue.minimum);
      if (issue.exact === true) return sized ? `must have exactly ${min} ${sized}` : `must be exactly ${min}`;
      if (sized && issue.inclusive !== false && min === '1') return issue.origin === 'string' ? 'cannot be empty' : 'must have at least one item';
      if (sized) return issue.inclusive === false ? `must have more than ${min} ${sized}` : `must have at least ${min} ${sized}`;
      return issue.inclusive === false ? `must be greater than ${min}` : `must be at least ${min}`;
    }
    case 'invalid_format': {
      if (issue.format === 'starts_with') return `must start with ${show(issue.prefix)}`;
      if (issue.format === 'ends_with') return `must end with ${show(issue.suffix)}`;
      if (issue.format === 'includes') return `must include ${show(issue.includes)}`;
      if (issue.format === 'regex') return `does not have the expected form (the pattern ${String(issue.pattern)})`;
      const format = FORMAT_EN[String(issue.format)];
      return format ? `must be ${format}` : 'does not have the expected form';
    }
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    case 'unrecognized_keys': {
      const keys = Array.isArray(issue.keys) ? issue.keys.map(String) : [];
      return keys.length === 1 ? `field not allowed: ${keys[0]}` : `fields not allowed: ${keys.join(', ')}`;
    }
    case 'invalid_key':
      return 'has an invalid key';
    case 'invalid_element':
      return 'has an invalid element';
    default:
      return 'is not a valid value';
  }
}

/** How zod names what it received, from its English message ("…, received undefined"). */
function received(message: string): string | null {
  return /received (\w+)/.exec(message)?.[1] ?? null;
}

const show = (value: unknown): string => (typeof value === 'string' ? `"${value}"` : String(value));

/** The issue's message in Spanish, or null when it is a schema's own message without its Spanish. */
function spanish(issue: IssueLike): string | null {
  const own = OWN.get(issue.message);
  if (own !== undefined) return own;
  const carried = (issue.params as { es?: unknown } | undefined)?.es;
  if (issue.code === 'custom' && typeof carried === 'string') return carried;
  if (!ZOD_DEFAULT.test(issue.message)) return null;
  const sized = issue.origin === 'string' ? 'caracteres' : issue.origin === 'array' || issue.origin === 'set' ? 'elementos' : null;
  switch (issue.code) {
    case 'invalid_type': {
      const got = received(issue.message);
      if (got === 'undefined') return 'es obligatorio';
      if (got === 'NaN') return `debe ser ${typeEs(issue.expected)}`;
      return `debe ser ${typeEs(issue.expected)}${got ? `; se recibió ${typeEs(got)}` : ''}`;
    }
    case 'invalid_value': {
      const values = Array.isArray(issue.values) ? issue.values : [];
      return values.length === 1 ? `debe ser ${show(values[0])}` : `debe ser uno de: ${values.map((v) => String(v)).join(', ')}`;
    }
    case 'too_big': {
      const max = String(issue.maximum);
      if (issue.exact === true) return sized ? `debe tener exactamente ${max} ${sized}` : `debe ser exactamente ${max}`;
      if (sized) return issue.inclusive === false ? `debe tener menos de ${max} ${sized}` : `debe tener como máximo ${max} ${sized}`;
      return issue.inclusive === false ? `debe ser menor que ${max}` : `debe ser como máximo ${max}`;
    }
    case 'too_small': {
      const min = String(issue.minimum);
      if (issue.exact === true) return sized ? `debe tener exactamente ${min} ${sized}` : `debe ser exactamente ${min}`;
      if (sized && issue.inclusive !== false && min === '1') return issue.origin === 'string' ? 'no puede estar vacío' : 'debe tener al menos un elemento';
      if (sized) return issue.inclusive === false ? `debe tener más de ${min} ${sized}` : `debe tener al menos ${min} ${sized}`;
      return issue.inclusive === false ? `debe ser mayor que ${min}` : `debe ser como mínimo ${min}`;
    }
    case 'invalid_format': {
      if (issue.format === 'starts_with') return `debe empezar con ${show(issue.prefix)}`;
      if (issue.format === 'ends_with') return `debe terminar con ${show(issue.suffix)}`;
      if (issue.format === 'includes') return `debe incluir ${show(issue.includes)}`;
      if (issue.format === 'regex') return `no tiene el formato esperado (el patrón ${String(issue.pattern)})`;
      const format = FORMAT_ES[String(issue.format)];
      return format ? `debe ser ${format}` : 'no tiene el formato esperado';
    }
    case 'not_multiple_of':
      return `debe ser múltiplo de ${String(issue.divisor)}`;
    case 'unrecognized_keys': {
      const keys = Array.isArray(issue.keys) ? issue.keys.map(String) : [];
      return keys.length === 1 ? `campo no admitido: ${keys[0]}` : `campos no admitidos: ${keys.join(', ')}`;
    }
    case 'invalid_key':
      return 'tiene una clave no válida';
    case 'invalid_element':
      return 'tiene un elemento no válido';
    default:
      return 'no es un valor válido';
  }
}

/** A zod issue's message in both languages (English only for a schema's own message written without Spanish). */
export function issueText(issue: IssueLike): Message {
  const es = spanish(issue);
  return es === null ? issue.message : t(english(issue), es);
}
