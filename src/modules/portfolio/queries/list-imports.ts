import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import { imports } from '../../../db/schema.ts';
import type { Ctx } from '../../shared/context.ts';
import { notFound } from '../../shared/errors.ts';
import type { ImportErrorText } from '../import/errors.ts';
import { failStaleImports, recentImports, runningImport } from '../import-liveness.ts';
import { after, checkCursor, pageSize, toPage, type CursorKey, type Page } from './page.ts';

/** One import as recorded: what was imported, how it ended (or how far it got while running), and who started it. */
export interface ImportView {
  id: number;
  entity: string;
  file_name: string | null;
  /** running, completed, validated (a clean dry run), rejected (bad rows; nothing written) or failed. */
  status: string;
  dry_run: boolean;
  /** Rows read: so far while running, all of them once finished. */
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Every problem found; `errors` of the detail lists the first ones. */
  error_count: number;
  /** The file's size and how much of it was read, when known (progress of a running import). */
  file_bytes: number | null;
  bytes_read: number | null;
  started_at: string;
  finished_at: string | null;
  created_by: string | null;
}

/** An import with its problems, each `line N: column: reason`. */
export interface ImportDetailView extends ImportView {
  /** Reasons in both languages (English-only strings for imports recorded before they were translated). */
  errors: ImportErrorText[];
}

type Row = typeof imports.$inferSelect;

function importView(r: Row): ImportView {
  return {
    id: r.id,
    entity: r.entity,
    file_name: r.fileName,
    status: r.status,
    dry_run: r.dryRun,
    rows: r.rows,
    inserted: r.inserted,
    updated: r.updated,
    unchanged: r.unchanged,
    // Rows written before error_count existed carry only the list.
    error_count: Math.max(r.errorCount, r.errors?.length ?? 0),
    file_bytes: r.fileBytes,
    bytes_read: r.status === 'running' ? r.bytesRead : r.fileBytes,
    started_at: r.startedAt.toISOString(),
    finished_at: r.finishedAt?.toISOString() ?? null,
    created_by: r.createdBy,
  };
}

/**
 * The company's imports, newest first, paged by keyset. An import whose process is gone shows as failed. While a job of
 * this process holds the embedded database (PGlite: an import's or a run's transaction keeps the one connection until
 * it ends), the page is answered from memory when memory holds all of it (import-liveness.ts, recentImports), so the
 * history shows a running import's progress at once instead of waiting for the import to end.
 */
export async function listImports(
  ctx: Ctx,
  options: { entity?: string | undefined; status?: string | undefined; limit?: number | undefined; cursor?: CursorKey | undefined } = {},
): Promise<Page<ImportView>> {
  const limit = pageSize(options.limit);
  const cursor = checkCursor(options.cursor, ['integer']);
  const recent = recentImports(ctx);
  if (recent) {
    const below = cursor ? Number(cursor[0]) : Infinity;
    const matching = recent.rows.filter((r) => r.id < below && (options.entity === undefined || r.entity === options.entity) && (options.status === undefined || r.status === options.status));
    // A full page and the next row to know whether there is more, or the company's whole history.
    if (matching.length > limit || recent.from === 0) return toPage(matching.slice(0, limit + 1), limit, importView, (r) => [r.id]);
  }
  await failStaleImports(ctx.database, { clock: ctx.clock, companyId: ctx.companyId });
  const where: Array<SQL | undefined> = [eq(imports.companyId, ctx.companyId)];
  if (options.entity !== undefined) where.push(eq(imports.entity, options.entity));
  if (options.status !== undefined) where.push(eq(imports.status, options.status));
  if (cursor) where.push(after([imports.id], [sql`${cursor[0]}::bigint`], 'desc'));
  const rows = await ctx.database.db
    .select()
    .from(imports)
    .where(and(...where))
    .orderBy(desc(imports.id))
    .limit(limit + 1);
  // The rows this process is running carry the progress it holds, which the database may not have yet.
  return toPage(rows, limit, (r) => importView((r.status === 'running' && runningImport(ctx, r.id)) || r), (r) => [r.id]);
}

/**
 * One import of the company with its problems; 404 for another company's. One this process is running is answered from
 * memory, with the progress so far: on PGlite its transaction holds the database until it ends.
 */
export async function getImport(ctx: Ctx, id: number): Promise<ImportDetailView> {
  const running = runningImport(ctx, id);
  if (running) return { ...importView(running), errors: [] };
  await failStaleImports(ctx.database, { clock: ctx.clock, companyId: ctx.companyId });
  const [row] = await ctx.database.db
    .select()
    .from(imports)
    .where(and(eq(imports.companyId, ctx.companyId), eq(imports.id, id)));
  if (!row) throw notFound('import', id);
  return { ...importView(row), errors: row.errors ?? [] };
}
