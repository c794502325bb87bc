/**
 * The one write path for portfolio rows, shared by file imports and API saves:
 *
 *   read header → resolve columns → for each row: validate, stage (batched) → SQL checks → upsert → recompute balances
 *
 * all inside one transaction, all or nothing: any error anywhere rolls everything back and the caller gets every
 * problem found (up to the cap) with its line. A dry run does the whole thing, upsert included (so its counts are
 * exact), and rolls back. Memory stays flat: rows stream from the reader into the staging table a batch at a time.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/connection.ts';
import { dateInZone, type DateFormat } from '../../../domain/calendar.ts';
import type { Ctx } from '../../shared/context.ts';
import { notFound } from '../../shared/errors.ts';
import { validateRecord, type Entity, type RecordContext } from '../records.ts';
import { RECOMPUTE_CHUNK, recomputeBalances } from '../recompute-balances.ts';
import { runChecks } from './checks.ts';
import { t, type Text } from '../../../domain/text.ts';
import { ErrorCollector, inEnglish, type ImportError, type ImportErrorText } from './errors.ts';
import { resolveHeader, type HeaderPlan } from './headers.ts';
import { FileProblem, type SourceItem } from './source.ts';
import { rows } from './sql.ts';
import { StageWriter } from './stage.ts';
import { affectedDebtors, upsertStaged } from './upsert.ts';

export interface PipelineOptions {
  entity: Entity;
  dateFormat?: DateFormat | undefined;
  /** How the rows' sender asks for day/month/year dates (RecordContext.dateFormatHint); absent: ISO dates only. */
  dateFormatHint?: Text | undefined;
  /** Portfolio for obligations whose row names none; when given it also moves existing obligations without one. */
  portfolio?: string | undefined;
  mapping?: Readonly<Record<string, string>> | undefined;
  /** Headers we do not know (obligations, payments): skipped in files, refused from the API. */
  unknownColumns: 'ignore' | 'error';
  dryRun: boolean;
  /** Called with the number of data rows read so far, every few thousand rows and at the end. */
  onProgress?: ((rows: number) => void) | undefined;
  /** Runs inside the transaction just before a (non-dry-run) commit, e.g. to mark the import record completed. */
  beforeCommit?: ((tx: Db, outcome: PipelineOutcome) => Promise<void>) | undefined;
}

/** `validated`: a dry run that found no error (nothing written). `rejected`: errors, nothing written. */
export type PipelineStatus = 'completed' | 'validated' | 'rejected';

export interface PipelineOutcome {
  status: PipelineStatus;
  /** Data rows read (blank rows excluded). */
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** The first errors found, by line (at most {@link MAX_REPORTED_ERRORS}), in English. */
  errors: ImportError[];
  /** The same errors with their reasons in both languages. */
  errorTexts: ImportErrorText[];
  /** Every error found (may exceed `errors.length`). */
  errorCount: number;
  /** Headers no column reads (obligations and payments files only). */
  ignoredColumns: string[];
}

const PROGRESS_EVERY = 5000;

/** Carries a finished outcome out of the transaction callback so the transaction rolls back. */
class Rollback extends Error {
  readonly outcome: PipelineOutcome;
  constructor(outcome: PipelineOutcome) {
    super('rollback');
    this.outcome = outcome;
  }
}

/** Runs the pipeline over `source` (header first). Never throws for bad data; throws for a broken database. */
export async function runPipeline(ctx: Ctx, source: AsyncIterable<SourceItem>, options: PipelineOptions): Promise<PipelineOutcome> {
  const [company] = await rows<{ country: string; time_zone: string }>(ctx.database.db, sql`SELECT country::text AS country, time_zone FROM companies WHERE id = ${ctx.companyId}`);
  if (!company) throw notFound('company', ctx.companyId);
  const recordContext: RecordContext = {
    companyCountry: company.country,
    today: dateInZone(ctx.clock.now(), company.time_zone),
    dateFormat: options.dateFormat ?? 'YYYY-MM-DD',
    dateFormatHint: options.dateFormatHint,
    defaultPortfolio: options.portfolio?.trim() || 'default',
  };
  try {
    return await ctx.database.db.transaction(async (tx) => {
      const outcome = await processRows(ctx, tx as unknown as Db, source, options, recordContext);
      if (outcome.status !== 'completed') throw new Rollback(outcome);
      await options.beforeCommit?.(tx as unknown as Db, outcome);
      return outcome;
    });
  } catch (error) {
    if (error instanceof Rollback) return error.outcome;
    throw error;
  }
}

