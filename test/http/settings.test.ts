/**
 * POST /settings/segments/check, the rule editor's live check: an invalid rule is an answer with the position of the
 * problem (not an error), a valid one is counted against the company's own accounts only, and nothing is saved.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPortfolio } from '../../src/modules/collection-runs/index.ts';
import { call, startHarness, type Harness } from './harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  // Company A: three accounts, two owing 1,000 MXN or more. Company B: one large account that A must never count.
  const seed = async (key: string, id: string, amount: string, region: string) => {
    expect((await call(h.app, key, 'POST', '/debtors', { external_id: id, name: `Deudor ${id}`, country: 'MX', region })).statusCode).toBe(201);
    expect((await call(h.app, key, 'POST', '/obligations', { external_id: id, debtor_external_id: id, currency: 'MXN', amount, due_on: '2026-02-01' })).statusCode).toBe(201);
  };
  await seed(h.a.key, 'A-1', '5000.00', 'JAL');
  await seed(h.a.key, 'A-2', '1000.00', 'NLE');
  await seed(h.a.key, 'A-3', '999.99', 'JAL');
  await seed(h.b.key, 'B-1', '90000.00', 'JAL');
  await runPortfolio(h.a.ctx, { asOf: '2026-03-15' });
  await runPortfolio(h.b.ctx, { asOf: '2026-03-15' });
}, 120_000);
afterAll(async () => {
  await h?.close();
});

describe('POST /settings/segments/check', () => {
  it('counts the accounts a valid rule matches, in the caller company only', async () => {
    const res = await call(h.app, h.a.key, 'POST', '/settings/segments/check', { rule: 'balance.MXN >= 1000' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ valid: true, error: null, matches: 2, accounts: 3 });
    const jal = await call(h.app, h.a.key, 'POST', '/settings/segments/check', { rule: "region = 'JAL' and balance.MXN >= 1000" });
    expect(jal.json()).toMatchObject({ valid: true, matches: 1, accounts: 3 });
    const b = await call(h.app, h.b.key, 'POST', '/settings/segments/check', { rule: 'balance.MXN >= 1000' });
    expect(b.json()).toMatchObject({ matches: 1, accounts: 1 });
  });

  it('answers an invalid rule with the position of the problem and saves nothing', async () => {
    const res = await call(h.app, h.a.key, 'POST', '/settings/segments/check', { rule: 'balance.MXN >= 1000 and\n  bucket = 7' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ valid: false, matches: null, accounts: 3, error: { line: 2, column: 12, position: 35 } });
    expect(body.error.message).toContain('line 2, column 12');
    expect((await call(h.app, h.a.key, 'POST', '/settings/segments/check', { rule: '' })).json()).toMatchObject({ valid: false, error: { position: 0 } });
    expect((await call(h.app, h.a.key, 'GET', '/segments')).json()).toEqual({ data: [] });
  });

  it('refuses a malformed request with a 400', async () => {
    const res = await call(h.app, h.a.key, 'POST', '/settings/segments/check', { rule: 5 });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('validation_failed');
  });
});
