/** The audit log: who changed what, when, with the state before and after. Written in the change's transaction. */
import type { Database } from '../../db/connection.ts';
import { auditLog } from '../../db/tables/access.ts';
import type { Ctx } from '../shared/context.ts';

export interface AuditEntry {
  /** A verb-noun such as "promise.create", "user.update", "report.export". */
  action: string;
  /** The kind of record changed ("promise", "debtor", …). */
  entity: string;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
}

/** Bigints become decimal strings so any record can be stored as JSON. */
function plain(value: unknown): unknown {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
}

/**
 * Records one audit entry. Pass the transaction handle as `db` when the change runs in one, so the entry commits or
 * rolls back with it.
 */
export async function recordAudit(ctx: Ctx, entry: AuditEntry, db: Database['db'] = ctx.database.db): Promise<void> {
  await db.insert(auditLog).values({
    companyId: ctx.companyId,
    at: ctx.clock.now(),
    actor: ctx.actor,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
    before: plain(entry.before),
    after: plain(entry.after),
  });
}
