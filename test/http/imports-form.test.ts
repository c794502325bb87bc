/**
 * Upload forms that go wrong: parts in the wrong order or too many, a client that goes away mid-file, a workbook past
 * the size limit. Each is a clear 4xx (or, for a client gone, a failed import), nothing is written, and the server goes
 * on answering: on PGlite an import that never ends would hold the only connection.
 */
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startHarness, type Harness } from './harness.ts';

let h: Harness;
let port: number;
beforeAll(async () => {
  h = await startHarness({ uploadLimit: 256 * 1024 });
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  port = (h.app.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await h?.close();
});

type Part = { name: string; value: string } | { name: string; filename: string; content: string | Buffer };

/** A multipart body with its parts in the order given (the harness's helper always puts the file last). */
function form(parts: Part[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----qa${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    if ('value' in p) chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value}\r\n`));
    else {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`));
      chunks.push(Buffer.isBuffer(p.content) ? p.content : Buffer.from(p.content));
      chunks.push(Buffer.from('\r\n'));
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

function post(parts: Part[], query = '') {
  const { payload, headers } = form(parts);
  return h.app.inject({ method: 'POST', url: `/imports/debtors${query}`, payload, headers: { ...headers, authorization: `Bearer ${h.a.key}` } });
}

const exists = async (id: string) => (await call(h.app, h.a.key, 'GET', `/debtors/${id}`)).statusCode === 200;

async function workbook(rows: number, prefix: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Deudores');
  ws.addRow(['external_id', 'name']);
  for (let i = 0; i < rows; i++) ws.addRow([`${prefix}-${i}`, `Deudor ${i} ${(i * 7919) % 104_729}`]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Sends the first half of an upload over a socket, then goes away. */
async function abandon(filename: string, content: Buffer): Promise<void> {
  const { payload, headers } = form([{ name: 'file', filename, content }]);
  const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/imports/debtors', headers: { ...headers, 'content-length': String(payload.length), authorization: `Bearer ${h.a.key}` } });
  req.on('error', () => undefined);
  req.write(payload.subarray(0, payload.length >> 1));
  await sleep(300);
  req.destroy();
  await sleep(300);
}

/** The server still serves reads within a few seconds (an import stuck in its transaction would block them). */
async function stillAnswers(): Promise<number | 'stuck'> {
  return Promise.race([call(h.app, h.a.key, 'GET', '/debtors?limit=1').then((r) => r.statusCode), sleep(5000).then(() => 'stuck' as const)]);
}

describe('import forms', () => {
  it('refuses a second file with 400, and imports nothing of the first', async () => {
    const file = 'external_id,name\nTWO-1,Uno\n';
    const res = await post([
      { name: 'file', filename: 'a.csv', content: file },
      { name: 'file', filename: 'b.csv', content: file },
    ]);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toMatchObject({ code: 'validation_failed', details: [{ path: 'body.file', reason: 'send exactly one file, in the field "file"' }] });
    expect(await exists('TWO-1')).toBe(false);
  });

  it('refuses an option sent after the file instead of ignoring it (a dry run would have written)', async () => {
    const res = await post([
      { name: 'file', filename: 'a.csv', content: 'external_id,name\nLATE-1,Uno\n' },
      { name: 'dry_run', value: 'true' },
    ]);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().details).toEqual([{ path: 'body.dry_run', reason: expect.stringContaining('must come before the file') }]);
    expect(await exists('LATE-1')).toBe(false);
    const async = await post([{ name: 'file', filename: 'a.csv', content: 'external_id,name\nLATE-2,Dos\n' }, { name: 'portfolio', value: 'x' }], '?async=true');
    expect(async.statusCode, async.body).toBe(400);
    // Options before the file are taken as always.
    const dry = await post([{ name: 'dry_run', value: 'true' }, { name: 'file', filename: 'a.csv', content: 'external_id,name\nLATE-3,Tres\n' }]);
    expect(dry.json()).toMatchObject({ status: 'validated', inserted: 1 });
    expect(await exists('LATE-3')).toBe(false);
  });

  it('a client that goes away mid-file fails the import and leaves the server answering (CSV and XLSX)', { timeout: 60_000 }, async () => {
    const lines = ['external_id,name'];
    for (let i = 0; i < 8000; i++) lines.push(`GONE-${i},Deudor ${i}`);
    await abandon('gone.csv', Buffer.from(lines.join('\n')));
    expect(await stillAnswers()).toBe(200);
    await abandon('gone.xlsx', await workbook(8000, 'GONEX'));
    expect(await stillAnswers()).toBe(200);
    const imports = (await call(h.app, h.a.key, 'GET', '/imports?limit=2')).json() as { data: Array<{ file_name: string; status: string }> };
    expect(imports.data).toMatchObject([
      { file_name: 'gone.xlsx', status: 'failed' },
      { file_name: 'gone.csv', status: 'failed' },
    ]);
    expect(await exists('GONE-1')).toBe(false);
  });

  it('refuses a workbook past the upload limit with 413, without bringing the process down', async () => {
    const big = await workbook(20_000, 'BIGX');
    expect(big.length).toBeGreaterThan(256 * 1024);
    const res = await post([{ name: 'file', filename: 'big.xlsx', content: big }]);
    expect(res.statusCode, res.body).toBe(413);
    expect(res.json().code).toBe('payload_too_large');
    expect(await exists('BIGX-1')).toBe(false);
    expect(await stillAnswers()).toBe(200);
  });
});
