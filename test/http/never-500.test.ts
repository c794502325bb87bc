/**
 * Bad input is a 4xx a person can act on, never a 500 — checked on EVERY route the server registers (collected from
 * the Fastify instance, so a new route is covered without editing this file): hostile path parameters, query strings
 * and bodies of the wrong shape, sent by an administrator (who passes every permission check and so reaches the
 * handlers), each answered with a status below 500 and the `{code, message, details}` body.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAccessHarness, type AccessHarness, type RegisteredRoute } from '../access/harness.ts';

let h: AccessHarness;
let routes: RegisteredRoute[];

beforeAll(async () => {
  h = await startAccessHarness({ now: '2026-03-15T18:00:00Z' });
  routes = h.routes.filter((r) => r.method !== 'HEAD' && !r.url.startsWith('/docs') && !r.url.includes('*'));
  // Something to find, so handlers get past "not found" with the ids below.
  const post = (url: string, payload: object) => h.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${h.a.keys.admin}` }, payload });
  await post('/debtors', { external_id: 'X', name: 'Deudor X', country: 'MX' });
  await post('/obligations', { external_id: 'X', debtor_external_id: 'X', currency: 'MXN', amount: '100.00', due_on: '2026-01-10' });
  await post('/payments', { external_id: 'X', debtor_external_id: 'X', currency: 'MXN', amount: '10.00', paid_on: '2026-02-01' });
}, 120_000);

afterAll(async () => {
  await h?.close();
});

/** Path parameter values a client may send by mistake or on purpose. */
const PATH_VALUES = ['X', '0', '-1', '1.5', '99999999999999999999999', 'a'.repeat(300), '%E2%82', '%00', encodeURIComponent("x' OR '1'='1"), encodeURIComponent('🙂 ñ')];

/** A query string whose every common parameter is wrong. */
const BAD_QUERY =
  '?limit=abc&cursor=%25%25%25&as_of=2026-02-30&from=ayer&to=2026-13-01&phase=zzz&bucket=999&segment=&format=pdf&sort=nope' +
  `&status=%00&currency=XXXX&dpd_min=-1e309&dpd_max=NaN&q=${'x'.repeat(2000)}&offset=-5&language=fr&lang=fr&collector_id=abc&on_hold=maybe`;

/** Bodies of the wrong shape, and one with the usual field names holding the wrong types. */
const BODIES: Array<{ label: string; payload: string; type?: string }> = [
  { label: 'array', payload: '[]' },
  { label: 'string', payload: '"texto"' },
  { label: 'null', payload: 'null' },
  { label: 'number', payload: '1e999' },
  {
    label: 'wrong types',
    payload: JSON.stringify({
      external_id: 123, debtor_external_id: ['X'], name: null, amount: 'abc', currency: 'XXX', due_on: '2026-02-30', paid_on: 5,
      as_of: '31/12/2026', rule: '((((', reason: { a: 1 }, force: 'yes', phase: 7, email: 'no-es-correo', role: 'root',
      password: 1, date: 'mañana', installments: -3, channel: 'fax', language: 'fr', agency: '', steps: 'todos', items: {},
    }),
  },
  { label: 'deep', payload: JSON.stringify(JSON.parse('{"a":'.repeat(200) + '1' + '}'.repeat(200))) },
  { label: 'form', payload: 'a=1&b=2', type: 'application/x-www-form-urlencoded' },
];

function pathFor(route: RegisteredRoute, value: string): string {
  return route.url.replace(/:[A-Za-z_]+/g, value);
}

async function send(method: string, url: string, payload?: string, type = 'application/json') {
  const res = await h.app.inject({
    method: method as 'GET',
    url,
    headers: { authorization: `Bearer ${h.a.keys.admin}`, ...(payload !== undefined && { 'content-type': type }) },
    ...(payload !== undefined && { payload }),
  });
  return res;
}

describe('never a 500', () => {
  it('answers hostile path parameters, query strings and bodies on every route with a 4xx and an error body', { timeout: 600_000 }, async () => {
    const failures: string[] = [];
    let requests = 0;
    const check = async (method: string, url: string, payload?: string, type?: string) => {
      const res = await send(method, url, payload, type);
      requests += 1;
      const label = `${method} ${url.slice(0, 120)}${payload !== undefined ? ` body ${payload.slice(0, 40)}` : ''}`;
      if (res.statusCode >= 500) failures.push(`${label} → ${res.statusCode} ${res.body.slice(0, 200)}`);
      else if (res.statusCode >= 400 && res.headers['content-type']?.toString().startsWith('application/json')) {
        const body = res.json() as { code?: unknown; message?: unknown; details?: unknown };
        if (typeof body.code !== 'string' || typeof body.message !== 'string' || !Array.isArray(body.details)) failures.push(`${label} → ${res.statusCode} without {code, message, details}: ${res.body.slice(0, 200)}`);
      }
    };
    const withBody = (method: string) => method === 'POST' || method === 'PUT' || method === 'PATCH' || method === 'DELETE';
    for (const route of routes) {
      const hasParams = route.url.includes(':');
      for (const value of hasParams ? PATH_VALUES : ['']) {
        const path = hasParams ? pathFor(route, value) : route.url;
        await check(route.method, path, withBody(route.method) ? '{}' : undefined);
        await check(route.method, path + BAD_QUERY, withBody(route.method) ? '{}' : undefined);
        if (withBody(route.method)) {
          for (const body of value === PATH_VALUES[0] || !hasParams ? BODIES : BODIES.slice(0, 1)) await check(route.method, path, body.payload, body.type);
        }
      }
    }
    expect(requests).toBeGreaterThan(1000);
    expect(failures).toEqual([]);
  });
});
