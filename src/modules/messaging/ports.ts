/**
 * What the messaging module needs from a channel provider. Adapters in src/providers implement these in the
 * providers' real wire formats; the outbox calls `send` only after the message is recorded with its idempotency key.
 */

export type Channel = 'email' | 'whatsapp' | 'sms' | 'letter';

export interface OutboundEmail {
  channel: 'email';
  /** The outbox row's idempotency key; providers that accept one get it, so a retry is never a second message. */
  idempotencyKey: string;
  to: string;
  from: string;
  replyTo?: string;
  subject: string;
  html: string;
  text: string;
  /** mailto: or https: URL for the List-Unsubscribe header. */
  unsubscribeUrl?: string;
  attachments?: Array<{ filename: string; contentType: string; content: Uint8Array }>;
}

/** The longest caption of a WhatsApp media message. */
export const WHATSAPP_CAPTION_MAX = 1024;

/** A file sent over WhatsApp: uploaded to the provider first, then sent by its media id. */
export interface WhatsAppDocument {
  /** Shown to the debtor, with its extension (e.g. convenio-12.pdf). */
  filename: string;
  contentType: string;
  content: Uint8Array;
}

/** Exactly one of `template`, `text` and `document`. */
export interface OutboundWhatsApp {
  channel: 'whatsapp';
  idempotencyKey: string;
  /** E.164 */
  to: string;
  /**
   * An approved template (required outside the 24-hour window); `headerDocument` is the file of a template approved
   * with a document header, and only of such a template (Meta refuses a header the approved template does not have) …
   */
  template?: { name: string; language: string; bodyParameters: string[]; headerDocument?: WhatsAppDocument };
  /** … or free text (only inside the window the debtor's last message opened) … */
  text?: string;
  /** … or a document with its caption (at most 1024 characters), free-form like text: only inside the window. */
  document?: WhatsAppDocument & { caption?: string };
}

export interface OutboundSms {
  channel: 'sms';
  idempotencyKey: string;
  /** E.164 */
  to: string;
  body: string;
  /** URL the provider posts delivery statuses to. */
  statusCallbackUrl?: string;
}

/** A postal letter: the rendered template plus what the printed page must carry besides it. */
export interface OutboundLetter {
  channel: 'letter';
  idempotencyKey: string;
  /** The template's language; headings and the date are written in it. */
  language: 'es-MX' | 'en';
  /** BCP 47 locale used for the date (e.g. es-MX, es-CL). */
  locale: string;
  /** The letter's date, YYYY-MM-DD. */
  date: string;
  title: string;
  paragraphs: string[];
  /** Who the debt is owed to, as the law requires it to be identified. */
  creditor: { name: string; legalId?: string; phone?: string };
  /** The collection agency acting for the creditor, if any. */
  agency?: { name: string; identification?: string };
  /** The debtor's name and postal address, one line each. */
  recipient: { name: string; addressLines: string[] };
  /** The obligation's identifier (contract, loan or product number). */
  contract?: string;
}

export type OutboundMessage = OutboundEmail | OutboundWhatsApp | OutboundSms | OutboundLetter;

export interface SendResult {
  /** The provider's id for the message, used to match later status webhooks. */
  providerMessageId: string;
  status: 'accepted' | 'sent';
}

/** A failed send. `retryable` decides between retrying with backoff and failing over to the fallback channel. */
export class ProviderError extends Error {
  override name = 'ProviderError';
  readonly retryable: boolean;
  readonly retryAfterMs: number | null;
  readonly providerCode: string | null;
  constructor(message: string, options: { retryable: boolean; retryAfterMs?: number | null; providerCode?: string | null }) {
    super(message);
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs ?? null;
    this.providerCode = options.providerCode ?? null;
  }
}

/** A message the provider already accepted, found by {@link ChannelProvider.findAccepted}. */
export interface AcceptedMessage extends SendResult {
  /** When the provider accepted (or sent) it, when it says. */
  acceptedAt: Date | null;
  /**
   * Its delivery status at the provider now, once past 'accepted': status webhooks sent before the outbox knew the
   * message's id matched no row, so dispatch records this one in their place.
   */
  delivery: Extract<InboundEvent, { kind: 'status' }> | null;
}

export interface ChannelProvider<M extends OutboundMessage = OutboundMessage> {
  readonly name: string;
  readonly channel: M['channel'];
  send(message: M): Promise<SendResult>;
  /**
   * Optional: every message the provider accepted at or after `since` that is this one (same recipient, sender and
   * content), oldest first; empty when there is none. Dispatch asks before sending a row whose earlier attempt's
   * outcome is unknown (its worker died, or the call timed out, after the request may have left), and records a match
   * instead of sending a second message. Providers that cannot list what they accepted leave it out: for them a
   * resend after an unknown outcome may deliver twice (ADR 0006).
   */
  findAccepted?(message: M, options: { since: Date }): Promise<AcceptedMessage[]>;
}

/** Normalised events from provider webhooks. */
export type InboundEvent =
  | { kind: 'status'; channel: Channel; providerMessageId: string; status: 'sent' | 'delivered' | 'read' | 'failed' | 'bounced'; at: Date; error?: string }
  | { kind: 'message'; channel: Channel; providerMessageId: string; from: string; text: string; at: Date };
