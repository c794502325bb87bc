/**
 * From an outbox row to what a provider sends: the company's template for (key, channel, language) or the product's
 * default, rendered with the values stored on the row plus the creditor, agency, links and opt-out text of the
 * company's sender settings. A row that cannot be rendered (no template, a value missing) is a permanent failure:
 * retrying would render the same thing.
 */
import { daysBetween, type PlainDate } from '../../domain/calendar.ts';
import {
  defaultTemplate,
  escapeHtml,
  renderTemplate,
  TemplateRenderError,
  templateVariablesFromJson,
  TemplateVariablesError,
  TEMPLATE_LANGUAGES,
  type Template,
  type TemplateChannel,
  type TemplateLanguage,
  type TemplateVariables,
} from '../../domain/templates/index.ts';
import { FREE_FORM_REPLY_KEY } from './free-form-reply.ts';
import type { OutboundMessage } from './ports.ts';
import type { AutomationSettings } from './settings.ts';

const OPT_OUT: Record<TemplateLanguage, Partial<Record<TemplateChannel, string>>> = {
  'es-MX': {
    email: 'Si no desea recibir más correos sobre este asunto, responda a este mensaje con la palabra BAJA.',
    sms: 'Responda BAJA para no recibir más SMS.',
    whatsapp: 'Para no recibir más mensajes por WhatsApp, responda BAJA.',
  },
  en: {
    email: 'To stop receiving emails about this matter, reply to this message with the word STOP.',
    sms: 'Reply STOP to opt out of texts.',
    whatsapp: 'To stop WhatsApp messages, reply STOP.',
  },
};

export interface RenderRow {
  readonly id: number;
  readonly channel: string;
  readonly templateKey: string;
  readonly language: string;
  readonly idempotencyKey: string;
  readonly recipient: string | null;
  readonly variables: Record<string, unknown>;
}

export type CompanyTemplates = (key: string, channel: TemplateChannel, language: TemplateLanguage) => Template | undefined;

/** What the attachments step needs of a rendered WhatsApp template (attachments.ts). */
export interface WhatsAppRendering {
  /** The message as the debtor reads it: the caption when it goes as a document message instead. */
  readonly body: string;
  /** The approved template has a document header (`approved.header: document`): the row's file must go in it. */
  readonly documentHeader: boolean;
}

export type RenderOutcome = { ok: true; message: OutboundMessage; whatsApp?: WhatsAppRendering } | { ok: false; reason: string };

export function templateLanguageOf(language: string): TemplateLanguage {
  return (TEMPLATE_LANGUAGES as readonly string[]).includes(language) ? (language as TemplateLanguage) : language.toLowerCase().startsWith('en') ? 'en' : 'es-MX';
}

/** The template a row uses: the company's own, else the product's default; Spanish when the language has none. */
export function findTemplate(companyTemplates: CompanyTemplates, key: string, channel: TemplateChannel, language: TemplateLanguage): Template | undefined {
  for (const lang of language === 'es-MX' ? (['es-MX'] as const) : ([language, 'es-MX'] as const)) {
    const t = companyTemplates(key, channel, lang) ?? defaultTemplate(key, channel, lang);
    if (t) return t;
  }
  return undefined;
}

function link(template: string | undefined, debtorExternalId: string): string | undefined {
  return template?.replaceAll('{debtor}', encodeURIComponent(debtorExternalId));
}

/** The template key of the confirmation sent once when a debtor opts out of a channel. */
export const OPT_OUT_CONFIRMATION_KEY = 'optout_confirmation';

const CHANNEL_WORDS: Record<TemplateLanguage, Record<'email' | 'sms' | 'whatsapp', string>> = {
  'es-MX': { email: 'correo electrónico', sms: 'SMS', whatsapp: 'WhatsApp' },
  en: { email: 'email', sms: 'text message', whatsapp: 'WhatsApp' },
};

/** The opt-out confirmation: plain text, no collection content, in the row's language. */
function optOutConfirmation(row: RenderRow, channel: 'email' | 'sms' | 'whatsapp', creditor: string, from: string): RenderOutcome {
  const lang = templateLanguageOf(row.language);
  const via = CHANNEL_WORDS[lang][channel];
  const text =
    lang === 'en'
      ? `${creditor}: you have been unsubscribed. We will send you no more messages by ${via}.`
      : `${creditor}: confirmamos su baja. No le enviaremos más mensajes por ${via}.`;
  const to = row.recipient!;
  if (channel === 'email') {
    const subject = lang === 'en' ? 'Unsubscribe confirmed' : 'Confirmación de baja';
    return { ok: true, message: { channel: 'email', idempotencyKey: row.idempotencyKey, to, from, subject, text, html: `<p>${escapeHtml(text)}</p>` } };
  }
  if (channel === 'sms') return { ok: true, message: { channel: 'sms', idempotencyKey: row.idempotencyKey, to, body: text } };
  // The debtor has just written, so the 24-hour window is open: free text is allowed.
  return { ok: true, message: { channel: 'whatsapp', idempotencyKey: row.idempotencyKey, to, text } };
}

