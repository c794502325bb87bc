/**
 * Paying from the portal: all of a currency's balance or part of it, through a payment link of the payments module
 * (the company's provider). Clicking twice the same day for the same amount returns the same link. The sandbox link
 * is completed from the portal itself with one click, through the payments module's own sandbox completion.
 */
import { completeSandboxPayment, createPaymentLink, getPaymentLink, type PaymentLink } from '../payments/index.ts';
import { formatDecimal, parseDecimal } from '../../domain/money.ts';
import { AppError, invalidInput, notFound, t } from '../shared/errors.ts';
import { recordPortalEvent } from './events.ts';
import { getPortalAccount } from './get-portal-account.ts';
import type { PortalAccess } from './open-portal.ts';

/** Starts a payment of `amount` (a decimal string; default: the whole balance) in `currency`. */
export async function payFromPortal(access: PortalAccess, input: { currency: string; amount?: string | undefined }): Promise<PaymentLink> {
  const currency = input.currency.trim().toUpperCase();
  const account = await getPortalAccount(access);
  const total = account.totals.find((t) => t.currency === currency);
  if (!total || total.balance <= 0n) throw new AppError('validation_failed', t(`nothing is owed in ${currency}`, `no se debe nada en ${currency}`), [{ path: 'currency', reason: t('nothing owed', 'no se debe nada') }]);
  let amount = total.balance;
  if (input.amount !== undefined) {
    try {
      amount = parseDecimal(input.amount, currency);
    } catch (error) {
      throw invalidInput(error, 'amount', t('amount', 'monto'));
    }
    if (amount <= 0n) throw new AppError('validation_failed', t('the amount must be more than zero', 'el monto debe ser mayor que cero'), [{ path: 'amount', reason: t('must be more than zero', 'debe ser mayor que cero') }]);
    if (amount > total.balance) {
      throw new AppError('validation_failed', t(`the amount is more than what is owed (${formatDecimal(total.balance, currency)} ${currency})`, `el monto es mayor que lo que se debe (${formatDecimal(total.balance, currency)} ${currency})`), [{ path: 'amount', reason: t(`at most ${formatDecimal(total.balance, currency)}`, `como máximo ${formatDecimal(total.balance, currency)}`) }]);
    }
  }
  const link = await createPaymentLink(access.ctx, {
    debtorId: access.debtor.id,
    target: { kind: 'debtor' },
    amount,
    currency,
    idempotencyKey: `portal:${access.link.id}:${currency}:${amount}:${access.today}`,
    description: amount === total.balance ? `Pago total del saldo (${formatDecimal(amount, currency)} ${currency})` : `Pago parcial (${formatDecimal(amount, currency)} ${currency})`,
  });
  await recordPortalEvent(access, 'payment_started', { payment_link: link.publicId, amount: formatDecimal(amount, currency), currency, provider: link.provider, full: amount === total.balance });
  return link;
}

/** Completes this debtor's sandbox payment link (the demo's "pay" button). AppError not_found / conflict. */
export async function completePortalSandboxPayment(access: PortalAccess, publicId: string): Promise<PaymentLink> {
  const link = await getPaymentLink(access.ctx, { publicId }).catch((error: unknown) => {
    if (error instanceof AppError && error.code === 'not_found') throw notFound('payment', publicId);
    throw error;
  });
  // Another debtor's link is as good as absent: the token opens only its own debtor's payments.
  if (link.debtorId !== access.debtor.id) throw notFound('payment', publicId);
  return (await completeSandboxPayment(access.ctx, { publicId })).link;
}
