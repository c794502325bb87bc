import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveRecords } from '../../src/modules/portfolio/index.ts';
import { call, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ now: '2026-03-15T18:00:00Z' });
  await saveRecords(h.a.ctx, {
    entity: 'debtors',
    rows: [
      { external_id: 'R-1', name: 'Delta Uno' },
      { external_id: 'R-2', name: 'Alfa Dos' },
      { external_id: 'R-3', name: 'Charlie Tres' },
      { external_id: 'R-4', name: 'Bravo Cuatro' },
    ],
  });
  await saveRecords(h.a.ctx, {
    entity: 'obligations',
    rows: [
      { external_id: 'O-1', debtor_external_id: 'R-1', currency: 'MXN', amount: '1000.00', due_on: '2026-03-20' },
      { external_id: 'O-2', debtor_external_id: 'R-2', currency: 'MXN', amount: '2000.00', due_on: '2026-02-28' },
      { external_id: 'O-3', debtor_external_id: 'R-3', currency: 'MXN', amount: '5000.00', due_on: '2025-12-01' },
      { external_id: 'O-3u', debtor_external_id: 'R-3', currency: 'USD', amount: '100.00', due_on: '2026-03-01' },
      { external_id: 'O-4', debtor_external_id: 'R-4', currency: 'MXN', amount: '300.00', due_on: '2026-01-01' },
    ],
  });
  await saveRecords(h.a.ctx, { entity: 'payments', rows: [{ external_id: 'PR-4', debtor_external_id: 'R-4', currency: 'MXN', amount: '300.00', paid_on: '2026-01-05' }] });
});
afterAll(async () => {
  await h?.close();
});

async function ok(method: 'POST' | 'PUT' | 'GET' | 'DELETE', url: string, body?: unknown, status = 200, key = h.a.key) {
  const res = await call(h.app, key, method, url, body);
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(status);
  return status === 204 ? null : res.json();
}

