/**
 * Errors answer in the language the request asks for (docs/adr/0012): Spanish for any `es…` tag that outweighs
 * English, English without the header or when Spanish is refused (q=0); Content-Language names the language and Vary
 * names Accept-Language, so a cache keeps one answer per language. The same refusal, in both languages, keeps its code,
 * status and paths: only the sentences change.
 */
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  // 12:00 on 15 March 2026 in Mexico City.
  h = await startHarness({ now: '2026-03-15T18:00:00Z' });
});
afterAll(async () => {
  await h?.close();
});

async function send(language: string | null, options: InjectOptions, key: string | null = h.a.key) {
  const headers: Record<string, string> = { ...(options.headers as Record<string, string>) };
  if (key) headers.authorization = `Bearer ${key}`;
  if (language !== null) headers['accept-language'] = language;
  const res = await h.app.inject({ ...options, headers });
  return { status: res.statusCode, language: res.headers['content-language'], vary: String(res.headers.vary ?? ''), body: res.json() };
}

const futureRun: InjectOptions = { method: 'POST', url: '/runs', headers: { 'content-type': 'application/json' }, payload: '{"as_of":"2030-01-01"}' };

describe('the language of an error', () => {
  it('follows Accept-Language by weight, English by default and when Spanish is refused', async () => {
    const cases: Array<[string | null, 'en' | 'es-MX']> = [
      [null, 'en'],
      ['es', 'es-MX'],
      ['es-MX,es;q=0.9,en;q=0.5', 'es-MX'],
      ['es-AR', 'es-MX'],
      ['fr, es;q=0.4, en;q=0.3', 'es-MX'],
      ['en-US,es;q=0.8', 'en'],
      ['es;q=0.5, en;q=0.9', 'en'],
      ['es;q=0', 'en'],
      ['de, fr', 'en'],
      ['*', 'en'],
    ];
    for (const [header, expected] of cases) {
      const res = await send(header, futureRun);
      expect(res.status, `${header}`).toBe(422);
      expect(res.language, `${header}`).toBe(expected);
      expect(res.vary).toMatch(/Accept-Language/);
      expect(res.body.code).toBe('run_date_in_future');
      expect(res.body.message, `${header}`).toMatch(expected === 'en' ? /^as-of date 2030-01-01: it is after today/ : /^fecha de corte 2030-01-01: es posterior a hoy/);
    }
  });

  it('changes only the sentences: code, status and paths stay the same', async () => {
    const shapes: InjectOptions[] = [
      futureRun,
      { method: 'POST', url: '/debtors', headers: { 'content-type': 'application/json' }, payload: '{"external_id": 5}' },
      { method: 'POST', url: '/debtors', headers: { 'content-type': 'application/json' }, payload: '{"external_id": ' },
      { method: 'GET', url: '/debtors/NOPE' },
      { method: 'GET', url: '/no-such-route' },
    ];
    for (const shape of shapes) {
      const en = await send('en', shape);
      const es = await send('es', shape);
      expect(es.status, shape.url as string).toBe(en.status);
      expect(es.body.code).toBe(en.body.code);
      expect(es.body.details.map((d: { path: string }) => d.path)).toEqual(en.body.details.map((d: { path: string }) => d.path));
      expect(es.body.message).not.toBe(en.body.message);
    }
  });

  it('says in Spanish what is wrong with a body, where, and how to fix it', async () => {
    const shape = await send('es-MX', { method: 'POST', url: '/debtors', headers: { 'content-type': 'application/json' }, payload: '{"external_id": 5}' });
    expect(shape.status).toBe(400);
    expect(shape.body.details).toEqual([
      { path: 'body.external_id', reason: 'debe ser texto; se recibió un número' },
      { path: 'body.name', reason: 'es obligatorio' },
    ]);
    const broken = await send('es-MX', { method: 'POST', url: '/debtors', headers: { 'content-type': 'application/json' }, payload: '{"external_id": ' });
    expect(broken.body.code).toBe('invalid_json');
    expect(broken.body.message).toMatch(/^el cuerpo de la solicitud no es JSON válido/);
    // The same in plain English, not a type checker's words.
    const english = await send('en', { method: 'POST', url: '/debtors', headers: { 'content-type': 'application/json' }, payload: '{"external_id": 5}' });
    expect(english.body.details).toEqual([
      { path: 'body.external_id', reason: 'must be text; got a number' },
      { path: 'body.name', reason: 'is required' },
    ]);
    // An amount sent as a JSON number: why it must be text.
    const number = await send('en', { method: 'POST', url: '/obligations', headers: { 'content-type': 'application/json' }, payload: '{"external_id":"O1","debtor_external_id":"D1","currency":"MXN","amount":12.34,"due_on":"2026-03-01"}' });
    expect(number.body.details).toEqual([{ path: 'body.amount', reason: 'must be a decimal string such as "1250.50": amounts travel as text so that no cent is lost to floating point' }]);
    const numero = await send('es', { method: 'POST', url: '/payments', headers: { 'content-type': 'application/json' }, payload: '{"external_id":"P1","debtor_external_id":"D1","currency":"MXN","amount":5,"paid_on":"2026-03-01"}' });
    expect(numero.body.details).toEqual([{ path: 'body.amount', reason: 'debe ser un texto decimal como "1250.50": los montos viajan como texto para que no se pierda ningún centavo en decimales binarios' }]);
    const absent = await send('en', { method: 'POST', url: '/payments', headers: { 'content-type': 'application/json' }, payload: '{"external_id":"P1","debtor_external_id":"D1","currency":"MXN","paid_on":"2026-03-01"}' });
    expect(absent.body.details).toEqual([{ path: 'body.amount', reason: 'is required' }]);
    const limit = await send('en', { method: 'GET', url: '/debtors?limit=abc' });
    expect(limit.body.details).toEqual([{ path: 'query.limit', reason: 'must be a number' }]);
    // Bounds, choices and unknown fields as sentences, not zod's "Too small: expected number to be >=1".
    expect((await send('en', { method: 'GET', url: '/debtors?limit=0' })).body.details).toEqual([{ path: 'query.limit', reason: 'must be at least 1' }]);
    expect((await send('en', { method: 'GET', url: '/accounts?phase=nope' })).body.details).toEqual([
      { path: 'query.phase', reason: 'must be one of: preventive, administrative, extrajudicial, judicial, written_off, settled' },
    ]);
    // A value failing two checks that read alike is listed once.
    expect((await send('en', { method: 'GET', url: '/runs/99999999999999999999' })).body.details).toEqual([{ path: 'params.id', reason: 'must be at most 9007199254740991' }]);
    const missing = await send('es-MX', { method: 'GET', url: '/debtors/NOPE' });
    expect(missing).toMatchObject({ status: 404, language: 'es-MX', body: { code: 'not_found', message: 'no existe el deudor "NOPE"' } });
  });

  it('answers a request without a key in its language too', async () => {
    const es = await send('es', { method: 'GET', url: '/debtors' }, null);
    expect(es).toMatchObject({ status: 401, language: 'es-MX', body: { code: 'unauthorized' } });
    expect(es.body.message).toMatch(/clave de API/);
    const en = await send(null, { method: 'GET', url: '/debtors' }, null);
    expect(en).toMatchObject({ status: 401, language: 'en', body: { code: 'unauthorized' } });
    expect(en.body.message).toMatch(/API key/);
  });
});
