import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
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
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE' | 'OPTIONS';
  url: string;
  body?: unknown;
  raw?: string | Buffer;
  contentType?: string;
  status: number;
  /** The error code, where the probe pins it. */
  code?: string;
}

const csvPart = '--x\r\nContent-Disposition: form-data; name="file"; filename="d.csv"\r\nContent-Type: text/csv\r\n\r\nexternal_id,name\r\nM-6,Cortado';

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
  { what: 'non-JSON body', method: 'POST', url: '/payments', raw: '{"external_id": "x",', contentType: 'application/json', status: 400, code: 'invalid_json' },
  { what: 'empty JSON body', method: 'POST', url: '/debtors', raw: '', contentType: 'application/json', status: 400, code: 'empty_body' },
  { what: 'blank JSON body', method: 'POST', url: '/debtors', raw: ' \n', contentType: 'application/json', status: 400, code: 'empty_body' },
  { what: 'empty JSON body where no body is needed', method: 'POST', url: '/runs', raw: '', contentType: 'application/json', status: 400, code: 'empty_body' },
  { what: 'prototype pollution', method: 'POST', url: '/debtors', raw: '{"external_id":"M-3","name":"x","__proto__":{"admin":true}}', contentType: 'application/json', status: 400, code: 'invalid_json' },
  { what: 'text/plain body', method: 'POST', url: '/debtors', raw: 'external_id=M-2', contentType: 'text/plain', status: 415, code: 'unsupported_media_type' },
  { what: 'JSON sent as XML', method: 'POST', url: '/debtors', raw: '{"external_id":"M-2","name":"x"}', contentType: 'application/xml', status: 415, code: 'unsupported_media_type' },
  { what: 'JSON sent as a web form', method: 'POST', url: '/debtors', raw: '{"external_id":"M-2","name":"x"}', contentType: 'application/x-www-form-urlencoded', status: 415, code: 'unsupported_media_type' },
  { what: 'JSON without a Content-Type', method: 'POST', url: '/debtors', raw: '{"external_id":"M-2","name":"x"}', status: 415, code: 'unsupported_media_type' },
  { what: 'an unreadable Content-Type', method: 'POST', url: '/debtors', raw: '{}', contentType: ';;;', status: 415, code: 'unsupported_media_type' },
  { what: 'body over the limit', method: 'POST', url: '/debtors', raw: JSON.stringify({ external_id: 'M-4', name: 'x'.repeat(70 * 1024) }), contentType: 'application/json', status: 413, code: 'payload_too_large' },
  { what: 'NUL in a field', method: 'POST', url: '/debtors', body: { external_id: 'M-5', name: 'a\u0000b' }, status: 400 },
  { what: 'NUL in a path', method: 'GET', url: '/debtors/M%001', status: 400 },
  { what: 'broken percent-encoding in a path', method: 'GET', url: '/debtors/M%E0%A4%A', status: 400, code: 'bad_request' },
  { what: 'a 100-character id, percent-encoded', method: 'GET', url: `/debtors/${encodeURIComponent('Ñ'.repeat(100))}`, status: 404, code: 'not_found' },
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
  { what: 'import sent as JSON', method: 'POST', url: '/imports/debtors', raw: '{}', contentType: 'application/json', status: 415, code: 'unsupported_media_type' },
  { what: 'multipart without a boundary', method: 'POST', url: '/imports/debtors', raw: 'xx', contentType: 'multipart/form-data', status: 400, code: 'malformed_form' },
  { what: 'multipart with a boundary it never uses', method: 'POST', url: '/imports/debtors', raw: 'not a form', contentType: 'multipart/form-data; boundary=x', status: 400, code: 'malformed_form' },
  { what: 'multipart boundary too long', method: 'POST', url: '/imports/debtors', raw: 'x', contentType: `multipart/form-data; boundary=${'b'.repeat(300)}`, status: 400, code: 'malformed_form' },
  { what: 'multipart cut short in a field', method: 'POST', url: '/imports/debtors', raw: '--x\r\nContent-Disposition: form-data; name="dry_run"\r\n\r\ntru', contentType: 'multipart/form-data; boundary=x', status: 400, code: 'malformed_form' },
  { what: 'multipart cut short in the file', method: 'POST', url: '/imports/debtors', raw: csvPart, contentType: 'multipart/form-data; boundary=x', status: 400, code: 'malformed_form' },
  { what: 'multipart cut short in the file, in the background', method: 'POST', url: '/imports/debtors?async=true', raw: csvPart, contentType: 'multipart/form-data; boundary=x', status: 400, code: 'malformed_form' },
  { what: 'unknown route', method: 'GET', url: '/debtor', status: 404, code: 'not_found' },
  { what: 'wrong method', method: 'PUT', url: '/debtors', body: {}, status: 405, code: 'method_not_allowed' },
  { what: 'wrong method on a path with an id', method: 'DELETE', url: '/debtors/M-1', status: 405, code: 'method_not_allowed' },
  { what: 'OPTIONS', method: 'OPTIONS', url: '/debtors', status: 405, code: 'method_not_allowed' },
];

