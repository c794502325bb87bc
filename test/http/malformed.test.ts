import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/http/server.ts';
import { call, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ bodyLimit: 64 * 1024 });
  await call(h.app, h.a.key, 'POST', '/debtors', { external_id: 'M-1', name: 'Malo' });
});
afterAll(async () => {
  await h?.close();
});

interface Probe {
  what: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  body?: unknown;
  raw?: string | Buffer;
  contentType?: string;
  status: number;
}

const obligation = { external_id: 'M-O', debtor_external_id: 'M-1', currency: 'MXN', amount: '10.00', due_on: '2026-01-31' };

const PROBES: Probe[] = [
  { what: 'wrong type for a field', method: 'POST', url: '/debtors', body: { external_id: 'M-2', name: 123 }, status: 400 },
  { what: 'unknown field', method: 'POST', url: '/debtors', body: { external_id: 'M-2', name: 'x', colour: 'red' }, status: 400 },
  { what: 'array instead of an object', method: 'POST', url: '/debtors', body: [{ external_id: 'M-2' }], status: 400 },
  { what: 'impossible due date', method: 'POST', url: '/obligations', body: { ...obligation, due_on: '2026-02-30' }, status: 400 },
  { what: 'more decimals than MXN has', method: 'POST', url: '/obligations', body: { ...obligation, amount: '12.345' }, status: 400 },
  { what: 'amount as a JSON number', method: 'POST', url: '/obligations', body: { ...obligation, amount: 12.5 }, status: 400 },
  { what: 'amount in exponent form', method: 'POST', url: '/payments', body: { external_id: 'M-P', debtor_external_id: 'M-1', currency: 'MXN', amount: '1e400', paid_on: '2026-01-01' }, status: 400 },
  { what: 'huge amount', method: 'POST', url: '/payments', body: { external_id: 'M-P', debtor_external_id: 'M-1', currency: 'MXN', amount: '99999999999999999999999999', paid_on: '2026-01-01' }, status: 400 },
  { what: 'unknown currency', method: 'POST', url: '/obligations', body: { ...obligation, currency: 'XYZ' }, status: 400 },
  { what: 'non-JSON body', method: 'POST', url: '/payments', raw: '{"external_id": "x",', contentType: 'application/json', status: 400 },
  { what: 'empty JSON body', method: 'POST', url: '/debtors', raw: '', contentType: 'application/json', status: 400 },
  { what: 'prototype pollution', method: 'POST', url: '/debtors', raw: '{"external_id":"M-3","name":"x","__proto__":{"admin":true}}', contentType: 'application/json', status: 400 },
  { what: 'text/plain body', method: 'POST', url: '/debtors', raw: 'external_id=M-2', contentType: 'text/plain', status: 415 },
  { what: 'body over the limit', method: 'POST', url: '/debtors', raw: JSON.stringify({ external_id: 'M-4', name: 'x'.repeat(70 * 1024) }), contentType: 'application/json', status: 413 },
  { what: 'NUL in a field', method: 'POST', url: '/debtors', body: { external_id: 'M-5', name: 'a\u0000b' }, status: 400 },
  { what: 'NUL in a path', method: 'GET', url: '/debtors/M%001', status: 400 },
  { what: 'empty patch', method: 'PATCH', url: '/debtors/M-1', body: {}, status: 400 },
  { what: 'patching the external id', method: 'PATCH', url: '/debtors/M-1', body: { external_id: 'M-9' }, status: 400 },
  { what: 'huge limit', method: 'GET', url: '/debtors?limit=100000', status: 400 },
  { what: 'limit zero', method: 'GET', url: '/debtors?limit=0', status: 400 },
  { what: 'limit not a number', method: 'GET', url: '/debtors?limit=lots', status: 400 },
  { what: 'unknown query parameter', method: 'GET', url: '/debtors?contry=MX', status: 400 },
  { what: 'garbage cursor', method: 'GET', url: '/obligations?cursor=eyJ', status: 400 },
  { what: 'cursor of the wrong shape', method: 'GET', url: `/accounts?cursor=${Buffer.from('[{"a":1}]').toString('base64url')}`, status: 400 },
  { what: 'impossible date filter', method: 'GET', url: '/obligations?due_from=2026-02-30', status: 400 },
  { what: 'boolean filter not a boolean', method: 'GET', url: '/obligations?open=maybe', status: 400 },
  { what: 'balance filter without currency', method: 'GET', url: '/accounts?balance_min=100', status: 400 },
  { what: 'balance in an unknown currency', method: 'GET', url: '/accounts?currency=QQQ&sort=balance', status: 400 },
  { what: 'balance with too many decimals', method: 'GET', url: '/accounts?currency=CLP&balance_min=10.5', status: 400 },
  { what: 'unknown phase', method: 'GET', url: '/accounts?phase=purgatory', status: 400 },
  { what: 'run id not a number', method: 'GET', url: '/runs/abc', status: 400 },
  { what: 'run id too large', method: 'GET', url: '/runs/99999999999999999999', status: 400 },
  { what: 'run as of an impossible date', method: 'POST', url: '/runs', body: { as_of: '2026-13-01' }, status: 400 },
  { what: 'thresholds that do not increase', method: 'PUT', url: '/portfolios/default/phases', body: { judicial_from: 10 }, status: 400 },
  { what: 'thresholds of the wrong type', method: 'PUT', url: '/portfolios/default/phases', body: { judicial_from: '91' }, status: 400 },
  { what: 'segment rule that does not parse', method: 'POST', url: '/segments', body: { name: 'x', rule: 'days_past_due >>> 3' }, status: 400 },
  { what: 'hold with an unknown reason', method: 'POST', url: '/debtors/M-1/holds', body: { reason: 'bored' }, status: 400 },
  { what: 'hold expiring on an impossible date', method: 'POST', url: '/debtors/M-1/holds', body: { reason: 'dispute', expires_on: '2026-04-31' }, status: 400 },
  { what: 'aging without a date', method: 'GET', url: '/reports/aging', status: 400 },
  { what: 'import of an unknown entity', method: 'POST', url: '/imports/invoices', raw: '', contentType: 'multipart/form-data; boundary=x', status: 400 },
  { what: 'unknown route', method: 'GET', url: '/debtor', status: 404 },
  { what: 'wrong method', method: 'PUT', url: '/debtors', body: {}, status: 404 },
];

