/**
 * `cobranza import … --report FILE`: the JSON report an automated caller reads instead of the terminal. Every import
 * with --report writes one, whatever happened: the counts of an import that went through, every bad row of a
 * rejected file, or, for an import that failed before or outside its rows (no such file, an unknown entity, a bad
 * option, an unreadable mapping file, a database that is not there), status "failed" and the error.
 */
import { writeFile } from 'node:fs/promises';
import { AppError } from '../../modules/shared/errors.ts';
import type { CliIO } from '../io.ts';
import { jsonText } from '../json.ts';
import { unwritableFolder, userPath, writeProblem } from './shared.ts';
import { type Language, type Message, say, t, textOf, type Text } from '../../domain/text.ts';

/**
 * The report could not be written: said as such, never taken for the import's own failure. `beforeImport`: found
 * before anything was imported (so nothing was), rather than once the import was done.
 */
export class ReportNotWritten extends AppError {
  constructor(file: string, reason: Text, beforeImport: boolean) {
    const after = beforeImport ? t('; nothing was imported', '; no se importó nada') : t('', '');
    super('validation_failed', t(`cannot write the report ${file}: ${reason.en}${after.en}`, `no se puede escribir el reporte ${file}: ${reason.es}${after.es}`));
  }
}

/**
 * Refuses, before anything is imported, a report that could not be written (its folder missing or read-only): an
 * import that went through must not end in an error a script takes for a failed one.
 */
export function checkReportWritable(io: CliIO, file: string): void {
  const problem = unwritableFolder(userPath(io, file));
  if (problem) throw new ReportNotWritten(file, problem, true);
}

/** Writes the report (snake_case keys, like the API's). */
export async function writeReport(io: CliIO, file: string, report: Record<string, unknown>): Promise<void> {
  try {
    await writeFile(userPath(io, file), jsonText(report));
  } catch (error) {
    throw new ReportNotWritten(file, writeProblem(error), false);
  }
}

/**
 * The report of an import that failed before or outside its rows, in the shape of the others: nothing was read or
 * written, and the one error (line 0: not a line of the file) says why; `error_code` is the error's code.
 */
export function failedImportReport(what: { file: string; entity: string; dryRun: boolean }, error: unknown, language: Language = 'en'): Record<string, unknown> {
  const reason = say(textOf(error), language);
  return {
    file: what.file,
    entity: what.entity,
    status: 'failed',
    rows: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    errors: [{ line: 0, column: 'import', reason }],
    errorCount: 1,
    ignoredColumns: [],
    dryRun: what.dryRun,
    importId: null,
    errorCode: error instanceof AppError ? error.code : 'internal_error',
  };
}

/**
 * Runs an import and, when it throws, writes the failure to --report before passing the error on (the command
 * still prints it and exits 1). A report that could not be written is not reported again.
 */
export async function reportingFailures(io: CliIO, report: string | undefined, what: { file: string; entity: string; dryRun: boolean }, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (report && !(error instanceof ReportNotWritten)) {
      try {
        await writeReport(io, report, failedImportReport(what, error, io.language));
      } catch (notWritten) {
        io.stderr.write(`error: ${(notWritten as Error).message}\n`);
      }
    }
    throw error;
  }
}

/** The places a problem may be in that are not a column of the file (the report keeps these codes). */
const PLACES_ES: Readonly<Record<string, string>> = Object.freeze({ file: 'archivo', row: 'fila', header: 'encabezado', import: 'importación' });

/**
 * Prints why a file was rejected, in the reader's language: one `line N: column: reason` per problem listed, then
 * `FILE: rejected, N errors; nothing was written`, where N counts every problem found (`total`, which may exceed the
 * ones listed).
 */
export function printRejection(io: CliIO, file: string, errors: ReadonlyArray<{ line: number; column: string; reason: Message }>, total: number): void {
  const language = io.language;
  const line = language === 'es' ? 'línea' : 'line';
  // A problem of the whole file, row or header names no column of the file: its place is named in the reader's words.
  const place = (column: string) => (language === 'es' ? (PLACES_ES[column] ?? column) : column);
  for (const e of errors) io.stderr.write(`${line} ${e.line}: ${place(e.column)}: ${say(e.reason, language)}\n`);
  // Only so many problems are listed (the import keeps the first ones); the count says how many there were.
  const listed = errors.length < total ? t(` (the first ${errors.length} are listed above)`, ` (arriba se listan los primeros ${errors.length})`) : t('', '');
  io.stderr.write(`${file}: ${say(t(`rejected, ${total} error${total === 1 ? '' : 's'}${listed.en}; nothing was written`, `rechazado, ${total} error${total === 1 ? '' : 'es'}${listed.es}; no se escribió nada`), language)}\n`);
}

/** A rejected file's problems as its report lists them: each reason in `language`. */
export function problemsIn(errors: ReadonlyArray<{ line: number; column: string; reason: Message }>, language: Language = 'en'): Array<{ line: number; column: string; reason: string }> {
  return errors.map((e) => ({ ...e, reason: say(e.reason, language) }));
}
