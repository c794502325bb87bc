/**
 * POST /runs refuses a date after the company's today with 422 run_date_in_future, "force" or not, before recording a
 * run; today is accepted up to its last minute in the company's time zone. GET /reports/aging for a past date shows
 * the balances of that date.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveRecords } from '../../src/modules/portfolio/index.ts';
import { call, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  // 12:00 on 15 March 2026 in Mexico City (UTC−6), company A's time zone.
  h = await startHarness({ now: '2026-03-15T18:00:00Z' });
  await saveRecords(h.a.ctx, { entity: 'debtors', rows: [{ external_id: 'F-1', name: 'Fechas SA' }] });
  await saveRecords(h.a.ctx, {
    entity: 'obligations',
    rows: [
      { external_id: 'FO-1', debtor_external_id: 'F-1', currency: 'MXN', amount: '1000.00', issued_on: '2026-01-01', due_on: '2026-02-01' },
      { external_id: 'FO-2', debtor_external_id: 'F-1', currency: 'MXN', amount: '400.00', issued_on: '2026-03-05', due_on: '2026-04-05' },
    ],
  });
  await saveRecords(h.a.ctx, {
    entity: 'payments',
    rows: [
      { external_id: 'FP-1', debtor_external_id: 'F-1', currency: 'MXN', amount: '250.00', paid_on: '2026-02-20' },
      { external_id: 'FP-2', debtor_external_id: 'F-1', currency: 'MXN', amount: '150.00', paid_on: '2026-03-10' },
    ],
  });
});
afterAll(async () => {
  await h?.close();
});

async function runAndWait(body: Record<string, unknown>) {
  const res = await call(h.app, h.a.key, 'POST', '/runs', body);
  expect(res.statusCode, res.body).toBe(202);
  for (let i = 0; i < 200; i++) {
    const run = (await call(h.app, h.a.key, 'GET', `/runs/${res.json().id}`)).json();
    if (run.status !== 'running') return run;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('run did not finish');
}

describe('POST /runs with a date after today', () => {
  it('is refused with 422 and a code the web translates, forced or not, and records no run', async () => {
    for (const body of [{ as_of: '2030-01-01' }, { as_of: '2030-01-01', force: true }, { as_of: '2026-03-16', force: true }]) {
      const res = await call(h.app, h.a.key, 'POST', '/runs', body);
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json()).toEqual({
        code: 'run_date_in_future',
        message: `as-of date ${body.as_of}: it is after today (2026-03-15 in America/Mexico_City); a run can only be as of today or an earlier date`,
        details: [{ path: 'as_of', reason: 'it is after today (2026-03-15 in America/Mexico_City); a run can only be as of today or an earlier date' }],
      });
    }
    expect((await call(h.app, h.a.key, 'GET', '/runs')).json().data).toEqual([]);
    // Nothing was moved ahead: today's run is no rewind.
    expect(await runAndWait({ as_of: '2026-03-15' })).toMatchObject({ status: 'succeeded', forced: false });
  });

  it('takes today in the company’s time zone, up to its last minute', async () => {
    // 23:59 on 15 March in Mexico City, already 16 March in UTC.
    h.clock.set('2026-03-16T05:59:00Z');
    expect((await call(h.app, h.a.key, 'POST', '/runs', { as_of: '2026-03-16' })).json()).toMatchObject({ code: 'run_date_in_future' });
    expect(await runAndWait({ as_of: '2026-03-15' })).toMatchObject({ status: 'succeeded', as_of: '2026-03-15' });
    h.clock.set('2026-03-16T06:00:00Z');
    expect(await runAndWait({ as_of: '2026-03-16' })).toMatchObject({ status: 'succeeded', as_of: '2026-03-16' });
  });
});

describe('GET /reports/aging for a past date', () => {
  it('shows the balances of that date, not today’s', async () => {
    const report = async (asOf: string) => {
      const res = await call(h.app, h.a.key, 'GET', `/reports/aging?as_of=${asOf}`);
      expect(res.statusCode, res.body).toBe(200);
      const [line, ...others] = res.json().lines;
      expect(others).toEqual([]);
      const buckets = Object.fromEntries(line.buckets.filter((b: { count: number }) => b.count > 0).map((b: { bucket: string; amount: string }) => [b.bucket, b.amount]));
      return { portfolio: line.portfolio, currency: line.currency, buckets, total: line.total };
    };
    // Today: 1000 − 250 − 150 at 43 days; FO-2 not due yet.
    expect(await report('2026-03-16')).toEqual({ portfolio: 'default', currency: 'MXN', buckets: { current: '400.00', '31-60': '600.00' }, total: { amount: '1000.00', count: 2 } });
    // 1 March: FO-2 not issued yet, the payment of the 10th not made yet; 28 days past due then.
    expect(await report('2026-03-01')).toEqual({ portfolio: 'default', currency: 'MXN', buckets: { '1-30': '750.00' }, total: { amount: '750.00', count: 1 } });
  });
});
