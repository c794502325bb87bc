/**
 * The payment thank-you through a strategy, end to end: a payment that settles the account (the account then owes
 * nothing and has no open contract to quote) and a partial payment, each rendered from the payment that caused the
 * message — its amount, currency, date and the contract it was applied to — and sent by a provider.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchDue, setAutomationSettings, type ChannelProvider, type OutboundMessage } from '../../src/modules/messaging/index.ts';
import { applyStrategy } from '../../src/modules/strategies/index.ts';
import { createWorld, type World } from './helpers.ts';

const STRATEGY = `
name: gracias
portfolio: default
rules:
  - phase: administrative
    steps:
      - { id: thanks-partial, trigger: { event: payment_received }, channel: sms, template: payment_received }
  - phase: settled
    steps:
      - { id: thanks, trigger: { event: payment_received }, channel: email, template: payment_received, fallback: sms }
`;

interface Recorder extends ChannelProvider {
  calls: OutboundMessage[];
}

function recorder(channel: 'email' | 'sms'): Recorder {
  const calls: OutboundMessage[] = [];
  return {
    name: `rec-${channel}`,
    channel,
    calls,
    async send(m: OutboundMessage) {
      calls.push(m);
      return { providerMessageId: `id-${calls.length}`, status: 'accepted' as const };
    },
  } as Recorder;
}

let w: World;
const ids: Record<string, number> = {};
const email = recorder('email');
const sms = recorder('sms');

beforeAll(async () => {
  w = await createWorld('MX', '2026-03-01T13:00:00Z');
  await setAutomationSettings(w.ctx, {
    sender: {
      creditor: { name: 'Financiera Acme', legal_id: 'FAC010101AB1', phone: '800 123 4567' },
      email_from: 'Financiera Acme <cobranza@acme.example>',
      payment_link: 'https://pagos.acme.example/p/{debtor}',
      portal_link: 'https://portal.acme.example/{debtor}',
    },
  });
  await applyStrategy(w.ctx, { source: STRATEGY });
  ids.S = await w.debtor('S', { name: 'Sofía Ramírez' });
  ids.P = await w.debtor('P', { name: 'Pedro Gómez' });
  await w.obligation(ids.S, 'S-CR-1', '2026-03-01', 125_050n);
  await w.obligation(ids.P, 'P-CR-1', '2026-03-01', 200_000n);
  await w.day('2026-03-09');
  // S pays everything (the account becomes settled); P pays part (still administrative).
  await w.pay(ids.S, 'PAY-S', '2026-03-10', 125_050n);
  await w.pay(ids.P, 'PAY-P', '2026-03-10', 50_000n);
  await w.day('2026-03-10');
  await dispatchDue(w.ctx, { providers: { email, sms } });
});

afterAll(async () => {
  await w?.close();
});

describe('payment thank-you', () => {
  it('renders for a settled account from the payment that caused it, and is sent', async () => {
    const [row] = (await w.messages(ids.S)).filter((m) => m.stepId === 'thanks');
    expect(row).toMatchObject({ channel: 'email', status: 'sent', cause: expect.stringMatching(/^payment:\d+$/), causeDate: '2026-03-10' });
    expect(row!.variables).toMatchObject({ payment: { amount: { MXN: '1250.50' }, date: '2026-03-10' }, contract: 'S-CR-1', amount: { total: { MXN: '0.00' } } });
    const sent = email.calls.find((c) => c.channel === 'email' && c.to === 's@example.com');
    if (!sent || sent.channel !== 'email') throw new Error('the thank-you email was not sent');
    expect(sent.subject).toBe('Financiera Acme: recibimos su pago, gracias');
    expect(sent.text).toContain('el 10 de marzo de 2026 recibimos su pago de $1,250.50 correspondiente al contrato S-CR-1 con Financiera Acme');
    expect(sent.text).toContain('Saldo pendiente a la fecha: $0.00.');
    expect(sent.text).toContain('https://portal.acme.example/S');
  });

  it('a partial payment is thanked with its own amount and the balance still owed', async () => {
    const [row] = (await w.messages(ids.P)).filter((m) => m.stepId === 'thanks-partial');
    expect(row).toMatchObject({ channel: 'sms', status: 'sent' });
    const sent = sms.calls.find((c) => c.channel === 'sms' && c.idempotencyKey === row!.idempotencyKey);
    if (!sent || sent.channel !== 'sms') throw new Error('the thank-you SMS was not sent');
    expect(sent.body).toContain('recibimos su pago de $500.00 del 10 de marzo de 2026 (contrato P-CR-1)');
    expect(sent.body).toContain('Saldo pendiente: $1,500.00');
  });

  it('nothing failed to render', async () => {
    const all = await w.messages();
    expect(all.filter((m) => m.status === 'failed').map((m) => m.lastError)).toEqual([]);
  });
});
