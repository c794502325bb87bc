/**
 * A list's cursor is good only for the list and order that made it: one from another list (GET /payments' on GET
 * /obligations, which have the same key shape) or from another sort of the same list (GET /accounts by balance on GET
 * /accounts by name, or ascending on descending) is a 400 that says to start again, never a silently wrong page.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runPortfolio } from '../../src/modules/collection-runs/index.ts';
import { saveRecords } from '../../src/modules/portfolio/index.ts';
import { getWorklist } from '../../src/modules/worklists/get-worklist.ts';
import { timelinePageSql } from '../../src/modules/messaging/debtor-timeline.ts';
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

describe('a cursor the database would refuse', () => {
  const forged = (list: string, key: unknown[]) => Buffer.from(JSON.stringify({ l: list, k: key })).toString('base64url');
  const cases: Array<[string, string]> = [
    ['/debtors', forged('debtors.external_id', ['C-1\u0000', 1])],
    ['/debtors?sort=name', forged('debtors.name', ['\ud800', 1])],
    ['/obligations', forged('obligations', ['2026-02-30', 1])],
    ['/payments', forged('payments', ['2026-00-10', 1])],
    ['/accounts', forged('accounts.days_past_due.desc', [2 ** 40, 1, 1])],
    ['/accounts?sort=name', forged('accounts.name.asc', ['x\u0000', 1, 1])],
    ['/audit', forged('audit', ['275760-09-13T00:00:00Z', 1])],
    ['/audit', forged('audit', ['-271821-04-20T00:00:00Z', 1])],
    ['/audit', forged('audit', ['0000-06-01T00:00:00Z', 1])],
  ];
  it.each(cases)('%s answers a plain 400 and logs no error', async (url, cursor) => {
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const res = await call(h.app, h.a.key, 'GET', `${url}${url.includes('?') ? '&' : '?'}cursor=${cursor}`);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toMatchObject({ code: 'validation_failed', details: [{ path: 'query.cursor' }] });
    } finally {
      spy.mockRestore();
    }
    expect(written.join('')).toBe('');
  });

  it("refuses a worklist cursor beyond a bigint before it reaches SQL", async () => {
    await expect(getWorklist(h.a.ctx, { collectorId: 1, cursor: forged('worklist', ['9223372036854775808', '1']) })).rejects.toMatchObject({
      code: 'validation_failed',
      details: [{ path: 'query.cursor' }],
    });
  });
});

describe("a debtor timeline's ?before= the database would refuse", () => {
  const forged = (key: unknown[]) => Buffer.from(JSON.stringify(key)).toString('base64url');
  it.each([
    ['a bigint out of range', forged(['9223372036854775808', '1', 0, '1', 'payment'])],
    ['a rank beyond an int', forged(['1', '1', 2 ** 40, '1', 'payment'])],
    ['a NUL in the kind', forged(['1', '1', 0, '1', 'pay\u0000'])],
  ])('refuses %s before it reaches SQL', (_what, before) => {
    expect(() => timelinePageSql(h.a.companyId, 1, 'America/Mexico_City', 10, before)).toThrow(expect.objectContaining({ code: 'validation_failed', details: [expect.objectContaining({ path: 'query.before' })] }));
  });
});
