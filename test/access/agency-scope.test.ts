/**
 * An agency sees only the debtors placed with it, on every read it can reach: a debtor-scoped GET answers 404 for a
 * debtor that is not placed with the agency (as for one that does not exist) and 200 for one that is, and lists carry
 * only placed debtors. Checked over HTTP with a signed-in agency user and with an agency-role API key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browser, signIn, startAccessHarness, type AccessHarness } from './harness.ts';

let h: AccessHarness;
let agency: string;
const ids = { placed: { plan: 0, promise: 0 }, unplaced: { plan: 0, promise: 0 } };

const asAdmin = async (method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) => {
  const res = await h.app.inject({ method, url, headers: { authorization: `Bearer ${h.a.keys.admin}` }, ...(body !== undefined && { payload: body as object }) });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json();
};

beforeAll(async () => {
  h = await startAccessHarness();
  for (const [who, id] of [['placed', 'SC-P'], ['unplaced', 'SC-U']] as const) {
    await asAdmin('POST', '/debtors', { external_id: id, name: `Cliente ${id}`, country: 'MX' });
    await asAdmin('POST', '/obligations', { external_id: `F-${id}`, debtor_external_id: id, currency: 'MXN', amount: '9000.00', due_on: '2026-01-10' });
    await asAdmin('POST', '/obligations', { external_id: `G-${id}`, debtor_external_id: id, currency: 'USD', amount: '100.00', due_on: '2026-02-10' });
    await asAdmin('POST', '/payments', { external_id: `P-${id}`, debtor_external_id: id, amount: '100.00', currency: 'MXN', paid_on: '2026-03-01' });
    ids[who].promise = (await asAdmin('POST', `/debtors/${id}/promises`, { currency: 'USD', amount: '50.00', promised_on: '2026-03-20', channel: 'phone', taken_by: 'collector' })).id;
    const options = await asAdmin('GET', `/debtors/${id}/plan-options?currency=MXN`);
    ids[who].plan = (await asAdmin('POST', `/debtors/${id}/plans`, { currency: 'MXN', offer: options.options[0].offer, channel: 'phone', taken_by: 'collector' })).id;
  }
  // More than is owed in USD: the rest stays unapplied, an item of each debtor's worklist and alerts.
  for (const id of ['SC-P', 'SC-U']) await asAdmin('POST', '/payments', { external_id: `Q-${id}`, debtor_external_id: id, amount: '500.00', currency: 'USD', paid_on: '2026-03-02' });
  await asAdmin('PUT', '/debtors/SC-P/placement', { agency: 'Despacho Norte' });
  await asAdmin('POST', '/runs', { as_of: '2026-03-15' });
  // The run may finish in the background: wait for both accounts.
  for (let i = 0; i < 100 && (await asAdmin('GET', '/accounts')).data.length < 2; i++) await new Promise((r) => setTimeout(r, 100));
  agency = await signIn(h.app, 'agency@acme.test', h.password);
}, 60_000);
afterAll(async () => {
  await h?.close();
});

/** Every GET an agency can reach that names one debtor, or something of one debtor, for debtor `id` ('P' or 'U'). */
function scopedRoutes(who: 'placed' | 'unplaced'): string[] {
  const id = who === 'placed' ? 'SC-P' : 'SC-U';
  return [
    `/debtors/${id}`,
    `/debtors/${id}/timeline`,
    `/debtors/${id}/conversations`,
    `/debtors/${id}/360`,
    `/debtors/${id}/interactions`,
    `/debtors/${id}/promises`,
    `/debtors/${id}/plans`,
    `/debtors/${id}/plan-options?currency=MXN`,
    `/debtors/${id}/negotiation`,
    `/plans/${ids[who].plan}`,
    `/plans/${ids[who].plan}/agreement.pdf`,
    `/obligations/F-${id}`,
    `/payments/P-${id}`,
  ];
}

