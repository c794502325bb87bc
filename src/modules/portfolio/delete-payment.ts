/**
 * Deletes a payment entered by mistake (as opposed to reversing one that happened): the row and its allocations go,
 * and the debtor's balances are recomputed as if it had never been recorded.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.ts';
import type { Ctx } from '../shared/context.ts';
import { recordAudit } from '../access/audit.ts';
import { notFound } from '../shared/errors.ts';
import { rows } from './import/sql.ts';
import { recomputeBalances } from './recompute-balances.ts';

/** Deletes the payment with `externalId`; AppError `not_found` if this company has none. */
export async function deletePayment(ctx: Ctx, options: { externalId: string }): Promise<{ externalId: string }> {
  return ctx.database.db.transaction(async (transaction) => {
    const tx = transaction as unknown as Db;
    // Allocations go by ON DELETE CASCADE; the recompute then rewrites the debtor's balances without this payment.
    const [deleted] = await rows<{ debtor_id: string; payment: Record<string, unknown> }>(
      tx,
      sql`DELETE FROM payments WHERE company_id = ${ctx.companyId} AND external_id = ${options.externalId}
          RETURNING debtor_id::text AS debtor_id,
            -- Numbers as text: bigint money must not pass through a JavaScript number.
            (SELECT jsonb_object_agg(key, CASE WHEN jsonb_typeof(value) = 'number' THEN to_jsonb(value #>> '{}') ELSE value END)
               FROM jsonb_each(to_jsonb(payments.*))) AS payment`,
    );
    if (!deleted) throw notFound('payment', options.externalId);
    await recomputeBalances(tx, ctx.companyId, [deleted.debtor_id]);
    // The deleted row, whole, is the "before": the audit log is then the only place it survives.
    await recordAudit(ctx, { action: 'payment.delete', entity: 'payment', entityId: options.externalId, before: deleted.payment }, tx);
    return { externalId: options.externalId };
  });
}
