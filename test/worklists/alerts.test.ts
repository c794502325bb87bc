import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxMessages } from '../../src/db/schema.ts';
import { createSmtpProvider } from '../../src/providers/email-smtp.ts';
import { placeWithAgency } from '../../src/modules/access/index.ts';
import { assignByHand, listAlerts, renderDigest, sendAlertDigests, setCollector } from '../../src/modules/worklists/index.ts';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp.ts';
import { createBook, type Book } from './setup.ts';

describe('alerts and the daily digest', () => {
  let book: Book;
  let smtp: FakeSmtp;
  let ana: number;
  let beto: number;

  beforeAll(async () => {
    book = await createBook();
    smtp = await startFakeSmtp();
    ana = await book.user('ana@acme.example', 'collector');
    beto = await book.user('beto@acme.example', 'collector');
    await book.user('sara@acme.example', 'supervisor');
    await book.user('vero@acme.example', 'viewer');
    const x = await book.debtor('X', { dpd: 10, amount: 100_000n });
    const y = await book.debtor('Y', { dpd: 10, amount: 100_000n });
    await book.run();
    await setCollector(book.ctx, { collectorId: ana, capacity: 1 });
    await setCollector(book.ctx, { collectorId: beto, capacity: 10 });
    await assignByHand(book.ctx, { debtorExternalIds: ['X', 'Y'], collectorId: ana, reason: 'prueba' });
    await book.task(x, 'promise_broken', 'Promesa #1 incumplida');
    const dispute = await book.task(y, 'dispute', 'Factura en disputa');
    // The dispute was opened ten days ago.
    await book.database.query(sql`UPDATE tasks SET created_at = created_at - interval '10 days' WHERE id = ${dispute}`);
    await book.pay(y, 'P-EUR', 50_000n, 'EUR');
    // Email is failing: 6 of 8 messages in the last day.
    for (let i = 0; i < 8; i++) {
      await book.database.db.insert(outboxMessages).values({
        companyId: book.companyId, debtorId: x, channel: 'email', templateKey: 'late_3_days', idempotencyKey: `t:${i}`, cause: 'test', causeDate: book.today,
        scheduledFor: book.clock.now(), nextAttemptAt: book.clock.now(), status: i < 6 ? 'failed' : 'sent', updatedAt: book.clock.now(),
      });
    }
  });
  afterAll(async () => {
    await smtp.close();
    await book.close();
  });

  it('finds every kind, most severe first, with money per currency', async () => {
    const alerts = await listAlerts(book.ctx, { disputeDays: 5 });
    const kinds = alerts.map((a) => a.kind);
    expect(kinds).toEqual(['promise_broken', 'unapplied_payment', 'channel_failing', 'dispute_waiting', 'queue_overflow']);
    expect(alerts.find((a) => a.kind === 'unapplied_payment')?.amounts).toEqual({ EUR: '500.00' });
    expect(alerts.find((a) => a.kind === 'channel_failing')?.items[0]?.text).toBe('email: 6 de 8 mensajes fallaron');
    // A dispute younger than N days does not alert.
    expect((await listAlerts(book.ctx, { disputeDays: 15 })).some((a) => a.kind === 'dispute_waiting')).toBe(false);
    // A collector sees only their own accounts' alerts.
    expect(await listAlerts(book.ctx, { collectorId: beto })).toEqual([]);
  });

  it('emails one digest per recipient per day over SMTP, scoped by role', async () => {
    const email = createSmtpProvider({ host: smtp.host, port: smtp.port, secure: false, from: 'Cobranza <avisos@acme.example>', timeoutMs: 5000 });
    try {
      const first = await sendAlertDigests(book.ctx, { email, from: 'Cobranza <avisos@acme.example>' });
      // Sara (supervisor) and Ana (her accounts have alerts); Beto has nothing; viewers get no digest.
      expect(first).toMatchObject({ sent: 2, failed: 0 });
      const to = smtp.messages.map((m) => m.envelope.to[0]).sort();
      expect(to).toEqual(['ana@acme.example', 'sara@acme.example']);
      const sara = smtp.messages.find((m) => m.envelope.to[0] === 'sara@acme.example')!;
      expect(sara.parsed.subject).toMatch(/alertas de cobranza del 2026-03-16/);
      expect(sara.parsed.text).toContain('Canales con mensajes fallando');
      const anaMail = smtp.messages.find((m) => m.envelope.to[0] === 'ana@acme.example')!;
      expect(anaMail.parsed.text).not.toContain('Canales con mensajes fallando');
      const again = await sendAlertDigests(book.ctx, { email, from: 'Cobranza <avisos@acme.example>' });
      expect(again.sent).toBe(0);
      expect(smtp.messages).toHaveLength(2);
    } finally {
      email.close();
    }
  });

  it("an agency user's digest holds only the debtors placed with the agency, even among the accounts assigned to it", async () => {
    const email = createSmtpProvider({ host: smtp.host, port: smtp.port, secure: false, from: 'Cobranza <avisos@acme.example>', timeoutMs: 5000 });
    try {
      const ines = await book.user('ines@despacho.example', 'agency');
      await placeWithAgency(book.ctx, { debtorExternalId: 'X', agency: 'Despacho Norte' });
      await assignByHand(book.ctx, { debtorExternalIds: ['X', 'Y'], collectorId: ines, reason: 'prueba' });
      expect(await sendAlertDigests(book.ctx, { email, from: 'Cobranza <avisos@acme.example>' })).toMatchObject({ sent: 1 });
      const mail = smtp.messages.find((m) => m.envelope.to[0] === 'ines@despacho.example')!;
      // X's broken promise; not Y's dispute nor Y's unapplied EUR payment.
      expect(mail.parsed.subject).toMatch(/: 1 alertas de cobranza/);
      expect(mail.parsed.text).toContain('Promesas de pago incumplidas: 1');
      expect(mail.parsed.text).not.toContain('Disputas');
      expect(mail.parsed.text).not.toContain('EUR');
      expect(mail.parsed.text).not.toMatch(/\bY: /);
    } finally {
      email.close();
    }
  });

  it('gives line amounts also apart from the text, pages one kind past the first items, and names promises waiting for approval', async () => {
    const y = (await book.database.query<{ id: string }>(sql`SELECT id FROM debtors WHERE company_id = ${book.companyId} AND external_id = 'Y'`))[0]!.id;
    await book.pay(Number(y), 'P-USD', 6_336n, 'USD', '2026-03-10');
    const promise = await book.task(Number(y), 'plan_approval');
    await book.database.query(sql`UPDATE tasks SET cause = 'promise:7' WHERE id = ${promise}`);
    await book.task(Number(y), 'plan_approval', 'Plan #3 fuera de política por aprobar (supervisor): 18 cuotas; se admiten 12.');

    const all = await listAlerts(book.ctx);
    const unapplied = all.find((a) => a.kind === 'unapplied_payment')!;
    expect(unapplied.items.map((i) => [i.text, i.amount, i.currency])).toEqual([
      ['Pago P-USD sin aplicar: 63.36 USD', '63.36', 'USD'],
      ['Pago P-EUR sin aplicar: 500.00 EUR', '500.00', 'EUR'],
    ]);
    expect(renderDigest({ company: 'Acme', day: book.today, name: 'Sara', alerts: all }).text).toContain('Y: Pago P-USD sin aplicar: 63.36 USD');
    const approvals = all.find((a) => a.kind === 'plan_approval')!;
    expect(approvals.title).toBe('Promesas y planes de pago esperando aprobación');
    expect(approvals.items.map((i) => i.text)).toEqual(['Promesa de pago por aprobar', 'Plan #3 fuera de política por aprobar (supervisor): 18 cuotas; se admiten 12.']);

    // One kind, one item at a time: the count stays the whole, the items move on.
    const page = async (offset: number) => listAlerts(book.ctx, { kind: 'unapplied_payment', itemLimit: 1, offset });
    const [first] = await page(0);
    const [second] = await page(1);
    expect((await page(0)).map((a) => a.kind)).toEqual(['unapplied_payment']);
    expect([first!.count, second!.count]).toEqual([2, 2]);
    expect([...first!.items, ...second!.items].map((i) => i.ref)).toEqual(unapplied.items.map((i) => i.ref));
    expect((await listAlerts(book.ctx, { kind: 'channel_failing' })).map((a) => [a.kind, a.items.length])).toEqual([['channel_failing', 1]]);
  });
});
