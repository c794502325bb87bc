import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import fastifyMultipart from '@fastify/multipart';
import type { FastifyRequest, FastifySchemaCompiler } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { App, RouteDeps } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { ErrorSchema, errorResponses, queryBoolean } from '../../schemas.ts';
import { createImport, ENTITIES, importFile, importFormat } from '../../../modules/portfolio/index.ts';
import { AppError, problemsError } from '../../../modules/shared/errors.ts';
import { compose, english, type Message, say, t } from '../../../domain/text.ts';
import { issueText } from '../../../domain/zod-issues.ts';

/** The form fields that tune an import; all text, as multipart fields are. */
const Options = z.strictObject({
  format: z.enum(['csv', 'xlsx']).optional().describe('default: from the file name (.xlsx → xlsx, else csv)'),
  delimiter: z.enum([',', ';']).optional().describe('CSV; detected from the header when absent'),
  encoding: z.enum(['utf8', 'latin1']).optional().describe('CSV; default utf8'),
  date_format: z.enum(['YYYY-MM-DD', 'DD/MM/YYYY']).optional().describe('for text dates; ISO dates are always accepted'),
  portfolio: z.string().min(1).max(100).optional().describe('obligations: portfolio for rows that name none'),
  sheet: z.string().min(1).max(100).optional().describe('XLSX: sheet name; default the first visible sheet'),
  dry_run: z.enum(['true', 'false']).optional().describe('validate and count, write nothing'),
  mapping: z
    .string()
    .max(20_000)
    .optional()
    .describe('JSON object {"our column": "their header"} for headers we would not recognise'),
});

/** The multipart form, for the OpenAPI document only (the stream is read by hand, not parsed into a body). */
const Form = Options.extend({ file: z.string().meta({ format: 'binary' }).describe('the CSV or XLSX file; send the other fields before it') });

const Mapping = z.record(z.string().min(1).max(100), z.string().min(1).max(200));

const ResultSchema = z
  .object({
    entity: z.enum(ENTITIES),
    status: z.enum(['completed', 'validated']).describe('completed: written; validated: a dry run without errors'),
    rows: z.number().int(),
    inserted: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    ignored_columns: z.array(z.string()),
    dry_run: z.boolean(),
    import_id: z.number().int(),
  })
  .meta({ id: 'ImportResult' });

const Accepted = z
  .object({
    import_id: z.number().int(),
    entity: z.enum(ENTITIES),
    status: z.literal('running'),
    dry_run: z.boolean(),
  })
  .meta({ id: 'ImportAccepted' });

const Query = z.strictObject({
  async: queryBoolean
    .optional()
    .describe('true (or the header "Prefer: respond-async"): answer 202 once the file is received and import it in the background; follow GET /imports/{id}'),
});

/** Whether the client asked for the background mode: ?async=true, or RFC 7240's `Prefer: respond-async`. */
function wantsAsync(query: { async?: boolean | undefined }, prefer: string | string[] | undefined): boolean {
  if (query.async !== undefined) return query.async;
  const values = Array.isArray(prefer) ? prefer : prefer ? [prefer] : [];
  return values.some((v) => v.split(',').some((p) => p.trim().toLowerCase() === 'respond-async'));
}

/** Writes the upload to a private temporary file, so the import can run after the request has ended. */
async function spool(stream: Readable): Promise<{ dir: string; path: string; bytes: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'cobranza-import-'));
  const path = join(dir, 'upload');
  try {
    await pipeline(stream, createWriteStream(path, { mode: 0o600 }));
    return { dir, path, bytes: (await stat(path)).size };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

function badField(field: string, reason: Message): AppError {
  return new AppError('validation_failed', compose((l) => (l === 'es' ? `campo ${field} del formulario: ${say(reason, l)}` : `form field ${field}: ${say(reason, l)}`)), [{ path: `body.${field}`, reason }]);
}

/** What a day/month/year date in an upload is answered with: the form field that reads them (the web app's select). */
const DATE_FORMAT_HINT = t(
  'for day/month/year dates set the date format to DD/MM/YYYY (the form field date_format)',
  'para fechas día/mes/año elija el formato de fecha DD/MM/YYYY (campo date_format del formulario)',
);

/** Turns the collected form fields into importFile options, refusing unknown fields and bad values. */
function readOptions(fields: Record<string, string>) {
  const parsed = Options.safeParse(fields);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ path: ['body', ...i.path.map(String), ...(i.code === 'unrecognized_keys' ? [i.keys.join(',')] : [])].join('.'), reason: issueText(i) }));
    throw problemsError(t('the import form is not valid', 'el formulario de importación no es válido'), details);
  }
  const o = parsed.data;
  let mapping: Record<string, string> | undefined;
  if (o.mapping !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(o.mapping);
    } catch {
      throw badField('mapping', t('is not valid JSON', 'no es JSON válido'));
    }
    const m = Mapping.safeParse(json);
    if (!m.success) throw badField('mapping', t('must be a JSON object of column name → header text', 'debe ser un objeto JSON de nombre de columna → texto del encabezado'));
    mapping = m.data;
  }
  return {
    format: o.format,
    delimiter: o.delimiter,
    encoding: o.encoding,
    dateFormat: o.date_format,
    dateFormatHint: DATE_FORMAT_HINT,
    portfolio: o.portfolio,
    sheet: o.sheet,
    dryRun: o.dry_run === 'true',
    mapping,
  };
}

