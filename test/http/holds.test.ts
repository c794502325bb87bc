/**
 * A debtor has at most one active hold per reason: adding the same one again is a 409 that names the hold in force,
 * not a second hold beside it. Another reason, a released hold, an expired one or a promise's own hold do not stand in
 * the way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveRecords } from '../../src/modules/portfolio/index.ts';
import { call, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ now: '2026-03-15T18:00:00Z' });
  await saveRecords(h.a.ctx, { entity: 'debtors', rows: [{ external_id: 'H-1', name: 'Deudor Uno' }, { external_id: 'H-2', name: 'Deudor Dos' }] });
  await saveRecords(h.a.ctx, { entity: 'obligations', rows: [{ external_id: 'HO-2', debtor_external_id: 'H-2', currency: 'MXN', amount: '10000.00', due_on: '2026-02-01' }] });
});
afterAll(async () => {
  await h?.close();
});

const holds = async () => ((await call(h.app, h.a.key, 'GET', '/debtors/H-1')).json() as { holds: Array<{ reason: string }> }).holds.map((x) => x.reason).sort();

describe('holds', () => {
  it('refuses a second active hold of the same reason with a 409', async () => {
    const first = await call(h.app, h.a.key, 'POST', '/debtors/H-1/holds', { reason: 'dispute', expires_on: '2026-04-30' });
    expect(first.statusCode, first.body).toBe(201);
    const again = await call(h.app, h.a.key, 'POST', '/debtors/H-1/holds', { reason: 'dispute', note: 'otra vez' });
    expect(again.statusCode, again.body).toBe(409);
    expect(again.json()).toMatchObject({
      code: 'conflict',
      message: 'debtor "H-1" already has an active dispute hold (since 2026-03-15, until 2026-04-30); to change it, remove it first',
      details: [{ path: 'reason', reason: `hold ${first.json().id} is active` }],
    });
    const es = await call(h.app, h.a.key, 'POST', '/debtors/H-1/holds', { reason: 'dispute' }, { 'accept-language': 'es-MX' });
    expect(es.json().message).toBe('el deudor "H-1" ya tiene una suspensión activa por dispute (desde el 2026-03-15, hasta el 2026-04-30); para cambiarla, levántela primero');
    expect(await holds()).toEqual(['dispute']);
  });

  it("places a hold by hand beside a promise's own hold of the same reason, once", async () => {
    const promise = await call(h.app, h.a.key, 'POST', '/debtors/H-2/promises', { currency: 'MXN', amount: '2000.00', promised_on: '2026-03-20', channel: 'phone', taken_by: 'collector' });
    expect(promise.statusCode, promise.body).toBe(201);
    expect((await call(h.app, h.a.key, 'POST', '/debtors/H-2/holds', { reason: 'promise' })).statusCode).toBe(201);
    expect((await call(h.app, h.a.key, 'POST', '/debtors/H-2/holds', { reason: 'promise' })).statusCode).toBe(409);
  });

  it('takes another reason, and the same reason again once the first is released or expired', async () => {
    expect((await call(h.app, h.a.key, 'POST', '/debtors/H-1/holds', { reason: 'legal' })).statusCode).toBe(201);
    expect(await holds()).toEqual(['dispute', 'legal']);
    expect((await call(h.app, h.a.key, 'DELETE', '/debtors/H-1/holds?reason=legal')).statusCode).toBe(200);
    expect((await call(h.app, h.a.key, 'POST', '/debtors/H-1/holds', { reason: 'legal' })).statusCode).toBe(201);
    // The dispute hold ends on 2026-04-30: from that day it no longer stands in the way.
    h.clock.set('2026-04-30T18:00:00Z');
    expect((await call(h.app, h.a.key, 'POST', '/debtors/H-1/holds', { reason: 'dispute' })).statusCode).toBe(201);
  });
});
