/**
 * The one place where errors become HTTP responses. Every error body is `{ code, message, details }`; bad input is a
 * 4xx with a reason per problem, and anything unexpected is a 500 `internal_error` that is logged in full but shows
 * the client nothing of its internals.
 */
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, detailsIn, problemsError, type DetailInput, type ErrorCode, type ErrorDetail } from '../modules/shared/errors.ts';
import { compose, say, t, type Language, type Message } from '../domain/text.ts';
import { issueText } from '../domain/zod-issues.ts';
import { DEFAULT_LANGUAGE, languageOf, markLanguage } from './language.ts';

/** The error body every endpoint returns, in the request's language. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details: ErrorDetail[];
}

/** An error body before its language is chosen. */
interface ErrorText {
  code: ErrorCode;
  message: Message;
  details: readonly DetailInput[];
}

const inLanguage = (body: ErrorText, language: Language): ErrorBody => ({ code: body.code, message: say(body.message, language), details: detailsIn(body.details, language) });

/** A Record, not a switch: adding a code to ErrorCode fails the type check until it has a status here. */
export const STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = Object.freeze({
  validation_failed: 400,
  rule_invalid: 400,
  bad_request: 400,
  invalid_json: 400,
  empty_body: 400,
  malformed_form: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  request_timeout: 408,
  headers_too_large: 431,
  conflict: 409,
  run_out_of_order: 409,
  run_date_in_future: 422,
  run_in_progress: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  import_rejected: 422,
  provider_failed: 502,
  too_many_attempts: 429,
  policy_refused: 422,
  internal_error: 500,
});

/** A validation problem as fastify-type-provider-zod hands it over: the zod issue's code, message and parameters. */
interface ZodIssueLike {
  instancePath: string;
  keyword?: string;
  message: string;
  params?: Record<string, unknown>;
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

/** What an error message may say about the request it refuses. */
type RequestFacts = Pick<FastifyRequest, 'method' | 'url' | 'headers'> & { routeOptions?: { bodyLimit?: number } };

const pathOf = (request: RequestFacts): string => request.url.split('?')[0] ?? request.url;

/** "1 MiB", "64 KiB", "1000 bytes": a body limit as a person reads it. */
function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** The error bodies of what Fastify refuses before a handler runs (body parsing, content type, size, URL). */
function frameworkError(e: Partial<FastifyError>, status: number, request: RequestFacts | undefined): { status: number; body: ErrorText } | undefined {
  const contentType = request?.headers['content-type'];
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || (status === 413 && e.code?.startsWith('FST_'))) {
    const limit = request?.routeOptions?.bodyLimit;
    const most = limit ? t(`the ${sizeText(limit)} this server accepts`, `los ${sizeText(limit)} que acepta este servidor`) : t('what this server accepts', 'lo que acepta este servidor');
    return {
      status: 413,
      body: {
        code: 'payload_too_large',
        message: compose((l) =>
          l === 'es'
            ? `el cuerpo de la solicitud es mayor que ${say(most, l)}; envíe menos a la vez (los archivos van a POST /imports/{entity})`
            : `the request body is larger than ${say(most, l)}; send less at a time (files go to POST /imports/{entity})`,
        ),
        details: [],
      },
    };
  }
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || status === 415) {
    const what = contentType ? t(`a body of type "${contentType}"`, `un cuerpo de tipo "${contentType}"`) : t('a body without a Content-Type header', 'un cuerpo sin encabezado Content-Type');
    const where = request ? `${request.method} ${pathOf(request)}` : null;
    return {
      status: 415,
      body: {
        code: 'unsupported_media_type',
        message: compose((l) =>
          l === 'es'
            ? `${where ?? 'este endpoint'} no acepta ${say(what, l)}; envíe JSON con el encabezado "Content-Type: application/json"`
            : `${where ?? 'this endpoint'} does not accept ${say(what, l)}; send JSON with the header "Content-Type: application/json"`,
        ),
        details: [{ path: 'headers.content-type', reason: contentType ? t(`"${contentType}" is not accepted`, `no se acepta "${contentType}"`) : t('is missing', 'falta') }],
      },
    };
  }
  if (e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return { status: 400, body: emptyBody() };
  if (e.code === 'FST_ERR_CTP_INVALID_JSON_BODY') return { status: 400, body: invalidJson(t('it does not parse', 'no se puede interpretar')) };
  if (e.code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH') {
    return {
      status: 400,
      body: {
        code: 'bad_request',
        message: t(
          'the request body is not as long as its Content-Length header says; send the whole body, or correct the header',
          'el cuerpo de la solicitud no mide lo que dice su encabezado Content-Length; envíe el cuerpo completo o corrija el encabezado',
        ),
        details: [{ path: 'headers.content-length', reason: t('does not match the body', 'no coincide con el cuerpo') }],
      },
    };
  }
  if (e.code === 'FST_ERR_BAD_URL') {
    const url = request ? pathOf(request) : null;
    return {
      status: 400,
      body: {
        code: 'bad_request',
        message: t(
          `${url ?? 'the URL'} is not a valid URL: a "%" must start a percent-encoded byte such as %20`,
          `${url ?? 'la URL'} no es una URL válida: un "%" debe iniciar un byte codificado, como %20`,
        ),
        details: [{ path: 'url', reason: t('is not valid percent-encoding', 'no tiene una codificación por porcentaje válida') }],
      },
    };
  }
  if (e.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return {
      status: 414,
      body: {
        code: 'bad_request',
        message: t('a value in the URL path is too long', 'un valor en la ruta de la URL es demasiado largo'),
        details: [{ path: 'url', reason: t('a path segment is too long', 'un segmento de la ruta es demasiado largo') }],
      },
    };
  }
  return undefined;
}

