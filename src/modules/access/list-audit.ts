import { and, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import { auditLog } from '../../db/tables/access.ts';
import { after, badCursor, checkCursor, pageSize, toPage, type CursorKey, type Page } from '../portfolio/queries/page.ts';
import type { Ctx } from '../shared/context.ts';

/** An audit entry as shown. */
export interface AuditView {
  id: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entity_id: string | null;
  before: unknown;
  after: unknown;
}

export interface AuditFilters {
  /** Entries at or after this instant. */
  from?: Date | undefined;
  /** Entries before this instant. */
  to?: Date | undefined;
  actor?: string | undefined;
  /** Exact action ("user.create") or a prefix ending in a dot ("user."). */
  action?: string | undefined;
  entity?: string | undefined;
  entityId?: string | undefined;
}

/** The company's audit log, newest first, keyset-paged. */
export async function listAudit(ctx: Ctx, options: AuditFilters & { limit?: number | undefined; cursor?: CursorKey | undefined }): Promise<Page<AuditView>> {
  const limit = pageSize(options.limit);
  const cursor = checkCursor(options.cursor, ['text', 'integer']);
  const where: Array<SQL | undefined> = [eq(auditLog.companyId, ctx.companyId)];
  if (options.from) where.push(gte(auditLog.at, options.from));
  if (options.to) where.push(lt(auditLog.at, options.to));
  if (options.actor) where.push(eq(auditLog.actor, options.actor));
  if (options.action) where.push(options.action.endsWith('.') ? sql`starts_with(${auditLog.action}, ${options.action})` : eq(auditLog.action, options.action));
  if (options.entity) where.push(eq(auditLog.entity, options.entity));
  if (options.entityId) where.push(eq(auditLog.entityId, options.entityId));
  if (cursor) {
    const at = new Date(cursor[0] as string);
    // Years 1–9999 only: Date reaches years timestamptz does not (year 0, before 4713 BC).
    const year = at.getUTCFullYear();
    if (Number.isNaN(year) || year < 1 || year > 9999) throw badCursor();
    where.push(after([auditLog.at, auditLog.id], [sql`${at.toISOString()}::timestamptz`, sql`${cursor[1]}::bigint`], 'desc'));
  }
  const rows = await ctx.database.db
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(limit + 1);
  return toPage(
    rows,
    limit,
    (r) => ({ id: r.id, at: r.at.toISOString(), actor: r.actor, action: r.action, entity: r.entity, entity_id: r.entityId, before: r.before, after: r.after }),
    (r) => [r.at.toISOString(), r.id],
  );
}
