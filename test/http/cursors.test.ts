/**
 * A list's cursor is good only for the list and order that made it: one from another list (GET /payments' on GET
 * /obligations, which have the same key shape) or from another sort of the same list (GET /accounts by balance on GET
 * /accounts by name, or ascending on descending) is a 400 that says to start again, never a silently wrong page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPortfolio } from '../../src/modules/collection-runs/index.ts';
import { saveRecords } from '../../src/modules/portfolio/index.ts';
import { call, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ now: '2026-03-15T18:00:00Z' });
  const n = [1, 2, 3, 4];
  await saveRecords(h.a.ctx, { entity: 'debtors', rows: n.map((i) => ({ external_id: `C-${i}`, name: `Deudor ${i}` })) });
  await saveRecords(h.a.ctx, {
    entity: 'obligations',
    rows: n.map((i) => ({ external_id: `CO-${i}`, debtor_external_id: `C-${i}`, currency: 'MXN', amount: `${i}00.00`, due_on: `2026-0${i}-01` })),
  });
  await saveRecords(h.a.ctx, {
    entity: 'payments',
    rows: n.map((i) => ({ external_id: `CP-${i}`, debtor_external_id: `C-${i}`, currency: 'MXN', amount: '1.00', paid_on: `2026-01-0${i}` })),
  });
  await runPortfolio(h.a.ctx, { asOf: '2026-03-15' });
}, 120_000);
afterAll(async () => {
  await h?.close();
});

async function nextCursor(url: string): Promise<string> {
  const res = await call(h.app, h.a.key, 'GET', url);
  expect(res.statusCode, res.body).toBe(200);
  const cursor = (res.json() as { next_cursor: string | null }).next_cursor;
  expect(cursor, url).not.toBeNull();
  return cursor!;
}

async function expectOtherList(url: string, cursor: string) {
  const res = await call(h.app, h.a.key, 'GET', `${url}${url.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`);
  expect(res.statusCode, `${url}: ${res.body}`).toBe(400);
  expect(res.json()).toMatchObject({ code: 'validation_failed', message: 'this cursor belongs to another list or sort; start again without it', details: [{ path: 'query.cursor' }] });
  const es = await call(h.app, h.a.key, 'GET', `${url}${url.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`, undefined, { 'accept-language': 'es-MX' });
  expect(es.json().message).toBe('este cursor pertenece a otra lista u otro orden; vuelva a empezar sin él');
}

describe('cursors are bound to their list and sort', () => {
  it('still walks each list page after page with its own cursor', async () => {
    for (const url of ['/debtors?limit=1', '/debtors?sort=name&limit=1', '/obligations?limit=1', '/payments?limit=1', '/accounts?sort=name&limit=1', '/accounts?sort=balance&currency=MXN&limit=1']) {
      const cursor = await nextCursor(url);
      const res = await call(h.app, h.a.key, 'GET', `${url}&cursor=${encodeURIComponent(cursor)}`);
      expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
      expect(res.json().data).toHaveLength(1);
    }
    // The default order and the same order named are one list.
    const byName = await nextCursor('/accounts?sort=name&limit=1');
    expect((await call(h.app, h.a.key, 'GET', `/accounts?sort=name&order=asc&limit=1&cursor=${byName}`)).statusCode).toBe(200);
  });

  it('refuses a cursor from another list', async () => {
    await expectOtherList('/obligations', await nextCursor('/payments?limit=1'));
    await expectOtherList('/payments', await nextCursor('/obligations?limit=1'));
    await expectOtherList('/obligations', await nextCursor('/debtors?limit=1'));
    await expectOtherList('/audit', await nextCursor('/debtors?sort=name&limit=1'));
    await expectOtherList('/accounts', await nextCursor('/debtors?limit=1'));
  });

  it('refuses a cursor from another sort or order of the same list', async () => {
    await expectOtherList('/debtors?sort=name', await nextCursor('/debtors?limit=1'));
    await expectOtherList('/accounts?sort=name', await nextCursor('/accounts?sort=balance&currency=MXN&limit=1'));
    await expectOtherList('/accounts?sort=name&order=desc', await nextCursor('/accounts?sort=name&limit=1'));
    await expectOtherList('/accounts?sort=balance&currency=USD', await nextCursor('/accounts?sort=balance&currency=MXN&limit=1'));
  });
});