// The form is documented with a schema but read as a stream; only params go through the zod validator.
const paramsOnly: FastifySchemaCompiler<z.ZodType> = (route) => (route.httpPart === 'body' ? () => ({ value: undefined }) : validatorCompiler(route));

/** The uploaded file as `readForm` hands it over: the stream (cut off with an error past the size limit) and its options. */
interface Upload {
  stream: Readable;
  fileName: string | undefined;
  options: ReturnType<typeof readOptions>;
  /**
   * Reads the rest of the form once the import has read what it needs of the file, and throws when anything follows
   * the file or the file went past the size limit. An import calls it before it commits, so such a form writes nothing.
   */
  rest: () => Promise<void>;
}

const SEND_FORM = 'send the file as multipart/form-data, in the field "file"';
const SEND_FORM_ES = 'envíe el archivo como multipart/form-data, en el campo "file"';
const ONE_FILE = t('send exactly one file, in the field "file"', 'envíe exactamente un archivo, en el campo "file"');

const FILE_REQUIRED = t('is required: send the file as multipart/form-data in the field "file"', 'es obligatorio: envíe el archivo como multipart/form-data en el campo "file"');

/** A body the multipart parser cannot read: cut short, without a boundary, or with broken part headers. */
function malformedForm(reason: Message): AppError {
  return new AppError('malformed_form', t(`the upload is not a complete multipart/form-data form (${english(reason)}); ${SEND_FORM}, and send the whole form`, `la carga no es un formulario multipart/form-data completo (${say(reason, 'es')}); ${SEND_FORM_ES} y envíe el formulario completo`), [{ path: 'body', reason }]);
}

/**
 * What the multipart parser raised, as the client's mistake it is: a form past the parser's limits (the plugin calls
 * them all 413), a body that is not multipart, or one it cannot read (the parser's own errors carry no code).
 */
function formError(error: unknown, request: FastifyRequest): unknown {
  if (error instanceof AppError) return error;
  const code = (error as { code?: unknown }).code;
  if (code === 'FST_FILES_LIMIT') return badField('file', ONE_FILE);
  if (code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') return new AppError('validation_failed', t('the form has more fields than an import takes', 'el formulario tiene más campos de los que admite una importación'), [{ path: 'body', reason: t('too many fields', 'demasiados campos') }]);
  if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') {
    const type = request.headers['content-type'];
    return new AppError('unsupported_media_type', t(`an import takes a multipart/form-data body, not ${type ? `"${type}"` : 'a body without a Content-Type header'}; ${SEND_FORM}`, `una importación recibe un cuerpo multipart/form-data, no ${type ? `"${type}"` : 'un cuerpo sin encabezado Content-Type'}; ${SEND_FORM_ES}`), [
      { path: 'headers.content-type', reason: t('must be multipart/form-data', 'debe ser multipart/form-data') },
    ]);
  }
  if (code === 'FST_PROTO_VIOLATION') return badField('__proto__', t('is not a field an import takes', 'no es un campo que admita una importación'));
  if (code === 'FST_MP_PREMATURE_CLOSE') return malformedForm(t('the connection closed before the form ended', 'la conexión se cerró antes de que terminara el formulario'));
  if (code === undefined && error instanceof Error) {
    if (/boundary not found/i.test(error.message)) return malformedForm(t('its Content-Type header has no boundary', 'su encabezado Content-Type no tiene boundary'));
    if (/unexpected end|terminated early/i.test(error.message)) return malformedForm(t('it ends before its closing boundary', 'termina antes de su boundary de cierre'));
    // The parser refuses a boundary past 254 characters (RFC 2046 allows 70).
    if (/needle/i.test(error.message)) return malformedForm(t('its boundary is longer than 70 characters', 'su boundary tiene más de 70 caracteres'));
    if (/malformed|header/i.test(error.message)) return malformedForm(error.message);
  }
  return error;
}