/** Renders one row for its channel's provider. */
export function renderOutbound(
  row: RenderRow,
  context: {
    settings: AutomationSettings;
    companyTemplates: CompanyTemplates;
    debtorExternalId: string;
    today: PlainDate;
    /** The debtor's postal address, one line each; letters need it. */
    debtorAddressLines?: readonly string[];
    /** A signed link to the debtor portal (see portal-link.ts); used when the company has no portal address of its own. */
    portalLink?: string | undefined;
  },
): RenderOutcome {
  const channel = row.channel as TemplateChannel;
  if (channel !== 'email' && channel !== 'sms' && channel !== 'whatsapp' && channel !== 'letter') return { ok: false, reason: `no provider sends ${row.channel}` };
  if (!row.recipient) return { ok: false, reason: `el deudor no tiene dirección para ${row.channel}` };
  if (channel === 'letter' && !context.debtorAddressLines?.length) return { ok: false, reason: 'el deudor no tiene domicilio postal para la carta' };
  const from = context.settings.sender.email_from ?? `${context.settings.companyName} <no-reply@cobranza.invalid>`;
  if (row.templateKey === FREE_FORM_REPLY_KEY) {
    // A reply inside the customer service window: the text was written when the debtor's message was answered.
    const text = typeof row.variables.text === 'string' ? row.variables.text : '';
    if (channel !== 'whatsapp' || !text) return { ok: false, reason: 'la respuesta libre solo se envía por WhatsApp y con texto' };
    return { ok: true, message: { channel: 'whatsapp', idempotencyKey: row.idempotencyKey, to: row.recipient, text } };
  }
  if (row.templateKey === OPT_OUT_CONFIRMATION_KEY) {
    if (channel === 'letter') return { ok: false, reason: 'la confirmación de baja no se envía por carta' };
    return optOutConfirmation(row, channel, context.settings.sender.creditor?.name ?? context.settings.companyName, from);
  }
  const language = templateLanguageOf(row.language);
  const template = findTemplate(context.companyTemplates, row.templateKey, channel, language);
  if (!template) return { ok: false, reason: `no hay plantilla "${row.templateKey}" para ${row.channel} (${language})` };
  const { sender } = context.settings;
  let stored: TemplateVariables;
  try {
    stored = templateVariablesFromJson(row.variables);
  } catch (error) {
    if (error instanceof TemplateVariablesError) return { ok: false, reason: `valores de la plantilla inválidos: ${error.message}` };
    throw error;
  }
  // Days past due move on while a message waits (a deferral, a retry): count them on the day it is sent.
  const dpd = typeof stored.due_date === 'string' ? daysBetween(stored.due_date as PlainDate, context.today) : stored.days_past_due;
  const variables: TemplateVariables = {
    ...stored,
    days_past_due: dpd,
    creditor: { name: sender.creditor?.name ?? context.settings.companyName, legal_id: sender.creditor?.legal_id, phone: sender.creditor?.phone },
    agency: sender.agency ? { name: sender.agency.name, identification: sender.agency.identification } : null,
    payment_link: link(sender.payment_link, context.debtorExternalId),
    portal_link: link(sender.portal_link, context.debtorExternalId) ?? context.portalLink,
    optout_instructions: channel === 'letter' ? undefined : OPT_OUT[template.language][channel],
  };
  try {
    const rendered = renderTemplate(template, variables, { locale: context.settings.locale });
    switch (rendered.channel) {
      case 'email': {
        const unsubscribe = link(sender.unsubscribe_url, context.debtorExternalId);
        return {
          ok: true,
          message: {
            channel: 'email',
            idempotencyKey: row.idempotencyKey,
            to: row.recipient,
            from,
            ...(sender.reply_to ? { replyTo: sender.reply_to } : {}),
            subject: rendered.subject,
            html: rendered.html,
            text: rendered.text,
            ...(unsubscribe ? { unsubscribeUrl: unsubscribe } : {}),
          },
        };
      }
      case 'sms':
        return {
          ok: true,
          message: {
            channel: 'sms',
            idempotencyKey: row.idempotencyKey,
            to: row.recipient,
            body: rendered.body,
            ...(sender.sms_status_callback_url ? { statusCallbackUrl: sender.sms_status_callback_url } : {}),
          },
        };
      case 'whatsapp':
        return {
          ok: true,
          message: {
            channel: 'whatsapp',
            idempotencyKey: row.idempotencyKey,
            to: row.recipient,
            template: { name: rendered.name, language: rendered.language, bodyParameters: [...rendered.bodyParameters] },
          },
          whatsApp: { body: rendered.body, documentHeader: template.channel === 'whatsapp' && template.content.approved.header === 'document' },
        };
      case 'letter': {
        const creditor = variables.creditor!;
        return {
          ok: true,
          message: {
            channel: 'letter',
            idempotencyKey: row.idempotencyKey,
            language: template.language,
            locale: context.settings.locale,
            date: context.today,
            title: rendered.title,
            paragraphs: [...rendered.body],
            creditor: { name: creditor.name ?? context.settings.companyName, ...(creditor.legal_id ? { legalId: creditor.legal_id } : {}), ...(creditor.phone ? { phone: creditor.phone } : {}) },
            ...(sender.agency ? { agency: { name: sender.agency.name, ...(sender.agency.identification ? { identification: sender.agency.identification } : {}) } } : {}),
            recipient: { name: row.recipient, addressLines: [...(context.debtorAddressLines ?? [])] },
            ...(typeof stored.contract === 'string' && stored.contract ? { contract: stored.contract } : {}),
          },
        };
      }
      default:
        return { ok: false, reason: 'no provider sends this channel' };
    }
  } catch (error) {
    if (error instanceof TemplateRenderError) return { ok: false, reason: `la plantilla "${row.templateKey}" no se pudo generar: ${error.message}` };
    throw error;
  }
}
