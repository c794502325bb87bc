/**
 * One API over a real database (PGlite, or PostgreSQL with DATABASE_URL) with two companies and a key for each, so
 * every test can check tenant isolation with the other key.
 */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { createApiKey } from '../../src/modules/access/api-keys.ts';
import { fixedClock } from '../../src/modules/shared/clock.ts';
import type { Ctx } from '../../src/modules/shared/context.ts';
import { buildServer } from '../../src/http/server.ts';
import { createTestCompany, createTestDatabase, type TestDatabase } from '../support/database.ts';

export interface Harness {
  database: TestDatabase;
  app: FastifyInstance;
  clock: ReturnType<typeof fixedClock>;
  /** Company A (MX) and its key. */
  a: { companyId: number; key: string; ctx: Ctx };
  /** Company B (MX) and its key. */
  b: { companyId: number; key: string; ctx: Ctx };
  close(): Promise<void>;
}

export async function startHarness(options: { now?: string; bodyLimit?: number; uploadLimit?: number } = {}): Promise<Harness> {
  const database = await createTestDatabase();
  const clock = fixedClock(options.now ?? '2026-03-15T18:00:00Z');
  const companyA = await createTestCompany(database, 'acme', 'MX');
  const companyB = await createTestCompany(database, 'other', 'MX');
  const keyA = await createApiKey({ database, companyId: companyA.id, name: 'a' });
  const keyB = await createApiKey({ database, companyId: companyB.id, name: 'b' });
  // HTTP_LOG=1 prints Fastify's request log, to see why a request failed.
  const app = buildServer({ database, clock, logger: process.env.HTTP_LOG === '1', ...(options.bodyLimit && { bodyLimit: options.bodyLimit }), ...(options.uploadLimit && { uploadLimit: options.uploadLimit }) });
  await app.ready();
  const ctx = (companyId: number): Ctx => ({ database, clock, companyId, actor: 'test' });
  return {
    database,
    app,
    clock,
    a: { companyId: companyA.id, key: keyA.key, ctx: ctx(companyA.id) },
    b: { companyId: companyB.id, key: keyB.key, ctx: ctx(companyB.id) },
    async close() {
      await app.close();
      await database.close();
    },
  };
}

/** An authenticated JSON request (with `headers` added, e.g. Accept-Language). */
export function call(
  app: FastifyInstance,
  key: string | null,
  method: InjectOptions['method'],
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method,
    url,
    headers: { ...headers, ...(key && { authorization: `Bearer ${key}` }) },
    ...(body !== undefined && { payload: body as object }),
  });
}

/** A multipart/form-data body: fields first (the API reads options before the file), then the file. */
export function multipart(fields: Record<string, string>, file: { name: string; content: string | Buffer; type?: string } | null) {
  const boundary = `----cobranza${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  if (file) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'text/csv'}\r\n\r\n`));
    chunks.push(Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
