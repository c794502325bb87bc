/**
 * The sandbox provider's "pay" button: completes a sandbox link as if the debtor had paid it in full, through the
 * same path as a real provider's webhook (so replays, mismatches and allocation behave exactly the same).
 */
import type { Ctx } from '../shared/context.ts';
import { AppError } from '../shared/errors.ts';
import { applyProviderPayment, type ApplyOutcome } from './apply-provider-payment.ts';
import { getPaymentLink } from './get-payment-link.ts';
import type { PaymentLink } from './views.ts';
import { t } from '../../domain/text.ts';

/** Pays a sandbox link once; a second click is a `duplicate` outcome. AppError not_found / conflict. */
export async function completeSandboxPayment(ctx: Ctx, options: { id: number } | { publicId: string }): Promise<{ link: PaymentLink; result: ApplyOutcome }> {
  const link = await getPaymentLink(ctx, options);
  if (link.provider !== 'sandbox') throw new AppError('conflict', t(`payment link ${link.publicId} uses ${link.provider}, not the sandbox; it is paid at the provider`, `el enlace de pago ${link.publicId} usa ${link.provider}, no el sandbox; se paga con el proveedor`));
  if (link.status === 'expired') throw new AppError('conflict', t(`payment link ${link.publicId} expired on ${link.expiresAt.toISOString()}`, `el enlace de pago ${link.publicId} venció el ${link.expiresAt.toISOString()}`));
  if (link.status === 'cancelled') throw new AppError('conflict', t(`payment link ${link.publicId} was cancelled`, `el enlace de pago ${link.publicId} se canceló`));
  const result = await applyProviderPayment(ctx, {
    provider: 'sandbox',
    // One sandbox payment per link: the second click is the same payment again.
    providerPaymentId: `sbx_pay_${link.publicId}`,
    linkPublicId: link.publicId,
    amount: link.amount,
    currency: link.currency,
    paidAt: ctx.clock.now(),
    raw: { sandbox: true },
  });
  return { link: await getPaymentLink(ctx, { id: link.id }), result };
}
