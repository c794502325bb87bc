/**
 * The role × route matrix over EVERY route the server registers (collected from the Fastify instance, so routes
 * added by any module are covered without editing this file): each role is allowed exactly what ROLE_PERMISSIONS
 * gives it, with an API key and with a session; no route answers an anonymous caller; and company A can neither read
 * nor change company B's records through any route with a path parameter.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/http/server.ts';
import { can, mayCall, ROLES, type Permission, type Role } from '../../src/modules/access/permissions.ts';
import { browser, signIn, startAccessHarness, type AccessHarness, type RegisteredRoute } from './harness.ts';

let h: AccessHarness;
let guarded: RegisteredRoute[];
let runIdB = 0;
const cookies = {} as Record<Role, string>;

beforeAll(async () => {
  h = await startAccessHarness();
  guarded = h.routes.filter((r) => r.method !== 'HEAD' && r.config.public !== true);
  for (const role of ROLES) cookies[role] = await signIn(h.app, h.a.users[role].email, h.password);

  // Records that exist only in company B, named by values the cross-company checks put in every path.
  const asB = async (method: 'POST' | 'PUT', url: string, body: unknown) => {
    const res = await h.app.inject({ method, url, headers: { authorization: `Bearer ${h.b.key}` }, payload: body as object });
    if (res.statusCode >= 300) throw new Error(`setup ${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json() as Record<string, unknown>;
  };
  await asB('POST', '/debtors', { external_id: 'XB-1', name: 'Deudor de B', country: 'MX' });
  await asB('POST', '/obligations', { external_id: 'XB-1', debtor_external_id: 'XB-1', currency: 'MXN', amount: '1000.00', due_on: '2026-01-10', portfolio: 'xb-1' });
  await asB('POST', '/payments', { external_id: 'XB-1', debtor_external_id: 'XB-1', currency: 'MXN', amount: '100.00', paid_on: '2026-02-01' });
  await asB('POST', '/segments', { name: 'xb-1', rule: "phase = 'administrative'" });
  await asB('POST', '/debtors/XB-1/holds', { reason: 'dispute' });
  await asB('PUT', '/debtors/XB-1/placement', { agency: 'Despacho de B' });
  const run = await asB('POST', '/runs', { as_of: '2026-03-15', portfolio: 'xb-1' });
  runIdB = Number(run.id);
}, 120_000);

afterAll(async () => {
  await h?.close();
});

/** A path with every parameter filled in: B's record for the cross-company checks, a missing one otherwise. */
function pathFor(url: string, target: 'b' | 'missing'): string {
  return url
    .replace(/:([A-Za-z_]+)/g, (_m, name: string) => {
      if (target === 'missing') return name === 'id' ? '987654321' : 'NO-EXISTE';
      if (name === 'id') return url.startsWith('/users') ? String(h.b.admin.id) : url.startsWith('/runs') ? String(runIdB) : '987654321';
      if (name === 'external_id') return 'XB-1';
      if (name === 'company') return 'other';
      return 'xb-1';
    })
    .replace(/\*$/, 'x');
}

/** What the guard should decide: the role holds the permission, and whole-company routes refuse agencies. */
function allowed(role: Role, r: RegisteredRoute): boolean {
  return mayCall(role, { permission: r.config.permission as Permission, wholeCompany: r.config.wholeCompany });
}

function isUnsafe(method: string): boolean {
  return !['GET', 'HEAD', 'OPTIONS'].includes(method);
}

function expectDecision(res: LightMyRequestResponse, allowed: boolean, label: string) {
  if (allowed) {
    expect([401, 403], `${label} should be allowed, got ${res.statusCode} ${res.body}`).not.toContain(res.statusCode);
  } else {
    expect(res.statusCode, `${label} should be forbidden, got ${res.statusCode} ${res.body}`).toBe(403);
    expect(res.json()).toMatchObject({ code: 'forbidden' });
  }
}

describe('every route declares its access', () => {
  it('collects the routes of every module, each guarded by a known permission or explicitly public', () => {
    expect(guarded.length).toBeGreaterThan(40);
    for (const url of ['/debtors', '/payments', '/users', '/audit', '/auth/me', '/accounts']) expect(guarded.map((r) => r.url)).toContain(url);
    const publicUrls = h.routes.filter((r) => r.config.public === true).map((r) => r.url);
    for (const url of ['/health', '/auth/sign-in', '/auth/forgot-password', '/auth/reset-password']) expect(publicUrls).toContain(url);
    for (const r of guarded) expect(r.config.permission, `${r.method} ${r.url}`).toBeTruthy();
  });

  it('refuses to start a server with a route that declares no access', async () => {
    const app = buildServer({ database: h.database, clock: h.clock, webRoot: false });
    void app.register(async (scope) => {
      scope.get('/sin-permiso', async () => ({ ok: true }));
    });
    await expect(app.ready()).rejects.toThrow(/GET \/sin-permiso declares no access/);
    await app.close().catch(() => undefined);
  });

  it('refuses a route naming a permission that does not exist', async () => {
    const app = buildServer({ database: h.database, clock: h.clock, webRoot: false });
    void app.register(async (scope) => {
      scope.get('/inventado', { config: { permission: 'anything:goes' as Permission } }, async () => ({ ok: true }));
    });
    await expect(app.ready()).rejects.toThrow(/unknown permission "anything:goes"/);
    await app.close().catch(() => undefined);
  });
});

