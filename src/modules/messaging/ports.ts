/**
 * What the messaging module needs from a channel provider. Adapters in src/providers implement these in the
 * providers' real wire formats; the outbox calls `send` only after the message is recorded with its idempotency key.
 */

export type Channel = 'email' | 'whatsapp' | 'sms';

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

export interface OutboundWhatsApp {
  channel: 'whatsapp';
  idempotencyKey: string;
  /** E.164 */
  to: string;
  /** An approved template (required outside the 24-hour window) … */
  template?: { name: string; language: string; bodyParameters: string[] };
  /** … or free text (only inside the window the debtor's last message opened). */
  text?: string;
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

export type OutboundMessage = OutboundEmail | OutboundWhatsApp | OutboundSms;

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

export interface ChannelProvider<M extends OutboundMessage = OutboundMessage> {
  readonly name: string;
  readonly channel: M['channel'];
  send(message: M): Promise<SendResult>;
}

/** Normalised events from provider webhooks. */
export type InboundEvent =
  | { kind: 'status'; channel: Channel; providerMessageId: string; status: 'sent' | 'delivered' | 'read' | 'failed' | 'bounced'; at: Date; error?: string }
  | { kind: 'message'; channel: Channel; providerMessageId: string; from: string; text: string; at: Date };
