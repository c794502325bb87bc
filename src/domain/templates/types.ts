/**
 * Message templates: one per (key, channel, language). The shapes here are plain data so a company's own templates
 * (stored as JSON) and the built-in defaults (defaults.ts) are the same thing.
 */

export const TEMPLATE_CHANNELS = ['email', 'whatsapp', 'sms', 'letter'] as const;
export type TemplateChannel = (typeof TEMPLATE_CHANNELS)[number];

export const TEMPLATE_LANGUAGES = ['es-MX', 'en'] as const;
/** es-MX is the product's default language. */
export type TemplateLanguage = (typeof TEMPLATE_LANGUAGES)[number];

export const WHATSAPP_CATEGORIES = ['utility', 'marketing', 'authentication'] as const;
/** Meta's template categories. Payment reminders are `utility`. */
export type WhatsAppCategory = (typeof WHATSAPP_CATEGORIES)[number];

export interface EmailContent {
  /** Plain text (values are not escaped; line breaks in values become spaces). */
  readonly subject: string;
  /** HTML; every value is HTML-escaped. */
  readonly html: string;
  /** The plain-text alternative. */
  readonly text: string;
}

export interface SmsContent {
  readonly body: string;
}

export interface LetterContent {
  readonly title: string;
  /** Paragraphs, in order. */
  readonly body: readonly string[];
}

/** The approved template at Meta that a WhatsApp template stands for. */
export interface WhatsAppTemplateRef {
  /** Meta's template name: lower-case letters, digits and underscores. */
  readonly name: string;
  /** Meta's language code, e.g. `es_MX`, `en`, `en_US`. */
  readonly language: string;
  readonly category: WhatsAppCategory;
  /**
   * `document`: Meta approved the template with a DOCUMENT header, so a message with a file (the written agreement)
   * sends the file in it, also outside the 24-hour window. Left out: no header (a file cannot go with the template).
   */
  readonly header?: 'document';
}

export interface WhatsAppContent {
  readonly approved: WhatsAppTemplateRef;
  /**
   * The body exactly as approved, written with named placeholders (`{{debtor.first_name}}`). Each distinct variable,
   * in order of first appearance, is Meta's positional parameter `{{1}}`, `{{2}}`, …; see `whatsAppPositionalBody`.
   */
  readonly body: string;
}

interface TemplateBase {
  /** Lower-case identifier shared by every channel and language of a message, e.g. `preventive_reminder`. */
  readonly key: string;
  readonly language: TemplateLanguage;
}

export interface EmailTemplate extends TemplateBase {
  readonly channel: 'email';
  readonly content: EmailContent;
}
export interface SmsTemplate extends TemplateBase {
  readonly channel: 'sms';
  readonly content: SmsContent;
}
export interface LetterTemplate extends TemplateBase {
  readonly channel: 'letter';
  readonly content: LetterContent;
}
export interface WhatsAppTemplate extends TemplateBase {
  readonly channel: 'whatsapp';
  readonly content: WhatsAppContent;
}

export type Template = EmailTemplate | SmsTemplate | LetterTemplate | WhatsAppTemplate;
