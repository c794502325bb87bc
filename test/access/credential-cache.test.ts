/**
 * Verified sessions are remembered for a few seconds (src/modules/access/credential-cache.ts): every change that ends
 * a session applies at once to a session used a moment before. API keys are read every time (a key revoked in the
 * database stops at once); their last use is written at most once a minute.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeys } from '../../src/db/schema.ts';
import { createApiKey } from '../../src/modules/access/api-keys.ts';
import { DEFAULT_AUTH_SETTINGS } from '../../src/modules/access/settings.ts';
import { browser, signIn, startAccessHarness, type AccessHarness } from './harness.ts';

let h: AccessHarness;
let admin: string;

beforeAll(async () => {
  h = await startAccessHarness();
  admin = await signIn(h.app, 'admin@acme.test', h.password);
});
afterAll(async () => h.close());

async function newUserSession(email: string): Promise<{ id: number; cookie: string }> {
  const created = await browser(h.app, admin, 'POST', '/users', { email, name: 'Cache', role: 'supervisor', password: 'clave-de-prueba-1' });
  expect(created.statusCode).toBe(201);
  const cookie = await signIn(h.app, email, 'clave-de-prueba-1');
  // Used once, so the session is remembered.
  expect((await browser(h.app, cookie, 'GET', '/debtors')).statusCode).toBe(200);
  return { id: created.json().user.id, cookie };
}

describe('a session used a moment ago', () => {
  it('ends at once on sign-out', async () => {
    const { cookie } = await newUserSession('sale@acme.test');
    expect((await browser(h.app, cookie, 'POST', '/auth/sign-out')).statusCode).toBe(204);
    expect((await browser(h.app, cookie, 'GET', '/debtors')).statusCode).toBe(401);
  });

  it('ends at once when the user is deactivated', async () => {
    const { id, cookie } = await newUserSession('baja@acme.test');
    expect((await browser(h.app, admin, 'PATCH', `/users/${id}`, { active: false })).statusCode).toBe(200);
    expect((await browser(h.app, cookie, 'GET', '/debtors')).statusCode).toBe(401);
  });

  it('ends at once when an administrator sets the password', async () => {
    const { id, cookie } = await newUserSession('clave@acme.test');
    expect((await browser(h.app, admin, 'POST', `/users/${id}/password`, { password: 'otra-clave-de-prueba-2' })).statusCode).toBe(200);
    expect((await browser(h.app, cookie, 'GET', '/debtors')).statusCode).toBe(401);
  });

  it('still ends at its idle timeout on the injected clock', async () => {
    const { cookie } = await newUserSession('quieto@acme.test');
    h.clock.advance(DEFAULT_AUTH_SETTINGS.idleTimeoutMs + 60_000);
    expect((await browser(h.app, cookie, 'GET', '/debtors')).statusCode).toBe(401);
  });
});

describe('API keys', () => {
  it('stop working at once when revoked in the database', async () => {
    const { id, key } = await createApiKey({ database: h.database, companyId: h.a.companyId, name: 'revocable', role: 'viewer', clock: h.clock });
    const get = () => h.app.inject({ method: 'GET', url: '/debtors', headers: { authorization: `Bearer ${key}` } });
    expect((await get()).statusCode).toBe(200);
    await h.database.db.update(apiKeys).set({ revokedAt: h.clock.now() }).where(eq(apiKeys.id, id));
    expect((await get()).statusCode).toBe(401);
  });

  it('record their last use, at most once a minute', async () => {
    const { id, key } = await createApiKey({ database: h.database, companyId: h.a.companyId, name: 'usada', role: 'viewer', clock: h.clock });
    const get = () => h.app.inject({ method: 'GET', url: '/debtors', headers: { authorization: `Bearer ${key}` } });
    const lastUsed = async () => (await h.database.db.select({ at: apiKeys.lastUsedAt }).from(apiKeys).where(eq(apiKeys.id, id)))[0]!.at;
    expect((await get()).statusCode).toBe(200);
    expect(await lastUsed()).toEqual(h.clock.now());
    await h.database.db.update(apiKeys).set({ lastUsedAt: null }).where(eq(apiKeys.id, id));
    expect((await get()).statusCode).toBe(200);
    expect(await lastUsed()).toBeNull();
  });
});
