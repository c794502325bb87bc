/**
 * What a person reads when a request fails. The API writes its messages in the language the client asks for
 * (api/client.ts sends the UI's locale), so its message is shown for every code, except where a sentence of ours says
 * more to someone using the app: a session that ended, and a request the server could not read at all (those
 * messages speak of headers and JSON; ours say what to do). A refusal by the negotiation policy lists the policy's
 * own reasons.
 */
import { ApiError } from '../api/client.ts';

export interface ErrorText {
  message: string;
  /** The policy's reasons, one per line, when the negotiation policy refused. */
  reasons: string[];
  /** Whether asking again can change the answer (a refusal stays a refusal). */
  retryable: boolean;
}

/** Codes answered with a sentence of our own (keys under `common.error.`). */
const LOCALIZED: Record<string, string> = {
  unauthorized: 'common.error.unauthorized',
  payload_too_large: 'common.error.payloadTooLarge',
  unsupported_media_type: 'common.error.unsupportedMediaType',
  method_not_allowed: 'common.error.methodNotAllowed',
  bad_request: 'common.error.badRequest',
  invalid_json: 'common.error.invalidJson',
  empty_body: 'common.error.emptyBody',
  malformed_form: 'common.error.malformedForm',
  request_timeout: 'common.error.requestTimeout',
  headers_too_large: 'common.error.headersTooLarge',
};

/** Codes worth a retry button: someone else's change, a limit that passes, or a request cut short on the way. */
const RETRYABLE = new Set(['conflict', 'too_many_attempts', 'run_in_progress', 'malformed_form', 'request_timeout']);

/** The API's message as a sentence on the page: "no existe el deudor" → "No existe el deudor." */
export function asSentence(message: string): string {
  const text = message.trim();
  if (text === '') return text;
  const first = text.charAt(0).toLocaleUpperCase() + text.slice(1);
  return /[.!?…]$/.test(first) ? first : `${first}.`;
}

export function describeError(error: unknown, t: (key: string) => string): ErrorText {
  if (!(error instanceof ApiError) || error.status >= 500) return { message: t('common.error.unexpected'), reasons: [], retryable: true };
  if (error.status === 0) return { message: t('common.error.network'), reasons: [], retryable: true };
  const retryable = RETRYABLE.has(error.code);
  if (error.code === 'policy_refused' && error.details.length > 0) return { message: t('common.error.policy'), reasons: error.details.map((d) => d.reason), retryable };
  const key = LOCALIZED[error.code];
  return { message: key ? t(key) : asSentence(error.message), reasons: [], retryable };
}