function emptyBody(): ErrorText {
  return {
    code: 'empty_body',
    message: t(
      'the request says "Content-Type: application/json" but has no body; send a JSON object (for example {}), or leave out the Content-Type header when there is nothing to send',
      'la solicitud dice "Content-Type: application/json" pero no tiene cuerpo; envíe un objeto JSON (por ejemplo {}) u omita el encabezado Content-Type cuando no haya nada que enviar',
    ),
    details: [{ path: 'body', reason: t('is empty', 'está vacío') }],
  };
}

/** `reason` is the JSON parser's own (English) words, or a Text of ours. */
function invalidJson(reason: Message): ErrorText {
  return {
    code: 'invalid_json',
    message: compose((l) =>
      l === 'es'
        ? `el cuerpo de la solicitud no es JSON válido (${say(reason, l)}); revise sus comillas, comas y llaves`
        : `the request body is not valid JSON (${say(reason, l)}); check its quotes, commas and braces`,
    ),
    details: [{ path: 'body', reason }],
  };
}

/** What the status and body of an error are, before the language is chosen. */
function errorText(error: unknown, request?: RequestFacts): { status: number; body: ErrorText; log?: boolean } {
  if (error instanceof AppError) {
    return { status: STATUS_BY_CODE[error.code], body: { code: error.code, message: error.text, details: error.detailTexts } };
  }
  const e = error as Partial<FastifyError> & { validation?: unknown; validationContext?: string };
  if (hasZodFastifySchemaValidationErrors(e) || Array.isArray(e.validation)) {
    const issues = e.validation as ZodIssueLike[];
    const all = issues.map((i) => ({ path: issuePath(e.validationContext, i.instancePath), reason: issueText({ ...i.params, code: i.keyword, message: i.message }) }));
    // One value can fail two checks that read alike (an id over the largest safe integer fails both `int` and `number`).
    const details = all.filter((d, n) => all.findIndex((o) => o.path === d.path && JSON.stringify(o.reason) === JSON.stringify(d.reason)) === n);
    return errorText(problemsError(t('the request is not valid', 'la solicitud no es válida'), details));
  }
  const state = sqlState(error);
  // A unique index refusing a row another request inserted first is a conflict, not a crash.
  if (state === '23505') {
    return { status: 409, body: { code: 'conflict', message: t('the record was changed by another request at the same time; try again', 'otra solicitud cambió el registro al mismo tiempo; inténtelo de nuevo'), details: [] } };
  }
  // Data exceptions (class 22: a value out of range or malformed) mean input slipped past validation: still the
  // client's input, so a 400, but logged like a 500 because the validation has a gap to close.
  if (state?.startsWith('22')) {
    return {
      status: 400,
      body: { code: 'validation_failed', message: t('a value in the request is out of range or malformed', 'un valor de la solicitud está fuera de rango o mal formado'), details: [] },
      log: true,
    };
  }
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  const framework = frameworkError(e, status, request);
  if (framework) return framework;
  if (status === 400 && error instanceof SyntaxError) return { status: 400, body: invalidJson(error.message) };
  if (status >= 400 && status < 500) {
    // Another 4xx a plugin raised: its own message, under the code of its status.
    const code: ErrorCode = status === 401 ? 'unauthorized' : status === 404 ? 'not_found' : status === 405 ? 'method_not_allowed' : status === 413 ? 'payload_too_large' : 'bad_request';
    return { status, body: { code, message: e.message ?? t('the request could not be read', 'no se pudo leer la solicitud'), details: [] } };
  }
  return { status: 500, body: { code: 'internal_error', message: t('something went wrong on our side; it has been logged', 'algo falló de nuestro lado; quedó registrado'), details: [] } };
}

