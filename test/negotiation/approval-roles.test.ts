/**
 * Who may approve an exception to the negotiation policy: the role the policy names (`approval.role`) or a higher one
 * (admin > supervisor > collector). At the boundary: with a collector approver a collector approves; with a
 * supervisor approver a collector is refused (403 `forbidden`, naming the role needed) on approve and reject, and a
 * supervisor or an admin approves. The role is validated when the policy is saved, and an override can name another.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { debtors, obligations, portfolios } from '../../src/db/schema.ts';
import { createApiKey } from '../../src/modules/access/api-keys.ts';
import { call, startHarness, type Harness } from '../http/harness.ts';

let h: Harness;
const keys: Record<'collector' | 'supervisor' | 'admin', string> = { collector: '', supervisor: '', admin: '' };
let portfolioName = '';

beforeAll(async () => {
  // 2026-03-15T18:00Z = 12:00 in Mexico City.
  h = await startHarness();
  for (const role of ['collector', 'supervisor', 'admin'] as const) keys[role] = (await createApiKey({ database: h.database, companyId: h.a.companyId, name: role, role })).key;
  const [p] = await h.database.db.select().from(portfolios).where(eq(portfolios.companyId, h.a.companyId));
  portfolioName = p!.name;
  for (const name of ['AP-1', 'AP-2', 'AP-3', 'AP-4', 'AP-5', 'AP-6']) {
    const [d] = await h.database.db
      .insert(debtors)
      .values({ companyId: h.a.companyId, externalId: name, name: `Deudor ${name}`, country: 'MX', timeZone: 'America/Mexico_City' })
      .returning();
    await h.database.db.insert(obligations).values({ companyId: h.a.companyId, portfolioId: p!.id, debtorId: d!.id, externalId: `${name}-F1`, currency: 'MXN', amount: 1_000_000n, balance: 1_000_000n, dueOn: '2026-02-01' });
  }
});

afterAll(async () => {
  await h?.close();
});

const setPolicy = (source: string) => call(h.app, keys.admin, 'PUT', '/negotiation/policy', { source });

/** A plan outside the policy (18 installments, 12 allowed), sent for approval by a collector. */
async function pendingPlan(debtor: string): Promise<number> {
  const r = await call(h.app, keys.collector, 'POST', `/debtors/${debtor}/plans`, {
    currency: 'MXN',
    channel: 'phone',
    taken_by: 'collector',
    request_approval: true,
    offer: { kind: 'plan', down_payment: '1000.00', installments: 18, frequency: 'monthly', first_installment_on: '2026-04-14' },
  });
  expect(r.statusCode, r.body).toBe(201);
  expect(r.json().status).toBe('pending_approval');
  return r.json().id as number;
}

describe('the approver role of the policy', () => {
  it('is validated when the policy is saved: only collector, agency, supervisor or admin', async () => {
    for (const role of ['gerente', 'auditor', 'viewer']) {
      const r = await setPolicy(`approval: { role: ${role} }`);
      expect(r.statusCode).toBe(400);
      expect(r.json()).toMatchObject({ code: 'validation_failed', details: [{ path: 'approval.role', reason: 'must be one of collector, agency, supervisor, admin' }] });
    }
    const bad = await setPolicy(`overrides:\n  - when: { portfolio: x }\n    approval: { role: jefe }`);
    expect(bad.json().details).toEqual([{ path: 'overrides[0].approval.role', reason: 'must be one of collector, agency, supervisor, admin' }]);
    for (const role of ['collector', 'agency', 'supervisor', 'admin']) expect((await setPolicy(`approval: { role: ${role} }`)).statusCode).toBe(200);
  });

  it('naming collector lets a collector approve', async () => {
    expect((await setPolicy('approval: { role: collector }')).statusCode).toBe(200);
    const id = await pendingPlan('AP-1');
    const r = await call(h.app, keys.collector, 'POST', `/plans/${id}/approve`, {});
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ status: 'active', approver_role: 'collector', decided_by: 'api-key:collector' });
  });

  it('naming supervisor refuses a collector (approve and reject) with the role needed, and lets a supervisor approve', async () => {
    expect((await setPolicy('approval: { role: supervisor }')).statusCode).toBe(200);
    const id = await pendingPlan('AP-2');
    for (const verb of ['approve', 'reject']) {
      const r = await call(h.app, keys.collector, 'POST', `/plans/${id}/${verb}`, {});
      expect(r.statusCode).toBe(403);
      expect(r.json()).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/needs the supervisor role or higher.*your role is collector/) });
    }
    // Nothing changed: still waiting, and the supervisor decides.
    expect((await call(h.app, keys.supervisor, 'GET', `/plans/${id}`)).json().status).toBe('pending_approval');
    const ok = await call(h.app, keys.supervisor, 'POST', `/plans/${id}/approve`, {});
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'active', decided_by: 'api-key:supervisor' });
  });

  it('naming supervisor lets an admin approve (a higher role)', async () => {
    const id = await pendingPlan('AP-3');
    const ok = await call(h.app, keys.admin, 'POST', `/plans/${id}/approve`, {});
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().status).toBe('active');
  });

  it('applies to promises too: a collector is refused, a supervisor rejects', async () => {
    const body = { currency: 'MXN', amount: '20.00', promised_on: '2026-03-20', channel: 'phone', taken_by: 'collector', request_approval: true };
    const created = await call(h.app, keys.collector, 'POST', '/debtors/AP-4/promises', body);
    expect(created.json()).toMatchObject({ status: 'pending_approval', evaluation: { approver_role: 'supervisor' } });
    const refused = await call(h.app, keys.collector, 'POST', `/promises/${created.json().id}/approve`, {});
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toMatch(/needs the supervisor role or higher/);
    const rejected = await call(h.app, keys.supervisor, 'POST', `/promises/${created.json().id}/reject`, {});
    expect(rejected.json()).toMatchObject({ status: 'rejected' });
  });

  it('an override can name a higher approver for its scope: then a supervisor is refused and an admin approves', async () => {
    expect((await setPolicy(`approval: { role: collector }\noverrides:\n  - when: { portfolio: ${portfolioName} }\n    approval: { role: admin }`)).statusCode).toBe(200);
    const id = await pendingPlan('AP-5');
    const refused = await call(h.app, keys.supervisor, 'POST', `/plans/${id}/approve`, {});
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toMatch(/needs the admin role.*your role is supervisor/);
    expect((await call(h.app, keys.collector, 'POST', `/plans/${id}/approve`, {})).statusCode).toBe(403);
    expect((await call(h.app, keys.admin, 'POST', `/plans/${id}/approve`, {})).json().status).toBe('active');
  });

  it('the role is the one named when the exception was asked for, not a later edit of the policy', async () => {
    expect((await setPolicy('approval: { role: supervisor }')).statusCode).toBe(200);
    const id = await pendingPlan('AP-6');
    expect((await setPolicy('approval: { role: collector }')).statusCode).toBe(200);
    expect((await call(h.app, keys.collector, 'POST', `/plans/${id}/approve`, {})).statusCode).toBe(403);
  });
});
