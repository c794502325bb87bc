/**
 * Saves debtors, obligations or payments sent through the API, through exactly the validation, staging, upsert and
 * balance path a file import uses, so the two can never disagree on what is valid.
 *
 * The rows become a virtual file: the header is every key used by any row (first-seen order), a key a row lacks is
 * blank for that row, and row i sits on line i + 2. Errors are returned as `rows[i].column` paths (i zero-based, as
 * in the request body), not as lines. Unknown keys are errors here (a typo in an API body should fail), except for
 * debtors, where they are custom attributes as in files. Columns no row sends are left as they are on existing rows.
 */
import type { DateFormat } from '../../domain/calendar.ts';
import type { Ctx } from '../shared/context.ts';
import { recordAudit } from '../access/audit.ts';
import { AppError, type DetailInput } from '../shared/errors.ts';
import { runPipeline } from './import/pipeline.ts';
import type { SourceItem } from './import/source.ts';
import type { Entity } from './records.ts';
import { t } from '../../domain/text.ts';

export interface SaveRecordsOptions {
  entity: Entity;
  rows: ReadonlyArray<Readonly<Record<string, string | null | undefined>>>;
  /** Obligations: portfolio for rows that name none (default "default"). */
  portfolio?: string | undefined;
  dateFormat?: DateFormat | undefined;
  /** Validate and count, write nothing. */
  dryRun?: boolean | undefined;
  /** The record as it was, for the audit log, when one known record is being changed. */
  before?: unknown;
}

export interface SaveResult {
  entity: Entity;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  dryRun: boolean;
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : String(value);
}

/** Most rows one call may carry; bigger loads belong in a file import. */
export const MAX_SAVE_ROWS = 10_000;

/** The records of each entity in Spanish, as a message names them ("3 problemas en los deudores"). */
const ENTITY_ES: Readonly<Record<Entity, string>> = { debtors: 'los deudores', obligations: 'los documentos', payments: 'los pagos' };

/**
 * Validates and upserts `rows` all or nothing. Throws AppError `validation_failed` with one detail per problem
 * (`path`: `rows[i].column` for a value, `rows[i]` for the row, the column alone for a missing column).
 */
export async function saveRecords(ctx: Ctx, options: SaveRecordsOptions): Promise<SaveResult> {
  if (options.rows.length === 0) throw new AppError('validation_failed', t('no rows to save', 'no hay registros que guardar'), [{ path: 'rows', reason: t('must contain at least one row', 'debe contener al menos un registro') }]);
  if (options.rows.length > MAX_SAVE_ROWS) {
    throw new AppError('validation_failed', t(`too many rows (${options.rows.length}); send at most ${MAX_SAVE_ROWS} per request or import a file`, `demasiados registros (${options.rows.length}); envíe como máximo ${MAX_SAVE_ROWS} por solicitud o importe un archivo`), [{ path: 'rows', reason: t(`at most ${MAX_SAVE_ROWS} rows`, `como máximo ${MAX_SAVE_ROWS} registros`) }]);
  }
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const row of options.rows) {
    for (const key of Object.keys(row)) {
      if (!seen.has(key)) {
        seen.add(key);
        keys.push(key);
      }
    }
  }
  async function* source(): AsyncGenerator<SourceItem> {
    yield { line: 1, fields: keys };
    let line = 2;
    // A number or boolean that slipped past the HTTP schema is read as its text, like a spreadsheet cell.
    for (const row of options.rows) yield { line: line++, fields: keys.map((k) => cellText(row[k])) };
  }
  const outcome = await runPipeline(ctx, source(), {
    entity: options.entity,
    dateFormat: options.dateFormat,
    portfolio: options.portfolio,
    unknownColumns: 'error',
    dryRun: Boolean(options.dryRun),
    // Each row as sent is the change; one audit entry per row names the record by its external id.
    beforeCommit: async (tx, done) => {
      if (done.inserted + done.updated === 0) return;
      const entity = options.entity === 'debtors' ? 'debtor' : options.entity === 'obligations' ? 'obligation' : 'payment';
      const single = options.rows.length === 1;
      for (const row of options.rows) {
        await recordAudit(ctx, { action: `${entity}.save`, entity, entityId: row.external_id ?? null, before: single ? (options.before ?? null) : null, after: row }, tx);
      }
    },
  });
  if (outcome.status === 'rejected') {
    const details: DetailInput[] = outcome.errorTexts.map((e) => {
      if (e.line < 2) return { path: e.column, reason: e.reason };
      const row = `rows[${e.line - 2}]`;
      return { path: e.column === 'row' ? row : `${row}.${e.column}`, reason: e.reason };
    });
    const n = outcome.errorCount;
    throw new AppError('validation_failed', t(`${n} problem${n === 1 ? '' : 's'} in the ${options.entity}; nothing was saved`, `${n} problema${n === 1 ? '' : 's'} en ${ENTITY_ES[options.entity]}; no se guardó nada`), details);
  }
  return { entity: options.entity, rows: outcome.rows, inserted: outcome.inserted, updated: outcome.updated, unchanged: outcome.unchanged, dryRun: Boolean(options.dryRun) };
}
