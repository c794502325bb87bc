/**
 * The one place where errors become HTTP responses. Every error body is `{ code, message, details }`; bad input is a
 * 4xx with a reason per problem, and anything unexpected is a 500 `internal_error` that is logged in full but shows
 * the client nothing of its internals.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type ErrorCode, type ErrorDetail } from '../modules/shared/errors.ts';

/** Codes the HTTP layer adds to the product's own: requests that never reached a use case. */
export type HttpErrorCode = ErrorCode | 'bad_request' | 'method_not_allowed' | 'internal_error';

/** The error body every endpoint returns. */
export interface ErrorBody {
  code: HttpErrorCode;
  message: string;
  details: ErrorDetail[];
}

/** A Record, not a switch: adding a code to ErrorCode fails the type check until it has a status here. */
export const STATUS_BY_CODE: Readonly<Record<HttpErrorCode, number>> = Object.freeze({
  validation_failed: 400,
  rule_invalid: 400,
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  run_out_of_order: 409,
  run_in_progress: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  import_rejected: 422,
  provider_failed: 502,
  too_many_attempts: 429,
  policy_refused: 422,
  internal_error: 500,
});

interface ZodIssueLike {
  instancePath: string;
  message: string;
}

function issuePath(context: string | undefined, instancePath: string): string {
  const where = context === 'querystring' ? 'query' : (context ?? 'body');
  const rest = instancePath.split('/').filter(Boolean).join('.');
  return rest ? `${where}.${rest}` : where;
}

/** The Postgres error code of a driver error, looking through Drizzle's wrapper. */
function sqlState(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/** Turns any thrown value into the status and body the client sees. */
export function toHttpError(error: unknown): { status: number; body: ErrorBody; log?: boolean } {
  if (error instanceof AppError) {
    return { status: STATUS_BY_CODE[error.code], body: { code: error.code, message: error.message, details: error.details } };
  }
  const e = error as Partial<FastifyError> & { validation?: unknown; validationContext?: string };
  if (hasZodFastifySchemaValidationErrors(e) || Array.isArray(e.validation)) {
    const issues = e.validation as ZodIssueLike[];
    const details = issues.map((i) => ({ path: issuePath(e.validationContext, i.instancePath), reason: i.message }));
    const summary = details.map((d) => `${d.path}: ${d.reason}`).join('; ');
    return { status: 400, body: { code: 'validation_failed', message: `the request is not valid: ${summary}`, details } };
  }
  const state = sqlState(error);
  // A unique index refusing a row another request inserted first is a conflict, not a crash.
  if (state === '23505') return { status: 409, body: { code: 'conflict', message: 'the record was changed by another request at the same time; try again', details: [] } };
  // Data exceptions (class 22: a value out of range or malformed) mean input slipped past validation: still the
  // client's input, so a 400, but logged like a 500 because the validation has a gap to close.
  if (state?.startsWith('22')) {
    return { status: 400, body: { code: 'validation_failed', message: 'a value in the request is out of range or malformed', details: [] }, log: true };
  }
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status === 413) return { status, body: { code: 'payload_too_large', message: 'the request body is larger than this server accepts', details: [] } };
  if (status === 415 || e.code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') {
    return { status: 415, body: { code: 'unsupported_media_type', message: e.message ?? 'unsupported content type', details: [] } };
  }
  if (e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (status === 400 && error instanceof SyntaxError)) {
    return { status: 400, body: { code: 'bad_request', message: 'the request body is not valid JSON', details: [{ path: 'body', reason: e.message ?? 'invalid JSON' }] } };
  }
  if (status >= 400 && status < 500) {
    const code: HttpErrorCode = status === 401 ? 'unauthorized' : status === 404 ? 'not_found' : status === 405 ? 'method_not_allowed' : 'bad_request';
    return { status, body: { code, message: e.message ?? 'bad request', details: [] } };
  }
  return { status: 500, body: { code: 'internal_error', message: 'something went wrong on our side; it has been logged', details: [] } };
}

/** Sends an error the way every route does; used by hooks that answer before a handler runs. */
export function sendError(reply: FastifyReply, error: unknown): FastifyReply {
  const { status, body } = toHttpError(error);
  if (status === 401) reply.header('www-authenticate', 'Bearer');
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}

/** Installs the error handler and a JSON 404 for unknown routes. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const { status, log } = toHttpError(error);
    if (status >= 500 || log) request.log.error({ err: error }, 'request failed unexpectedly');
    else if (!(error instanceof AppError)) request.log.info({ err: error }, 'request refused');
    return sendError(reply, error);
  });
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) =>
    sendError(reply, new AppError('not_found', `there is no route ${request.method} ${request.url.split('?')[0]}`)),
  );
}
