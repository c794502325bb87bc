/**
 * The written agreement of one of the debtor's plans, downloaded from the portal (the link the agreement's message
 * carries when its channel cannot carry the PDF). Only a plan that has started has an agreement to give; a plan
 * of another debtor does not exist here.
 */
import { and, eq } from 'drizzle-orm';
import { paymentPlans } from '../../db/tables/negotiation.ts';
import { renderAgreementPdf } from '../negotiation/agreement-pdf.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { recordPortalEvent } from './events.ts';
import type { PortalAccess } from './open-portal.ts';
import { t } from '../../domain/text.ts';

/** The agreement's PDF, in `language` or the plan's own. AppError not_found / conflict (not started yet). */
export async function agreementFromPortal(access: PortalAccess, planId: number, language?: 'es-MX' | 'en'): Promise<{ pdf: Buffer; fileName: string }> {
  const { ctx } = access;
  const [plan] = await ctx.database.db
    .select({ id: paymentPlans.id, startedOn: paymentPlans.startedOn })
    .from(paymentPlans)
    .where(and(eq(paymentPlans.companyId, ctx.companyId), eq(paymentPlans.debtorId, access.debtor.id), eq(paymentPlans.id, planId)));
  if (!plan) throw notFound('payment plan', planId);
  if (plan.startedOn === null) throw new AppError('conflict', t('the written agreement is available once the plan is in force', 'el convenio por escrito está disponible cuando el plan entra en vigor'), [{ path: 'plan', reason: t('not started', 'no ha comenzado') }]);
  const { pdf, fileName } = await renderAgreementPdf(ctx, { planId: plan.id, language });
  await recordPortalEvent(access, 'agreement', { planId: plan.id });
  return { pdf, fileName };
}
