/**
 * The debtor's timeline tells what became of a promise to pay: approved, rejected or cancelled, each at its instant with
 * the promise's amount and date and the note given, in Spanish (GET /debtors/:id/timeline and the debtor 360's page).
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { debtors, obligations, portfolios } from '../../src/db/schema.ts';
import { call, startHarness, type Harness } from '../http/harness.ts';

let h: Harness;

beforeAll(async () => {
  // 2026-03-15T18:00Z = 12:00 in Mexico City.
  h = await startHarness();
  const [p] = await h.database.db.select().from(portfolios).where(eq(portfolios.companyId, h.a.companyId));
  const [d] = await h.database.db.insert(debtors).values({ companyId: h.a.companyId, externalId: 'PT-1', name: 'Rosa Jiménez', country: 'MX', timeZone: 'America/Mexico_City' }).returning();
  // 10,000.00 MXN overdue: the default policy wants at least 2,000.00, so 500.00 needs approval.
  await h.database.db.insert(obligations).values({ companyId: h.a.companyId, portfolioId: p!.id, debtorId: d!.id, externalId: 'PT-1-F1', currency: 'MXN', amount: 1_000_000n, balance: 1_000_000n, dueOn: '2026-02-01' });
});

afterAll(async () => {
  await h?.close();
});

async function pendingPromise(amount: string, promisedOn: string): Promise<number> {
  const r = await call(h.app, h.a.key, 'POST', '/debtors/PT-1/promises', { currency: 'MXN', amount, promised_on: promisedOn, channel: 'phone', taken_by: 'collector', request_approval: true });
  expect(r.statusCode, r.body).toBe(201);
  expect(r.json().status).toBe('pending_approval');
  return r.json().id as number;
}

const promiseEntries = async (url: string, key: 'data' | 'timeline', language = 'es-MX') =>
  ((await call(h.app, h.a.key, 'GET', url, undefined, { 'accept-language': language })).json()[key] as Array<{ kind: string; summary: string; details: Record<string, unknown> }>).filter((e) => e.kind === 'promise');

describe('promises on the timeline', () => {
  it('shows a promise approved, then cancelled, and another rejected, in order and in Spanish', async () => {
    const first = await pendingPromise('500.00', '2026-03-20');
    expect((await call(h.app, h.a.key, 'POST', `/promises/${first}/approve`, { note: 'cliente con buen historial' })).statusCode).toBe(200);
    h.clock.advance(60_000);
    expect((await call(h.app, h.a.key, 'POST', `/promises/${first}/cancel`, {})).statusCode).toBe(200);
    h.clock.advance(60_000);
    const second = await pendingPromise('1250.50', '2026-03-27');
    expect((await call(h.app, h.a.key, 'POST', `/promises/${second}/reject`, { note: 'monto insuficiente' })).statusCode).toBe(200);

    const entries = await promiseEntries('/debtors/PT-1/timeline', 'data');
    expect(entries.map((e) => e.summary)).toEqual([
      'Promesa de pago de 500.00 MXN para el 20 mar 2026 aprobada: cliente con buen historial',
      'Promesa de pago de 500.00 MXN para el 20 mar 2026 cancelada',
      'Promesa de pago de 1,250.50 MXN para el 27 mar 2026 rechazada: monto insuficiente',
    ]);
    expect(entries.map((e) => [e.details.event, e.details.promise])).toEqual([
      ['approve', first],
      ['cancel', first],
      ['reject', second],
    ]);
    // The debtor 360 pages the same entries.
    expect((await promiseEntries('/debtors/PT-1/360', 'timeline')).map((e) => e.summary)).toEqual(entries.map((e) => e.summary));
    // In English for a reader who asks for it (and by default).
    expect((await promiseEntries('/debtors/PT-1/360', 'timeline', 'en')).map((e) => e.summary)).toEqual([
      'Promise to pay 500.00 MXN by 20 Mar 2026 approved: cliente con buen historial',
      'Promise to pay 500.00 MXN by 20 Mar 2026 cancelled',
      'Promise to pay 1,250.50 MXN by 27 Mar 2026 rejected: monto insuficiente',
    ]);
  });
});
