/**
 * The WhatsApp self-service conversation end to end, through the sandbox reply path (the same path as the Cloud API
 * webhook), against a real database: each intent, confirmations before anything is recorded, opt-out, and the outbox
 * delivering the answers as free-form WhatsApp text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { consents, outboxMessages } from '../../src/db/schema.ts';
import { disputes, paymentPlans, promises } from '../../src/db/tables/negotiation.ts';
import { paymentLinks } from '../../src/db/tables/payments.ts';
import { debtorTimeline } from '../../src/modules/messaging/index.ts';
import { createChat, type Chat } from './helpers.ts';

let chat: Chat;
const ids: Record<string, number> = {};

beforeAll(async () => {
  chat = await createChat();
  // Tuesday 24 November 2026, 12:00 in Mexico City. Each debtor owes $5,000.00 MXN, due 10 October (45 days late).
  for (const [k, n] of Object.entries({ MENU: '+5215510000001', PROM: '+5215510000002', NO: '+5215510000003', AMB: '+5215510000004', BAJA: '+5215510000005', ASES: '+5215510000006', PLAN: '+5215510000007', HARD: '+5215510000008', DISP: '+5215510000009', PAID: '+5215510000010', LINK: '+5215510000011', REF: '+5215510000012' })) {
    ids[k] = await chat.debtor(k, n);
  }
}, 60_000);

afterAll(async () => {
  await chat?.close();
});

describe('menu and balance', () => {
  it('greets with the menu, answers "1" with the balance, as free-form WhatsApp text, and marks each message handled', async () => {
    const hello = await chat.say('MENU', 'Hola');
    expect(hello.received).toHaveLength(1);
    expect(hello.received[0]).toContain('Hola, Juan. Soy el asistente virtual de Acme Crédito.');
    expect(hello.received[0]).toContain('5. Hablar con un asesor');
    const sent = chat.whatsapp.sent().at(-1)!.message;
    expect(sent).toMatchObject({ channel: 'whatsapp', to: '+5215510000001' });
    expect(sent.template).toBeUndefined();

    const balance = await chat.say('MENU', '1');
    expect(balance.received[0]).toContain('Su saldo con Acme Crédito al 24 de noviembre de 2026:\n• $5,000.00 MXN, vencido (45 días de atraso)');
    for (const m of await chat.inbound(ids.MENU!)) expect(m.handledAt).not.toBeNull();
    expect(balance.result.paused).toBe(false);
    const rows = await chat.replies(ids.MENU!);
    expect(rows.map((r) => [r.status, r.gateRule, r.idempotencyKey.startsWith('conversation:reply:')])).toEqual([
      ['sent', 'reply.in_window', true],
      ['sent', 'reply.in_window', true],
    ]);
  });
});

describe('promises', () => {
  it('is recorded only after SÍ, checked against the policy first', async () => {
    const ask = await chat.say('PROM', 'pago $1,500 el viernes');
    expect(ask.received).toEqual(['¿Confirma su promesa de pago de $1,500.00 MXN para el viernes 27 de noviembre? Responda SÍ o NO']);
    expect(await chat.database.db.select().from(promises).where(eq(promises.debtorId, ids.PROM!))).toEqual([]);

    const yes = await chat.say('PROM', 'Sí');
    expect(yes.received[0]).toMatch(/^¡Listo! Registramos su promesa de pago de \$1,500\.00 MXN para el viernes 27 de noviembre\./);
    const rows = await chat.database.db.select().from(promises).where(eq(promises.debtorId, ids.PROM!));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ amount: 150_000n, currency: 'MXN', promisedOn: '2026-11-27', status: 'open', channel: 'whatsapp' });
  });

  it('refuses a date beyond the policy with its reason, and records nothing', async () => {
    const r = await chat.say('PROM', 'pago $1,500 el 15 de enero');
    expect(r.received[0]).toMatch(/^No podemos registrar esa promesa: .*puede prometer un pago hasta el miércoles 9 de diciembre/);
    expect(await chat.database.db.select().from(promises).where(eq(promises.debtorId, ids.PROM!))).toHaveLength(1);
  });

  it('NO cancels: nothing recorded', async () => {
    await chat.say('NO', 'el 15 te pago 1000');
    const no = await chat.say('NO', 'no');
    expect(no.received[0]).toMatch(/^De acuerdo, no registramos nada\./);
    expect(await chat.database.db.select().from(promises).where(eq(promises.debtorId, ids.NO!))).toEqual([]);
  });
});

describe('input it cannot read', () => {
  it('asks again when a message makes two different requests, and records nothing', async () => {
    const r = await chat.say('AMB', 'ya pagué pero no es mi deuda');
    expect(r.received[0]).toMatch(/^Entendí que quiere avisarnos de un pago que ya hizo y aclarar un adeudo que no reconoce\. ¿Qué hacemos primero\?/);
    const again = await chat.say('AMB', 'asdf');
    expect(again.received[0]).toMatch(/^Disculpe, no entendí su mensaje\./);
    const third = await chat.say('AMB', 'qwerty');
    expect(third.received[0]).toMatch(/¿Quiere que un asesor de Acme Crédito le contacte\?/);
    expect(await chat.tasks(ids.AMB!)).toEqual([]);
    expect(await chat.database.db.select().from(disputes).where(eq(disputes.debtorId, ids.AMB!))).toEqual([]);
  });
});

describe('opt-out', () => {
  it('BAJA opts out of WhatsApp at once, confirmed once, and nothing free-form follows', async () => {
    await chat.say('BAJA', 'hola');
    const baja = await chat.say('BAJA', 'BAJA');
    expect(baja.received).toEqual(['Acme Crédito: confirmamos su baja. No le enviaremos más mensajes por WhatsApp.']);
    expect(baja.result.optedOut).toBe(true);
    const [consent] = await chat.database.db.select().from(consents).where(eq(consents.debtorId, ids.BAJA!));
    expect(consent!.optedOutAt).not.toBeNull();
    const after = await chat.say('BAJA', '1');
    expect(after.received).toEqual([]);
    expect(after.result.conversation).toMatchObject({ kind: 'skipped', reason: 'opted_out' });
    // Left for a person: the message stays unhandled.
    expect((await chat.inbound(ids.BAJA!)).at(-1)!.handledAt).toBeNull();
    expect((await chat.say('BAJA', 'BAJA')).received).toEqual([]);
  });
});

describe('advisor, plans, hardship, disputes, payments already made, payment links', () => {
  it('5 creates an advisor task, answers, and leaves the message unhandled so automation stays paused', async () => {
    const r = await chat.say('ASES', '5');
    expect(r.received[0]).toMatch(/^Un asesor de Acme Crédito le contactará pronto/);
    expect(r.result.paused).toBe(true);
    expect((await chat.tasks(ids.ASES!)).map((t) => [t.kind, t.status])).toEqual([['advisor', 'open']]);
    expect((await chat.inbound(ids.ASES!))[0]!.handledAt).toBeNull();
    // Until MENÚ, the assistant stays quiet: a person is on it.
    expect((await chat.say('ASES', '¿a qué hora?')).received).toEqual([]);
  });

  it('4 offers the plans the policy allows; the chosen one is created after SÍ', async () => {
    const list = await chat.say('PLAN', '4');
    expect(list.received[0]).toMatch(/^Estos son los planes de pago disponibles para su cuenta:\n1\. /);
    expect(await chat.database.db.select().from(paymentPlans).where(eq(paymentPlans.debtorId, ids.PLAN!))).toEqual([]);
    const pick = await chat.say('PLAN', '1');
    expect(pick.received[0]).toMatch(/^¿Confirma el plan 1: /);
    const yes = await chat.say('PLAN', 'si');
    expect(yes.received[0]).toMatch(/^¡Listo! Registramos su plan de pagos/);
    const plans = await chat.database.db.select().from(paymentPlans).where(eq(paymentPlans.debtorId, ids.PLAN!));
    expect(plans).toHaveLength(1);
    expect(plans[0]!.channel).toBe('whatsapp');
  });

  it('"no puedo pagar" flags hardship for a collector and offers the plans', async () => {
    const r = await chat.say('HARD', 'no puedo pagar, me quedé sin trabajo');
    expect(r.received[0]).toContain('Entendemos su situación.');
    expect(r.received[0]).toContain('Estos son los planes de pago disponibles');
    expect((await chat.tasks(ids.HARD!)).map((t) => t.kind)).toEqual(['hardship']);
  });

  it('"no es mi deuda" opens a dispute only after SÍ', async () => {
    const ask = await chat.say('DISP', 'no reconozco esa deuda');
    expect(ask.received[0]).toContain('¿Quiere abrir una aclaración');
    expect(await chat.database.db.select().from(disputes).where(eq(disputes.debtorId, ids.DISP!))).toEqual([]);
    const yes = await chat.say('DISP', 'sí');
    expect(yes.received[0]).toMatch(/^Abrimos su aclaración\./);
    const rows = await chat.database.db.select().from(disputes).where(eq(disputes.debtorId, ids.DISP!));
    expect(rows.map((d) => [d.status, d.channel])).toEqual([['open', 'whatsapp']]);
  });

  it('"ya pagué" asks for the details, then gives a collector a task to verify', async () => {
    const ask = await chat.say('PAID', 'ya pagué');
    expect(ask.received[0]).toContain('escríbanos la fecha, el monto');
    expect(await chat.tasks(ids.PAID!)).toEqual([]);
    const details = await chat.say('PAID', 'el lunes $5,000 en OXXO, folio 88123');
    expect(details.received[0]).toMatch(/^Gracias\. Un asesor verificará su pago/);
    const [task] = await chat.tasks(ids.PAID!);
    expect(task).toMatchObject({ kind: 'reply', status: 'open' });
    expect(task!.note).toContain('folio 88123');
  });

  it('2 sends a payment link for the overdue balance', async () => {
    const r = await chat.say('LINK', '2');
    const [link] = await chat.database.db.select().from(paymentLinks).where(eq(paymentLinks.debtorId, ids.LINK!));
    expect(link).toMatchObject({ amount: 500_000n, currency: 'MXN' });
    expect(r.received[0]).toMatch(/^Puede pagar \$5,000\.00 MXN en línea aquí: \S+/);
    expect(r.received[0]).toContain(link!.publicId);
  });

  it('every action is on the debtor timeline: the message, the answer, the task', async () => {
    const timeline = await debtorTimeline(chat.ctx, { debtorExternalId: 'PAID' });
    const kinds = timeline.map((e) => e.kind);
    expect(kinds.filter((k) => k === 'reply')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'message')).toHaveLength(2);
    expect(kinds).toContain('task');
  });
});

describe('the outbox row', () => {
  it('carries the text and the end of the window the debtor opened', async () => {
    const [row] = await chat.database.db.select().from(outboxMessages).where(eq(outboxMessages.debtorId, ids.MENU!)).limit(1);
    expect(row!.variables).toMatchObject({ window_expires_at: '2026-11-25T18:00:00.000Z' });
    expect(String(row!.variables.text)).toContain('Hola, Juan');
  });
});