type Part = Awaited<ReturnType<ReturnType<FastifyRequest['parts']>['next']>>['value'];

/** Refuses a part that comes after the file: a second file, or a field that could no longer change the import. */
function refuseAfterFile(part: NonNullable<Part>): never {
  if (part.type === 'file') {
    part.file.resume();
    throw badField(part.fieldname, ONE_FILE);
  }
  throw badField(part.fieldname, t('must come before the file: the import starts as the file arrives', 'debe ir antes del archivo: la importación empieza en cuanto llega el archivo'));
}

/**
 * Reads the multipart form: the option fields, then the one file, which `use` consumes (importing it or writing it
 * down). Returns what `use` returned, or undefined without a file; a problem later in the form hands that to `discard`.
 */
async function readForm<T>(request: FastifyRequest, uploadLimit: number, use: (upload: Upload) => Promise<T>, discard?: (value: T) => Promise<void>): Promise<T | undefined> {
  const fields: Record<string, string> = {};
  const parts = request.parts()[Symbol.asyncIterator]();
  const nextPart = async () => {
    try {
      return await parts.next();
    } catch (error) {
      throw formError(error, request);
    }
  };
  let used: { value: T } | undefined;
  let formRead = false;
  try {
    for (;;) {
      const next = await nextPart();
      if (next.done) break;
      const part = next.value;
      if (used) refuseAfterFile(part);
      if (part.type === 'field') {
        if (part.valueTruncated || part.fieldnameTruncated) throw badField(part.fieldname, t('is too long', 'es demasiado largo'));
        fields[part.fieldname] = typeof part.value === 'string' ? part.value : String(part.value);
        continue;
      }
      if (part.fieldname !== 'file') {
        part.file.resume();
        throw badField(part.fieldname, ONE_FILE);
      }
      let options: ReturnType<typeof readOptions>;
      try {
        options = readOptions(fields);
        // Refused before any work (e.g. an old .xls), also when the import would run in the background.
        importFormat({ format: options.format, fileName: part.filename || undefined });
      } catch (error) {
        part.file.resume();
        throw error;
      }
      // Past the size limit busboy just ends the stream early, which would import a silently cut file; the guard
      // turns the limit into a stream error first, so the import fails and rolls back.
      // Busboy may have hit the limit before the part reached us (the whole body can arrive at once).
      const tooLarge = () => new AppError('payload_too_large', t(`the file is larger than the ${uploadLimit} bytes this server accepts`, `el archivo es mayor que los ${uploadLimit} bytes que acepta este servidor`));
      if (part.file.truncated) {
        part.file.resume();
        throw tooLarge();
      }
      // A body cut short inside the file (it can all arrive at once) ends the file before the part reaches us, with
      // the parser's error and without 'end': piped on, it would leave the import waiting for the rest forever.
      if (part.file.destroyed && !part.file.readableEnded) throw formError(part.file.errored ?? new Error('Part terminated early'), request);
      const guarded = new PassThrough();
      part.file.on('limit', () => guarded.destroy(tooLarge()));
      // pipe() does not pass errors on: a client that goes away mid-file would leave the import waiting for the rest
      // forever, holding its transaction (on PGlite, the only connection).
      part.file.on('error', (error) => guarded.destroy(formError(error, request) as Error));
      // The reader reports errors while it reads; one arriving after it stopped must not go unhandled.
      guarded.on('error', () => undefined);
      part.file.pipe(guarded);
      const rest = async () => {
        // A reader may stop before the end of the file (an XLSX past its sheet): the rest is drained, not read.
        part.file.unpipe(guarded);
        part.file.resume();
        if (!part.file.readableEnded) await finished(part.file);
        if (part.file.truncated) throw tooLarge();
        for (;;) {
          const after = await nextPart();
          if (after.done) break;
          refuseAfterFile(after.value);
        }
        formRead = true;
      };
      try {
        used = { value: await use({ stream: guarded, fileName: part.filename || undefined, options, rest }) };
      } finally {
        // Whatever the reader left unread must still be consumed, or the request never finishes.
        part.file.unpipe(guarded);
        part.file.resume();
      }
      if (part.file.truncated) throw tooLarge();
      if (formRead) break;
    }
  } catch (error) {
    if (used && discard) await discard(used.value);
    throw error;
  }
  return used?.value;
}

