/**
 * Table downloads (CSV or XLSX) streamed into the reply with the tabular writers of src/modules/shared/tabular.ts.
 * The caller does every check that can refuse the request before calling this: once the first byte is out, a failure
 * can only cut the download short.
 */
import { PassThrough } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { LANGUAGES } from '../domain/text.ts';
import { writeCsv, writeXlsx, type Cell, type Column } from '../modules/shared/tabular.ts';

export const TABLE_FORMATS = ['csv', 'xlsx'] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];

/**
 * A download's `?language=` (en | es): its headers and word values in that language, over Accept-Language, for plain
 * links that cannot set headers (see downloadLanguage in language.ts).
 */
export const downloadLanguageQuery = z.enum(LANGUAGES).optional();

const CONTENT_TYPES: Record<TableFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** A table to download: its columns, rows, file name (without extension) and, for XLSX, the sheet's name. */
export interface TableDownload {
  format: TableFormat;
  fileName: string;
  sheet: string;
  columns: Column[];
  rows: AsyncIterable<Record<string, Cell>> | Iterable<Record<string, Cell>>;
}

/** Sends the table as an attachment. */
export function sendTable(reply: FastifyReply, table: TableDownload): FastifyReply {
  const out = new PassThrough();
  const written = table.format === 'csv' ? writeCsv(out, table.columns, table.rows) : writeXlsx(out, table.sheet, table.columns, table.rows);
  written.then(
    () => {
      if (!out.writableEnded) out.end();
    },
    (error: unknown) => {
      reply.log.error({ err: error }, `${table.fileName} download failed`);
      out.destroy(error as Error);
    },
  );
  const name = table.fileName.replace(/[^A-Za-z0-9._-]/g, '_');
  return reply.header('content-type', CONTENT_TYPES[table.format]).header('content-disposition', `attachment; filename="${name}.${table.format}"`).send(out);
}