async function processRows(ctx: Ctx, tx: Db, source: AsyncIterable<SourceItem>, options: PipelineOptions, recordContext: RecordContext): Promise<PipelineOutcome> {
  const errors = new ErrorCollector();
  const outcome = (status: PipelineStatus, counts: { rows: number; inserted?: number; updated?: number }, ignoredColumns: string[] = []): PipelineOutcome => {
    const inserted = counts.inserted ?? 0;
    const updated = counts.updated ?? 0;
    const errorTexts = errors.sorted();
    return {
      status,
      rows: counts.rows,
      inserted,
      updated,
      unchanged: status === 'rejected' ? 0 : counts.rows - inserted - updated,
      errors: inEnglish(errorTexts),
      errorTexts,
      errorCount: errors.count,
      ignoredColumns,
    };
  };
  const iterator = source[Symbol.asyncIterator]();
  let rowCount = 0;
  let stage: StageWriter | null = null;
  try {
    const first = await iterator.next();
    if (first.done) {
      errors.add(1, 'file', t('the file is empty (no header row)', 'el archivo está vacío (no tiene fila de encabezado)'));
      return outcome('rejected', { rows: 0 });
    }
    if (first.value.error !== undefined) {
      // Without a readable header no later row can be read either.
      errors.add(first.value.line, 'header', first.value.error);
      return outcome('rejected', { rows: 0 });
    }
    const header = first.value;
    const resolved = resolveHeader(options.entity, header.fields, { mapping: options.mapping, unknownColumns: options.unknownColumns });
    if (!resolved.ok) {
      for (const e of resolved.errors) errors.add(header.line, e.column, e.reason);
      const hint = oneColumnHint(header.fields);
      if (hint) errors.add(header.line, 'header', hint);
      return outcome('rejected', { rows: 0 });
    }
    const plan = resolved.plan;
    const columnName = (column: string) => plan.headerOf.get(column) ?? column;
    stage = await StageWriter.create(tx, options.entity);

    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      const item = next.value;
      rowCount++;
      if (rowCount % PROGRESS_EVERY === 0) options.onProgress?.(rowCount);
      if (item.error !== undefined) {
        errors.add(item.line, 'row', item.error);
        continue;
      }
      await stageRow(stage, plan, item.line, item.fields, recordContext, errors, columnName);
    }
    await stage.finish();
    options.onProgress?.(rowCount);
    if (rowCount === 0 && errors.count === 0) {
      errors.add(header.line, 'file', t('the file has a header but no data rows', 'el archivo tiene encabezado pero ninguna fila de datos'));
      return outcome('rejected', { rows: 0 }, plan.ignored);
    }

    await stage.analyze();
    await runChecks(tx, ctx.companyId, options.entity, errors, columnName, plan.present);
    if (errors.count > 0) return outcome('rejected', { rows: rowCount }, plan.ignored);

    const counts = await upsertStaged(tx, {
      companyId: ctx.companyId,
      entity: options.entity,
      present: plan.present,
      attributeKeys: plan.attributeKeys,
      portfolioChosen: plan.present.has('portfolio') || Boolean(options.portfolio?.trim()),
      now: ctx.clock.now(),
    });
    const debtors = await affectedDebtors(tx, ctx.companyId, options.entity);
    if (debtors.length > RECOMPUTE_CHUNK && counts.inserted + counts.updated >= ANALYZE_BEFORE_RECOMPUTE) {
      // The recompute reads and writes the upserted table chunk by chunk. With statistics from before a bulk load the
      // planner takes a company's new rows for a handful and hashes all of them for every chunk instead of probing
      // the primary key (3× slower on 300k payments). Statistics refreshed inside the transaction count its own rows.
      await tx.execute(sql.raw(`ANALYZE ${options.entity}`));
    }
    if (debtors.length > 0) await recomputeBalances(tx, ctx.companyId, debtors);
    return outcome(options.dryRun ? 'validated' : 'completed', { rows: rowCount, ...counts }, plan.ignored);
  } catch (error) {
    if (!(error instanceof FileProblem)) throw error;
    errors.add(error.line, 'file', error.text);
    return outcome('rejected', { rows: rowCount });
  } finally {
    // A batch still being written when reading stopped early must land before the transaction rolls back.
    await stage?.quiesce();
    // Stops the reader (closes the file, ends the parser) when we leave before the end.
    await iterator.return?.();
  }
}

/**
 * When a header that matched nothing is one column holding separators, the columns were not split: say why, since
 * "required column is missing" alone points at headers the user can see are there.
 */
function oneColumnHint(fields: readonly string[]): Text | null {
  if (fields.length !== 1) return null;
  const text = fields[0]!;
  if (text.includes('\t')) {
    return t(
      'the whole header was read as one column and it holds tabs: tab-separated files are not supported; save the file as CSV separated by "," or ";"',
      'todo el encabezado se leyó como una sola columna y contiene tabuladores: los archivos separados por tabuladores no se admiten; guarde el archivo como CSV separado por "," o ";"',
    );
  }
  const separator = [';', ','].find((c) => text.includes(c));
  return separator
    ? t(
        `the whole header was read as one column and it holds "${separator}": is the file separated by "${separator}"? Choose that delimiter`,
        `todo el encabezado se leyó como una sola columna y contiene "${separator}": ¿el archivo está separado por "${separator}"? Elija ese delimitador`,
      )
    : null;
}

/** An upsert writing at least this many rows refreshes its table's statistics before a multi-chunk recompute. */
const ANALYZE_BEFORE_RECOMPUTE = 10_000;

async function stageRow(
  stage: StageWriter,
  plan: HeaderPlan,
  line: number,
  fields: string[],
  recordContext: RecordContext,
  errors: ErrorCollector,
  columnName: (column: string) => string,
): Promise<void> {
  if (fields.length !== plan.width) {
    const n = fields.length;
    errors.add(line, 'row', t(`has ${n} field${n === 1 ? '' : 's'}, the header has ${plan.width}`, `tiene ${n} campo${n === 1 ? '' : 's'}; el encabezado tiene ${plan.width}`));
    return;
  }
  const values: Record<string, string> = {};
  const attributes: Record<string, string> = {};
  plan.targets.forEach((target, i) => {
    if (target.kind === 'column') values[target.name] = fields[i]!;
    else if (target.kind === 'attribute') attributes[target.key] = fields[i]!;
  });
  const result = validateRecord(plan.entity, values, attributes, recordContext);
  if (result.ok) {
    await stage.add(line, result.record);
    return;
  }
  for (const e of result.errors) errors.add(line, columnName(e.column), e.reason);
  const externalId = values.external_id?.trim();
  await stage.addInvalid(line, externalId ? externalId : null);
}
