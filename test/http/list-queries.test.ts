/**
 * List filters that cannot match anything are refused with what to fix, never answered with an empty page: a
 * portfolio or segment that does not exist, a range whose start is after its end, a parameter given twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveRecords } from '../../src/modules/portfolio/index.ts';
import { call, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ now: '2026-03-15T18:00:00Z' });
  await saveRecords(h.a.ctx, { entity: 'debtors', rows: [{ external_id: 'Q-1', name: 'Quinta Uno' }] });
  await saveRecords(h.a.ctx, { entity: 'obligations', rows: [{ external_id: 'QO-1', debtor_external_id: 'Q-1', currency: 'MXN', amount: '1000.00', due_on: '2026-02-01' }] });
  expect((await call(h.app, h.a.key, 'POST', '/segments', { name: 'grandes', rule: 'balance.MXN >= 3000' })).statusCode).toBe(201);
});
afterAll(async () => {
  await h?.close();
});

async function refused(url: string, status = 400) {
  const res = await call(h.app, h.a.key, 'GET', url);
  expect(res.statusCode, `${url}: ${res.body}`).toBe(status);
  return res.json() as { code: string; message: string; details: Array<{ path?: string; reason: string }> };
}

describe('unknown portfolio or segment on the account list', () => {
  it('refuses an unknown segment or portfolio with a 404 naming it, on the list and the export', async () => {
    expect((await call(h.app, h.a.key, 'GET', '/accounts?segment=grandes&portfolio=default')).statusCode).toBe(200);
    for (const base of ['/accounts?', '/accounts/export?format=csv&']) {
      const segment = await refused(`${base}segment=grandez`, 404);
      expect(segment).toMatchObject({ code: 'not_found', message: 'segment "grandez" does not exist', details: [{ path: 'query.segment' }] });
      const portfolio = await refused(`${base}portfolio=tarjeta`, 404);
      expect(portfolio).toMatchObject({ code: 'not_found', message: 'portfolio "tarjeta" does not exist', details: [{ path: 'query.portfolio' }] });
    }
  });

  it('does not see the names of another company', async () => {
    const res = await call(h.app, h.b.key, 'GET', '/accounts?segment=grandes');
    expect(res.statusCode).toBe(404);
  });
});

describe('unknown portfolio or segment on the other lists and reports', () => {
  const unknownPortfolio = { code: 'not_found', message: 'portfolio "tarjeta" does not exist', details: [{ path: 'query.portfolio' }] };
  const unknownSegment = { code: 'not_found', message: 'segment "grandez" does not exist', details: [{ path: 'query.segment' }] };

  it('refuses an unknown portfolio on the obligation list instead of answering an empty page', async () => {
    const known = await call(h.app, h.a.key, 'GET', '/obligations?portfolio=default');
    expect(known.statusCode).toBe(200);
    expect(known.json().data).toHaveLength(1);
    expect(await refused('/obligations?portfolio=tarjeta', 404)).toMatchObject(unknownPortfolio);
    expect((await call(h.app, h.b.key, 'GET', '/obligations?portfolio=default')).statusCode).toBe(200);
  });

  it('refuses them on the aging report, the dashboard and the reporting API, naming the parameter', async () => {
    expect((await call(h.app, h.a.key, 'GET', '/reports/aging?as_of=2026-03-15&portfolio=default')).statusCode).toBe(200);
    expect(await refused('/reports/aging?as_of=2026-03-15&portfolio=tarjeta', 404)).toMatchObject(unknownPortfolio);
    expect((await call(h.app, h.a.key, 'GET', '/dashboard?portfolio=default&segment=grandes')).statusCode).toBe(200);
    for (const base of ['/dashboard?', '/reports/data/kpis?', '/reports/export/kpis?format=csv&']) {
      expect(await refused(`${base}portfolio=tarjeta`, 404)).toMatchObject(unknownPortfolio);
      expect(await refused(`${base}segment=grandez`, 404)).toMatchObject(unknownSegment);
    }
  });

  it('says it in Spanish to a Spanish reader', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/obligations?portfolio=tarjeta', headers: { authorization: `Bearer ${h.a.key}`, 'accept-language': 'es' } });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ message: 'no existe la cartera "tarjeta"', details: [{ path: 'query.portfolio', reason: 'ninguna cartera tiene este nombre' }] });
  });
});

describe('inverted ranges', () => {
  const cases: Array<[string, string]> = [
    ['/payments?paid_from=2026-03-10&paid_to=2026-03-01', 'paid_to'],
    ['/obligations?due_from=2026-03-10&due_to=2026-03-01', 'due_to'],
    ['/accounts?dpd_min=10&dpd_max=5', 'dpd_max'],
    ['/accounts?currency=MXN&balance_min=100.50&balance_max=99', 'balance_max'],
    ['/accounts/export?format=csv&currency=MXN&balance_min=100&balance_max=20', 'balance_max'],
    ['/audit?from=2026-03-10&to=2026-03-01', 'to'],
    ['/interactions?from=2026-03-10T00:00:00Z&to=2026-03-01T00:00:00Z', 'to'],
  ];
  it.each(cases)('%s is a 400 naming the pair', async (url, high) => {
    const body = await refused(url);
    expect(body.code).toBe('validation_failed');
    expect(body.message).toMatch(/is after|is above/);
    expect(body.details).toEqual([expect.objectContaining({ path: `query.${high}` })]);
  });

  it('accepts an equal or ordered pair', async () => {
    for (const url of ['/payments?paid_from=2026-03-01&paid_to=2026-03-01', '/obligations?due_from=2026-01-01&due_to=2026-03-01', '/accounts?currency=MXN&balance_min=99&balance_max=100.50', '/accounts?dpd_min=5&dpd_max=5']) {
      expect((await call(h.app, h.a.key, 'GET', url)).statusCode, url).toBe(200);
    }
  });

  it('compares balances as amounts, not as text', async () => {
    expect((await call(h.app, h.a.key, 'GET', '/accounts?currency=MXN&balance_min=9&balance_max=10')).statusCode).toBe(200);
  });
});

describe('a parameter given more than once', () => {
  it('asks for a single-valued parameter once', async () => {
    const limit = await refused('/debtors?limit=1&limit=2');
    expect(limit).toMatchObject({ code: 'validation_failed', message: 'give `limit` once (it was given 2 times)', details: [{ path: 'query.limit' }] });
    const phase = await refused('/accounts?phase=judicial&phase=administrative');
    expect(phase.message).toBe('give `phase` once (it was given 2 times)');
    const res = await h.app.inject({ method: 'GET', url: '/payments?paid_from=2026-01-01&paid_from=2026-02-01', headers: { authorization: `Bearer ${h.a.key}`, 'accept-language': 'es' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toBe('indique `paid_from` una sola vez (se indicó 2 veces)');
  });
});
