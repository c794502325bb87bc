import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/db/tables/access.ts';
import { browser, signIn, startAccessHarness, type AccessHarness } from './harness.ts';

let h: AccessHarness;
let admin: string;
let auditor: string;

beforeAll(async () => {
  h = await startAccessHarness();
  admin = await signIn(h.app, 'admin@acme.test', h.password);
  auditor = await signIn(h.app, 'auditor@acme.test', h.password);
}, 60_000);
afterAll(async () => {
  await h?.close();
});

describe('users', () => {
  it('lists only the company’s users, without password hashes', async () => {
    const res = await browser(h.app, admin, 'GET', '/users');
    expect(res.statusCode).toBe(200);
    const emails = res.json().data.map((u: { email: string }) => u.email);
    expect(emails).toContain('collector@acme.test');
    expect(emails).not.toContain('admin@other.test');
    expect(res.body).not.toContain('argon2');
  });

  it('adds a user with a generated password shown once, who can then sign in; duplicates are a 409', async () => {
    const res = await browser(h.app, admin, 'POST', '/users', { email: 'Nueva@Acme.test', name: 'Nueva Gestora', role: 'collector' });
    expect(res.statusCode).toBe(201);
    const { user, password } = res.json();
    expect(user).toMatchObject({ email: 'nueva@acme.test', role: 'collector', active: true, agency: null });
    expect(password).toMatch(/^[A-Za-z0-9]{16}$/);
    await signIn(h.app, 'nueva@acme.test', password);
    expect((await browser(h.app, admin, 'POST', '/users', { email: 'nueva@acme.test', name: 'Otra', role: 'viewer' })).statusCode).toBe(409);
    expect((await browser(h.app, admin, 'POST', '/users', { email: 'x@acme.test', name: 'X', role: 'agency' })).json().details).toEqual([{ path: 'agency', reason: 'required for the agency role' }]);
  });

  it('changes a role, which ends the user’s sessions so the new role applies at once', async () => {
    const created = (await browser(h.app, admin, 'POST', '/users', { email: 'cambia@acme.test', name: 'Cambia', role: 'supervisor', password: 'clave-de-prueba-1' })).json().user;
    const session = await signIn(h.app, 'cambia@acme.test', 'clave-de-prueba-1');
    expect((await browser(h.app, session, 'POST', '/runs', { as_of: '2026-03-15' })).statusCode).not.toBe(403);
    const res = await browser(h.app, admin, 'PATCH', `/users/${created.id}`, { role: 'viewer' });
    expect(res.json()).toMatchObject({ role: 'viewer' });
    expect((await browser(h.app, session, 'GET', '/auth/me')).statusCode).toBe(401);
    const again = await signIn(h.app, 'cambia@acme.test', 'clave-de-prueba-1');
    expect((await browser(h.app, again, 'POST', '/runs', { as_of: '2026-03-15' })).statusCode).toBe(403);
  });

  it('keeps one active admin per company', async () => {
    const res = await browser(h.app, admin, 'PATCH', `/users/${h.a.users.admin.id}`, { role: 'viewer' });
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toContain('last active admin');
  });
});

describe('agency scoping', () => {
  it('shows an agency only the debtors and accounts placed with it, and follows a placement as it moves', async () => {
    const key = h.a.keys.admin;
    const asAdmin = (method: 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) =>
      h.app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(body !== undefined && { payload: body as object }) });
    for (const id of ['AG-1', 'AG-2', 'AG-3']) {
      await asAdmin('POST', '/debtors', { external_id: id, name: `Cliente ${id}`, country: 'MX' });
      await asAdmin('POST', '/obligations', { external_id: `F-${id}`, debtor_external_id: id, currency: 'MXN', amount: '500.00', due_on: '2026-01-10' });
    }
    expect((await asAdmin('POST', '/runs', { as_of: '2026-03-15' })).statusCode).toBeLessThan(300);
    await asAdmin('PUT', '/debtors/AG-1/placement', { agency: 'Despacho Norte' });
    await asAdmin('PUT', '/debtors/AG-2/placement', { agency: 'Despacho Sur' });

    const agency = await signIn(h.app, 'agency@acme.test', h.password);
    const ids = async (url: string) => {
      const res = await browser(h.app, agency, 'GET', url);
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().data as Array<{ external_id?: string; debtor_external_id?: string }>).map((r) => r.external_id ?? r.debtor_external_id);
    };
    expect(await ids('/debtors')).toEqual(['AG-1']);
    // The run may finish in the background: wait for the accounts.
    for (let i = 0; i < 50 && (await browser(h.app, null, 'GET', '/health')) && (await ids('/accounts')).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await ids('/accounts')).toEqual(['AG-1']);
    expect((await browser(h.app, agency, 'GET', '/debtors/AG-1')).statusCode).toBe(200);
    expect((await browser(h.app, agency, 'GET', '/debtors/AG-2')).statusCode).toBe(404);
    expect((await browser(h.app, agency, 'GET', '/debtors/AG-3')).statusCode).toBe(404);

    await asAdmin('PUT', '/debtors/AG-1/placement', { agency: 'Despacho Sur' });
    await asAdmin('PUT', '/debtors/AG-3/placement', { agency: 'Despacho Norte' });
    expect(await ids('/debtors')).toEqual(['AG-3']);
    expect((await browser(h.app, agency, 'GET', '/debtors/AG-1')).statusCode).toBe(404);

    const history = await h.app.inject({ method: 'GET', url: '/debtors/AG-1/placements', headers: { authorization: `Bearer ${key}` } });
    expect(history.json().data.map((p: { agency: string; ended_at: string | null }) => [p.agency, p.ended_at === null])).toEqual([
      ['Despacho Norte', false],
      ['Despacho Sur', true],
    ]);
    // Other roles see the whole company.
    const collector = await signIn(h.app, 'collector@acme.test', h.password);
    const all = await browser(h.app, collector, 'GET', '/debtors');
    expect(all.json().data.length).toBeGreaterThanOrEqual(3);
  }, 60_000);
});

