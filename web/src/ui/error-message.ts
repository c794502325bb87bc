/**
 * What a person reads when a request fails. The API's messages are written in English for integrators; the codes
 * whose message says nothing beyond the code get a sentence in the reader's language instead, and a refusal by the
 * negotiation policy lists the policy's own reasons (the negotiation module writes them for people).
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
  forbidden: 'common.error.forbidden',
  not_found: 'common.error.notFound',
  too_many_attempts: 'common.error.tooManyAttempts',
  payload_too_large: 'common.error.payloadTooLarge',
  unsupported_media_type: 'common.error.unsupportedMediaType',
  method_not_allowed: 'common.error.unexpected',
};

/** Codes worth a retry button: someone else's change, or a limit that passes. */
const RETRYABLE = new Set(['conflict', 'too_many_attempts', 'run_in_progress']);

export function describeError(error: unknown, t: (key: string) => string): ErrorText {
  if (!(error instanceof ApiError) || error.status >= 500) return { message: t('common.error.unexpected'), reasons: [], retryable: true };
  if (error.status === 0) return { message: t('common.error.network'), reasons: [], retryable: true };
  const retryable = RETRYABLE.has(error.code);
  if (error.code === 'policy_refused' && error.details.length > 0) return { message: t('common.error.policy'), reasons: error.details.map((d) => d.reason), retryable };
  const key = LOCALIZED[error.code];
  return { message: key ? t(key) : error.message, reasons: [], retryable };
}
