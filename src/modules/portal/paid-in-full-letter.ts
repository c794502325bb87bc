/**
 * The paid-in-full letter (carta finiquito / constancia de no adeudo; paz y salvo in Colombia): available once the
 * debtor owes nothing. It names the creditor, the debtor and the documents settled, and carries a folio built from
 * company, debtor and date, so the creditor can tell a genuine letter from a made-up one. The module writes what the
 * letter says; the PDF is drawn by the letter provider (src/providers/letter-pdf.ts).
 */
import { sql } from 'drizzle-orm';
import { formatDecimal } from '../../domain/money.ts';
import { loadAutomationSettings } from '../messaging/index.ts';
import type { OutboundLetter } from '../messaging/ports.ts';
import { AppError } from '../shared/errors.ts';
import { recordPortalEvent } from './events.ts';
import { getPortalAccount } from './get-portal-account.ts';
import type { PortalAccess } from './open-portal.ts';
import { t } from '../../domain/text.ts';

/** What a printed letter needs (the letter provider's input). */
export type PaidInFullLetter = Omit<OutboundLetter, 'channel' | 'idempotencyKey'>;

/** Writes the letter. AppError conflict while anything is still owed. */
export async function paidInFullLetter(access: PortalAccess, language: 'es-MX' | 'en' = 'es-MX'): Promise<{ letter: PaidInFullLetter; fileName: string }> {
  const account = await getPortalAccount(access);
  if (!account.paidInFull) {
    throw new AppError('conflict', t('the letter is available once nothing is owed', 'la carta está disponible cuando ya no se debe nada'), [{ path: 'balance', reason: t(account.obligations.length ? 'still owed' : 'no obligations', account.obligations.length ? 'todavía hay saldo' : 'no hay documentos') }]);
  }
  const { ctx, debtor } = access;
  const settings = await loadAutomationSettings(ctx);
  const creditor = settings.sender.creditor;
  const documents = await ctx.database.query<{ external_id: string; kind: string; currency: string; amount: string }>(sql`
    SELECT external_id, kind, currency::text AS currency, amount::text FROM obligations
     WHERE company_id = ${ctx.companyId} AND debtor_id = ${debtor.id} ORDER BY due_on, id LIMIT 200`);
  const folio = `PS-${ctx.companyId}-${debtor.id}-${access.today.replaceAll('-', '')}`;
  const list = documents.map((d) => `• ${d.external_id}: ${formatDecimal(BigInt(d.amount), d.currency.trim())} ${d.currency.trim()}`);
  const tax = debtor.taxId ? (language === 'en' ? `, tax ID ${debtor.taxId},` : `, con identificación fiscal ${debtor.taxId},`) : '';
  const creditorName = creditor?.name ?? settings.companyName;
  const paragraphs =
    language === 'en'
      ? [
          `${creditorName} states that ${debtor.name}${tax} has no outstanding balance with it as of ${access.today} for the following documents, which are paid in full:`,
          ...list,
          'This letter is issued at the request of the account holder through the self-service portal.',
          `Folio: ${folio}`,
        ]
      : [
          `${creditorName} hace constar que ${debtor.name}${tax} no tiene adeudo pendiente a la fecha ${access.today} por los siguientes documentos, que se encuentran liquidados en su totalidad:`,
          ...list,
          'Se extiende la presente constancia a solicitud del interesado, a través del portal de autoservicio.',
          `Folio: ${folio}`,
        ];
  const letter: PaidInFullLetter = {
    language,
    locale: language === 'en' ? 'en-US' : access.company.locale,
    date: access.today,
    title: language === 'en' ? 'Paid-in-full letter' : 'Carta finiquito / constancia de no adeudo',
    paragraphs,
    creditor: { name: creditorName, ...(creditor?.legal_id && { legalId: creditor.legal_id }), ...(creditor?.phone && { phone: creditor.phone }) },
    recipient: { name: debtor.name, addressLines: [] },
  };
  await recordPortalEvent(access, 'letter', { folio });
  return { letter, fileName: `${language === 'en' ? 'paid-in-full' : 'carta-finiquito'}-${debtor.externalId.replace(/[^A-Za-z0-9_-]/g, '_')}.pdf` };
}
