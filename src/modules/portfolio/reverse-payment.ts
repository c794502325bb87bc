/**
 * Reverses a payment (a bounced cheque, a chargeback): the payment stays on record with when and why, applies
 * nothing from then on, and the debtor's balances are recomputed, which restores exactly what it had paid off.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.ts';
import type { Ctx } from '../shared/context.ts';
import { recordAudit } from '../access/audit.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { rows } from './import/sql.ts';
import { recomputeBalances } from './recompute-balances.ts';
import { t } from '../../domain/text.ts';

export interface ReversePaymentResult {
  externalId: string;
  reversedAt: string;
  reason: string;
}

/** Reverses the payment with `externalId`. AppError `not_found` if unknown, `conflict` if already reversed. */
export async function reversePayment(ctx: Ctx, options: { externalId: string; reason: string }): Promise<ReversePaymentResult> {
  const reason = options.reason?.trim() ?? '';
  if (reason === '') throw new AppError('validation_failed', t('a reversal needs a reason', 'una reversa necesita un motivo'), [{ path: 'reason', reason: t('is required', 'es obligatorio') }]);
  if (reason.length > 500) throw new AppError('validation_failed', t('the reason is too long', 'el motivo es demasiado largo'), [{ path: 'reason', reason: t('at most 500 characters', 'como máximo 500 caracteres') }]);
  const at = ctx.clock.now();
  return ctx.database.db.transaction(async (transaction) => {
    const tx = transaction as unknown as Db;
    const [payment] = await rows<{ id: string; debtor_id: string; reversed: boolean }>(
      tx,
      sql`SELECT id::text AS id, debtor_id::text AS debtor_id, reversed_at IS NOT NULL AS reversed FROM payments
          WHERE company_id = ${ctx.companyId} AND external_id = ${options.externalId} FOR UPDATE`,
    );
    if (!payment) throw notFound('payment', options.externalId);
    if (payment.reversed) throw new AppError('conflict', t(`payment "${options.externalId}" is already reversed`, `el pago "${options.externalId}" ya está revertido`));
    await tx.execute(sql`
      UPDATE payments SET reversed_at = ${at.toISOString()}::timestamptz, reversal_reason = ${reason}, updated_at = ${at.toISOString()}::timestamptz
      WHERE company_id = ${ctx.companyId} AND id = ${payment.id}::bigint`);
    await recomputeBalances(tx, ctx.companyId, [payment.debtor_id]);
    await recordAudit(ctx, { action: 'payment.reverse', entity: 'payment', entityId: options.externalId, before: { reversed_at: null }, after: { reversed_at: at.toISOString(), reason } }, tx);
    return { externalId: options.externalId, reversedAt: at.toISOString(), reason };
  });
}