/** Fails the probe instead of the whole file when the server never answers (a form cut short once hung the import). */
function withinSeconds<T>(seconds: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${seconds} s`)), seconds * 1000);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

describe('malformed requests', () => {
  it('answers every malformed request with a 4xx JSON error, never a 5xx', async () => {
    const failures: string[] = [];
    for (const p of PROBES) {
      let res;
      try {
        res = await withinSeconds(
          20,
          p.what,
          h.app.inject({
            method: p.method,
            url: p.url,
            headers: { authorization: `Bearer ${h.a.key}`, ...(p.contentType !== undefined && { 'content-type': p.contentType }) },
            ...(p.body !== undefined && { payload: p.body as object }),
            ...(p.raw !== undefined && { payload: p.raw }),
          }),
        );
      } catch (error) {
        failures.push((error as Error).message);
        continue;
      }
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
      if (p.code !== undefined && body.code !== p.code) failures.push(`${p.what}: expected code ${p.code}, got ${String(body.code)}`);
      if (!String(res.headers['content-type']).startsWith('application/json')) failures.push(`${p.what}: content-type ${String(res.headers['content-type'])}`);
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

  it('says what to send instead, naming what was sent', async () => {
    const inject = (method: 'POST' | 'PUT', url: string, payload: string, contentType?: string) =>
      h.app.inject({ method, url, headers: { authorization: `Bearer ${h.a.key}`, ...(contentType && { 'content-type': contentType }) }, payload });
    const broken = (await inject('POST', '/debtors', '{"external_id": "M-2",', 'application/json')).json();
    expect(broken).toMatchObject({ code: 'invalid_json', details: [{ path: 'body', reason: expect.stringMatching(/JSON/) }] });
    expect(broken.message).toMatch(/not valid JSON/);
    expect((await inject('POST', '/debtors', '', 'application/json')).json().message).toMatch(/no body; send a JSON object/);
    const xml = (await inject('POST', '/debtors', '<debtor/>', 'application/xml')).json();
    expect(xml.message).toBe('POST /debtors does not accept a body of type "application/xml"; send JSON with the header "Content-Type: application/json"');
    expect(xml.details).toEqual([{ path: 'headers.content-type', reason: '"application/xml" is not accepted' }]);
    expect((await inject('POST', '/debtors', JSON.stringify({ name: 'x'.repeat(70 * 1024) }), 'application/json')).json().message).toMatch(/larger than the 64 KiB this server accepts/);
    const wrongMethod = await inject('PUT', '/debtors', '{}', 'application/json');
    expect(wrongMethod.statusCode).toBe(405);
    expect(wrongMethod.headers.allow).toBe('GET, HEAD, POST');
    expect(wrongMethod.json().message).toBe('/debtors does not take PUT; use GET, HEAD, POST');
    expect((await call(h.app, h.a.key, 'GET', '/debtor')).json().message).toMatch(/^there is no route GET \/debtor; .*\/docs/);
    const cut = (await inject('POST', '/imports/debtors', csvPart, 'multipart/form-data; boundary=x')).json();
    expect(cut.message).toMatch(/not a complete multipart\/form-data form \(it ends before its closing boundary\)/);
    const asJson = (await inject('POST', '/imports/debtors', '{}', 'application/json')).json();
    expect(asJson.message).toMatch(/an import takes a multipart\/form-data body, not "application\/json"/);
  });

  it('answers requests that are not HTTP at all in the same shape', async () => {
    const app = buildServer({ database: h.database, clock: h.clock, webRoot: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    const raw = (request: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port }, () => socket.end(request));
        let answer = '';
        socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
        socket.on('close', () => resolve(answer));
        socket.on('error', reject);
      });
    try {
      const garbage = await raw('HELLO THERE\r\n\r\n');
      expect(garbage).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
      expect(JSON.parse(garbage.slice(garbage.indexOf('\r\n\r\n') + 4))).toEqual({ code: 'bad_request', message: expect.stringMatching(/not valid HTTP/), details: [] });
      const huge = await raw(`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
      expect(huge).toMatch(/^HTTP\/1\.1 431 /);
      expect(JSON.parse(huge.slice(huge.indexOf('\r\n\r\n') + 4))).toMatchObject({ code: 'headers_too_large', details: [] });
    } finally {
      await app.close();
    }
  });

  it('wrote nothing for the refused requests', async () => {
    for (const id of ['M-2', 'M-3', 'M-4', 'M-5', 'M-6']) expect((await call(h.app, h.a.key, 'GET', `/debtors/${id}`)).statusCode).toBe(404);
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
