/**
 * A command forwarded to the serving process answers only when it is done, which for a large import or demo can take
 * longer than an HTTP client's usual patience. The bridge waits as long as the command runs.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { forwardToServer } from '../../src/cli/bridge-client.ts';
import { bufferIO } from '../../src/cli/io.ts';

describe('the CLI bridge', () => {
  it('waits for a forwarded command however long its answer takes', async () => {
    const server = createServer((request, response) => {
      if (request.method !== 'POST') return void response.end();
      let body = '';
      request.on('data', (c: Buffer) => (body += c.toString()));
      request.on('end', () => {
        const { argv } = JSON.parse(body) as { argv: string[] };
        setTimeout(() => {
          response.setHeader('content-type', 'application/json');
          response.end(JSON.stringify({ exitCode: 3, stdout: `ran ${argv.join(' ')}\n`, stderr: 'línea 2: problema\n' }));
        }, 1000);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // fetch gives up on an answer whose headers take longer than its global dispatcher's headersTimeout (300 s by
    // default). Shortening that default shows the bridge does not depend on it without waiting five minutes.
    const key = Symbol.for('undici.globalDispatcher.1');
    const global = globalThis as unknown as Record<symbol, { constructor: new (options: object) => unknown } | undefined>;
    await fetch(`${url}/warm-up`, { method: 'HEAD' }).catch(() => undefined);
    const previous = global[key];
    if (previous) global[key] = new previous.constructor({ headersTimeout: 200 }) as never;
    try {
      const io = bufferIO('/tmp');
      const code = await forwardToServer({ pid: process.pid, startedAt: new Date().toISOString(), url, secret: 's' }, ['import', 'debtors', 'grande.csv'], io);
      expect(io.err()).toBe('línea 2: problema\n');
      expect(io.out()).toBe('ran import debtors grande.csv\n');
      expect(code).toBe(3);
    } finally {
      global[key] = previous;
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
