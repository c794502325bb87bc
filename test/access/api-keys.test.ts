/** API keys over HTTP: administrators list, create and revoke them; a revoked key is refused at once; all audited. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, listApiKeys, revokeApiKey } from '../../src/modules/access/api-keys.ts';
import { call, startHarness, type Harness } from '../http/harness.ts';

let h: Harness;
let viewerKey: string;
beforeAll(async () => {
  h = await startHarness();
  viewerKey = (await createApiKey({ database: h.database, companyId: h.a.companyId, name: 'consulta', role: 'viewer' })).key;
});
afterAll(async () => {
  await h?.close();
});

describe('API keys', () => {
  it('refuses a second active key with the same name, in the same company only', async () => {
    await expect(createApiKey({ database: h.database, companyId: h.a.companyId, name: 'consulta' })).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/an active API key is already named "consulta"/) });
    await expect(createApiKey({ database: h.database, companyId: h.b.companyId, name: 'consulta', role: 'viewer' })).resolves.toMatchObject({ role: 'viewer' });
    const res = await call(h.app, h.a.key, 'POST', '/api-keys', { name: 'consulta', role: 'viewer' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'conflict', details: [{ path: 'name' }] });
  });

  it('lets only administrators list and create keys; the secret is shown once', async () => {
    expect((await call(h.app, viewerKey, 'GET', '/api-keys')).statusCode).toBe(403);
    expect((await call(h.app, viewerKey, 'POST', '/api-keys', { name: 'x' })).statusCode).toBe(403);
    const created = await call(h.app, h.a.key, 'POST', '/api-keys', { name: 'erp', role: 'collector' });
    expect(created.statusCode, created.body).toBe(201);
    const body = created.json();
    expect(body).toMatchObject({ api_key: { name: 'erp', role: 'collector', revoked_at: null, last_used_at: null }, key: expect.stringMatching(/^cbz_/) });
    expect((await call(h.app, body.key, 'GET', '/debtors')).statusCode).toBe(200);
    const listed = await call(h.app, h.a.key, 'GET', '/api-keys');
    expect(listed.statusCode).toBe(200);
    expect(listed.json().data.map((k: { name: string }) => k.name)).toEqual(['a', 'consulta', 'erp']);
    expect(listed.body).not.toContain(body.key);
    expect(listed.body).not.toContain('key_hash');
    expect(listed.json().data.find((k: { name: string }) => k.name === 'erp').last_used_at).not.toBeNull();
    // Another company's keys are not listed.
    expect(listed.body).not.toMatch(/"name":"b"/);
  });

  it('revokes a key: it gets 401 at once, the name is free again, and both changes are audited', async () => {
    const created = (await call(h.app, h.a.key, 'POST', '/api-keys', { name: 'temporal', role: 'viewer' })).json();
    expect((await call(h.app, created.key, 'GET', '/debtors')).statusCode).toBe(200);
    expect((await call(h.app, viewerKey, 'POST', `/api-keys/${created.api_key.id}/revoke`)).statusCode).toBe(403);
    const revoked = await call(h.app, h.a.key, 'POST', `/api-keys/${created.api_key.id}/revoke`);
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json()).toMatchObject({ id: created.api_key.id, revoked_at: expect.any(String) });
    expect((await call(h.app, created.key, 'GET', '/debtors')).statusCode).toBe(401);
    const again = await call(h.app, h.a.key, 'POST', `/api-keys/${created.api_key.id}/revoke`);
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toMatch(/already revoked/);
    // Another company's key is not found.
    const other = (await listApiKeys(h.b.ctx))[0]!;
    expect((await call(h.app, h.a.key, 'POST', `/api-keys/${other.id}/revoke`)).statusCode).toBe(404);
    expect((await call(h.app, h.a.key, 'POST', '/api-keys', { name: 'temporal', role: 'viewer' })).statusCode).toBe(201);
    const audit = (await call(h.app, h.a.key, 'GET', '/audit?entity=api_key')).json().data as Array<{ action: string; entity_id: string; actor: string }>;
    expect(audit).toContainEqual(expect.objectContaining({ action: 'api_key.revoke', entity_id: String(created.api_key.id), actor: 'api-key:a' }));
    expect(audit).toContainEqual(expect.objectContaining({ action: 'api_key.create', entity_id: String(created.api_key.id), actor: 'api-key:a' }));
  });

  it('revokes by the name of the active key, and says when no active key has it', async () => {
    await revokeApiKey(h.a.ctx, { name: 'consulta' });
    expect((await call(h.app, viewerKey, 'GET', '/debtors')).statusCode).toBe(401);
    await expect(revokeApiKey(h.a.ctx, { name: 'consulta' })).rejects.toMatchObject({ code: 'not_found', message: expect.stringMatching(/no active API key is named "consulta"/) });
    await expect(revokeApiKey(h.a.ctx, { id: 999_999 })).rejects.toMatchObject({ code: 'not_found' });
  });
  it('refuses the agency role, which needs an agency a key does not belong to, naming the roles a key may have', async () => {
    const res = await call(h.app, h.a.key, 'POST', '/api-keys', { name: 'despacho', role: 'agency' });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toMatchObject({ code: 'validation_failed', details: [{ path: 'body.role' }] });
    expect(res.json().message).toBe('the request is not valid: body.role: must be one of: admin, supervisor, collector, auditor, viewer');
    await expect(createApiKey({ database: h.database, companyId: h.a.companyId, name: 'despacho', role: 'agency' })).rejects.toMatchObject({
      code: 'validation_failed',
      message: expect.stringMatching(/^an API key cannot have the agency role: .*; use admin, supervisor, collector, auditor or viewer/),
      details: [{ path: 'role' }],
    });
    expect((await listApiKeys(h.a.ctx)).map((k) => k.name)).not.toContain('despacho');
  });

  it('reads a role as a user\'s role is read: in any case, with spaces around it', async () => {
    await expect(createApiKey({ database: h.database, companyId: h.a.companyId, name: 'mayusculas', role: ' Viewer ' })).resolves.toMatchObject({ role: 'viewer' });
    await expect(createApiKey({ database: h.database, companyId: h.a.companyId, name: 'nada', role: 'jefe' })).rejects.toMatchObject({
      message: 'unknown role "jefe"; use admin, supervisor, collector, auditor or viewer',
    });
  });
});
