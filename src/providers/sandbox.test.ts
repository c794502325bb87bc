import { describe, expect, it } from 'vitest';
import { fixedClock } from '../modules/shared/clock.ts';
import type { OutboundEmail, OutboundSms } from '../modules/messaging/ports.ts';
import { createSandboxProvider } from './sandbox.ts';

const sms: OutboundSms = { channel: 'sms', idempotencyKey: 'k1', to: '+56912345678', body: 'Recordatorio de pago' };

describe('sandbox provider', () => {
  it('records messages with sbx_ ids and the clock time, oldest first', async () => {
    const clock = fixedClock('2026-03-31T14:00:00Z');
    const sandbox = createSandboxProvider('sms', { clock });
    expect(sandbox).toMatchObject({ name: 'sandbox-sms', channel: 'sms' });

    const first = await sandbox.send(sms);
    clock.advance(60_000);
    const second = await sandbox.send({ ...sms, idempotencyKey: 'k2', body: 'Segundo aviso' });

    expect(first).toEqual({ providerMessageId: expect.stringMatching(/^sbx_[0-9a-f-]{36}$/), status: 'sent' });
    expect(second.providerMessageId).not.toBe(first.providerMessageId);
    expect(sandbox.sent()).toEqual([
      { providerMessageId: first.providerMessageId, message: sms, at: new Date('2026-03-31T14:00:00Z') },
      { providerMessageId: second.providerMessageId, message: { ...sms, idempotencyKey: 'k2', body: 'Segundo aviso' }, at: new Date('2026-03-31T14:01:00Z') },
    ]);
  });

  it('a repeated idempotency key is recorded once and gets the same id', async () => {
    const sandbox = createSandboxProvider('sms');
    const first = await sandbox.send(sms);
    const again = await sandbox.send({ ...sms, body: 'otro texto' });
    expect(again.providerMessageId).toBe(first.providerMessageId);
    expect(sandbox.sent()).toHaveLength(1);
  });

  it('keeps copies: later changes to the message or the returned list do not alter the record', async () => {
    const sandbox = createSandboxProvider('email');
    const email: OutboundEmail = { channel: 'email', idempotencyKey: 'e1', to: 'a@example.com', from: 'b@example.com', subject: 'Hola', html: '<p>Hola</p>', text: 'Hola' };
    await sandbox.send(email);
    email.subject = 'cambiado';
    (sandbox.sent() as unknown[]).length = 0;
    expect(sandbox.sent()[0]!.message.subject).toBe('Hola');
  });

  it('refuses a message of another channel', async () => {
    const sandbox = createSandboxProvider('whatsapp');
    await expect(sandbox.send(sms as never)).rejects.toThrow(/sandbox for whatsapp was given a sms message/);
    expect(sandbox.sent()).toEqual([]);
  });
});
