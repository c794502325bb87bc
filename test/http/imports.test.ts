import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, multipart, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ uploadLimit: 64 * 1024 });
});
afterAll(async () => {
  await h?.close();
});

function withAuth(form: { payload: Buffer | string; headers: Record<string, string> }, language: string) {
  return { payload: form.payload, headers: { ...form.headers, authorization: `Bearer ${h.a.key}`, 'accept-language': language } };
}

function upload(entity: string, fields: Record<string, string>, file: { name: string; content: string | Buffer } | null, key = h.a.key) {
  const { payload, headers } = multipart(fields, file);
  return h.app.inject({ method: 'POST', url: `/imports/${entity}`, payload, headers: { ...headers, authorization: `Bearer ${key}` } });
}

const DEBTORS = ['id_cliente;nombre;estado;correo', 'I-1;Uno SA;Jalisco;uno@example.com', 'I-2;Dos SA;Nuevo León;dos@example.com', 'I-3;Tres SA;CDMX;'].join('\n');

describe('imports', () => {
  it('imports a good file and reports the counts', async () => {
    const res = await upload('debtors', {}, { name: 'deudores.csv', content: DEBTORS });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ entity: 'debtors', status: 'completed', rows: 3, inserted: 3, updated: 0, unchanged: 0, dry_run: false });
    expect((await call(h.app, h.a.key, 'GET', '/debtors/I-2')).json()).toMatchObject({ name: 'Dos SA', region: 'NLE' });
    const again = await upload('debtors', {}, { name: 'deudores.csv', content: DEBTORS });
    expect(again.json()).toMatchObject({ inserted: 0, unchanged: 3 });
  });

  it('honours form options: dry run, date format, portfolio and a column mapping', async () => {
    const file = ['Folio,Cliente,Moneda,Importe,Vence el', 'OB-1,I-1,MXN,100.00,31/01/2026', 'OB-2,I-2,MXN,200.50,28/02/2026'].join('\n');
    const fields = { date_format: 'DD/MM/YYYY', portfolio: 'comercial', mapping: JSON.stringify({ due_on: 'Vence el', debtor_external_id: 'Cliente' }) };
    const dry = await upload('obligations', { ...fields, dry_run: 'true' }, { name: 'docs.csv', content: file });
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toMatchObject({ status: 'validated', dry_run: true, inserted: 2 });
    expect((await call(h.app, h.a.key, 'GET', '/obligations/OB-1')).statusCode).toBe(404);
    const real = await upload('obligations', fields, { name: 'docs.csv', content: file });
    expect(real.json()).toMatchObject({ status: 'completed', inserted: 2 });
    expect((await call(h.app, h.a.key, 'GET', '/obligations/OB-2')).json()).toMatchObject({ portfolio: 'comercial', due_on: '2026-02-28', amount: '200.50' });
  });

  it('answers a day/month/year date with the form field that reads them, and a JSON body with ISO dates', async () => {
    const file = ['external_id,debtor_external_id,currency,amount,due_on', 'OB-9,I-1,MXN,100.00,31/01/2026'].join('\n');
    const res = await upload('obligations', { dry_run: 'true' }, { name: 'docs.csv', content: file });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().details[0]).toMatchObject({ line: 2, column: 'due_on', reason: expect.stringMatching(/; for day\/month\/year dates set the date format to DD\/MM\/YYYY \(the form field date_format\)$/) });
    expect(res.json().details[0].reason).not.toContain('--date-format');
    const es = await h.app.inject({ method: 'POST', url: '/imports/obligations', ...withAuth(multipart({ dry_run: 'true' }, { name: 'docs.csv', content: file }), 'es-MX') });
    expect(es.json().details[0].reason).toMatch(/; para fechas día\/mes\/año elija el formato de fecha DD\/MM\/YYYY \(campo date_format del formulario\)$/);

    const json = await call(h.app, h.a.key, 'POST', '/obligations', { external_id: 'OB-9', debtor_external_id: 'I-1', currency: 'MXN', amount: '100.00', due_on: '31/01/2026' });
    expect(json.statusCode, json.body).toBe(400);
    expect(json.json().details).toEqual([{ path: 'body.due_on', reason: '"31/01/2026" is not a date in the form YYYY-MM-DD; send dates as YYYY-MM-DD (ISO)' }]);
    const jsonEs = await call(h.app, h.a.key, 'POST', '/obligations', { external_id: 'OB-9', debtor_external_id: 'I-1', currency: 'MXN', amount: '100.00', due_on: '31/01/2026' }, { 'accept-language': 'es' });
    expect(jsonEs.json().details[0].reason).toBe('"31/01/2026" no es una fecha con el formato AAAA-MM-DD; envíe las fechas como AAAA-MM-DD (ISO)');
  });

  it('rejects a bad file with 422, every problem by line and column, and writes nothing', async () => {
    const file = ['external_id,name,email', 'I-9,Nueve SA,nueve@example.com', 'I-10,,diez@example.com', 'I-11,Once SA,not-an-email'].join('\n');
    const res = await upload('debtors', {}, { name: 'bad.csv', content: file });
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body.code).toBe('import_rejected');
    expect(body.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ line: 3, column: 'name' }), expect.objectContaining({ line: 4, column: 'email' })]),
    );
    expect((await call(h.app, h.a.key, 'GET', '/debtors/I-9')).statusCode).toBe(404);
  });

  it('refuses a form without a file, a bad option, a bad mapping and a non-multipart body', async () => {
    expect((await upload('debtors', {}, null)).statusCode).toBe(400);
    const badOption = await upload('debtors', { dry_run: 'yes' }, { name: 'x.csv', content: DEBTORS });
    expect(badOption.statusCode).toBe(400);
    expect(badOption.json().details[0].path).toBe('body.dry_run');
    const unknown = await upload('debtors', { colour: 'red' }, { name: 'x.csv', content: DEBTORS });
    expect(unknown.statusCode).toBe(400);
    const badMapping = await upload('debtors', { mapping: '{not json' }, { name: 'x.csv', content: DEBTORS });
    expect(badMapping.json().details[0]).toMatchObject({ path: 'body.mapping' });
    expect((await upload('invoices', {}, { name: 'x.csv', content: DEBTORS })).statusCode).toBe(400);
    const json = await call(h.app, h.a.key, 'POST', '/imports/debtors', { file: 'x' });
    expect(json.statusCode).toBe(415);
    expect(json.json().code).toBe('unsupported_media_type');
  });

  it('refuses a file over the upload limit with 413 and writes nothing', async () => {
    const rows = ['external_id,name'];
    for (let i = 0; i < 5000; i++) rows.push(`BIG-${i},Deudor número ${i} con un nombre largo`);
    const res = await upload('debtors', {}, { name: 'big.csv', content: rows.join('\n') });
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('payload_too_large');
    expect((await call(h.app, h.a.key, 'GET', '/debtors/BIG-1')).statusCode).toBe(404);
  });

  it('streams an upload over a real socket, and stops one that grows past the limit mid-import', async () => {
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = h.app.server.address() as AddressInfo;
    // Sends the multipart body in small chunks with pauses, as a slow client would.
    const send = async (rows: number) => {
      const lines = ['external_id,name'];
      for (let i = 0; i < rows; i++) lines.push(`S-${rows}-${i},Deudor en flujo ${i}`);
      const { payload, headers } = multipart({}, { name: 'flujo.csv', content: lines.join('\n') });
      return new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/imports/debtors', headers: { ...headers, authorization: `Bearer ${h.a.key}` } }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        void (async () => {
          for (let at = 0; at < payload.length; at += 8 * 1024) {
            if (req.destroyed) return;
            req.write(payload.subarray(at, at + 8 * 1024));
            await sleep(2);
          }
          req.end();
        })();
      });
    };
    const small = await send(500);
    expect(small.status, small.body).toBe(200);
    expect(JSON.parse(small.body)).toMatchObject({ inserted: 500 });
    const big = await send(4000);
    expect(big.status, big.body).toBe(413);
    expect((await call(h.app, h.a.key, 'GET', '/debtors/S-4000-1')).statusCode).toBe(404);
  });

  it('imports into the key’s company only', async () => {
    const res = await upload('debtors', {}, { name: 'b.csv', content: 'external_id,name\nB-IMP,Solo B' }, h.b.key);
    expect(res.statusCode).toBe(200);
    expect((await call(h.app, h.a.key, 'GET', '/debtors/B-IMP')).statusCode).toBe(404);
    expect((await call(h.app, h.b.key, 'GET', '/debtors/B-IMP')).statusCode).toBe(200);
  });
});