/**
 * POST /imports/:entity — a multipart upload streamed straight into the import (constant memory, whatever the file
 * size). All or nothing: 200 with the counts, or 422 `import_rejected` with every problem's line and column and
 * nothing written. Option fields must come before the file: once the file streams, later fields cannot change it.
 *
 * With ?async=true (or `Prefer: respond-async`) the file is written to a temporary file first and the answer is 202
 * with the import's id as soon as it has arrived; the import then runs in the background, and GET /imports/:id
 * shows its progress and outcome (rejected: every problem, nothing written).
 */
export function uploadImportRoute(app: App, deps: RouteDeps): void {
  void app.register(async (scope: App) => {
    await scope.register(fastifyMultipart, {
      limits: { fileSize: deps.uploadLimit, files: 1, fields: 20, fieldSize: 32 * 1024, parts: 25, headerPairs: 100 },
      throwFileSizeLimit: true,
    });
    scope.post(
      '/imports/:entity',
      {
        // Fastify types this option against the whole route schema object; the compiler is handed one part at a time.
        validatorCompiler: paramsOnly as never,
        config: { permission: 'portfolio:write' },
        schema: {
          tags: ['imports'],
          summary: 'Import a CSV or XLSX file of debtors, obligations or payments (?async=true: in the background)',
          consumes: ['multipart/form-data'],
          params: z.object({ entity: z.enum(ENTITIES) }),
          querystring: Query,
          body: Form,
          response: { 200: ResultSchema, 202: Accepted, ...errorResponses, 413: ErrorSchema, 415: ErrorSchema, 422: ErrorSchema },
        },
      },
      async (request, reply) => {
        const ctx = ctxOf(request);
        const entity = request.params.entity;
        if (wantsAsync(request.query, request.headers.prefer)) {
          const removeSpool = (s: { dir: string }) => rm(s.dir, { recursive: true, force: true });
          const spooled = await readForm(request, deps.uploadLimit, async (u) => ({ ...(await spool(u.stream)), fileName: u.fileName, options: u.options }), removeSpool);
          if (!spooled) throw badField('file', FILE_REQUIRED);
          const { path, bytes, fileName, options } = spooled;
          let importId: number;
          try {
            importId = await createImport(ctx, { entity, fileName: fileName ?? null, dryRun: options.dryRun, fileBytes: bytes });
          } catch (error) {
            await removeSpool(spooled);
            throw error;
          }
          deps.track(
            importFile(ctx, { entity, path, fileName, importId, ...options })
              // The import's row records the failure for GET /imports/:id; the log keeps the stack.
              .catch((error: unknown) => request.log.error({ err: error, importId }, 'import failed'))
              .finally(() => removeSpool(spooled)),
          );
          return reply.code(202).header('location', `/imports/${importId}`).send({ import_id: importId, entity, status: 'running' as const, dry_run: options.dryRun });
        }
        const result = await readForm(request, deps.uploadLimit, (u) => importFile(ctx, { entity, stream: u.stream, fileName: u.fileName, ...u.options, beforeCommit: u.rest }));
        if (!result) throw badField('file', FILE_REQUIRED);
        if (result.status === 'rejected') {
          const shown = result.errors.length < result.errorCount ? ` (the first ${result.errors.length} are listed)` : '';
          const shownEs = result.errors.length < result.errorCount ? ` (se listan los primeros ${result.errors.length})` : '';
          throw new AppError(
            'import_rejected',
            t(`${result.errorCount} problem${result.errorCount === 1 ? '' : 's'} in the file${shown}; nothing was imported`, `${result.errorCount} problema${result.errorCount === 1 ? '' : 's'} en el archivo${shownEs}; no se importó nada`),
            result.errorTexts.map((e) => ({ line: e.line, column: e.column, reason: e.reason })),
          );
        }
        return {
          entity: result.entity,
          status: result.status,
          rows: result.rows,
          inserted: result.inserted,
          updated: result.updated,
          unchanged: result.unchanged,
          ignored_columns: result.ignoredColumns,
          dry_run: result.dryRun,
          import_id: result.importId,
        };
      },
    );
  });
}
