/**
 * Imports a CSV or XLSX file of debtors, obligations or payments: all or nothing, upsert by external id, streaming
 * in constant memory. Every attempt is recorded in `imports`: `running` while it works, then `completed` (in the
 * same transaction as the data), or — after the rollback, so the record survives it — `rejected` with its errors,
 * `validated` for a clean dry run, or `failed` when something other than the data broke (or, found later by
 * import-liveness.ts, when the process running it ended).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.ts';
import { imports } from '../../db/schema.ts';
import type { DateFormat } from '../../domain/calendar.ts';
import type { Ctx } from '../shared/context.ts';
import { recordAudit } from '../access/audit.ts';
import { recordRunningImport, releaseImport, trackImport } from './import-liveness.ts';
import { AppError, spanishOf, textOf } from '../shared/errors.ts';
import { readCsv } from './import/csv.ts';
import { runPipeline, type PipelineOutcome, type PipelineStatus } from './import/pipeline.ts';
import type { SourceItem } from './import/source.ts';
import { readXlsx } from './import/xlsx.ts';
import { FILE_DATE_FORMAT_HINT, type Entity } from './records.ts';
import { t, type Text } from '../../domain/text.ts';

export type { ImportError } from './import/errors.ts';

export interface ImportFileOptions {
  entity: Entity;
  /** The file to read; or give `stream` (the caller keeps ownership of a stream it passes). */
  path?: string | undefined;
  stream?: Readable | undefined;
  /** Name recorded in `imports` and used to pick the format; defaults to `path`. */
  fileName?: string | undefined;
  /** Default: from the file name (.xlsx → xlsx, anything else → csv). */
  format?: 'csv' | 'xlsx' | undefined;
  /** CSV only; detected from the header line when not given. */
  delimiter?: ',' | ';' | undefined;
  /** CSV only; default utf8 (a BOM is fine). */
  encoding?: 'utf8' | 'latin1' | undefined;
  /** For text dates; ISO dates and XLSX date cells are always accepted. Default YYYY-MM-DD. */
  dateFormat?: DateFormat | undefined;
  /**
   * How the reader asks for day/month/year dates where the file came from ("use --date-format DD/MM/YYYY"), said
   * after a date that looks like one; default: "use the DD/MM/YYYY date format".
   */
  dateFormatHint?: Text | undefined;
  /** Obligations: portfolio for rows that name none (default "default"); a new name creates the portfolio. */
  portfolio?: string | undefined;
  /** `{ "our column": "their header" }`. */
  mapping?: Readonly<Record<string, string>> | undefined;
  /** XLSX only: sheet name (hidden sheets too); default the first visible sheet. */
  sheet?: string | undefined;
  /** Validate everything, write nothing. */
  dryRun?: boolean | undefined;
  onProgress?: ((rows: number) => void) | undefined;
  /** The import's row when the caller recorded it already ({@link createImport}), e.g. to answer before it runs. */
  importId?: number | undefined;
  /**
   * Runs inside the import's transaction just before it commits (not for a dry run or a rejected file); throwing
   * rolls the import back. An upload checks there that nothing follows the file in its form.
   */
  beforeCommit?: (() => Promise<void>) | undefined;
}

export type ImportStatus = PipelineStatus | 'failed';

/** The pipeline's outcome (`errors` is empty when the import went through) and the import's record. */
export interface ImportResult extends PipelineOutcome {
  entity: Entity;
  dryRun: boolean;
  /** Row id in `imports`. */
  importId: number;
}

/** Picks the reader by the option, else the extension; old binary .xls is refused with a way out. */
export function importFormat(options: Pick<ImportFileOptions, 'format' | 'fileName' | 'path'>): 'csv' | 'xlsx' {
  if (options.format) return options.format;
  const ext = extname(options.fileName ?? options.path ?? '').toLowerCase();
  if (ext === '.xls') throw new AppError('validation_failed', t('old .xls workbooks are not supported; save the file as .xlsx or CSV', 'los libros .xls antiguos no se admiten; guarde el archivo como .xlsx o CSV'));
  return ext === '.xlsx' ? 'xlsx' : 'csv';
}

/**
 * Records an import as `running` before it starts, so a caller can hand out its id and run it in the background.
 * `fileBytes` (the file's size, when known) lets readers show progress.
 */
export async function createImport(ctx: Ctx, options: { entity: Entity; fileName: string | null; dryRun: boolean; fileBytes?: number | null | undefined }): Promise<number> {
  const record = await recordRunningImport(ctx.database, async () => {
    const [row] = await ctx.database.db
      .insert(imports)
      .values({
        companyId: ctx.companyId,
        entity: options.entity,
        fileName: options.fileName,
        status: 'running',
        dryRun: options.dryRun,
        startedAt: ctx.clock.now(),
        createdBy: ctx.actor,
        fileBytes: options.fileBytes ?? null,
        heartbeatAt: sql`now()`,
      })
      .returning();
    return row!;
  });
  return record.id;
}

/** Imports one file; see the module comment. Bad data never throws: it comes back as `errors` with status rejected. */
function leftToTheReader(): void {}

