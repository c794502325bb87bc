/**
 * The product's errors: a closed set of codes, each with a message a person can act on. The HTTP layer maps codes to
 * statuses in exactly one place (src/http/errors.ts); the CLI prints the message and exits non-zero.
 */
import { CalendarError, parseDate, type PlainDate } from '../../domain/calendar.ts';

export type ErrorCode =
  | 'validation_failed'
  | 'not_found'
  | 'conflict'
  | 'import_rejected'
  | 'run_out_of_order'
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
  | 'provider_failed';

export interface ErrorDetail {
  /** Where: a field path, a column, "line 12", a rule position. */
  path?: string;
  line?: number;
  column?: string;
  position?: number;
  reason: string;
}

export class AppError extends Error {
  override name = 'AppError';
  readonly code: ErrorCode;
  readonly details: ErrorDetail[];
  constructor(code: ErrorCode, message: string, details: ErrorDetail[] = []) {
    super(message);
    this.code = code;
    this.details = details;
  }
}

export const notFound = (what: string, id: string | number) => new AppError('not_found', `${what} "${id}" does not exist`);

/** A calendar date given as input (YYYY-MM-DD), or a validation_failed error naming the input at `path`. */
export function parseDay(input: string, path: string): PlainDate {
  try {
    return parseDate(input);
  } catch (error) {
    const reason = error instanceof CalendarError ? error.message : String(error);
    throw new AppError('validation_failed', `${path}: ${reason}`, [{ path, reason }]);
  }
}
