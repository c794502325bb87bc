/**
 * The negotiation API over a real database: policy get/set with clear errors, evaluating offers, promises, plans
 * with approval, the agreement PDF, disputes and hardship — and a 4xx a person can act on for every bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { debtors, holds, obligations, portfolios, tasks } from '../../src/db/schema.ts';
import { auditLog } from '../../src/db/tables/access.ts';
import { call, startHarness, type Harness } from '../http/harness.ts';

let h: Harness;
let debtorId: number;
let obligationIds: number[] = [];

beforeAll(async () => {
  // 2026-03-15T18:00Z = 12:00 in Mexico City, a Sunday.
  h = await startHarness();
  const [p] = await h.database.db.select().from(portfolios).where(eq(portfolios.companyId, h.a.companyId));
  const [d] = await h.database.db
    .insert(debtors)
    .values({ companyId: h.a.companyId, externalId: 'CLI-1', name: 'Ana Pérez', country: 'MX', timeZone: 'America/Mexico_City', email: 'ana@example.com' })
    .returning();
  debtorId = d!.id;
  const rows = await h.database.db
    .insert(obligations)
    .values([
      { companyId: h.a.companyId, portfolioId: p!.id, debtorId, externalId: 'F-1', currency: 'MXN', amount: 600_000n, balance: 600_000n, dueOn: '2026-02-01' },
      { companyId: h.a.companyId, portfolioId: p!.id, debtorId, externalId: 'F-2', currency: 'MXN', amount: 400_000n, balance: 400_000n, dueOn: '2026-02-20' },
    ])
    .returning({ id: obligations.id });
  obligationIds = rows.map((r) => r.id);
});

afterAll(async () => {
  await h?.close();
});

const A = () => h.a.key;

describe('policy', () => {
  it('shows the default, accepts a YAML file and keeps it', async () => {
    const shown = await call(h.app, A(), 'GET', '/negotiation/policy');
    expect(shown.statusCode).toBe(200);
    expect(shown.json()).toMatchObject({ is_default: true, policy: { promises: { max_days: 15 } } });
    const set = await call(h.app, A(), 'PUT', '/negotiation/policy', { source: 'promises:\n  max_days: 10\noverrides:\n  - when: { phase: judicial }\n    settlements: { max_discount_percent: 40 }\n' });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ is_default: false, version: 1, policy: { promises: { max_days: 10 } } });
    const audit = await h.database.db.select().from(auditLog).where(and(eq(auditLog.companyId, h.a.companyId), eq(auditLog.action, 'negotiation_policy.set')));
    expect(audit).toHaveLength(1);
  });

  it('refuses a bad policy with every problem and its path, keeping the old one', async () => {
    const r = await call(h.app, A(), 'PUT', '/negotiation/policy', { source: 'promises: { max_days: -3 }\nplans: { frequencies: [daily] }' });
    expect(r.statusCode).toBe(400);
    expect(r.json().details.map((d: { path: string }) => d.path)).toEqual(['promises.max_days', 'plans.frequencies[0]']);
    expect((await call(h.app, A(), 'PUT', '/negotiation/policy', {})).statusCode).toBe(400);
    expect((await call(h.app, A(), 'PUT', '/negotiation/policy', { source: 'x: [' })).statusCode).toBe(400);
    expect((await call(h.app, A(), 'GET', '/negotiation/policy')).json().policy.promises.max_days).toBe(10);
  });
});

describe('offers', () => {
  it('evaluates with reasons and writes nothing', async () => {
    const ok = await call(h.app, A(), 'POST', '/debtors/CLI-1/offers/evaluate', { currency: 'MXN', offer: { kind: 'promise', amount: '2000.00', promised_on: '2026-03-20' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ outcome: 'allowed', reasons: [] });
    const late = await call(h.app, A(), 'POST', '/debtors/CLI-1/offers/evaluate', { currency: 'MXN', offer: { kind: 'promise', amount: '1999.99', promised_on: '2026-03-26' } });
    expect(late.json()).toMatchObject({ outcome: 'needs_approval', approver_role: 'supervisor' });
    expect(late.json().reasons.map((r: { code: string }) => r.code)).toEqual(['promise.horizon_exceeded', 'promise.amount_below_minimum']);
    const plan = await call(h.app, A(), 'POST', '/debtors/CLI-1/offers/evaluate', { currency: 'MXN', offer: { kind: 'plan', down_payment: '1000.00', installments: 3, frequency: 'monthly', first_installment_on: '2026-03-31' } });
    expect(plan.json()).toMatchObject({ outcome: 'allowed', total: '10000.00' });
    expect(plan.json().schedule.map((s: { due_on: string; amount: string }) => [s.due_on, s.amount])).toEqual([
      ['2026-03-15', '1000.00'],
      ['2026-03-31', '3000.00'],
      ['2026-04-30', '3000.00'],
      ['2026-05-31', '3000.00'],
    ]);
    const options = await call(h.app, A(), 'GET', '/debtors/CLI-1/plan-options?currency=MXN');
    expect(options.statusCode).toBe(200);
    expect(options.json().options.length).toBeGreaterThan(3);
    // Each option carries its offer, and sending that offer back evaluates to the same schedule.
    const option = options.json().options.find((o: { kind: string }) => o.kind === 'plan');
    expect(option.offer).toMatchObject({ kind: 'plan', installments: expect.any(Number), frequency: expect.any(String), first_installment_on: expect.any(String) });
    const again = await call(h.app, A(), 'POST', '/debtors/CLI-1/offers/evaluate', { currency: 'MXN', offer: option.offer });
    expect(again.json()).toMatchObject({ outcome: 'allowed', total: option.total, schedule: option.schedule });
  });

  it('gives a 4xx a person can act on for bad input', async () => {
    const bad = async (method: 'POST' | 'GET', url: string, body?: unknown) => {
      const r = await call(h.app, A(), method, url, body);
      return { status: r.statusCode, code: r.json().code as string, message: r.json().message as string };
    };
    expect(await bad('POST', '/debtors/CLI-1/offers/evaluate', { currency: 'MXN', offer: { kind: 'promise', amount: '10.005', promised_on: '2026-03-20' } })).toMatchObject({ status: 400, message: expect.stringMatching(/more than 2 decimals/) });
    expect(await bad('POST', '/debtors/CLI-1/offers/evaluate', { currency: 'MXN', offer: { kind: 'promise', amount: '10', promised_on: '2026-02-30' } })).toMatchObject({ status: 400 });
    expect(await bad('POST', '/debtors/CLI-1/offers/evaluate', { currency: 'XYZ', offer: { kind: 'promise', amount: '10', promised_on: '2026-03-20' } })).toMatchObject({ status: 400, message: expect.stringMatching(/unknown currency/) });
    expect(await bad('POST', '/debtors/CLI-1/offers/evaluate', { currency: 'MXN', offer: { kind: 'barter' } })).toMatchObject({ status: 400 });
    expect(await bad('POST', '/debtors/NOPE/offers/evaluate', { currency: 'MXN', offer: { kind: 'promise', amount: '10', promised_on: '2026-03-20' } })).toMatchObject({ status: 404 });
    expect(await bad('GET', '/debtors/CLI-1/plan-options')).toMatchObject({ status: 400 });
    expect(await bad('POST', '/debtors/CLI-1/offers/evaluate', { currency: 'MXN', offer: { kind: 'settlement', discount: '1', amount: '2', pay_on: '2026-03-20' } })).toMatchObject({ status: 400, message: expect.stringMatching(/either the discount or the amount/) });
    expect(await bad('POST', '/debtors/CLI-1/offers/evaluate', { currency: 'MXN', offer: { kind: 'plan', installments: 3, frequency: 'monthly', first_installment_on: '2026-03-31', annual_interest_percent: 'lots' } })).toMatchObject({ status: 400 });
    expect(await bad('POST', '/debtors/CLI-1/offers/evaluate', { currency: 'MXN', obligation_ids: [999999], offer: { kind: 'promise', amount: '10', promised_on: '2026-03-20' } })).toMatchObject({ status: 400 });
    expect(await bad('POST', '/promises/abc/cancel', {})).toMatchObject({ status: 400 });
    expect(await bad('POST', '/plans/999999/approve', {})).toMatchObject({ status: 404 });
  });
});

describe('promises', () => {
  let promiseId: number;
  it('refuses outside the policy (422 with codes), records inside it with a hold, refuses a second one', async () => {
    const refused = await call(h.app, A(), 'POST', '/debtors/CLI-1/promises', { currency: 'MXN', amount: '20000.00', promised_on: '2026-03-20', channel: 'phone', taken_by: 'collector' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'policy_refused', details: [{ path: 'promise.amount_exceeds_balance' }] });
    const r = await call(h.app, A(), 'POST', '/debtors/CLI-1/promises', { currency: 'MXN', amount: '2000.00', promised_on: '2026-03-20', channel: 'phone', taken_by: 'collector', idempotency_key: 'call-1' });
    expect(r.statusCode).toBe(201);
    // Friday 2026-03-20 + 1 business day = Monday 2026-03-23 (no Mexican holiday then).
    expect(r.json()).toMatchObject({ status: 'open', amount: '2000.00', grace_until: '2026-03-23', taken_on: '2026-03-15' });
    promiseId = r.json().id;
    const again = await call(h.app, A(), 'POST', '/debtors/CLI-1/promises', { currency: 'MXN', amount: '2000.00', promised_on: '2026-03-20', channel: 'phone', taken_by: 'collector', idempotency_key: 'call-1' });
    expect(again.json().id).toBe(promiseId);
    const second = await call(h.app, A(), 'POST', '/debtors/CLI-1/promises', { currency: 'MXN', amount: '2500.00', promised_on: '2026-03-21', channel: 'phone', taken_by: 'collector' });
    expect(second.statusCode).toBe(409);
    const hold = await h.database.db.select().from(holds).where(eq(holds.debtorId, debtorId));
    expect(hold.map((x) => [x.reason, x.expiresOn, x.releasedAt])).toEqual([['promise', '2026-03-24', null]]);
  });

  it('cancels it (hold released); a cancelled one cannot be cancelled again; another company cannot see it', async () => {
    expect((await call(h.app, h.b.key, 'POST', `/promises/${promiseId}/cancel`, {})).statusCode).toBe(404);
    const r = await call(h.app, A(), 'POST', `/promises/${promiseId}/cancel`, { note: 'pagará por transferencia' });
    expect(r.json()).toMatchObject({ status: 'cancelled' });
    expect((await call(h.app, A(), 'POST', `/promises/${promiseId}/cancel`, {})).statusCode).toBe(409);
    const [hold] = await h.database.db.select().from(holds).where(eq(holds.debtorId, debtorId));
    expect(hold!.releasedAt).not.toBeNull();
  });
});

describe('plans', () => {
  let planId: number;
  it('an out-of-policy plan waits for approval with a task, then is approved and holds collection', async () => {
    const body = { currency: 'MXN', channel: 'portal', taken_by: 'debtor', offer: { kind: 'plan', down_payment: '500.00', installments: 18, frequency: 'monthly', first_installment_on: '2026-04-14' } };
    const refused = await call(h.app, A(), 'POST', '/debtors/CLI-1/plans', body);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().details.map((d: { path: string }) => d.path)).toEqual(['plan.too_many_installments', 'plan.down_payment_below_minimum']);
    const pending = await call(h.app, A(), 'POST', '/debtors/CLI-1/plans', { ...body, request_approval: true });
    expect(pending.statusCode).toBe(201);
    expect(pending.json()).toMatchObject({ status: 'pending_approval', approver_role: 'supervisor', total: '10000.00' });
    planId = pending.json().id;
    const [task] = await h.database.db.select().from(tasks).where(and(eq(tasks.debtorId, debtorId), eq(tasks.kind, 'plan_approval')));
    expect(task).toMatchObject({ status: 'open', cause: `plan:${planId}` });
    const approved = await call(h.app, A(), 'POST', `/plans/${planId}/approve`, { note: 'cliente con historial bueno' });
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'active', started_on: '2026-03-15', decided_by: 'api-key:a' });
    expect((await call(h.app, A(), 'POST', `/plans/${planId}/reject`, {})).statusCode).toBe(409);
    const agreement = (await h.database.db.select().from(holds).where(and(eq(holds.debtorId, debtorId), eq(holds.reason, 'agreement'))))[0];
    expect(agreement).toMatchObject({ expiresOn: null, releasedAt: null });
  });

  it('serves the agreement as PDF in Spanish and English', async () => {
    const es = await h.app.inject({ method: 'GET', url: `/plans/${planId}/agreement.pdf`, headers: { authorization: `Bearer ${A()}` } });
    expect(es.statusCode).toBe(200);
    expect(es.headers['content-type']).toBe('application/pdf');
    expect(es.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(es.headers['content-disposition']).toMatch(/convenio-\d+\.pdf/);
    const en = await h.app.inject({ method: 'GET', url: `/plans/${planId}/agreement.pdf?language=en`, headers: { authorization: `Bearer ${A()}` } });
    expect(en.headers['content-disposition']).toMatch(/agreement-\d+\.pdf/);
    expect((await h.app.inject({ method: 'GET', url: `/plans/${planId}/agreement.pdf?language=fr`, headers: { authorization: `Bearer ${A()}` } })).statusCode).toBe(400);
  });

  it('cancels the plan and lists it in the negotiation state', async () => {
    expect((await call(h.app, A(), 'POST', `/plans/${planId}/cancel`, {})).json()).toMatchObject({ status: 'cancelled' });
    const state = await call(h.app, A(), 'GET', '/debtors/CLI-1/negotiation');
    expect(state.statusCode).toBe(200);
    expect(state.json()).toMatchObject({ balances: { MXN: '10000.00' }, plans: [{ id: planId, status: 'cancelled' }], promises: [{ status: 'cancelled' }] });
  });
});

describe('disputes and hardship', () => {
  it('a dispute takes the obligation out of offers until resolved; upheld cancels it through the portfolio', async () => {
    const r = await call(h.app, A(), 'POST', '/debtors/CLI-1/disputes', { obligation_id: obligationIds[1], reason: 'no reconozco el cargo', channel: 'portal', opened_by: 'debtor' });
    expect(r.statusCode).toBe(201);
    expect((await call(h.app, A(), 'POST', '/debtors/CLI-1/disputes', { obligation_id: obligationIds[1], reason: 'otra vez', channel: 'portal', opened_by: 'debtor' })).statusCode).toBe(409);
    expect((await call(h.app, A(), 'POST', '/debtors/CLI-1/disputes', { obligation_id: 999999, reason: 'x', channel: 'portal', opened_by: 'debtor' })).statusCode).toBe(404);
    expect((await call(h.app, A(), 'GET', '/debtors/CLI-1/negotiation')).json().balances).toEqual({ MXN: '6000.00' });
    const id = r.json().id;
    expect((await call(h.app, A(), 'POST', `/disputes/${id}/resolve`, { outcome: 'upheld', resolution: 'cargo duplicado', adjusted_amount: '5000.00' })).statusCode).toBe(400);
    const done = await call(h.app, A(), 'POST', `/disputes/${id}/resolve`, { outcome: 'upheld', resolution: 'cargo duplicado' });
    expect(done.json()).toMatchObject({ status: 'upheld', adjusted_amount: '0.00', previous_amount: '4000.00' });
    const [ob] = await h.database.db.select().from(obligations).where(eq(obligations.id, obligationIds[1]!));
    expect([ob!.amount, ob!.balance]).toEqual([0n, 0n]);
    const dispTask = await h.database.db.select().from(tasks).where(and(eq(tasks.debtorId, debtorId), eq(tasks.kind, 'dispute')));
    expect(dispTask.map((t) => t.status)).toEqual(['done']);
  });

  it('a rejected dispute resumes collection and records what the debtor is told', async () => {
    const r = await call(h.app, A(), 'POST', '/debtors/CLI-1/disputes', { obligation_id: obligationIds[0], reason: 'ya pagué', channel: 'whatsapp', opened_by: 'debtor' });
    const done = await call(h.app, A(), 'POST', `/disputes/${r.json().id}/resolve`, { outcome: 'rejected', resolution: 'no hay pago registrado' });
    expect(done.json().debtor_notice).toMatch(/La gestión de cobro continúa/);
    expect((await call(h.app, A(), 'GET', '/debtors/CLI-1/negotiation')).json().balances).toEqual({ MXN: '6000.00' });
  });

  it('flags hardship once a day', async () => {
    const a = await call(h.app, A(), 'POST', '/debtors/CLI-1/hardship', { channel: 'whatsapp', note: 'perdí mi empleo' });
    const b = await call(h.app, A(), 'POST', '/debtors/CLI-1/hardship', { channel: 'whatsapp' });
    expect(a.statusCode).toBe(201);
    expect(b.json().task_id).toBe(a.json().task_id);
    expect((await call(h.app, A(), 'POST', '/debtors/CLI-1/hardship', { channel: 'carrier-pigeon' })).statusCode).toBe(400);
  });
});