/**
 * Turns any thrown value into the status and body the client sees, in the language the request asks for (see
 * language.ts; English without a request); `request` also lets messages name what was sent.
 */
export function toHttpError(error: unknown, request?: RequestFacts): { status: number; body: ErrorBody; language: Language; log?: boolean } {
  const { body, ...rest } = errorText(error, request);
  const language = request ? languageOf(request.headers['accept-language']) : DEFAULT_LANGUAGE;
  return { ...rest, body: inLanguage(body, language), language };
}

/** Sends an error the way every route does; used by hooks that answer before a handler runs. */
export function sendError(reply: FastifyReply, error: unknown, request?: RequestFacts): FastifyReply {
  return send(reply, error, toHttpError(error, request));
}

/** Sends `answer`, what {@link toHttpError} made of `error`. */
function send(reply: FastifyReply, error: unknown, answer: ReturnType<typeof toHttpError>): FastifyReply {
  const { status, body, language } = answer;
  if (status === 401) reply.header('www-authenticate', 'Bearer');
  if (error instanceof AppError) reply.headers(error.headers);
  // The body's language follows the request's Accept-Language: a cache must keep one answer per language.
  markLanguage(reply, language);
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}

/**
 * The JSON body parser: Fastify's own (which refuses `__proto__` and `constructor.prototype` keys), with errors that
 * say where the JSON broke instead of only that it did.
 */
function installJsonParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(new AppError('empty_body', emptyBody().message, emptyBody().details), undefined);
      return;
    }
    parse(request, text, (error: Error | null, value?: unknown) => {
      if (!error) return done(null, value);
      let reason: Message = t(
        'it has a "__proto__" or "constructor.prototype" key, which no request may send',
        'tiene una clave "__proto__" o "constructor.prototype", que ninguna solicitud puede enviar',
      );
      try {
        JSON.parse(text);
      } catch (syntax) {
        // The parser's own words, which say where the JSON broke: English in both languages.
        reason = (syntax as Error).message;
      }
      const { message, details } = invalidJson(reason);
      done(new AppError('invalid_json', message, details), undefined);
    });
  });
}

