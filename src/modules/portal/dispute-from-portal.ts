/**
 * Disputing an obligation from the portal: the negotiation module opens the dispute (the obligation leaves
 * collection and a collector gets a task). The debtor picks a reason from a short list and may add words.
 */
import { openDispute, type DisputeView } from '../negotiation/index.ts';
import { AppError } from '../shared/errors.ts';
import { recordPortalEvent } from './events.ts';
import type { PortalAccess } from './open-portal.ts';
import { t } from '../../domain/text.ts';

/** Reasons the portal offers, with the Spanish words the collector reads. */
export const PORTAL_DISPUTE_REASONS = {
  not_mine: 'No reconozco la deuda',
  already_paid: 'Ya pagué',
  wrong_amount: 'El monto es incorrecto',
  other: 'Otro motivo',
} as const;
export type PortalDisputeReason = keyof typeof PORTAL_DISPUTE_REASONS;

/** Opens the dispute. AppError validation_failed / not_found / conflict (already disputed). */
export async function disputeFromPortal(access: PortalAccess, input: { obligationId: number; reason: string; note?: string | undefined }): Promise<DisputeView> {
  if (!(input.reason in PORTAL_DISPUTE_REASONS)) {
    throw new AppError('validation_failed', t(`reason must be one of ${Object.keys(PORTAL_DISPUTE_REASONS).join(', ')}`, `el motivo debe ser uno de ${Object.keys(PORTAL_DISPUTE_REASONS).join(', ')}`), [{ path: 'reason', reason: t('unknown reason', 'motivo desconocido') }]);
  }
  const note = input.note?.trim().slice(0, 1000) ?? '';
  if (input.reason === 'other' && !note) throw new AppError('validation_failed', t('tell us why the obligation is wrong', 'cuéntenos qué está mal en el documento'), [{ path: 'note', reason: t('required for another reason', 'obligatorio cuando el motivo es otro') }]);
  const words = PORTAL_DISPUTE_REASONS[input.reason as PortalDisputeReason];
  const dispute = await openDispute(access.ctx, {
    debtorId: access.debtor.id,
    obligationId: input.obligationId,
    reason: note ? `${words}: ${note}` : words,
    channel: 'portal',
    openedBy: 'debtor',
  });
  await recordPortalEvent(access, 'dispute', { dispute: dispute.id, obligation: input.obligationId, reason: input.reason });
  return dispute;
}
