/**
 * The product's errors: a closed set of codes, each with a message a person can act on. The HTTP layer maps codes to
 * statuses in exactly one place (src/http/errors.ts); the CLI prints the message and exits non-zero.
 */
import { CalendarError, parseDate, type PlainDate } from '../../domain/calendar.ts';
import { compose, english, say, t, textOf, type Language, type Message, type Text } from '../../domain/text.ts';

export { compose, english, say, spanishOf, t, textOf, type Language, type Message, type Text } from '../../domain/text.ts';

export type ErrorCode =
  | 'validation_failed'
  | 'not_found'
  | 'conflict'
  | 'import_rejected'
  | 'run_out_of_order'
  /** A daily run as of a date after the company's today (never overridden: a future date is not a real run). */
  | 'run_date_in_future'
  | 'run_in_progress'
  | 'rule_invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'too_many_attempts'
  /** An offer (promise, plan, settlement) outside the negotiation policy; details carry each reason's code. */
  | 'policy_refused'
  | 'payload_too_large'
  | 'unsupported_media_type'
  /** A payment provider (Stripe, Mercado Pago) failed or refused; nothing was left half-done on our side. */
  | 'provider_failed'
  // Requests refused by the HTTP layer itself, before any use case.
  /** A request the server could not read at all (a broken URL, a body shorter than its Content-Length…). */
  | 'bad_request'
  /** A JSON body that does not parse. */
  | 'invalid_json'
  /** Content-Type: application/json with no body. */
  | 'empty_body'
  /** A multipart/form-data body that is cut short or has no boundary. */
  | 'malformed_form'
  /** A method the path does not take; the error carries the Allow header. */
  | 'method_not_allowed'
  /** The request did not arrive in time. */
  | 'request_timeout'
  /** The request's headers (cookies included) are too large. */
  | 'headers_too_large'
  /** Anything unexpected: logged in full, shown to the client as nothing of its internals. */
  | 'internal_error';

/** One problem of a refusal, as it is sent: its reason in one language. */
export interface ErrorDetail {
  /** Where: a field path, a column, "line 12", a rule position. */
  path?: string;
  line?: number;
  column?: string;
  position?: number;
  reason: string;
}

/** A detail as a use case raises it: its reason in both languages (a {@link Text}), or still in English only. */
export interface DetailInput extends Omit<ErrorDetail, 'reason'> {
  reason: Message;
}

/** The details in one language. */
export function detailsIn(details: readonly DetailInput[], language: Language): ErrorDetail[] {
  return details.map((d) => ({ ...d, reason: say(d.reason, language) }));
}

/**
 * A refusal with a code the HTTP layer maps to a status. Its message and reasons are written in both languages (or,
 * where not yet translated, English only); `message` and `details` are the English, which the CLI prints and
 * in-process callers read, and {@link AppError.in} gives them in the reader's language. `headers` go out with an HTTP
 * answer (e.g. `Allow` on a 405); other callers ignore them.
 */
export class AppError extends Error {
  override name = 'AppError';
  readonly code: ErrorCode;
  /** The message in both languages; `message` is its English. */
  readonly text: Message;
  /** The details in both languages, for a caller that passes them on to another error. */
  readonly detailTexts: readonly DetailInput[];
  /** Response headers for an HTTP answer (lower-case names). */
  readonly headers: Readonly<Record<string, string>>;
  constructor(code: ErrorCode, message: Message, details: readonly DetailInput[] = [], headers: Readonly<Record<string, string>> = {}) {
    super(english(message));
    this.code = code;
    this.text = message;
    this.detailTexts = details;
    this.headers = headers;
  }

  /** The details in English. */
  get details(): ErrorDetail[] {
    return detailsIn(this.detailTexts, 'en');
  }

  /** Message and details in `language`. */
  in(language: Language): { message: string; details: ErrorDetail[] } {
    return { message: say(this.text, language), details: detailsIn(this.detailTexts, language) };
  }
}

/** A detail reason that is a code a client reads (`wrong_answer`, `locked`…), the same in every language: not a sentence. */
export const reasonCode = (code: string): string => code;

/** The things a use case looks up by id, with their Spanish name (article included, for "no existe el …"). */
const THINGS = {
  company: 'la empresa',
  debtor: 'el deudor',
  obligation: 'el documento',
  'obligation of this debtor': 'el documento de este deudor',
  payment: 'el pago',
  'payment link': 'el enlace de pago',
  'payment plan': 'el plan de pagos',
  'payment alert': 'la alerta de pago',
  'portal link': 'el enlace del portal',
  promise: 'la promesa',
  dispute: 'la disputa',
  portfolio: 'la cartera',
  segment: 'el segmento',
  strategy: 'la estrategia',
  'assignment rule': 'la regla de asignación',
  run: 'la corrida',
  'API key': 'la clave de API',
  user: 'el usuario',
  import: 'la importación',
} as const satisfies Record<string, string>;

export type Thing = keyof typeof THINGS;

/** `debtor "D1" does not exist` / `no existe el deudor "D1"`; `details` say which input named it, when one did. */
export const notFound = (what: Thing, id: string | number, details: readonly DetailInput[] = []) =>
  new AppError('not_found', t(`${what} "${id}" does not exist`, `no existe ${THINGS[what]} "${id}"`), details);

/**
 * A validation_failed error for the input at `path` that `error` (a CalendarError, a MoneyError…) refused, saying
 * `label: what the error says` in both languages.
 */
export function invalidInput(error: unknown, path: string, label: Message = path): AppError {
  const reason = textOf(error);
  return new AppError('validation_failed', compose((l) => `${say(label, l)}: ${say(reason, l)}`), [{ path, reason }]);
}

/** A validation_failed error listing every problem: `prefix: path: reason; path: reason`. */
export function problemsError(prefix: Text, problems: readonly DetailInput[]): AppError {
  const list = (l: Language) => problems.map((p) => `${p.path}: ${say(p.reason, l)}`).join('; ');
  return new AppError('validation_failed', compose((l) => `${prefix[l]}: ${list(l)}`), problems);
}

/** A calendar date given as input (YYYY-MM-DD), or a validation_failed error naming the input at `path`. */
export function parseDay(input: string, path: string): PlainDate {
  try {
    return parseDate(input);
  } catch (error) {
    if (!(error instanceof CalendarError)) throw error;
    throw invalidInput(error, path);
  }
}