describe('anonymous callers', () => {
  it('get 401 from every guarded route', async () => {
    for (const r of guarded) {
      const res = await h.app.inject({ method: r.method as 'GET', url: pathFor(r.url, 'missing'), ...(isUnsafe(r.method) && { payload: {} }) });
      expect(res.statusCode, `${r.method} ${r.url}: ${res.body}`).toBe(401);
      expect(res.json()).toMatchObject({ code: 'unauthorized' });
    }
  });
});

describe('role × route with API keys', () => {
  for (const role of ROLES) {
    it(`${role}: allowed exactly what ROLE_PERMISSIONS says`, async () => {
      for (const r of guarded) {
        const res = await h.app.inject({
          method: r.method as 'GET',
          url: pathFor(r.url, 'missing'),
          headers: { authorization: `Bearer ${h.a.keys[role]}` },
          ...(isUnsafe(r.method) && { payload: {} }),
        });
        expectDecision(res, allowed(role, r), `${role} key ${r.method} ${r.url}`);
      }
    }, 120_000);
  }
});

describe('role × route with a signed-in session', () => {
  for (const role of ROLES) {
    it(`${role}: allowed exactly what ROLE_PERMISSIONS says`, async () => {
      for (const r of guarded) {
        const res = await browser(h.app, cookies[role], r.method as 'GET', pathFor(r.url, 'missing'), isUnsafe(r.method) ? {} : undefined);
        expectDecision(res, allowed(role, r), `${role} session ${r.method} ${r.url}`);
      }
    }, 120_000);
  }
});

/**
 * Every route an agency may call, and why that is safe (docs/architecture.md, Access): `placements` — it reads or
 * changes one debtor placed with the agency, or lists and sums only those (agency-scope.test.ts and
 * agency-aggregates.test.ts check them); `configuration` — company settings without account figures. Routes whose
 * figures are about the whole company declare `wholeCompany: true` and refuse agencies. A new route an agency can reach
 * fails the test below until someone decides which it is.
 */
const AGENCY_REACH: Record<string, 'placements' | 'configuration'> = {
  'GET /accounts': 'placements',
  'GET /alerts': 'placements',
  'GET /dashboard': 'placements',
  'GET /debtors': 'placements',
  'GET /debtors/:external_id': 'placements',
  'GET /debtors/:external_id/360': 'placements',
  'GET /debtors/:external_id/conversations': 'placements',
  'GET /debtors/:external_id/interactions': 'placements',
  'GET /debtors/:external_id/negotiation': 'placements',
  'GET /debtors/:external_id/plan-options': 'placements',
  'GET /debtors/:external_id/plans': 'placements',
  'GET /debtors/:external_id/promises': 'placements',
  'GET /debtors/:external_id/timeline': 'placements',
  'GET /interactions': 'placements',
  'GET /obligations': 'placements',
  'GET /obligations/:external_id': 'placements',
  'GET /payment-alerts': 'placements',
  'GET /payment-links': 'placements',
  'GET /payment-links/:id': 'placements',
  'GET /payments': 'placements',
  'GET /payments/:external_id': 'placements',
  'GET /plans/:id': 'placements',
  'GET /plans/:id/agreement.pdf': 'placements',
  'GET /replies': 'placements',
  'GET /reports/aging': 'placements',
  'GET /reports/data/:report': 'placements',
  'GET /worklist': 'placements',
  'GET /worklist/summary': 'placements',
  'POST /debtors/:external_id/disputes': 'placements',
  'POST /debtors/:external_id/hardship': 'placements',
  'POST /debtors/:external_id/interactions': 'placements',
  'POST /debtors/:external_id/messages': 'placements',
  'POST /debtors/:external_id/offers/evaluate': 'placements',
  'POST /debtors/:external_id/plans': 'placements',
  'POST /debtors/:external_id/portal-links': 'placements',
  'POST /debtors/:external_id/portal-links/revoke': 'placements',
  'POST /debtors/:external_id/portal-unlock': 'placements',
  'POST /debtors/:external_id/promises': 'placements',
  'POST /disputes/:id/resolve': 'placements',
  'POST /plans/:id/approve': 'placements',
  'POST /plans/:id/cancel': 'placements',
  'POST /plans/:id/reject': 'placements',
  'POST /promises/:id/approve': 'placements',
  'POST /promises/:id/cancel': 'placements',
  'POST /promises/:id/reject': 'placements',
  'POST /replies/:id/handle': 'placements',
  'GET /assignment-rules': 'configuration',
  'GET /auth/me': 'configuration',
  'GET /negotiation/policy': 'configuration',
  'GET /payment-settings': 'configuration',
  'GET /portal-settings': 'configuration',
  'GET /portfolios': 'configuration',
  'GET /portfolios/:name/phases': 'configuration',
  'GET /segments': 'configuration',
  'GET /settings/compliance': 'configuration',
  'GET /strategies': 'configuration',
  'GET /strategies/:name': 'configuration',
  'GET /templates': 'configuration',
  'GET /templates/:key': 'configuration',
};