describe('malformed requests', () => {
  it('answers every malformed request with a 4xx JSON error, never a 5xx', async () => {
    const failures: string[] = [];
    for (const p of PROBES) {
      const res = await h.app.inject({
        method: p.method,
        url: p.url,
        headers: { authorization: `Bearer ${h.a.key}`, ...(p.contentType !== undefined && { 'content-type': p.contentType }) },
        ...(p.body !== undefined && { payload: p.body as object }),
        ...(p.raw !== undefined && { payload: p.raw }),
      });
      let body: { code?: unknown; message?: unknown; details?: unknown };
      try {
        body = res.json();
      } catch {
        failures.push(`${p.what}: body is not JSON: ${res.body.slice(0, 100)}`);
        continue;
      }
      if (res.statusCode !== p.status) failures.push(`${p.what}: expected ${p.status}, got ${res.statusCode} ${res.body.slice(0, 300)}`);
      if (res.statusCode >= 500) failures.push(`${p.what}: server error`);
      if (typeof body.code !== 'string' || typeof body.message !== 'string' || !Array.isArray(body.details)) failures.push(`${p.what}: not an error body: ${res.body.slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
    expect(PROBES.length).toBeGreaterThanOrEqual(12);
  });

  it('names each problem of a body with its path and reason', async () => {
    const res = await call(h.app, h.a.key, 'POST', '/obligations', { external_id: 5, currency: 'MXN', due_on: null });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('validation_failed');
    expect(body.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'body.external_id', reason: expect.any(String) }),
        expect.objectContaining({ path: 'body.debtor_external_id' }),
        expect.objectContaining({ path: 'body.amount' }),
        expect.objectContaining({ path: 'body.due_on' }),
      ]),
    );
  });

  it('wrote nothing for the refused requests', async () => {
    for (const id of ['M-2', 'M-3', 'M-4', 'M-5']) expect((await call(h.app, h.a.key, 'GET', `/debtors/${id}`)).statusCode).toBe(404);
    expect((await call(h.app, h.a.key, 'GET', '/obligations/M-O')).statusCode).toBe(404);
    expect((await call(h.app, h.a.key, 'GET', '/payments/M-P')).statusCode).toBe(404);
    expect((await call(h.app, h.a.key, 'GET', '/debtors/M-1')).json().holds).toEqual([]);
  });
});

describe('unexpected errors', () => {
  it('answers 500 internal_error without leaking the message or the stack', async () => {
    const app = buildServer({ database: h.database, clock: h.clock });
    app.get('/boom', { config: { public: true } }, async () => {
      throw new Error('secret connection string postgres://user:pw@db');
    });
    const res = await app.inject({ method: 'GET', url: '/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ code: 'internal_error', message: expect.any(String), details: [] });
    expect(res.body).not.toMatch(/secret|postgres:|at \//);
    await app.close();
  });
});
