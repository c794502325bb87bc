import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeys } from '../../src/db/schema.ts';
import { createApiKey } from '../../src/modules/access/api-keys.ts';
import { call, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

function expectUnauthorized(res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }) {
  expect(res.statusCode).toBe(401);
  expect(res.headers['content-type']).toMatch(/application\/json/);
  expect(res.headers['www-authenticate']).toBe('Bearer');
  const body = res.json() as { code: string; message: string; details: unknown[] };
  expect(body.code).toBe('unauthorized');
  expect(body.message).toBeTruthy();
  expect(body.details).toEqual([]);
}

describe('authentication', () => {
  it('serves /health without a key and names the back end', async () => {
    const res = await call(h.app, null, 'GET', '/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: process.env.DATABASE_URL ? 'postgres' : 'pglite' });
  });

  it('refuses a request without a key', async () => {
    expectUnauthorized(await call(h.app, null, 'GET', '/debtors'));
  });

  it('refuses a wrong key, a key of the wrong form and a non-bearer scheme', async () => {
    expectUnauthorized(await call(h.app, 'cbz_not-a-real-key', 'GET', '/debtors'));
    expectUnauthorized(await call(h.app, 'nonsense', 'GET', '/debtors'));
    expectUnauthorized(await h.app.inject({ method: 'GET', url: '/debtors', headers: { authorization: `Basic ${h.a.key}` } }));
    expectUnauthorized(await h.app.inject({ method: 'GET', url: '/debtors', headers: { authorization: 'Bearer' } }));
  });

  it('refuses a revoked key', async () => {
    const { id, key } = await createApiKey({ database: h.database, companyId: h.a.companyId, name: 'temp' });
    expect((await call(h.app, key, 'GET', '/debtors')).statusCode).toBe(200);
    await h.database.db.update(apiKeys).set({ revokedAt: h.clock.now() }).where(eq(apiKeys.id, id));
    expectUnauthorized(await call(h.app, key, 'GET', '/debtors'));
  });

  it('authenticates before reading the body, so an anonymous upload is refused unread', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/debtors', headers: { 'content-type': 'application/json' }, payload: '{not json' });
    expectUnauthorized(res);
  });

  it('answers unknown routes with JSON 404', async () => {
    const res = await call(h.app, h.a.key, 'GET', '/no/such/route');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'not_found' });
  });
});

describe('OpenAPI', () => {
  it('serves a valid OpenAPI 3.1 document with our paths at /docs/json', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = JSON.parse(res.body) as { openapi: string; paths: Record<string, Record<string, { security?: unknown[] }>>; components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> } };
    expect(doc.openapi).toBe('3.1.0');
    for (const path of ['/debtors', '/debtors/{external_id}', '/obligations', '/payments', '/payments/{external_id}', '/accounts', '/reports/aging', '/runs', '/runs/{id}', '/segments', '/portfolios/{name}/phases', '/health']) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
    expect(doc.paths['/health']!.get!.security).toEqual([]);
    expect(doc.components.securitySchemes).toHaveProperty('apiKey');
    expect(doc.components.schemas).toHaveProperty('Debtor');
    expect(Object.keys(doc.paths).some((p) => p.startsWith('/docs'))).toBe(false);
  });

  it('describes every response of every operation by what its status means, never as "Default Response"', async () => {
    const doc = JSON.parse((await h.app.inject({ method: 'GET', url: '/docs/json' })).body) as {
      paths: Record<string, Record<string, { responses: Record<string, { description: string }> }>>;
    };
    const undescribed: string[] = [];
    let responses = 0;
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          responses += 1;
          if (!response.description || response.description === 'Default Response') undescribed.push(`${method.toUpperCase()} ${path} ${status}`);
        }
      }
    }
    expect(responses).toBeGreaterThan(500);
    expect(undescribed).toEqual([]);
    const run = doc.paths['/runs']!.post!.responses;
    expect(run['202']!.description).toMatch(/^Accepted: the work goes on in the background/);
    expect(run['409']!.description).toContain('run_out_of_order');
    expect(run['422']!.description).toContain('run_date_in_future');
    expect(doc.paths['/debtors']!.get!.responses['401']!.description).toContain('Authorization: Bearer');
  });

  it('documents 403 on every operation that needs a permission, and on none that is public', async () => {
    const doc = JSON.parse((await h.app.inject({ method: 'GET', url: '/docs/json' })).body) as {
      paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, { description: string }> }>>;
    };
    const missing: string[] = [];
    let guarded = 0;
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (Array.isArray(operation.security) && operation.security.length === 0) continue;
        if (path.startsWith('/portal/api/') || path.startsWith('/webhooks/')) continue;
        guarded += 1;
        if (!operation.responses['403']) missing.push(`${method.toUpperCase()} ${path}`);
      }
    }
    expect(guarded).toBeGreaterThan(100);
    expect(missing).toEqual([]);
    expect(doc.paths['/accounts']!.get!.responses['403']!.description).toContain('forbidden');
    expect(doc.paths['/health']!.get!.responses['403']).toBeUndefined();
    expect(Object.keys(doc.paths['/plans/{id}/agreement.pdf']!.get!.responses)).toEqual(['200', '403']);
  });

  it('describes every path parameter and the common query parameters', async () => {
    type Parameter = { name: string; in: string; description?: string; schema?: { description?: string } };
    const doc = JSON.parse((await h.app.inject({ method: 'GET', url: '/docs/json' })).body) as {
      paths: Record<string, Record<string, { parameters?: Parameter[] }>>;
    };
    const undescribed: string[] = [];
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        for (const p of operation.parameters ?? []) {
          if (!p.description && !p.schema?.description && (p.in === 'path' || !p.name.includes('.'))) undescribed.push(`${method} ${path} ${p.in}:${p.name}`);
        }
      }
    }
    // Provider webhooks keep the providers' own query parameters (hub.mode, data.id…), documented by the providers.
    expect(undescribed.filter((u) => !u.includes('/webhooks/'))).toEqual([]);
    const parameter = (path: string, method: string, name: string) => doc.paths[path]![method]!.parameters!.find((p) => p.name === name)!.description;
    expect(parameter('/plans/{id}/approve', 'post', 'id')).toBe('the payment plan’s id, as cobranza returned it');
    expect(parameter('/debtors/{external_id}', 'get', 'external_id')).toMatch(/^the debtor’s external id/);
    expect(parameter('/accounts', 'get', 'phase')).toBe('only accounts in this collection phase');
  });

  it('serves the Swagger UI at /docs', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
  });
});