describe('audit log', () => {
  it('records who changed what with before and after, for users, holds, payments and API-key changes', async () => {
    const api = (method: 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) =>
      h.app.inject({ method, url, headers: { authorization: `Bearer ${h.a.keys.supervisor}` }, ...(body !== undefined && { payload: body as object }) });
    await api('POST', '/debtors', { external_id: 'AU-1', name: 'Antes', country: 'MX' });
    await api('PATCH', '/debtors/AU-1', { name: 'Después' });
    await api('POST', '/debtors/AU-1/holds', { reason: 'dispute', note: 'no reconoce' });
    await api('POST', '/obligations', { external_id: 'F-AU', debtor_external_id: 'AU-1', currency: 'MXN', amount: '100.00', due_on: '2026-01-10' });
    await api('POST', '/payments', { external_id: 'P-AU', debtor_external_id: 'AU-1', currency: 'MXN', amount: '50.00', paid_on: '2026-02-01' });
    await api('DELETE', '/payments/P-AU');

    const entries = async (query: string) => {
      const res = await browser(h.app, auditor, 'GET', `/audit?${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json().data as Array<{ actor: string; action: string; entity_id: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null }>;
    };
    const debtor = await entries('entity=debtor&entity_id=AU-1');
    expect(debtor.map((e) => e.action)).toEqual(['hold.add', 'debtor.save', 'debtor.save']);
    expect(debtor.every((e) => e.actor === 'api-key:key-supervisor')).toBe(true);
    expect(debtor[1]!.before).toMatchObject({ name: 'Antes' });
    expect(debtor[1]!.after).toMatchObject({ name: 'Después' });
    const deleted = await entries('action=payment.delete');
    expect(deleted[0]!.before).toMatchObject({ external_id: 'P-AU', amount: '5000', currency: 'MXN' });
    const userChanges = await entries('action=user.');
    expect(userChanges.some((e) => e.action === 'user.create' && e.after?.email === 'collector@acme.test')).toBe(true);
    expect((await entries('action=api_key.create')).length).toBe(6);
  });

  it('pages newest first and only shows the company’s own entries', async () => {
    const first = await browser(h.app, auditor, 'GET', '/audit?limit=3');
    const second = await browser(h.app, auditor, 'GET', `/audit?limit=3&cursor=${first.json().next_cursor}`);
    const a = first.json().data as Array<{ id: number; at: string }>;
    const b = second.json().data as Array<{ id: number; at: string }>;
    expect(a).toHaveLength(3);
    expect(new Set([...a, ...b].map((e) => e.id)).size).toBe(6);
    expect(a[2]!.at >= b[0]!.at).toBe(true);
    const other = await h.app.inject({ method: 'GET', url: '/audit', headers: { authorization: `Bearer ${h.b.key}` } });
    expect(other.body).not.toContain('acme.test');
  });

  it('cannot be changed: the product has no route for it and the database refuses updates and deletes', async () => {
    expect(h.routes.filter((r) => r.url.startsWith('/audit')).map((r) => r.method).sort()).toEqual(['GET', 'HEAD']);
    await expect(h.database.db.update(auditLog).set({ actor: 'nadie' })).rejects.toThrow();
    await expect(h.database.db.delete(auditLog)).rejects.toThrow();
    await expect(h.database.db.execute(sql`UPDATE audit_log SET action = 'x'`)).rejects.toThrow();
  });

  it('is for auditors and admins only', async () => {
    const collector = await signIn(h.app, 'collector@acme.test', h.password);
    expect((await browser(h.app, collector, 'GET', '/audit')).statusCode).toBe(403);
    expect((await browser(h.app, admin, 'GET', '/audit')).statusCode).toBe(200);
  });
});
