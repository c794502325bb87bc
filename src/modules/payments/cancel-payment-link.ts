import { sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.ts';
import { recordAudit } from '../access/audit.ts';
import type { Ctx } from '../shared/context.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { getPaymentLink } from './get-payment-link.ts';
import type { PaymentLink } from './views.ts';
import { t } from '../../domain/text.ts';

/**
 * Cancels an open link: a payment that still arrives for it is refused and raised as an alert (the provider's
 * checkout may outlive our cancellation). AppError not_found, conflict when the link is paid.
 */
export async function cancelPaymentLink(ctx: Ctx, options: { id: number; reason?: string | undefined }): Promise<PaymentLink> {
  const now = ctx.clock.now().toISOString();
  await ctx.database.db.transaction(async (transaction) => {
    const tx = transaction as unknown as Db;
    const result = (await tx.execute(sql`SELECT status FROM payment_links WHERE company_id = ${ctx.companyId} AND id = ${options.id} FOR UPDATE`)) as unknown as { rows: Array<{ status: string }> };
    const row = result.rows[0];
    if (!row) throw notFound('payment link', options.id);
    if (row.status === 'paid') throw new AppError('conflict', t(`payment link ${options.id} is already paid; reverse the payment instead`, `el enlace de pago ${options.id} ya está pagado; revierta el pago en su lugar`));
    if (row.status === 'cancelled') return;
    await tx.execute(sql`UPDATE payment_links SET status = 'cancelled', cancelled_at = ${now}::timestamptz, updated_at = ${now}::timestamptz WHERE id = ${options.id}`);
    await recordAudit(ctx, { action: 'payment_link.cancel', entity: 'payment_link', entityId: options.id, before: { status: row.status }, after: { status: 'cancelled', reason: options.reason ?? null } }, tx);
  });
  return getPaymentLink(ctx, { id: options.id });
}