/** Lists an agency can read, each with where a row names its debtor. */
const LISTS: Array<[string, (row: Record<string, unknown>) => unknown]> = [
  ['/debtors', (r) => r.external_id],
  ['/accounts', (r) => r.debtor_external_id],
  ['/obligations', (r) => r.debtor_external_id],
  ['/payments', (r) => r.debtor_external_id],
  ['/payment-links', (r) => r.debtor_external_id],
  ['/interactions', (r) => r.debtor_external_id],
];

describe('agency scope', () => {
  it('sanity: an admin reads both debtors on every debtor-scoped route', async () => {
    for (const who of ['placed', 'unplaced'] as const) {
      for (const url of scopedRoutes(who)) {
        const res = await h.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${h.a.keys.admin}` } });
        expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(200);
      }
    }
  });

  for (const how of ['session', 'api key'] as const) {
    it(`gives an agency (${how}) 200 for the placed debtor and 404 for the other on every debtor-scoped GET`, async () => {
      const get = (url: string) =>
        how === 'session' ? browser(h.app, agency, 'GET', url) : h.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${h.a.keys.agency}` } });
      // The agency API key belongs to no agency (keys name only a role), so it sees nothing; the user sees its placements.
      for (const url of scopedRoutes('placed')) {
        const res = await get(url);
        expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(how === 'session' ? 200 : 404);
      }
      for (const url of scopedRoutes('unplaced')) {
        const res = await get(url);
        expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(404);
      }
    });
  }

  it('lists only placed debtors to an agency, while an admin sees both', async () => {
    for (const [url, debtorOf] of LISTS) {
      const mine = await browser(h.app, agency, 'GET', url);
      expect(mine.statusCode, `${url}: ${mine.body.slice(0, 300)}`).toBe(200);
      const seen = new Set((mine.json().data as Array<Record<string, unknown>>).map(debtorOf));
      expect([...seen].every((d) => d === 'SC-P'), `${url} showed ${[...seen].join(', ')}`).toBe(true);
      expect(seen.has('SC-U')).toBe(false);
    }
    // The lists that have rows for both debtors show the admin both, so the agency's view is a real narrowing.
    for (const url of ['/debtors', '/obligations', '/payments']) {
      const all = new Set(((await asAdmin('GET', url)).data as Array<Record<string, unknown>>).map((r) => r.debtor_external_id ?? r.external_id));
      expect(all).toEqual(new Set(['SC-P', 'SC-U']));
      const mine = new Set(((await browser(h.app, agency, 'GET', url)).json().data as Array<Record<string, unknown>>).map((r) => r.debtor_external_id ?? r.external_id));
      expect(mine).toEqual(new Set(['SC-P']));
    }
  });

  it('keeps the unplaced debtor out of an agency user’s worklist and alerts even when it is assigned to that user', async () => {
    await asAdmin('POST', '/worklist/assignments', { debtors: ['SC-P', 'SC-U'], collector_id: h.a.users.agency.id });
    await asAdmin('POST', '/worklist/scores');
    // A supervisor's look at the same queue holds both debtors, so what the agency misses is the scope at work.
    const full = await asAdmin('GET', `/worklist?collector_id=${h.a.users.agency.id}`);
    expect(new Set((full.items as Array<{ debtor_external_id: string }>).map((i) => i.debtor_external_id))).toEqual(new Set(['SC-P', 'SC-U']));
    const worklist = await browser(h.app, agency, 'GET', '/worklist');
    expect(worklist.statusCode, worklist.body).toBe(200);
    const debtors = new Set((worklist.json().items as Array<{ debtor_external_id: string }>).map((i) => i.debtor_external_id));
    expect(debtors).toEqual(new Set(['SC-P']));
    const alerts = await browser(h.app, agency, 'GET', '/alerts');
    expect(alerts.statusCode).toBe(200);
    expect(alerts.body).toContain('SC-P');
    expect(alerts.body).not.toContain('SC-U');
    expect(JSON.stringify(await asAdmin('GET', '/alerts'))).toContain('SC-U');
  });
});
