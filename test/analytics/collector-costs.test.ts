/**
 * Collector costs over HTTP: configured by an administrator (validated, audited), and turned by the dashboard into
 * each collector's cost per peso recovered for its period — the monthly cost prorated by days, divided by what the
 * collector recovered in the cost's currency; undefined ("—") without a cost or without recovery in that currency.
 * Costs are effective-dated: a cost set from a date keeps the earlier ones, and a period spanning a change charges
 * each day the cost in force that day.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browser, signIn, startAccessHarness, type AccessHarness } from '../access/harness.ts';

let h: AccessHarness;
let collector = 0;
let supervisor = 0;

const as = (role: 'admin' | 'supervisor' | 'viewer') => async (method: 'GET' | 'PUT' | 'DELETE' | 'POST', url: string, body?: unknown) =>
  h.app.inject({ method, url, headers: { authorization: `Bearer ${h.a.keys[role]}` }, ...(body !== undefined && { payload: body as object }) });
const admin = as('admin');
const ok = async (method: 'GET' | 'PUT' | 'DELETE' | 'POST', url: string, body?: unknown) => {
  const res = await admin(method, url, body);
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.statusCode === 204 ? null : res.json();
};

type Row = { collector_id: number; collected: Record<string, string>; cost: { amount: string; currency: string } | null; cost_per_peso_recovered: { value: number | null; variant: string; currency: string | null; formula: string } };
const rowOf = async (query: string, id: number) => ((await ok('GET', `/dashboard?${query}`)).collectors as Row[]).find((c) => c.collector_id === id);

beforeAll(async () => {
  h = await startAccessHarness({ now: '2026-03-15T18:00:00Z' });
  collector = h.a.users.collector.id;
  supervisor = h.a.users.supervisor.id;
  await ok('POST', '/debtors', { external_id: 'C-1', name: 'Cliente uno', country: 'MX' });
  await ok('POST', '/obligations', { external_id: 'C-1-F', debtor_external_id: 'C-1', currency: 'MXN', amount: '25000.00', due_on: '2026-02-01' });
  const { id } = await ok('POST', '/runs', { as_of: '2026-03-15' });
  for (let i = 0; i < 200 && (await ok('GET', `/runs/${id}`)).status === 'running'; i++) await new Promise((r) => setTimeout(r, 50));
  await ok('POST', '/worklist/assignments', { debtors: ['C-1'], collector_id: collector });
  await ok('POST', '/payments', { external_id: 'C-1-P', debtor_external_id: 'C-1', currency: 'MXN', amount: '10000.00', paid_on: '2026-03-15' });
  await ok('POST', '/analytics/refresh', { as_of: '2026-03-15' });
}, 120_000);
afterAll(async () => {
  await h?.close();
});

describe('collector costs', () => {
  it('an administrator sets a monthly cost in exact minor units, and the change is audited', async () => {
    const saved = await ok('PUT', `/collector-costs/${collector}`, { monthly_cost: '3100.00', currency: 'mxn' });
    expect(saved).toMatchObject({ collector_id: collector, role: 'collector', cost: { monthly: '3100.00', currency: 'MXN' } });
    const stored = await h.database.query<{ monthly_cost: string; currency: string }>(sql`SELECT monthly_cost::text, currency FROM collector_costs WHERE collector_id = ${collector}`);
    expect(stored).toEqual([{ monthly_cost: '310000', currency: 'MXN' }]);
    const list = (await ok('GET', '/collector-costs')).data as Array<{ collector_id: number; cost: unknown }>;
    expect(list.find((c) => c.collector_id === collector)?.cost).toEqual({ monthly: '3100.00', currency: 'MXN' });
    expect(list.find((c) => c.collector_id === supervisor)?.cost).toBeNull();
    // Viewers and auditors work no accounts: they are not offered.
    expect(list.some((c) => c.collector_id === h.a.users.viewer.id)).toBe(false);
    const audit = await h.database.query<{ action: string; after: unknown }>(sql`SELECT action, after FROM audit_log WHERE action = 'collector_cost.set' AND entity_id = ${String(collector)}`);
    // Set without a date: from today in the company's time zone (15 March, noon in Mexico City).
    expect(audit).toEqual([{ action: 'collector_cost.set', after: { from: '2026-03-15', currency: 'MXN', monthly_cost: '3100.00' } }]);
  });

  it('refuses what is not an exact amount, an unknown currency, a user who works no accounts and a user of another company', async () => {
    for (const [body, path] of [
      [{ monthly_cost: '3,100.00', currency: 'MXN' }, 'monthly_cost'],
      [{ monthly_cost: '3100.001', currency: 'MXN' }, 'monthly_cost'],
      [{ monthly_cost: '-5', currency: 'MXN' }, 'monthly_cost'],
      [{ monthly_cost: '3100', currency: 'XYZ' }, 'currency'],
    ] as const) {
      const res = await admin('PUT', `/collector-costs/${supervisor}`, body);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toMatchObject({ code: 'validation_failed', details: [expect.objectContaining({ path })] });
    }
    expect((await admin('PUT', `/collector-costs/${h.a.users.viewer.id}`, { monthly_cost: '1.00', currency: 'MXN' })).statusCode).toBe(400);
    expect((await admin('PUT', `/collector-costs/${h.b.admin.id}`, { monthly_cost: '1.00', currency: 'MXN' })).statusCode).toBe(404);
    // Settings belong to administrators: a supervisor reads costs but does not change them.
    expect((await as('supervisor')('PUT', `/collector-costs/${collector}`, { monthly_cost: '1.00', currency: 'MXN' })).statusCode).toBe(403);
    expect((await as('supervisor')('GET', '/collector-costs')).statusCode).toBe(200);
    expect((await ok('GET', '/collector-costs')).data.find((c: { collector_id: number }) => c.collector_id === supervisor).cost).toBeNull();
  });

  it('the dashboard divides the prorated cost by what the collector recovered in the same currency', async () => {
    // All of March: 3,100.00 of cost for 10,000.00 recovered.
    expect(await rowOf('from=2026-03-01&to=2026-03-31', collector)).toMatchObject({
      collected: { MXN: '10000.00' },
      cost: { amount: '3100.00', currency: 'MXN' },
      cost_per_peso_recovered: { value: 0.31, variant: 'monthly_cost_prorated', currency: 'MXN' },
    });
    // 1–15 March: 15 of 31 days, 1,500.00.
    expect(await rowOf('from=2026-03-01&to=2026-03-15', collector)).toMatchObject({ cost: { amount: '1500.00' }, cost_per_peso_recovered: { value: 0.15 } });
    // Nothing recovered in the period: the collector still costs, the ratio is undefined.
    expect(await rowOf('from=2026-02-01&to=2026-02-28', collector)).toMatchObject({ cost: { amount: '3100.00', currency: 'MXN' }, cost_per_peso_recovered: { value: null, variant: 'monthly_cost_prorated' } });
    // Never divided by another currency's recovery.
    expect(await rowOf('from=2026-03-01&to=2026-03-31&currency=USD', collector)).toMatchObject({ collected: {}, cost_per_peso_recovered: { value: null } });
  });

  it('shows a collector with no cost as undefined, names the variant beside it, and exports both', async () => {
    await ok('PUT', `/collector-costs/${supervisor}`, { monthly_cost: '500.00', currency: 'USD' });
    const boss = await rowOf('from=2026-03-01&to=2026-03-31', supervisor);
    expect(boss).toMatchObject({ cost: { amount: '500.00', currency: 'USD' }, cost_per_peso_recovered: { value: null, currency: 'USD' } });
    await ok('DELETE', `/collector-costs/${supervisor}`);
    expect(await rowOf('from=2026-03-01&to=2026-03-31', supervisor)).toBeUndefined();
    expect((await admin('DELETE', `/collector-costs/${supervisor}`)).statusCode).toBe(404);

    const english = await admin('GET', '/reports/export/collectors?format=csv&from=2026-03-01&to=2026-03-31');
    expect(english.statusCode, english.body).toBe(200);
    expect(english.body.replace(/^\uFEFF/, '').split(/\r?\n/)[0]).toContain('cost,cost_per_peso_recovered,cost_variant');
    const csv = await admin('GET', '/reports/export/collectors?format=csv&from=2026-03-01&to=2026-03-31&language=es');
    expect(csv.statusCode, csv.body).toBe(200);
    const [header, ...lines] = csv.body.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(header).toContain('costo del periodo,costo por peso recuperado,variante del costo');
    expect(lines.find((l) => l.startsWith(`${collector},`))).toMatch(/,3100\.00 MXN,0\.31,monthly_cost_prorated$/);

    const json = (await ok('GET', '/reports/data/collectors?from=2026-03-01&to=2026-03-31')).data as Array<Record<string, unknown>>;
    expect(json.find((r) => r.collector_id === collector)).toMatchObject({ cost: '3100.00 MXN', cost_per_peso_recovered: 0.31, cost_variant: 'monthly_cost_prorated' });
  });

  it('the settings page is for administrators: a supervisor’s session cannot change costs', async () => {
    const cookie = await signIn(h.app, 'supervisor@acme.test', h.password);
    const res = await browser(h.app, cookie, 'PUT', `/collector-costs/${collector}`, { monthly_cost: '1.00', currency: 'MXN' });
    expect(res.statusCode).toBe(403);
    expect(await rowOf('from=2026-03-01&to=2026-03-31', collector)).toMatchObject({ cost: { amount: '3100.00' } });
  });
});

describe('collector cost history', () => {
  const history = async (id: number) => ((await ok('GET', '/collector-costs')).data as Array<{ collector_id: number; cost: unknown; history: Array<Record<string, unknown>> }>).find((c) => c.collector_id === id)!;
  const periodCost = async (from: string, to: string) => (await rowOf(`from=${from}&to=${to}`, collector))?.cost?.amount;

  it('a cost set from a date keeps the earlier one; the list shows today’s cost and the history', async () => {
    const saved = await ok('PUT', `/collector-costs/${collector}`, { monthly_cost: '6200.00', currency: 'MXN', from: '2026-03-20' });
    expect(saved).toMatchObject({ collector_id: collector, cost: { monthly: '3100.00', currency: 'MXN' } });
    expect(saved.history).toEqual([
      { from: '2026-03-15', monthly: '3100.00', currency: 'MXN', set_at: '2026-03-15T18:00:00.000Z', set_by: 'api-key:key-admin' },
      { from: '2026-03-20', monthly: '6200.00', currency: 'MXN', set_at: '2026-03-15T18:00:00.000Z', set_by: 'api-key:key-admin' },
    ]);
    expect(await history(collector)).toMatchObject({ cost: { monthly: '3100.00', currency: 'MXN' }, history: [{ from: '2026-03-15' }, { from: '2026-03-20' }] });
    expect((await ok('GET', '/collector-costs')).today).toBe('2026-03-15');
  });

  it('a period spanning the change charges each part with its own cost, to the minor unit', async () => {
    // 1–19 March of 3,100.00 (the first cost also covers the days before its own): 1,900.00; 20–31 March of 6,200.00:
    // 2,400.00. 4,300.00 for the 10,000.00 recovered.
    expect(await rowOf('from=2026-03-01&to=2026-03-31', collector)).toMatchObject({
      cost: { amount: '4300.00', currency: 'MXN' },
      cost_per_peso_recovered: { value: 0.43, variant: 'monthly_cost_prorated', currency: 'MXN' },
    });
    // The boundary days: the last of the old cost, the first of the new, and both.
    expect(await periodCost('2026-03-19', '2026-03-19')).toBe('100.00');
    expect(await periodCost('2026-03-20', '2026-03-20')).toBe('200.00');
    expect(await periodCost('2026-03-19', '2026-03-20')).toBe('300.00');
    // Across a month end: 20–31 March 2,400.00 + 1–10 April 10/30 of 6,200.00 = 2,066.666…; summed, then rounded once.
    expect(await periodCost('2026-03-20', '2026-04-10')).toBe('4466.67');
    // A period before the change is untouched by it.
    expect(await periodCost('2026-02-01', '2026-02-28')).toBe('3100.00');
  });

  it('audits every change with its date: a new one, a replaced one and a removed one', async () => {
    const audit = async () =>
      h.database.query<{ action: string; before: unknown; after: unknown }>(sql`SELECT action, before, after FROM audit_log WHERE action LIKE 'collector_cost.%' AND entity_id = ${String(collector)} ORDER BY id`);
    expect((await audit()).at(-1)).toEqual({ action: 'collector_cost.set', before: null, after: { from: '2026-03-20', currency: 'MXN', monthly_cost: '6200.00' } });
    // Without a date, today's cost is replaced (the same date), not added.
    await ok('PUT', `/collector-costs/${collector}`, { monthly_cost: '3410.00', currency: 'MXN' });
    expect((await history(collector)).history.map((e) => [e.from, e.monthly])).toEqual([
      ['2026-03-15', '3410.00'],
      ['2026-03-20', '6200.00'],
    ]);
    expect((await audit()).at(-1)).toEqual({
      action: 'collector_cost.set',
      before: { from: '2026-03-15', currency: 'MXN', monthly_cost: '3100.00' },
      after: { from: '2026-03-15', currency: 'MXN', monthly_cost: '3410.00' },
    });
    // 19 days of 3,410.00 (2,090.00) + 12 of 6,200.00 (2,400.00).
    expect(await periodCost('2026-03-01', '2026-03-31')).toBe('4490.00');

    // Removing one date: the previous cost applies again from it.
    await ok('DELETE', `/collector-costs/${collector}?from=2026-03-20`);
    expect((await audit()).at(-1)).toEqual({ action: 'collector_cost.delete', before: { from: '2026-03-20', currency: 'MXN', monthly_cost: '6200.00' }, after: null });
    expect(await periodCost('2026-03-01', '2026-03-31')).toBe('3410.00');
    expect((await admin('DELETE', `/collector-costs/${collector}?from=2026-03-20`)).statusCode).toBe(404);
  });

  it('refuses an impossible date and a second currency; changes stay with administrators', async () => {
    const bad = await admin('PUT', `/collector-costs/${collector}`, { monthly_cost: '1.00', currency: 'MXN', from: '2026-02-30' });
    expect(bad.statusCode, bad.body).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'validation_failed', details: [expect.objectContaining({ path: 'body.from' })] });
    expect((await admin('DELETE', `/collector-costs/${collector}?from=15-03-2026`)).statusCode).toBe(400);
    // A period's cost is charged in one currency: another currency beside the MXN history is refused.
    const usd = await admin('PUT', `/collector-costs/${collector}`, { monthly_cost: '100.00', currency: 'USD', from: '2026-04-01' });
    expect(usd.statusCode, usd.body).toBe(409);
    expect(usd.json()).toMatchObject({ code: 'conflict', details: [expect.objectContaining({ path: 'currency' })] });
    // Replacing the only cost may change its currency.
    await ok('PUT', `/collector-costs/${supervisor}`, { monthly_cost: '500.00', currency: 'USD', from: '2026-03-01' });
    expect((await ok('PUT', `/collector-costs/${supervisor}`, { monthly_cost: '9000.00', currency: 'MXN', from: '2026-03-01' })).history).toMatchObject([{ from: '2026-03-01', currency: 'MXN' }]);

    const supervisorKey = as('supervisor');
    expect((await supervisorKey('PUT', `/collector-costs/${collector}`, { monthly_cost: '1.00', currency: 'MXN', from: '2026-04-01' })).statusCode).toBe(403);
    expect((await supervisorKey('DELETE', `/collector-costs/${collector}?from=2026-03-15`)).statusCode).toBe(403);
    expect((await as('viewer')('PUT', `/collector-costs/${collector}`, { monthly_cost: '1.00', currency: 'MXN', from: '2026-04-01' })).statusCode).toBe(403);
    const cookie = await signIn(h.app, 'supervisor@acme.test', h.password);
    expect((await browser(h.app, cookie, 'PUT', `/collector-costs/${collector}`, { monthly_cost: '1.00', currency: 'MXN', from: '2026-04-01' })).statusCode).toBe(403);
    expect((await history(collector)).history).toHaveLength(1);
  });
});