/**
 * An index of the routes' paths, to tell a wrong method on a path that exists (405, with the methods it takes in
 * `Allow`) from a path that does not (404).
 */
function routeIndex(app: FastifyInstance): (path: string) => string[] {
  const routes: Array<{ methods: string[]; pattern: RegExp }> = [];
  app.addHook('onRoute', (route) => {
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).map(String);
    // ":id" (or ":id(regex)") is one segment, "*" the rest of the path; the rest is literal.
    const source = route.url
      .split(/(:[A-Za-z0-9_]+(?:\([^)]*\))?|\*)/)
      .map((piece) => (piece === '*' ? '.*' : piece.startsWith(':') ? '[^/]+' : piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('');
    routes.push({ methods, pattern: new RegExp(`^${source}$`) });
  });
  return (path) => {
    const allowed = new Set<string>();
    for (const r of routes) if (r.pattern.test(path)) for (const m of r.methods) allowed.add(m);
    if (allowed.has('GET')) allowed.add('HEAD');
    return [...allowed].sort();
  };
}

/**
 * Installs the error handler, the JSON body parser, and JSON answers for unknown routes and wrong methods. With
 * `frameworkErrors` and `clientErrorHandler` (passed to `fastify()`), nothing the server answers on its own strays
 * from the `{ code, message, details }` shape.
 */
export function installErrorHandling(app: FastifyInstance): void {
  installJsonParser(app);
  const allowedMethods = routeIndex(app);
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const answer = toHttpError(error, request);
    if (answer.status >= 500 || answer.log) request.log.error({ err: error }, 'request failed unexpectedly');
    else if (!(error instanceof AppError)) request.log.info({ err: error }, 'request refused');
    return send(reply, error, answer);
  });
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const path = pathOf(request);
    const allowed = allowedMethods(path);
    // A route that exists for this very method said "not found" itself (e.g. a missing file under /assets/).
    if (allowed.length > 0 && !allowed.includes(request.method)) {
      const list = allowed.join(', ');
      return sendError(
        reply,
        new AppError('method_not_allowed', t(`${path} does not take ${request.method}; use ${list}`, `${path} no admite ${request.method}; use ${list}`), [{ path: 'method', reason: t(`must be one of ${list}`, `debe ser uno de ${list}`) }], {
          allow: list,
        }),
        request,
      );
    }
    return sendError(reply, new AppError('not_found', t(`there is no route ${request.method} ${path}; the API's routes are listed at /docs`, `no existe la ruta ${request.method} ${path}; las rutas de la API están en /docs`)), request);
  });
}

/** `frameworkErrors` for `fastify()`: a URL the router cannot read, answered like any other error. */
export function frameworkErrors(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const answer = toHttpError(error, request);
  if (answer.status >= 500) request.log.error({ err: error }, 'request failed unexpectedly');
  return send(reply, error, answer);
}

/** What Node's HTTP parser refuses before there is a request (a broken request line, headers too large, a timeout). */
const CLIENT_ERRORS: Record<string, { status: number; body: ErrorBody }> = {
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, body: { code: 'request_timeout', message: 'the request took too long to arrive; send it again', details: [] } },
  HPE_HEADER_OVERFLOW: { status: 431, body: { code: 'headers_too_large', message: 'the request headers are larger than this server accepts; send fewer or shorter headers (cookies count)', details: [] } },
};

/**
 * `clientErrorHandler` for `fastify()`: answers a request Node could not parse in the `{ code, message, details }`
 * shape, in English (there are no headers to read a language from).
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const { status, body } = CLIENT_ERRORS[error.code ?? ''] ?? {
    status: 400,
    body: { code: 'bad_request', message: 'the request is not valid HTTP/1.1 and could not be read', details: [] } satisfies ErrorBody,
  };
  if (socket.writable) {
    const json = JSON.stringify(body);
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Language: en\r\nContent-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`);
  }
  socket.destroy(error);
}