async function runAndWait(body: Record<string, unknown>) {
  const started = await ok('POST', '/runs', body, 202);
  expect(started).toMatchObject({ id: expect.any(Number), status: 'running', as_of: body.as_of });
  for (let i = 0; i < 200; i++) {
    const run = await ok('GET', `/runs/${started.id}`);
    if (run.status !== 'running') return run;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('run did not finish');
}

const ids = (page: { data: Array<{ debtor_external_id: string }> }) => page.data.map((a) => a.debtor_external_id);

describe('segments, holds and the daily run', () => {
  it('sets up a segment and a hold, then runs the day in the background', async () => {
    expect(await ok('POST', '/segments', { name: 'grandes', rule: 'balance.MXN >= 3000', description: 'saldos altos' }, 201)).toEqual({
      name: 'grandes',
      rule: 'balance.MXN >= 3000',
      description: 'saldos altos',
    });
    expect((await call(h.app, h.a.key, 'POST', '/segments', { name: 'grandes', rule: 'true' })).statusCode).toBe(409);
    const rejected = await call(h.app, h.a.key, 'POST', '/segments', { name: 'malo', rule: 'balance.MXN >=' });
    expect(rejected.statusCode).toBe(400);
    expect(rejected.json().code).toBe('rule_invalid');
    expect((await ok('GET', '/segments')).data.map((s: { name: string }) => s.name)).toEqual(['grandes']);

    const hold = await ok('POST', '/debtors/R-2/holds', { reason: 'dispute', note: 'factura en revisión', expires_on: '2026-04-30' }, 201);
    expect(hold).toMatchObject({ reason: 'dispute', starts_on: '2026-03-15', expires_on: '2026-04-30', created_by: 'api-key:a' });

    const run = await runAndWait({ as_of: '2026-03-15' });
    expect(run).toMatchObject({ status: 'succeeded', as_of: '2026-03-15', error: null, stats: expect.objectContaining({ accounts: 4 }) });
    // Snake_case like every other body.
    expect(Object.keys(run.stats).sort()).toEqual(['accounts', 'by_phase', 'phase_changes', 'portfolios']);
    expect(Object.values(run.stats.by_phase as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(4);
    expect((await ok('GET', '/runs')).data[0]).toMatchObject({ id: run.id, status: 'succeeded' });
  });

  it('lists accounts worst first with phase, bucket, balances and segments', async () => {
    const page = await ok('GET', '/accounts');
    expect(ids(page)).toEqual(['R-3', 'R-2', 'R-1', 'R-4']);
    expect(page.data[0]).toEqual({
      debtor_external_id: 'R-3',
      name: 'Charlie Tres',
      portfolio: 'default',
      phase: 'judicial',
      phase_since: '2026-03-15',
      phase_source: 'rule',
      days_past_due: 104,
      bucket: '91-120',
      balances: { MXN: '5000.00', USD: '100.00' },
      overdue: { MXN: '5000.00', USD: '100.00' },
      segments: ['grandes'],
      on_hold: false,
      as_of: '2026-03-15',
    });
    expect(page.data[3]).toMatchObject({ debtor_external_id: 'R-4', phase: 'settled', days_past_due: null, bucket: null, balances: {} });
    expect(page.data[1]).toMatchObject({ debtor_external_id: 'R-2', on_hold: true, phase: 'administrative', bucket: '1-30' });
  });

  it('filters and sorts accounts', async () => {
    expect(ids(await ok('GET', '/accounts?phase=judicial'))).toEqual(['R-3']);
    expect(ids(await ok('GET', '/accounts?bucket=1-30'))).toEqual(['R-2']);
    expect(ids(await ok('GET', '/accounts?segment=grandes'))).toEqual(['R-3']);
    expect(ids(await ok('GET', '/accounts?dpd_min=1'))).toEqual(['R-3', 'R-2']);
    expect(ids(await ok('GET', '/accounts?dpd_min=-5&dpd_max=15'))).toEqual(['R-2', 'R-1']);
    expect(ids(await ok('GET', '/accounts?on_hold=true'))).toEqual(['R-2']);
    expect(ids(await ok('GET', '/accounts?portfolio=default&on_hold=false'))).toEqual(['R-3', 'R-1', 'R-4']);
    expect(ids(await ok('GET', '/accounts?currency=MXN&balance_min=1000&balance_max=2000.00'))).toEqual(['R-2', 'R-1']);
    expect(ids(await ok('GET', '/accounts?currency=usd&balance_min=0.01'))).toEqual(['R-3']);
    expect(ids(await ok('GET', '/accounts?sort=balance&currency=MXN&order=asc'))).toEqual(['R-4', 'R-1', 'R-2', 'R-3']);
    expect(ids(await ok('GET', '/accounts?sort=name'))).toEqual(['R-2', 'R-4', 'R-3', 'R-1']);
    expect(ids(await ok('GET', '/accounts?sort=days_past_due&order=asc'))).toEqual(['R-4', 'R-1', 'R-2', 'R-3']);
  });

  it('pages accounts by every sort without gaps or repeats', async () => {
    for (const query of ['sort=days_past_due', 'sort=days_past_due&order=asc', 'sort=balance&currency=MXN', 'sort=name&order=desc']) {
      const all = ids(await ok('GET', `/accounts?${query}`));
      const walked: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await ok('GET', `/accounts?${query}&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
        walked.push(...ids(page));
        cursor = page.next_cursor;
      } while (cursor);
      expect(walked, query).toEqual(all);
    }
  });

  it('shows the account on the debtor and reports aging per currency', async () => {
    const debtor = await ok('GET', '/debtors/R-3');
    expect(debtor.accounts).toEqual([expect.objectContaining({ portfolio: 'default', phase: 'judicial', days_past_due: 104, segments: ['grandes'] })]);
    const aging = await ok('GET', '/reports/aging?as_of=2026-03-15');
    expect(aging.as_of).toBe('2026-03-15');
    const mxn = aging.lines.find((l: { currency: string }) => l.currency === 'MXN');
    expect(mxn.total).toEqual({ amount: '8000.00', count: 3 });
    expect(mxn.buckets.find((b: { bucket: string }) => b.bucket === '91-120')).toEqual({ bucket: '91-120', amount: '5000.00', count: 1 });
    const usd = aging.lines.find((l: { currency: string }) => l.currency === 'USD');
    expect(usd.total).toEqual({ amount: '100.00', count: 1 });
    expect((await call(h.app, h.a.key, 'GET', '/reports/aging?as_of=2026-03-15&portfolio=nope')).statusCode).toBe(404);
  });

  it('refuses an earlier date unless forced, and an unknown portfolio', async () => {
    const early = await call(h.app, h.a.key, 'POST', '/runs', { as_of: '2026-03-01' });
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('run_out_of_order');
    expect((await call(h.app, h.a.key, 'POST', '/runs', { as_of: '2026-03-15', portfolio: 'nope' })).statusCode).toBe(404);
    const forced = await runAndWait({ as_of: '2026-03-01', force: true });
    expect(forced).toMatchObject({ status: 'succeeded', forced: true });
    const back = await runAndWait({ as_of: '2026-03-15', portfolio: 'default' });
    expect(back.status).toBe('succeeded');
    expect((await call(h.app, h.a.key, 'GET', '/runs/999999')).statusCode).toBe(404);
  });

  it('reads and changes phase thresholds', async () => {
    expect(await ok('GET', '/portfolios/default/phases')).toEqual({
      portfolio: 'default',
      preventive_days: 5,
      administrative_from: 1,
      extrajudicial_from: 31,
      judicial_from: 91,
      grace_days: 0,
    });
    expect(await ok('PUT', '/portfolios/default/phases', { judicial_from: 121, grace_days: 3 })).toMatchObject({ judicial_from: 121, grace_days: 3, extrajudicial_from: 31 });
    expect((await ok('GET', '/portfolios')).data).toEqual([expect.objectContaining({ name: 'default', judicial_from: 121, last_run_on: '2026-03-15' })]);
    expect((await call(h.app, h.a.key, 'GET', '/portfolios/nope/phases')).statusCode).toBe(404);
    // A refusal names the thresholds by the body's fields, never by internal names.
    const refused = await call(h.app, h.a.key, 'PUT', '/portfolios/default/phases', { extrajudicial_from: 200 });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toMatch(/administrative_from < extrajudicial_from < judicial_from/);
    expect(refused.body).not.toMatch(/[a-z](From|Days)\b/);
  });

  it('releases holds and removes segments', async () => {
    expect(await ok('DELETE', '/debtors/R-2/holds?reason=dispute&note=resuelta')).toEqual({ released: 1 });
    expect((await call(h.app, h.a.key, 'DELETE', '/debtors/R-2/holds')).statusCode).toBe(404);
    expect((await ok('GET', '/debtors/R-2')).holds).toEqual([]);
    await ok('DELETE', '/segments/grandes', undefined, 204);
    expect((await call(h.app, h.a.key, 'DELETE', '/segments/grandes')).statusCode).toBe(404);
  });

  it('keeps companies apart for accounts, runs, segments, phases and holds', async () => {
    await ok('POST', '/segments', { name: 'solo-a', rule: 'true' }, 201);
    await ok('POST', '/debtors/R-1/holds', { reason: 'legal' }, 201);
    const b = h.b.key;
    expect((await ok('GET', '/accounts', undefined, 200, b)).data).toEqual([]);
    expect((await ok('GET', '/runs', undefined, 200, b)).data).toEqual([]);
    const aRun = (await ok('GET', '/runs')).data[0].id;
    expect((await call(h.app, b, 'GET', `/runs/${aRun}`)).statusCode).toBe(404);
    expect((await ok('GET', '/segments', undefined, 200, b)).data).toEqual([]);
    expect((await call(h.app, b, 'DELETE', '/segments/solo-a')).statusCode).toBe(404);
    expect((await call(h.app, b, 'DELETE', '/debtors/R-1/holds')).statusCode).toBe(404);
    expect((await ok('GET', '/reports/aging?as_of=2026-03-15', undefined, 200, b)).lines).toEqual([]);
    await ok('PUT', '/portfolios/default/phases', { grace_days: 9 }, 200, b);
    expect((await ok('GET', '/portfolios/default/phases')).grace_days).toBe(3);
    expect((await ok('GET', '/debtors/R-1')).holds).toEqual([expect.objectContaining({ reason: 'legal' })]);
  });
});
