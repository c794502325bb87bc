/**
 * The gate inside planning, day by day: a Chilean debtor's third SMS in a calendar week moves to the next week, and
 * a Mexican debtor planned at 22:01 local time is contacted the next morning at 07:00.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPortfolio } from '../../src/modules/collection-runs/index.ts';
import { applyStrategy, planDay } from '../../src/modules/strategies/index.ts';
import { createWorld, type World } from './helpers.ts';

let w: World;
let chilean: number;

beforeAll(async () => {
  w = await createWorld('MX', '2026-03-09T13:00:00Z');
  await applyStrategy(w.ctx, {
    source: `
name: semanal
portfolio: default
rules:
  - phase: preventive
    steps:
      - { id: lunes, trigger: -6, channel: sms, template: preventive_reminder }
      - { id: jueves, trigger: -3, channel: sms, template: preventive_reminder }
      - { id: sabado, trigger: -1, channel: sms, template: preventive_reminder }
`,
  });
  chilean = await w.debtor('CL-1', { country: 'CL', timeZone: 'America/Santiago', phone: '+56912345678' });
  // Due Sunday 2026-03-15: steps on Monday 9, Thursday 12 and Saturday 14 March.
  await w.obligation(chilean, 'CL-1-A', '2026-03-15', 150_000n, 'CLP');
});

afterAll(async () => {
  await w?.close();
});

describe('the gate while planning', () => {
  it("defers a Chilean debtor's third SMS of the week to the next week", async () => {
    for (const date of ['2026-03-09', '2026-03-12', '2026-03-14']) await w.day(date, '13:00:00Z'); // 10:00 in Santiago
    const rows = (await w.messages(chilean)).map((m) => [m.stepId, m.status, m.gateRule, m.scheduledFor.toISOString()]);
    expect(rows).toEqual([
      ['lunes', 'pending', 'allowed', '2026-03-09T13:00:00.000Z'],
      ['jueves', 'pending', 'allowed', '2026-03-12T13:00:00.000Z'],
      // Two written contacts this week already: Monday 16 March, 08:00 in Santiago (UTC−3).
      ['sabado', 'pending', 'cap.CL.written_per_week', '2026-03-16T11:00:00.000Z'],
    ]);
  });

  it('contacts a Mexican debtor planned at 22:01 local time the next morning at 07:00', async () => {
    const mexican = await w.debtor('MX-1');
    await w.obligation(mexican, 'MX-1-A', '2026-03-21', 150_000n); // the first step falls on 15 March
    w.clock.set('2026-03-16T04:01:00Z'); // 22:01 on 15 March in Mexico City (UTC−6)
    await runPortfolio(w.ctx, { asOf: '2026-03-15' });
    const plan = await planDay(w.ctx, { asOf: '2026-03-15' });
    expect(plan.strategies[0]!.messages).toMatchObject({ created: 1, deferred: 1 });
    const [m] = await w.messages(mexican);
    expect(m).toMatchObject({ stepId: 'lunes', status: 'pending', gateRule: 'hours.MX.time', causeDate: '2026-03-15' });
    expect(m!.scheduledFor.toISOString()).toBe('2026-03-16T13:00:00.000Z');
  });

  it('refuses the contact of a debtor whose data the gate cannot judge, and plans the others', async () => {
    const broken = await w.debtor('MARS', { timeZone: 'Mars/Olympus_Mons' });
    const fine = await w.debtor('OK-1');
    await w.obligation(broken, 'MARS-A', '2026-03-22', 1_000n);
    await w.obligation(fine, 'OK-1-A', '2026-03-22', 1_000n);
    await w.day('2026-03-16');
    expect((await w.messages(broken)).map((m) => [m.status, m.gateRule])).toEqual([['refused', 'gate.input_invalid']]);
    expect((await w.messages(fine)).map((m) => [m.status, m.gateRule])).toEqual([['pending', 'allowed']]);
  });
});
