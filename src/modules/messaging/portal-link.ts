/**
 * `{{portal_link}}` in a message: when the company has not configured its own portal address (sender.portal_link),
 * the message carries a signed, expiring link to the debtor portal, issued once per outbox row (a retried send
 * carries the same link). Only rows whose template uses the variable get one, so links are not minted for nothing.
 * Templates accept only https links, so this needs COBRANZA_PUBLIC_URL to be an https address.
 */
import type { TemplateChannel } from '../../domain/templates/index.ts';
import { issuePortalLink } from '../portal/issue-portal-link.ts';
import { portalRuntime } from '../portal/runtime.ts';
import type { Ctx } from '../shared/context.ts';
import { findTemplate, templateLanguageOf, type CompanyTemplates, type RenderRow } from './render-message.ts';
import type { AutomationSettings } from './settings.ts';

/** The signed portal link for this row, or undefined when the template does not use it or the company has its own. */
export async function portalLinkForRow(ctx: Ctx, row: RenderRow & { debtorId: number }, settings: AutomationSettings, companyTemplates: CompanyTemplates): Promise<string | undefined> {
  if (settings.sender.portal_link || !portalRuntime().publicUrl?.startsWith('https://')) return undefined;
  const template = findTemplate(companyTemplates, row.templateKey, row.channel as TemplateChannel, templateLanguageOf(row.language));
  if (!template || !JSON.stringify(template).includes('portal_link')) return undefined;
  const link = await issuePortalLink(ctx, { debtorId: row.debtorId, sourceKey: `outbox:${row.id}` });
  return link.url;
}
