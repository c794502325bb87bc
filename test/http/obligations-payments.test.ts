import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await call(h.app, h.a.key, 'POST', '/debtors', { external_id: 'C-1', name: 'Comercial Uno', type: 'company' });
  await call(h.app, h.a.key, 'POST', '/debtors', { external_id: 'C-2', name: 'Comercial Dos', type: 'company' });
});
afterAll(async () => {
  await h?.close();
});

async function ok(method: 'POST' | 'PATCH' | 'GET' | 'DELETE', url: string, body?: unknown, status = 200) {
  const res = await call(h.app, h.a.key, method, url, body);
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(status);
  return status === 204 ? null : res.json();
}

describe('obligations and payments', () => {
  it('creates obligations, applies a payment oldest first and shows balances per currency', async () => {
    const o1 = await ok('POST', '/obligations', { external_id: 'F-1', debtor_external_id: 'C-1', currency: 'MXN', amount: '1000.00', due_on: '2026-01-10', issued_on: '2025-12-10' }, 201);
    expect(o1).toMatchObject({ external_id: 'F-1', debtor_external_id: 'C-1', portfolio: 'default', kind: 'invoice', currency: 'MXN', amount: '1000.00', balance: '1000.00', due_on: '2026-01-10' });
    await ok('POST', '/obligations', { external_id: 'F-2', debtor_external_id: 'C-1', currency: 'MXN', amount: '250.50', due_on: '2026-02-10', portfolio: 'tarjetas' }, 201);
    await ok('POST', '/obligations', { external_id: 'F-3', debtor_external_id: 'C-1', currency: 'USD', amount: '99.99', due_on: '2026-03-01' }, 201);

    const pay = await ok('POST', '/payments', { external_id: 'PAY-1', debtor_external_id: 'C-1', currency: 'MXN', amount: '1100', paid_on: '2026-03-01', method: 'spei' }, 201);
    expect(pay).toMatchObject({ external_id: 'PAY-1', amount: '1100.00', unapplied: '0.00', reversed: false });
    expect(pay.allocations).toEqual([
      { obligation_external_id: 'F-1', amount: '1000.00' },
      { obligation_external_id: 'F-2', amount: '100.00' },
    ]);
    const credit = await ok('POST', '/payments', { external_id: 'PAY-2', debtor_external_id: 'C-1', currency: 'CLP', amount: '5000', paid_on: '2026-03-02' }, 201);
    expect(credit).toMatchObject({ unapplied: '5000', allocations: [] });

    const debtor = await ok('GET', '/debtors/C-1');
    expect(debtor.balances).toEqual({ MXN: '150.50', USD: '99.99' });
    expect(debtor.unapplied).toEqual({ CLP: '5000' });
  });

  it('filters obligations by open, due dates, currency, portfolio and debtor', async () => {
    const ids = async (query: string) => ((await ok('GET', `/obligations?${query}`)).data as Array<{ external_id: string }>).map((o) => o.external_id);
    expect(await ids('debtor_external_id=C-1')).toEqual(['F-1', 'F-2', 'F-3']);
    expect(await ids('open=true')).toEqual(['F-2', 'F-3']);
    expect(await ids('open=false')).toEqual(['F-1']);
    expect(await ids('due_from=2026-02-01&due_to=2026-02-28')).toEqual(['F-2']);
    expect(await ids('currency=usd')).toEqual(['F-3']);
    expect(await ids('portfolio=tarjetas')).toEqual(['F-2']);
    expect(await ids('debtor_external_id=C-2')).toEqual([]);
    const page1 = await ok('GET', '/obligations?limit=2');
    expect(page1.data.length).toBe(2);
    const page2 = await ok('GET', `/obligations?limit=2&cursor=${page1.next_cursor}`);
    expect(page2.data.map((o: { external_id: string }) => o.external_id)).toEqual(['F-3']);
    expect(page2.next_cursor).toBeNull();
  });

  it('patches an obligation and reallocates', async () => {
    const patched = await ok('PATCH', '/obligations/F-2', { amount: '300.00', product: 'tarjeta oro' });
    expect(patched).toMatchObject({ amount: '300.00', balance: '200.00', product: 'tarjeta oro', portfolio: 'tarjetas', due_on: '2026-02-10' });
    const bad = await call(h.app, h.a.key, 'PATCH', '/obligations/F-2', { amount: '12.345' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details).toEqual([expect.objectContaining({ path: 'body.amount' })]);
    expect((await call(h.app, h.a.key, 'PATCH', '/obligations/NOPE', { amount: '1' })).statusCode).toBe(404);
  });

  it('reverses a payment, restoring exactly what it paid off, and filters payments', async () => {
    const reversed = await ok('POST', '/payments/PAY-1/reverse', { reason: 'cheque devuelto' });
    expect(reversed).toMatchObject({ reversed: true, reversal_reason: 'cheque devuelto' });
    const f1 = await ok('GET', '/obligations/F-1');
    expect(f1.balance).toBe('1000.00');
    const again = await call(h.app, h.a.key, 'POST', '/payments/PAY-1/reverse', { reason: 'otra vez' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('conflict');

    const ids = async (query: string) => ((await ok('GET', `/payments?${query}`)).data as Array<{ external_id: string }>).map((p) => p.external_id);
    expect(await ids('')).toEqual(['PAY-2', 'PAY-1']);
    expect(await ids('reversed=true')).toEqual(['PAY-1']);
    expect(await ids('reversed=false')).toEqual(['PAY-2']);
    expect(await ids('paid_from=2026-03-02')).toEqual(['PAY-2']);
    expect(await ids('paid_to=2026-03-01&debtor_external_id=C-1')).toEqual(['PAY-1']);
    const page1 = await ok('GET', '/payments?limit=1');
    const page2 = await ok('GET', `/payments?limit=1&cursor=${page1.next_cursor}`);
    expect([page1.data[0].external_id, page2.data[0].external_id]).toEqual(['PAY-2', 'PAY-1']);
    expect(page2.next_cursor).toBeNull();
  });

  it('deletes a payment entered by mistake', async () => {
    await ok('DELETE', '/payments/PAY-2', undefined, 204);
    expect((await call(h.app, h.a.key, 'GET', '/payments/PAY-2')).statusCode).toBe(404);
    expect((await ok('GET', '/debtors/C-1')).unapplied).toEqual({});
    expect((await call(h.app, h.a.key, 'DELETE', '/payments/PAY-2')).statusCode).toBe(404);
  });

  it('keeps companies apart for obligations and payments', async () => {
    const other = h.b.key;
    expect((await call(h.app, other, 'GET', '/obligations/F-1')).statusCode).toBe(404);
    expect((await call(h.app, other, 'GET', '/payments/PAY-1')).statusCode).toBe(404);
    expect((await call(h.app, other, 'GET', '/obligations')).json().data).toEqual([]);
    expect((await call(h.app, other, 'GET', '/payments')).json().data).toEqual([]);
    expect((await call(h.app, other, 'PATCH', '/obligations/F-1', { amount: '1.00' })).statusCode).toBe(404);
    expect((await call(h.app, other, 'POST', '/payments/PAY-1/reverse', { reason: 'x' })).statusCode).toBe(404);
    expect((await call(h.app, other, 'DELETE', '/payments/PAY-1')).statusCode).toBe(404);
    // B cannot attach its obligation to A's debtor either: in B's company that debtor does not exist.
    const cross = await call(h.app, other, 'POST', '/obligations', { external_id: 'X-1', debtor_external_id: 'C-1', currency: 'MXN', amount: '1', due_on: '2026-01-01' });
    expect(cross.statusCode).toBe(400);
    expect((await ok('GET', '/obligations/F-1')).amount).toBe('1000.00');
  });
});
