/**
 * The demo's provider: it sends nothing and remembers every message in memory. A database-backed version (so an
 * operator can read and answer as the debtor across restarts) replaces it later.
 */
import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '../modules/shared/clock.ts';
import type { Channel, ChannelProvider, OutboundMessage, SendResult } from '../modules/messaging/ports.ts';

/** A message the sandbox accepted. */
export interface SandboxRecord<M extends OutboundMessage = OutboundMessage> {
  providerMessageId: string;
  message: M;
  at: Date;
}

/** A sandbox provider for one channel; `sent()` lists what it accepted, oldest first. */
export interface SandboxProvider<M extends OutboundMessage> extends ChannelProvider<M> {
  sent(): ReadonlyArray<SandboxRecord<M>>;
}

/**
 * Creates a sandbox provider. Ids look like `sbx_<uuid>`. A message whose idempotency key was already sent is not
 * recorded again and gets the first id back, as a provider that honours idempotency keys would answer.
 */
export function createSandboxProvider<C extends Channel>(
  channel: C,
  options: { clock?: Clock } = {},
): SandboxProvider<Extract<OutboundMessage, { channel: C }>> {
  type M = Extract<OutboundMessage, { channel: C }>;
  const clock = options.clock ?? systemClock;
  const records: SandboxRecord<M>[] = [];
  const byKey = new Map<string, SandboxRecord<M>>();

  // TypeScript cannot see that `C` is exactly `M['channel']` for a generic C; the two are the same by construction.
  const provider: SandboxProvider<M> = {
    name: `sandbox-${channel}`,
    channel: channel as unknown as SandboxProvider<M>['channel'],
    async send(message: M): Promise<SendResult> {
      if (message.channel !== channel) throw new Error(`sandbox for ${channel} was given a ${message.channel} message`);
      const existing = byKey.get(message.idempotencyKey);
      if (existing) return { providerMessageId: existing.providerMessageId, status: 'sent' };
      const record: SandboxRecord<M> = { providerMessageId: `sbx_${randomUUID()}`, message: structuredClone(message), at: clock.now() };
      records.push(record);
      byKey.set(message.idempotencyKey, record);
      return { providerMessageId: record.providerMessageId, status: 'sent' };
    },
    sent: () => [...records],
  };
  return provider;
}
