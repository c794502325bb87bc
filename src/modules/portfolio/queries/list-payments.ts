import { and, desc, eq, gte, isNotNull, isNull, lte, sql, type SQL } from 'drizzle-orm';
import { debtors, payments } from '../../../db/schema.ts';
import type { Ctx } from '../../shared/context.ts';
import { visibleDebtorFilter } from '../../access/visibility.ts';
import { after, checkCursor, pageSize, toPage, type CursorKey, type Page } from './page.ts';
import { paymentView, selectPayments } from './payment-rows.ts';
import type { PaymentView } from './views.ts';

/** Filters of the payment list; every one is optional and they combine with AND. Dates are inclusive. */
export interface PaymentFilters {
  debtorExternalId?: string | undefined;
  paidFrom?: string | undefined;
  paidTo?: string | undefined;
  reversed?: boolean | undefined;
}

/** The company's payments, filtered, newest payment date first, paged by keyset. */
export async function listPayments(
  ctx: Ctx,
  options: PaymentFilters & { limit?: number | undefined; cursor?: CursorKey | undefined },
): Promise<Page<PaymentView>> {
  const limit = pageSize(options.limit);
  const cursor = checkCursor(options.cursor, ['date', 'integer']);
  const where: Array<SQL | undefined> = [eq(payments.companyId, ctx.companyId), visibleDebtorFilter(ctx, payments.debtorId)];
  if (options.debtorExternalId !== undefined) where.push(eq(debtors.externalId, options.debtorExternalId));
  if (options.paidFrom !== undefined) where.push(gte(payments.paidOn, options.paidFrom));
  if (options.paidTo !== undefined) where.push(lte(payments.paidOn, options.paidTo));
  if (options.reversed !== undefined) where.push(options.reversed ? isNotNull(payments.reversedAt) : isNull(payments.reversedAt));
  if (cursor) where.push(after([payments.paidOn, payments.id], [sql`${cursor[0]}::date`, sql`${cursor[1]}::bigint`], 'desc'));

  const rows = await selectPayments(ctx)
    .where(and(...where))
    .orderBy(desc(payments.paidOn), desc(payments.id))
    .limit(limit + 1);
  return toPage(rows, limit, paymentView, (r) => [r.payment.paidOn, r.payment.id]);
}
