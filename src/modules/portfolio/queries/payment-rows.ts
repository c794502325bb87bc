import { eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { debtors, obligations, payments } from '../../../db/schema.ts';
import type { Ctx } from '../../shared/context.ts';
import { formatDecimal } from '../../../domain/money.ts';
import { isoInstant, type PaymentView } from './views.ts';

/** The obligation a payment names, under its own alias so allocations can join obligations too. */
const named = alias(obligations, 'named_obligation');

/** Payments joined with the external ids the API speaks in; callers add filters, order and limit. */
export function selectPayments(ctx: Ctx) {
  return ctx.database.db
    .select({ payment: payments, debtor: debtors.externalId, obligation: named.externalId })
    .from(payments)
    .innerJoin(debtors, eq(debtors.id, payments.debtorId))
    .leftJoin(named, eq(named.id, payments.obligationId));
}

export function paymentView(r: { payment: typeof payments.$inferSelect; debtor: string; obligation: string | null }): PaymentView {
  const p = r.payment;
  // char(3) pads two-letter units such as UF with a space.
  const currency = p.currency.trim();
  return {
    external_id: p.externalId,
    debtor_external_id: r.debtor,
    obligation_external_id: r.obligation,
    currency,
    amount: formatDecimal(p.amount, currency),
    unapplied: formatDecimal(p.unapplied, currency),
    paid_on: p.paidOn,
    method: p.method,
    reference: p.reference,
    reversed: p.reversedAt !== null,
    reversed_at: isoInstant(p.reversedAt),
    reversal_reason: p.reversalReason,
    created_at: isoInstant(p.createdAt)!,
    updated_at: isoInstant(p.updatedAt)!,
  };
}
