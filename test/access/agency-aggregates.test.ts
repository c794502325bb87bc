/**
 * An agency sees only the accounts placed with it in every figure it can reach, not only in debtor reads: the aging
 * report, the dashboard and its KPIs (computed on the fly for the agency, the daily aggregates sum every account), the
 * reporting API's every report, alerts and payment alerts. Routes whose figures are about the whole company refuse it.
 *
 * The book, worked by hand (company time zone America/Mexico_City; runs on 13 February and 15 March 2026):
 * - AG-P, placed with the agency: F1 9,000.00 MXN due 10 Jan; F2 100.00 USD issued 1 Mar, due 31 Mar; F4 2,000.00 MXN
 *   issued 10 Mar, due 9 Apr; paid 1,000.00 MXN on 1 Mar (to F1) and 20.00 EUR on 2 Mar (owes no EUR: unapplied).
 * - AG-U, not placed: F3 5,000.00 MXN due 20 Feb; paid 500.00 MXN on 5 Mar and 50.00 USD on 5 Mar (unapplied).
 * Both were assigned to one collector on 13 February, who logged one call to AG-P (reached) and two to AG-U.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browser, signIn, startAccessHarness, type AccessHarness } from './harness.ts';

let h: AccessHarness;
let agency: string;
let collectorId = 0;
let runId = 0;

const call = async (method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) => {
  const res = await h.app.inject({ method, url, headers: { authorization: `Bearer ${h.a.keys.admin}` }, ...(body !== undefined && { payload: body as object }) });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json();
};
const asAdmin = (url: string) => call('GET', url);
const asAgency = async (url: string) => {
  const res = await browser(h.app, agency, 'GET', url);
  expect(res.statusCode, `${url}: ${res.body.slice(0, 400)}`).toBe(200);
  return res.json();
};

async function run(asOf: string): Promise<number> {
  const { id } = await call('POST', '/runs', { as_of: asOf });
  for (let i = 0; i < 200 && (await asAdmin(`/runs/${id}`)).status === 'running'; i++) await new Promise((r) => setTimeout(r, 50));
  expect((await asAdmin(`/runs/${id}`)).status).toBe('succeeded');
  await call('POST', '/analytics/refresh', { as_of: asOf });
  return Number(id);
}

beforeAll(async () => {
  h = await startAccessHarness({ now: '2026-02-13T18:00:00Z' });
  collectorId = h.a.users.collector.id;
  for (const id of ['AG-P', 'AG-U']) await call('POST', '/debtors', { external_id: id, name: `Cliente ${id}`, country: 'MX' });
  await call('POST', '/obligations', { external_id: 'F1', debtor_external_id: 'AG-P', currency: 'MXN', amount: '9000.00', due_on: '2026-01-10' });
  await call('POST', '/obligations', { external_id: 'F2', debtor_external_id: 'AG-P', currency: 'USD', amount: '100.00', issued_on: '2026-03-01', due_on: '2026-03-31' });
  await call('POST', '/obligations', { external_id: 'F4', debtor_external_id: 'AG-P', currency: 'MXN', amount: '2000.00', issued_on: '2026-03-10', due_on: '2026-04-09' });
  await call('POST', '/obligations', { external_id: 'F3', debtor_external_id: 'AG-U', currency: 'MXN', amount: '5000.00', due_on: '2026-02-20' });
  await run('2026-02-13');
  await call('POST', '/worklist/assignments', { debtors: ['AG-P', 'AG-U'], collector_id: collectorId });
  await call('PUT', '/debtors/AG-P/placement', { agency: 'Despacho Norte' });

  h.clock.set('2026-03-15T18:00:00Z');
  await call('POST', '/payments', { external_id: 'P1', debtor_external_id: 'AG-P', currency: 'MXN', amount: '1000.00', paid_on: '2026-03-01' });
  await call('POST', '/payments', { external_id: 'P2', debtor_external_id: 'AG-P', currency: 'EUR', amount: '20.00', paid_on: '2026-03-02' });
  await call('POST', '/payments', { external_id: 'P3', debtor_external_id: 'AG-U', currency: 'MXN', amount: '500.00', paid_on: '2026-03-05' });
  await call('POST', '/payments', { external_id: 'P4', debtor_external_id: 'AG-U', currency: 'USD', amount: '50.00', paid_on: '2026-03-05' });
  await call('POST', '/debtors/AG-P/interactions', { channel: 'call', outcome: 'contacted_debtor', collector_id: collectorId });
  await call('POST', '/debtors/AG-U/interactions', { channel: 'call', outcome: 'no_answer', collector_id: collectorId });
  await call('POST', '/debtors/AG-U/interactions', { channel: 'call', outcome: 'contacted_debtor', collector_id: collectorId });

  // Messages (two to AG-P, one failed; one to AG-U) and payments the provider could not apply (one per debtor, one
  // naming no debtor), written as dispatch and the payment webhooks leave them, before the day's refresh sums them.
  const { db } = h.database;
  const [p, u] = ['AG-P', 'AG-U'].map(async (x) => Number((await h.database.query<{ id: string }>(sql`SELECT id FROM debtors WHERE company_id = ${h.a.companyId} AND external_id = ${x}`))[0]!.id));
  const ids = { p: await p!, u: await u! };
  const at = '2026-03-10T17:00:00Z';
  for (const [key, debtor, status] of [['m1', ids.p, 'delivered'], ['m2', ids.p, 'failed'], ['m3', ids.u, 'delivered']] as const) {
    await db.execute(sql`
      INSERT INTO outbox_messages (company_id, debtor_id, channel, template_key, idempotency_key, cause, cause_date, scheduled_for, next_attempt_at, status, sent_at, delivered_at, created_at, updated_at)
      VALUES (${h.a.companyId}, ${debtor}, 'sms', 'reminder', ${key}, 'test', '2026-03-10', ${at}, ${at}, ${status}, ${at}, ${status === 'delivered' ? at : null}, ${at}, ${at})`);
  }
  for (const [key, debtor] of [['pp1', ids.p], ['pp2', ids.u], ['pp3', null]] as const) {
    const [pp] = await h.database.query<{ id: string }>(sql`
      INSERT INTO provider_payments (company_id, provider, provider_payment_id, currency, amount, paid_on, status, reason, received_at)
      VALUES (${h.a.companyId}, 'sandbox', ${key}, 'MXN', 12300, '2026-03-12', 'refused', 'unknown_reference', ${at}) RETURNING id`);
    await db.execute(sql`
      INSERT INTO payment_alerts (company_id, kind, provider_payment_id, debtor_id, currency, amount, detail, created_at)
      VALUES (${h.a.companyId}, 'unknown_reference', ${pp!.id}, ${debtor}, 'MXN', 12300, ${`alert ${key}`}, ${at})`);
  }
  runId = await run('2026-03-15');
  agency = await signIn(h.app, 'agency@acme.test', h.password);
}, 180_000);
afterAll(async () => {
  await h?.close();
});

const PERIOD = 'from=2026-02-14&to=2026-03-15';
type Kpi = { name: string; currency: string | null; variant: string; value: number | null };
const kpi = (d: { kpis: Kpi[] }, name: string, currency: string | null, variant?: string) =>
  d.kpis.find((k) => k.name === name && k.currency === currency && (variant === undefined || k.variant === variant))?.value;

describe('agency figures count only the accounts placed with it', () => {
  it('aging report', async () => {
    const mine = await asAgency('/reports/aging?as_of=2026-03-15');
    const bucket = (line: { buckets: Array<{ bucket: string; amount: string; count: number }> }, b: string) => line.buckets.find((x) => x.bucket === b);
    expect(mine.lines.map((l: { currency: string }) => l.currency)).toEqual(['MXN', 'USD']);
    const [mxn, usd] = mine.lines;
    expect(mxn.total).toEqual({ amount: '10000.00', count: 2 });
    expect(bucket(mxn, 'current')).toEqual({ bucket: 'current', amount: '2000.00', count: 1 });
    expect(bucket(mxn, '61-90')).toEqual({ bucket: '61-90', amount: '8000.00', count: 1 });
    expect(bucket(mxn, '1-30')).toEqual({ bucket: '1-30', amount: '0.00', count: 0 });
    expect(usd.total).toEqual({ amount: '100.00', count: 1 });
    // The company's figure holds AG-U's 4,500.00 in 1–30 as well.
    const all = await asAdmin('/reports/aging?as_of=2026-03-15');
    expect(all.lines[0].total).toEqual({ amount: '14500.00', count: 3 });
    expect(bucket(all.lines[0], '1-30')).toEqual({ bucket: '1-30', amount: '4500.00', count: 1 });
  });

  it('dashboard: portfolio, trend and recovery', async () => {
    const mine = await asAgency(`/dashboard?${PERIOD}`);
    const all = await asAdmin(`/dashboard?${PERIOD}`);
    expect(mine.as_of).toBe('2026-03-15');
    expect(mine.currencies).toEqual(['EUR', 'MXN', 'USD']);
    const phase = (await asAdmin('/accounts')).data.find((a: { debtor_external_id: string }) => a.debtor_external_id === 'AG-P').phase;
    expect(mine.portfolio).toEqual([
      { currency: 'MXN', phase, bucket: '61-90', accounts: 1, balance: '10000.00' },
      { currency: 'USD', phase, bucket: '61-90', accounts: 1, balance: '100.00' },
    ]);
    expect(all.portfolio.reduce((n: number, p: { accounts: number }) => n + p.accounts, 0)).toBe(3);
    expect(mine.trend).toEqual([
      { as_of: '2026-03-15', currency: 'MXN', accounts: 1, balance: '10000.00', past_due: '10000.00' },
      { as_of: '2026-03-15', currency: 'USD', accounts: 1, balance: '100.00', past_due: '100.00' },
    ]);
    // On 13 February AG-P owed F1 alone: F2 and F4 are issued in March.
    expect((await asAgency('/dashboard?from=2026-02-13&to=2026-03-15')).trend.filter((t: { as_of: string }) => t.as_of === '2026-02-13')).toEqual([
      { as_of: '2026-02-13', currency: 'MXN', accounts: 1, balance: '9000.00', past_due: '9000.00' },
    ]);
    expect(all.trend.find((t: { currency: string }) => t.currency === 'MXN')).toMatchObject({ accounts: 2, balance: '14500.00' });
    expect(mine.recovery.month).toEqual([
      { period: '2026-03', currency: 'EUR', collected: '20.00', payments: 1 },
      { period: '2026-03', currency: 'MXN', collected: '1000.00', payments: 1 },
    ]);
    expect(all.recovery.month).toEqual([
      { period: '2026-03', currency: 'EUR', collected: '20.00', payments: 1 },
      { period: '2026-03', currency: 'MXN', collected: '1500.00', payments: 2 },
      { period: '2026-03', currency: 'USD', collected: '50.00', payments: 1 },
    ]);
  });

  it('dashboard: KPIs', async () => {
    const mine = await asAgency(`/dashboard?${PERIOD}`);
    const all = await asAdmin(`/dashboard?${PERIOD}`);
    // MXN, 30 days. Agency: AR 10,000 (all 64 days late), sales 2,000 (F4). Company: AR 14,500, sales 7,000 (F4, F3).
    expect(kpi(mine, 'dso', 'MXN', 'period')).toBe(150);
    expect(kpi(all, 'dso', 'MXN', 'period')).toBe(62.14);
    expect(kpi(mine, 'bpdso', 'MXN')).toBe(0);
    expect(kpi(mine, 'delinquency', 'MXN', 'threshold_30')).toBe(100);
    expect(kpi(all, 'delinquency', 'MXN', 'threshold_30')).toBe(68.97);
    expect(kpi(all, 'delinquency', 'MXN', 'threshold_60')).toBe(68.97);
    expect(kpi(mine, 'delinquency', 'MXN', 'threshold_90')).toBe(0);
    // CEI from the 13 February snapshot (F4, issued on 10 March, is a sale of the period, not owed then):
    // (9,000 + 2,000 − 10,000) ÷ (9,000 + 2,000 − 0) vs (14,000 + 7,000 − 14,500) ÷ 21,000.
    expect(kpi(mine, 'cei', 'MXN', 'months_1')).toBe(9.09);
    expect(kpi(all, 'cei', 'MXN', 'months_1')).toBe(30.95);
    // Roll rates over the 30 days: AG-P rolled 31–60 → 61–90 (10,000 now, F4 included, of 9,000); AG-U current → 1–30
    // (4,500 of 5,000).
    expect(kpi(mine, 'roll_rate_31-60', 'MXN')).toBe(111.11);
    expect(kpi(mine, 'roll_rate_current', 'MXN')).toBeNull();
    expect(kpi(all, 'roll_rate_current', 'MXN')).toBe(90);
    expect(kpi(mine, 'cure_rate', 'MXN', 'count')).toBe(0);
    // Contact: the agency's one call reached the debtor; the company's three calls reached two.
    expect(kpi(mine, 'contact_rate', null)).toBe(100);
    expect(kpi(all, 'contact_rate', null)).toBe(66.67);
  });

  it('dashboard: collectors and channels, without the company’s collector costs', async () => {
    await call('PUT', `/collector-costs/${collectorId}`, { monthly_cost: '3100.00', currency: 'MXN' });
    const mine = await asAgency(`/dashboard?${PERIOD}`);
    const all = await asAdmin(`/dashboard?${PERIOD}`);
    const row = (d: { collectors: Array<{ collector_id: number; collected: Record<string, string> }> }) => d.collectors.find((c) => c.collector_id === collectorId);
    // Nothing was recovered in USD (F2's issue is a sale of the period, not a payment).
    expect(row(mine)).toMatchObject({ interactions: 1, answered: 1, right_party: 1, cost: null });
    expect(row(mine)!.collected).toEqual({ EUR: '20.00', MXN: '1000.00', USD: '0.00' });
    expect(row(mine)).toMatchObject({ cost_per_peso_recovered: { value: null, variant: 'costs_not_shown' } });
    expect(row(all)).toMatchObject({ interactions: 3, answered: 2 });
    expect(row(all)!.collected).toEqual({ EUR: '20.00', MXN: '1500.00', USD: '50.00' });
    // 15 of 28 February days and 15 of 31 March days of 3,100.00: 1,660.71 + 1,500.00; ÷ 1,500.00 recovered in MXN.
    expect(row(all)).toMatchObject({ cost: { amount: '3160.71', currency: 'MXN' }, cost_per_peso_recovered: { value: 2.1071, currency: 'MXN', variant: 'monthly_cost_prorated' } });
    expect(mine.channels).toEqual([{ channel: 'sms', sent: 2, delivered: 1, read: 0, failed: 1, replied: 0, paid_within_7_days: 0 }]);
    expect(all.channels).toEqual([{ channel: 'sms', sent: 3, delivered: 2, read: 0, failed: 1, replied: 0, paid_within_7_days: 0 }]);
    expect(mine.steps).toEqual([{ channel: 'sms', strategy: null, step: null, sent: 2, delivered: 1, read: 0, failed: 1, replied: 0, paid_within_7_days: 0 }]);
  });

  it('reporting API: every report holds only the placed accounts', async () => {
    const data = async (report: string, who: 'agency' | 'admin', extra = '') => {
      const url = `/reports/data/${report}?${PERIOD}${extra}`;
      return ((who === 'agency' ? await asAgency(url) : await asAdmin(url)) as { data: Array<Record<string, unknown>> }).data;
    };
    const kpis = await data('kpis', 'agency');
    expect(kpis).toContainEqual(expect.objectContaining({ name: 'dso', currency: 'MXN', variant: 'period', value: 150 }));
    expect(await data('portfolio', 'agency')).toEqual([expect.objectContaining({ currency: 'MXN', balance: '10000.00' }), expect.objectContaining({ currency: 'USD', balance: '100.00' })]);
    expect(await data('trend', 'agency')).toHaveLength(2);
    expect((await data('recovery', 'agency')).filter((r) => r.grain === 'month')).toEqual([
      { grain: 'month', period: '2026-03', currency: 'EUR', collected: '20.00', payments: 1 },
      { grain: 'month', period: '2026-03', currency: 'MXN', collected: '1000.00', payments: 1 },
    ]);
    expect(await data('collectors', 'agency')).toEqual([
      expect.objectContaining({ collector_id: collectorId, interactions: 1, collected: '20.00 EUR; 1000.00 MXN; 0.00 USD', cost: null, cost_per_peso_recovered: null, cost_variant: 'costs_not_shown' }),
    ]);
    expect(await data('channels', 'agency')).toEqual([expect.objectContaining({ channel: 'sms', sent: 2, failed: 1 })]);
    expect(await data('steps', 'agency')).toEqual([expect.objectContaining({ channel: 'sms', sent: 2 })]);
    expect((await data('interactions', 'agency')).map((i) => i.debtor_external_id)).toEqual(['AG-P']);
    expect((await data('interactions', 'admin')).map((i) => i.debtor_external_id).sort()).toEqual(['AG-P', 'AG-U', 'AG-U']);
    // An agency's worklist is its own, and holds only placed debtors.
    const res = await browser(h.app, agency, 'GET', `/reports/data/worklist?collector_id=${collectorId}`);
    expect(res.statusCode).toBe(403);
  });

  it('alerts and payment alerts', async () => {
    // Alerts are about the accounts assigned to the user: give the agency user both debtors.
    await call('POST', '/worklist/assignments', { debtors: ['AG-P', 'AG-U'], collector_id: h.a.users.agency.id });
    const alerts = (await asAgency('/alerts')).data as Array<{ kind: string; count: number; amounts: Record<string, string>; items: Array<{ debtor_external_id: string | null }> }>;
    expect(alerts.map((a) => a.kind)).toEqual(['unapplied_payment']);
    expect(alerts[0]).toMatchObject({ count: 1, amounts: { EUR: '20.00' }, items: [{ debtor_external_id: 'AG-P' }] });
    const company = (await asAdmin('/alerts')).data as typeof alerts;
    expect(company.find((a) => a.kind === 'unapplied_payment')).toMatchObject({ count: 2, amounts: { EUR: '20.00', USD: '50.00' } });
    // The reporting API's alerts are the same the agency sees, never the company-wide ones.
    expect((await asAgency(`/reports/data/alerts?${PERIOD}`)).data).toEqual([expect.objectContaining({ kind: 'unapplied_payment', count: 1, debtor_external_id: 'AG-P' })]);
    const worklist = (await asAgency(`/reports/data/worklist?${PERIOD}`)).data as Array<{ debtor_external_id: string }>;
    expect(new Set(worklist.map((w) => w.debtor_external_id))).toEqual(new Set(['AG-P']));

    const payments = (await asAgency('/payment-alerts')).data as Array<{ detail: string }>;
    expect(payments.map((a) => a.detail)).toEqual(['alert pp1']);
    expect(((await asAdmin('/payment-alerts')).data as typeof payments).map((a) => a.detail).sort()).toEqual(['alert pp1', 'alert pp2', 'alert pp3']);
  });

  it('refuses the routes about the whole company, which the company’s other roles read', async () => {
    const viewer = await signIn(h.app, 'viewer@acme.test', h.password);
    for (const [method, url, body] of [
      ['GET', '/runs', undefined],
      ['GET', `/runs/${runId}`, undefined],
      ['GET', '/collectors', undefined],
      ['GET', '/collector-costs', undefined],
      ['GET', '/reports/compliance?from=2026-03-01&to=2026-03-15', undefined],
      ['POST', '/strategies/simulate', { from: '2026-03-16', to: '2026-03-17' }],
    ] as const) {
      const refused = await browser(h.app, agency, method, url, body);
      expect(refused.statusCode, `${url}: ${refused.body}`).toBe(403);
      expect(refused.json()).toMatchObject({ code: 'forbidden' });
      const allowed = await browser(h.app, viewer, method, url, body);
      expect(allowed.statusCode, `${url}: ${allowed.body.slice(0, 300)}`).toBe(200);
    }
  });

  it('computed on the fly, an agency holding every account sees exactly the company’s figures', async () => {
    await call('PUT', '/debtors/AG-U/placement', { agency: 'Despacho Norte' });
    // A segment no account is in (an unknown one is refused).
    await call('POST', '/segments', { name: 'nada', rule: 'balance.MXN >= 1000000000' });
    for (const period of [PERIOD, 'from=2026-02-13&to=2026-03-15', `${PERIOD}&currency=MXN`, `${PERIOD}&segment=nada`]) {
      const mine = await asAgency(`/dashboard?${period}`);
      const all = await asAdmin(`/dashboard?${period}`);
      const withoutCosts = (d: { collectors: Array<Record<string, unknown>> }) => ({ ...d, collectors: d.collectors.filter((c) => c.interactions !== 0 || Object.keys(c.collected as object).length > 0).map(({ cost: _c, cost_per_peso_recovered: _k, ...c }) => c) });
      expect(withoutCosts(mine)).toEqual(withoutCosts(all));
    }
    const aging = await asAgency('/reports/aging?as_of=2026-03-15');
    expect(aging).toEqual(await asAdmin('/reports/aging?as_of=2026-03-15'));
  });
});