describe('what an agency can reach', () => {
  it('every route an agency may call is narrowed to its placements or is configuration; the rest refuse it', () => {
    const reachable = guarded.filter((r) => allowed('agency', r)).map((r) => `${r.method} ${r.url}`);
    const unclassified = reachable.filter((k) => !(k in AGENCY_REACH));
    expect(unclassified, 'decide for each: narrowed to placements, configuration, or config.wholeCompany').toEqual([]);
    // Listed routes the agency cannot reach (removed, renamed or refused) are dropped from the list, too.
    expect(Object.keys(AGENCY_REACH).filter((k) => !reachable.includes(k))).toEqual([]);
  });

  it('the routes about the whole company refuse agencies although the permission alone would let them in', () => {
    const refused = guarded.filter((r) => r.config.wholeCompany === true && can('agency', r.config.permission as Permission)).map((r) => `${r.method} ${r.url}`);
    expect(refused.sort()).toEqual(['GET /collector-costs', 'GET /collectors', 'GET /reports/compliance', 'GET /runs', 'GET /runs/:id', 'POST /sandbox/replies', 'POST /strategies/simulate']);
  });
});

describe('company isolation', () => {
  const withParams = () => guarded.filter((r) => r.url.includes(':'));

  it("company A's admin cannot read any of company B's records by id", async () => {
    const covered: string[] = [];
    for (const r of withParams().filter((x) => x.method === 'GET')) {
      const url = pathFor(r.url, 'b');
      // Control: B itself reads the record, so A's refusal below is isolation, not absence.
      const own = await h.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${h.b.key}` } });
      if (own.statusCode !== 200) continue;
      covered.push(r.url);
      for (const res of [
        await h.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${h.a.keys.admin}` } }),
        await browser(h.app, cookies.admin, 'GET', url),
      ]) {
        expect([403, 404], `A reading ${url}: ${res.statusCode} ${res.body}`).toContain(res.statusCode);
        expect(res.body).not.toContain('Deudor de B');
      }
    }
    for (const url of ['/debtors/:external_id', '/obligations/:external_id', '/payments/:external_id', '/users/:id', '/runs/:id', '/debtors/:external_id/timeline', '/debtors/:external_id/placements']) {
      expect(covered, `no B record checked for ${url}`).toContain(url);
    }
  });

  it("company A's admin cannot change any of company B's records, and B's data is unchanged afterwards", async () => {
    const snapshot = async () => {
      const out: Record<string, string> = {};
      for (const r of withParams().filter((x) => x.method === 'GET')) {
        const url = pathFor(r.url, 'b');
        const res = await h.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${h.b.key}` } });
        out[url] = `${res.statusCode} ${res.body}`;
      }
      for (const url of ['/debtors', '/obligations', '/payments', '/segments', '/users', '/agencies', '/portfolios/xb-1/phases']) {
        const res = await h.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${h.b.key}` } });
        out[url] = `${res.statusCode} ${res.body}`;
      }
      return out;
    };
    const before = await snapshot();
    // Bodies a route would accept, so the refusal cannot be a mere validation error.
    const bodies: Record<string, unknown> = {
      'PATCH /debtors/:external_id': { name: 'Cambiado por A' },
      'PATCH /obligations/:external_id': { amount: '1.00' },
      'POST /payments/:external_id/reverse': { reason: 'de A' },
      'POST /debtors/:external_id/holds': { reason: 'legal' },
      'DELETE /debtors/:external_id/holds': {},
      'PUT /portfolios/:name/phases': { grace_days: 9 },
      'PATCH /users/:id': { role: 'viewer', active: false },
      'POST /users/:id/password': { password: 'contraseña-de-A-123' },
      'PUT /debtors/:external_id/placement': { agency: 'Despacho de A' },
    };
    const attempted: string[] = [];
    for (const r of withParams().filter((x) => isUnsafe(x.method))) {
      const key = `${r.method} ${r.url}`;
      const url = pathFor(r.url, 'b');
      const body = bodies[key] ?? {};
      attempted.push(key);
      for (const res of [
        await h.app.inject({ method: r.method as 'POST', url, headers: { authorization: `Bearer ${h.a.keys.admin}` }, payload: body as object }),
        await browser(h.app, cookies.admin, r.method as 'POST', url, body),
      ]) {
        expect(res.statusCode, `A changing ${key}: ${res.body}`).toBeGreaterThanOrEqual(400);
        expect(res.statusCode, `A changing ${key}: ${res.body}`).toBeLessThan(500);
      }
    }
    expect(attempted).toEqual(expect.arrayContaining(Object.keys(bodies).filter((k) => guarded.some((r) => `${r.method} ${r.url}` === k))));
    expect(await snapshot()).toEqual(before);
  }, 120_000);
});
