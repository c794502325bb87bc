import { sql, type SQL } from 'drizzle-orm';
import type { Database, Db } from '../../db/connection.ts';
import type { Ctx } from '../shared/context.ts';

/**
 * Runs `work` in one transaction with a context whose database is that transaction, so use cases of other modules
 * (which open their own transaction: a savepoint here) commit or roll back together with our audit entry.
 */
export async function inTransaction<T>(ctx: Ctx, work: (txCtx: Ctx, tx: Db) => Promise<T>): Promise<T> {
  return ctx.database.db.transaction(async (tx) => {
    const db = tx as unknown as Db;
    const database: Database = {
      db,
      backend: ctx.database.backend,
      async query<R>(statement: SQL): Promise<R[]> {
        return ((await db.execute(statement)) as unknown as { rows: R[] }).rows;
      },
      close: async () => {},
    };
    return work({ ...ctx, database }, db);
  });
}

export { sql };
