import { say, t, type Language } from '../../domain/text.ts';
import type { Ctx } from '../shared/context.ts';
import type { Cell, Column } from '../shared/tabular.ts';
import { recordAudit } from '../access/audit.ts';
import { getImport } from './queries/list-imports.ts';

const HEADERS = [
  { key: 'line', header: t('line', 'línea') },
  { key: 'column', header: t('column', 'columna') },
  { key: 'reason', header: t('reason', 'motivo') },
];

/** The error report's columns in `language`: the file's line (header = 1), the column in the file's own words, and why. */
export function importErrorColumns(language: Language): Column[] {
  return HEADERS.map((c) => ({ key: c.key, header: say(c.header, language) }));
}

/** One import's problems as table rows (reasons in `language`), for download; the download is written to the audit log. */
export async function importErrorReport(ctx: Ctx, importId: number, language: Language = 'en'): Promise<{ fileName: string; rows: Array<Record<string, Cell>> }> {
  const record = await getImport(ctx, importId);
  await recordAudit(ctx, { action: 'report.export', entity: 'import', entityId: importId, after: { report: 'import_errors', errors: record.errors.length } });
  return { fileName: `${language === 'es' ? 'errores-importacion' : 'import-errors'}-${importId}`, rows: record.errors.map((e) => ({ line: e.line, column: e.column, reason: say(e.reason, language) })) };
}
