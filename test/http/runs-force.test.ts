/**
 * Rewinding a portfolio is an administrator's decision: POST /runs with an earlier date than the last run is refused
 * with 409 run_out_of_order without "force", and with it for anyone but an administrator (403); an administrator's
 * forced run goes through. Runs of the right order need no more than runs:execute.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/modules/access/api-keys.ts';
import { saveRecords } from '../../src/modules/portfolio/index.ts';
import { call, startHarness, type Harness } from './harness.ts';

let h: Harness;
let supervisor: string;

beforeAll(async () => {
  h = await startHarness();
  supervisor = (await createApiKey({ database: h.database, companyId: h.a.companyId, name: 'supervisora', role: 'supervisor' })).key;
  await saveRecords(h.a.ctx, { entity: 'debtors', rows: [{ external_id: 'RF-1', name: 'Rebobinado SA' }] });
  await saveRecords(h.a.ctx, { entity: 'obligations', rows: [{ external_id: 'RF-O1', debtor_external_id: 'RF-1', currency: 'MXN', amount: '500.00', due_on: '2026-03-01' }] });
});
afterAll(async () => {
  await h?.close();
});

async function runAndWait(key: string, body: Record<string, unknown>) {
  const res = await call(h.app, key, 'POST', '/runs', body);
  expect(res.statusCode, res.body).toBe(202);
  for (let i = 0; i < 200; i++) {
    const run = (await call(h.app, key, 'GET', `/runs/${res.json().id}`)).json();
    if (run.status !== 'running') return run;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('run did not finish');
}

describe('forcing an earlier date', () => {
  it('lets a supervisor run in order, refuses the earlier date, and lets only an administrator force it', async () => {
    expect(await runAndWait(supervisor, { as_of: '2026-03-15' })).toMatchObject({ status: 'succeeded', forced: false });
    const refused = await call(h.app, supervisor, 'POST', '/runs', { as_of: '2026-03-10' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('run_out_of_order');
    const notAdmin = await call(h.app, supervisor, 'POST', '/runs', { as_of: '2026-03-10', force: true });
    expect(notAdmin.statusCode).toBe(403);
    expect(notAdmin.json()).toMatchObject({ code: 'forbidden', details: [{ path: 'body.force', reason: 'administrators only' }] });
    expect((await call(h.app, supervisor, 'GET', '/runs')).json().data).toHaveLength(1);
    expect(await runAndWait(h.a.key, { as_of: '2026-03-10', force: true })).toMatchObject({ status: 'succeeded', forced: true, as_of: '2026-03-10' });
    // Forcing a date that needs no forcing is harmless for anyone (the next day, once it has come).
    h.clock.set('2026-03-16T18:00:00Z');
    expect(await runAndWait(supervisor, { as_of: '2026-03-16', force: true })).toMatchObject({ status: 'succeeded' });
  });
});
