/**
 * Payments that would make balances wrong are refused with the row, the column and the reason, and nothing is written:
 * a payment dated after the company's today (the balances of today would count money that has not arrived, and
 * disagree with the aging of today), and a change to a reversed payment's money (a correction is a new payment). A
 * reversed payment sent again unchanged, as a re-exported file does, is still accepted; a payment naming an obligation
 * owed in another currency is accepted and applies in its own currency.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  // 23:30 on 15 March 2026 in Mexico City (UTC−6): already the 16th in UTC.
  h = await startHarness({ now: '2026-03-16T05:30:00Z' });
  const ok = async (path: string, body: unknown) => {
    const res = await call(h.app, h.a.key, 'POST', path, body);
    expect(res.statusCode, res.body).toBeLessThan(300);
  };
  await ok('/debtors', { external_id: 'R-1', name: 'Reglas SA' });
  await ok('/obligations', { external_id: 'R-MXN', debtor_external_id: 'R-1', currency: 'MXN', amount: '1000.00', due_on: '2026-02-01' });
  await ok('/obligations', { external_id: 'R-USD', debtor_external_id: 'R-1', currency: 'USD', amount: '80.00', due_on: '2026-02-01' });
});
afterAll(async () => {
  await h?.close();
});

const balances = async () => {
  const get = async (id: string) => (await call(h.app, h.a.key, 'GET', `/obligations/${id}`)).json().balance;
  return { mxn: await get('R-MXN'), usd: await get('R-USD') };
};
const payments = async () => (await call(h.app, h.a.key, 'GET', '/payments')).json().data.map((p: { external_id: string }) => p.external_id);

describe('a payment dated after today', () => {
  it('is refused in the company time zone, and today is accepted', async () => {
    const before = await balances();
    const res = await call(h.app, h.a.key, 'POST', '/payments', { external_id: 'R-P1', debtor_external_id: 'R-1', currency: 'MXN', amount: '100.00', paid_on: '2026-03-16' });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().details).toEqual([{ path: 'body.paid_on', reason: '2026-03-16 is after today (2026-03-15); a payment can only be recorded once it is made' }]);
    expect(await balances()).toEqual(before);
    expect(await payments()).toEqual([]);

    const today = await call(h.app, h.a.key, 'POST', '/payments', { external_id: 'R-P1', debtor_external_id: 'R-1', currency: 'MXN', amount: '100.00', paid_on: '2026-03-15' });
    expect(today.statusCode, today.body).toBe(201);
    expect((await balances()).mxn).toBe('900.00');
  });

  it('is refused in a file with its line, in Spanish when asked', async () => {
    const csv = 'id_pago,id_cliente,monto,moneda,fecha_pago\nR-P2,R-1,10.00,MXN,15/03/2026\nR-P3,R-1,10.00,MXN,01/04/2026\n';
    const res = await h.app.inject({
      method: 'POST',
      url: '/imports/payments',
      headers: { authorization: `Bearer ${h.a.key}`, 'content-type': 'multipart/form-data; boundary=X', 'accept-language': 'es-MX' },
      payload: `--X\r\nContent-Disposition: form-data; name="date_format"\r\n\r\nDD/MM/YYYY\r\n--X\r\nContent-Disposition: form-data; name="file"; filename="pagos.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--X--\r\n`,
    });
    const body = res.json();
    expect(JSON.stringify(body), res.body).toContain('2026-04-01 es posterior a hoy (2026-03-15); un pago solo puede registrarse una vez hecho');
    expect(JSON.stringify(body)).toMatch(/"line":3/);
    expect(await payments()).toEqual(['R-P1']);
  });
});

describe('a payment naming an obligation owed in another currency', () => {
  it('is accepted and applies in its own currency, never to the named obligation (DOMAIN.md §2)', async () => {
    const before = await balances();
    const res = await call(h.app, h.a.key, 'POST', '/payments', { external_id: 'R-P5', debtor_external_id: 'R-1', obligation_external_id: 'R-USD', currency: 'MXN', amount: '10.00', paid_on: '2026-03-10' });
    expect(res.statusCode, res.body).toBe(201);
    expect(await balances()).toEqual({ mxn: '890.00', usd: before.usd });
    const usd = await call(h.app, h.a.key, 'POST', '/payments', { external_id: 'R-P4', debtor_external_id: 'R-1', obligation_external_id: 'R-USD', currency: 'USD', amount: '10.00', paid_on: '2026-03-10' });
    expect(usd.statusCode, usd.body).toBe(201);
    expect(await balances()).toEqual({ mxn: '890.00', usd: '70.00' });
  });
});

describe('a reversed payment', () => {
  it('keeps its money: a change is refused, the same row again is a no-op', async () => {
    const reversed = await call(h.app, h.a.key, 'POST', '/payments/R-P4/reverse', { reason: 'cheque devuelto' });
    expect(reversed.statusCode, reversed.body).toBe(200);
    expect((await balances()).usd).toBe('80.00');

    const changed = await call(h.app, h.a.key, 'POST', '/payments', { external_id: 'R-P4', debtor_external_id: 'R-1', obligation_external_id: 'R-USD', currency: 'USD', amount: '50.00', paid_on: '2026-03-10' });
    expect(changed.statusCode, changed.body).toBe(400);
    expect(changed.json().details).toEqual([{ path: 'body.external_id', reason: expect.stringMatching(/^payment "R-P4" was reversed on 2026-03-1\d; a reversed payment cannot be changed — record the correction as a new payment$/) }]);
    // Blanking the named obligation would clear it: also a change.
    const cleared = await call(h.app, h.a.key, 'POST', '/payments', { external_id: 'R-P4', debtor_external_id: 'R-1', obligation_external_id: null, currency: 'USD', amount: '10.00', paid_on: '2026-03-10' });
    expect(cleared.statusCode, cleared.body).toBe(400);
    expect(cleared.json().details).toEqual([{ path: 'body.external_id', reason: expect.stringMatching(/^payment "R-P4" was reversed on /) }]);
    const stored = (await call(h.app, h.a.key, 'GET', '/payments/R-P4')).json();
    expect(stored).toMatchObject({ amount: '10.00', reversed: true });

    const again = await call(h.app, h.a.key, 'POST', '/payments', { external_id: 'R-P4', debtor_external_id: 'R-1', obligation_external_id: 'R-USD', currency: 'USD', amount: '10.00', paid_on: '2026-03-10' });
    expect(again.statusCode, again.body).toBeLessThan(300);
    expect((await balances()).usd).toBe('80.00');
  });
});
