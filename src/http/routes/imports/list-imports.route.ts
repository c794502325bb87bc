import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { downloadLanguageQuery, sendTable, TABLE_FORMATS } from '../../download.ts';
import { decodeCursor, pageBody } from '../../pagination.ts';
import { errorResponses, pageOf, pageQuery } from '../../schemas.ts';
import { ENTITIES, getImport, importErrorColumns, importErrorReport, listImports } from '../../../modules/portfolio/index.ts';
import { say } from '../../../domain/text.ts';
import { answerLanguage, downloadLanguage } from '../../language.ts';

const STATUSES = ['running', 'completed', 'validated', 'rejected', 'failed'] as const;

const ImportFields = {
  id: z.number().int(),
  entity: z.string(),
  file_name: z.string().nullable(),
  status: z.string().describe(`${STATUSES.join(', ')}; rejected and failed imports wrote nothing`),
  dry_run: z.boolean(),
  rows: z.number().int().describe('rows read: so far while running, all of them once finished'),
  inserted: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  error_count: z.number().int().describe('every problem found; the detail lists the first ones'),
  file_bytes: z.number().int().nullable().describe('size of the file, when known'),
  bytes_read: z.number().int().nullable().describe('how much of the file was read; with file_bytes, the progress of a running import'),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  created_by: z.string().nullable(),
};

const ImportSchema = z.object(ImportFields).meta({ id: 'Import' });
const ImportDetailSchema = z
  .object({ ...ImportFields, errors: z.array(z.object({ line: z.number().int(), column: z.string(), reason: z.string() })).describe('line N: column: reason (in the Accept-Language: Spanish or English)') })
  .meta({ id: 'ImportDetail' });

const IdParams = z.object({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });

/** GET /imports, GET /imports/:id and GET /imports/:id/errors — the history of imports, one import, its error report. */
export function listImportsRoutes(app: App): void {
  app.get(
    '/imports',
    {
      config: { permission: 'portfolio:write' },
      schema: {
        tags: ['imports'],
        summary: 'List imports, newest first (status, counts, progress of running ones)',
        querystring: z.strictObject({ entity: z.enum(ENTITIES).optional(), status: z.enum(STATUSES).optional(), ...pageQuery }),
        response: { 200: pageOf(ImportSchema), ...errorResponses },
      },
    },
    async (request) => {
      const { entity, status, limit, cursor } = request.query;
      return pageBody('imports', await listImports(ctxOf(request), { entity, status, limit, cursor: decodeCursor('imports', cursor) }));
    },
  );

  app.get(
    '/imports/:id',
    {
      config: { permission: 'portfolio:write' },
      schema: {
        tags: ['imports'],
        summary: 'Get an import: status, counts, progress while running, and every problem of a rejected file',
        params: IdParams,
        response: { 200: ImportDetailSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const language = answerLanguage(request, reply);
      const record = await getImport(ctxOf(request), request.params.id);
      return { ...record, errors: record.errors.map((e) => ({ ...e, reason: say(e.reason, language) })) };
    },
  );

  app.get(
    '/imports/:id/errors',
    {
      config: { permission: 'portfolio:write' },
      schema: {
        tags: ['imports'],
        summary: "Download an import's problems (line, column, reason; línea, columna, motivo in Spanish) as CSV or XLSX, in ?language= or the Accept-Language",
        params: IdParams,
        querystring: z.strictObject({ format: z.enum(TABLE_FORMATS).default('csv'), language: downloadLanguageQuery }),
        response: errorResponses,
      },
    },
    async (request, reply) => {
      const language = downloadLanguage(request, reply, request.query.language);
      const { fileName, rows } = await importErrorReport(ctxOf(request), request.params.id, language);
      return sendTable(reply, { format: request.query.format, fileName, sheet: language === 'es' ? 'Errores' : 'Errors', columns: importErrorColumns(language), rows });
    },
  );
}
