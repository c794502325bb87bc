import { and, asc, eq } from 'drizzle-orm';
import { obligations, paymentAllocations, payments } from '../../../db/schema.ts';
import { formatDecimal } from '../../../domain/money.ts';
import { notFound } from '../../shared/errors.ts';
import type { Ctx } from '../../shared/context.ts';
import { visibleDebtorFilter } from '../../access/visibility.ts';
import { paymentView, selectPayments } from './payment-rows.ts';
import type { PaymentView } from './views.ts';

/** A payment with where its money went: one line per obligation it was applied to, in the payment's currency. */
export interface PaymentDetailView extends PaymentView {
  allocations: Array<{ obligation_external_id: string; amount: string }>;
}

/** One payment of the company by its external id with its allocations, or `not_found` (also for another company's). */
export async function getPayment(ctx: Ctx, options: { externalId: string }): Promise<PaymentDetailView> {
  const [row] = await selectPayments(ctx).where(and(eq(payments.companyId, ctx.companyId), eq(payments.externalId, options.externalId), visibleDebtorFilter(ctx, payments.debtorId)));
  if (!row) throw notFound('payment', options.externalId);
  const view = paymentView(row);
  const allocations = await ctx.database.db
    .select({ obligation: obligations.externalId, amount: paymentAllocations.amount, dueOn: obligations.dueOn })
    .from(paymentAllocations)
    .innerJoin(obligations, eq(obligations.id, paymentAllocations.obligationId))
    .where(and(eq(paymentAllocations.companyId, ctx.companyId), eq(paymentAllocations.paymentId, row.payment.id)))
    .orderBy(asc(obligations.dueOn), asc(obligations.id));
  return {
    ...view,
    allocations: allocations.map((a) => ({ obligation_external_id: a.obligation, amount: formatDecimal(a.amount, view.currency) })),
  };
}