export async function importFile(ctx: Ctx, options: ImportFileOptions): Promise<ImportResult> {
  // The stream can fail before a reader takes it (the client goes away while the import's row is written): with no
  // listener that error would end the process. The readers see a failed stream's error when they start reading it.
  options.stream?.on('error', leftToTheReader);
  const dryRun = Boolean(options.dryRun);
  const fileName = options.fileName ?? options.path ?? null;
  let format: 'csv' | 'xlsx';
  let fileBytes: number | null = null;
  try {
    if (!options.path && !options.stream) throw new AppError('validation_failed', t('importFile needs a path or a stream', 'importFile necesita una ruta o un flujo de datos'));
    format = importFormat(options);
    if (options.path && !options.stream) {
      try {
        const info = await stat(options.path);
        if (!info.isFile()) throw new Error('not a regular file');
        fileBytes = info.size;
      } catch (error) {
        throw new AppError('validation_failed', t(`cannot read ${options.fileName ?? options.path}: ${(error as Error).message}`, `no se puede leer ${options.fileName ?? options.path}: ${spanishOf(error)}`));
      }
    }
  } catch (error) {
    // A row recorded by the caller must not stay "running" for a file that could not even be opened.
    if (options.importId !== undefined) {
      await markFailed(ctx, options.importId, error);
      releaseImport(ctx.database, options.importId);
    }
    throw error;
  }
  const importId = options.importId ?? (await createImport(ctx, { entity: options.entity, fileName, dryRun, fileBytes }));

  const owned = options.stream ? null : createReadStream(options.path!);
  const input = options.stream ?? owned!;
  const tracker = trackImport(ctx, importId);
  let outcome: PipelineOutcome;
  try {
    const source: AsyncIterable<SourceItem> =
      format === 'xlsx' ? readXlsx(input, { sheet: options.sheet }) : readCsv(input, { delimiter: options.delimiter, encoding: options.encoding });
    outcome = await runPipeline(ctx, source, {
      entity: options.entity,
      dateFormat: options.dateFormat,
      dateFormatHint: options.dateFormatHint ?? FILE_DATE_FORMAT_HINT,
      portfolio: options.portfolio,
      mapping: options.mapping,
      unknownColumns: 'ignore',
      dryRun,
      onProgress: (n) => {
        tracker.progress({ rows: n, bytes: owned ? owned.bytesRead : null });
        options.onProgress?.(n);
      },
      beforeCommit: async (tx, done) => {
        await options.beforeCommit?.();
        await finish(tx, ctx, importId, done);
        await recordAudit(ctx, { action: 'import.complete', entity: options.entity === 'debtors' ? 'debtor' : options.entity === 'obligations' ? 'obligation' : 'payment', entityId: null, after: { import_id: importId, file: fileName, rows: done.rows, inserted: done.inserted, updated: done.updated, unchanged: done.unchanged } }, tx);
      },
    });
    // Before the claim ends (below), so no reader takes the row, still "running", for an orphan.
    if (outcome.status !== 'completed') await finish(ctx.database.db, ctx, importId, outcome);
  } catch (error) {
    await markFailed(ctx, importId, error);
    throw error;
  } finally {
    await tracker.stop();
    owned?.destroy();
  }
  if (outcome.status === 'completed' && outcome.inserted + outcome.updated >= ANALYZE_AFTER_ROWS) {
    // A bulk load leaves the planner's statistics stale until autovacuum notices, and the daily run's plans
    // (hash aggregates vs sorts and nested loops) depend on them.
    await ctx.database.db.execute(sql.raw(`ANALYZE ${ANALYZED_TABLES[options.entity]}`));
  }
  return { entity: options.entity, ...outcome, dryRun, importId };
}

/** Records that something other than the data broke. Best effort: when the database itself failed, so does this. */
async function markFailed(ctx: Ctx, importId: number, error: unknown): Promise<void> {
  await ctx.database.db
    .execute(sql`
      UPDATE imports SET status = 'failed', finished_at = ${ctx.clock.now().toISOString()}::timestamptz, error_count = 1,
        errors = ${JSON.stringify([{ line: 0, column: 'import', reason: textOf(error) }])}::jsonb
      WHERE id = ${importId} AND company_id = ${ctx.companyId}`)
    .catch(() => undefined);
}

/** Imports that change at least this many rows refresh the planner statistics of the tables they touched. */
const ANALYZE_AFTER_ROWS = 10_000;
const ANALYZED_TABLES: Record<ImportFileOptions['entity'], string> = {
  debtors: 'debtors',
  obligations: 'obligations, payment_allocations, payments',
  payments: 'payments, payment_allocations, obligations',
};

/** Records the outcome on the import's row. */
async function finish(db: Db, ctx: Ctx, importId: number, outcome: PipelineOutcome): Promise<void> {
  await db.execute(sql`
    UPDATE imports SET status = ${outcome.status}, rows = ${outcome.rows}, inserted = ${outcome.inserted}, updated = ${outcome.updated},
      unchanged = ${outcome.unchanged}, errors = ${outcome.errorTexts.length > 0 ? JSON.stringify(outcome.errorTexts) : null}::jsonb, error_count = ${outcome.errorCount},
      finished_at = ${ctx.clock.now().toISOString()}::timestamptz
    WHERE id = ${importId} AND company_id = ${ctx.companyId}`);
}
