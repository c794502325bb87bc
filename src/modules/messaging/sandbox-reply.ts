/**
 * An operator answering as a debtor in the sandbox: the reply goes through exactly the path a provider's inbound
 * webhook takes (recordProviderEvent), so "BAJA" opts the debtor out and any other text pauses their strategy.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { AppError, notFound } from '../shared/errors.ts';
import type { Ctx } from '../shared/context.ts';
import type { Channel } from './ports.ts';
import { recordProviderEvent } from './record-provider-event.ts';
import { t } from '../../domain/text.ts';

export const SANDBOX_REPLY_CHANNELS = ['whatsapp', 'sms', 'email'] as const satisfies readonly Channel[];
export type SandboxReplyChannel = (typeof SANDBOX_REPLY_CHANNELS)[number];

export interface SandboxReplyResult {
  channel: SandboxReplyChannel;
  from: string;
  inboundId: number | null;
  /** False when the address is shared by several debtors: the reply is kept but not attached to anyone. */
  attributed: boolean;
  optedOut: boolean;
  /** A reply that is not an opt-out pauses the debtor's strategy until it is marked handled. */
  paused: boolean;
}

/**
 * Records `text` as a message from the debtor. Without a channel, the channel of the debtor's latest outbound message
 * is used (the conversation they would answer), else the first address they have: WhatsApp, SMS, email.
 */
export async function recordSandboxReply(ctx: Ctx, options: { debtorExternalId: string; channel?: SandboxReplyChannel | undefined; text: string }): Promise<SandboxReplyResult> {
  const text = options.text.trim();
  if (!text) throw new AppError('validation_failed', t('the reply text is empty', 'el texto de la respuesta está vacío'), [{ path: 'text', reason: t('must not be empty', 'no debe estar vacío') }]);
  const [d] = await ctx.database.query<{ id: string | number; email: string | null; phone: string | null; whatsapp: string | null; last_channel: string | null }>(sql`
    SELECT d.id, d.email, d.phone, d.whatsapp,
           (SELECT m.channel FROM outbox_messages m
             WHERE m.company_id = d.company_id AND m.debtor_id = d.id AND m.channel IN ('whatsapp', 'sms', 'email')
             ORDER BY m.created_at DESC, m.id DESC LIMIT 1) AS last_channel
      FROM debtors d WHERE d.company_id = ${ctx.companyId} AND d.external_id = ${options.debtorExternalId}`);
  if (!d) throw notFound('debtor', options.debtorExternalId);
  const address = (c: SandboxReplyChannel): string | null => (c === 'email' ? d.email : c === 'whatsapp' ? (d.whatsapp ?? d.phone) : d.phone);
  const last = SANDBOX_REPLY_CHANNELS.find((c) => c === d.last_channel);
  const channel: SandboxReplyChannel | undefined =
    options.channel ?? (last && address(last) ? last : SANDBOX_REPLY_CHANNELS.find((c) => address(c)));
  if (!channel) throw new AppError('validation_failed', t(`debtor "${options.debtorExternalId}" has no email, phone or WhatsApp number to reply from`, `el deudor "${options.debtorExternalId}" no tiene correo, teléfono ni número de WhatsApp desde el cual responder`), [{ path: 'debtor_external_id', reason: t('no address', 'sin dirección') }]);
  const from = address(channel);
  if (!from) throw new AppError('validation_failed', t(`debtor "${options.debtorExternalId}" has no ${channel === 'email' ? 'email address' : 'phone number'} for ${channel}`, `el deudor "${options.debtorExternalId}" no tiene ${channel === 'email' ? 'correo electrónico' : 'número de teléfono'} para ${channel}`), [{ path: 'channel', reason: t(`no ${channel} address`, `sin dirección de ${channel}`) }]);
  const result = await recordProviderEvent(ctx, {
    provider: 'sandbox',
    event: { kind: 'message', channel, providerMessageId: `sbx_in_${randomUUID()}`, from, text, at: ctx.clock.now() },
  });
  if (result.kind !== 'message') throw new Error('a message event was recorded as a status');
  const attributed = result.debtorId === Number(d.id);
  return { channel, from, inboundId: result.inboundId, attributed, optedOut: result.optedOut, paused: attributed && !result.optedOut };
}
