/**
 * The company's adjustments of the contact rules and holidays through the API: saved per country, validated with the
 * field at fault, audited, kept apart per company — and used by the gate: a narrower contact window or an added
 * holiday changes what "send now" may send.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/db/tables/access.ts';
import { call, startHarness, type Harness } from './harness.ts';

let h: Harness;

// 2026-03-15T18:00:00Z is Sunday 15 March, 12:00 in Mexico City.
beforeAll(async () => {
  h = await startHarness({ now: '2026-03-15T18:00:00Z' });
  const debtor = await call(h.app, h.a.key, 'POST', '/debtors', { external_id: 'D-1', name: 'Lucía Pérez', country: 'MX', email: 'lucia@example.mx' });
  expect(debtor.statusCode).toBe(201);
  const owed = await call(h.app, h.a.key, 'POST', '/obligations', { external_id: 'F-1', debtor_external_id: 'D-1', currency: 'MXN', amount: '1500.00', due_on: '2026-03-01' });
  expect(owed.statusCode).toBe(201);
}, 120_000);
afterAll(async () => {
  await h?.close();
});

const sendNow = (key: string, headers?: Record<string, string>) => call(h.app, h.a.key, 'POST', '/debtors/D-1/messages', { channel: 'email', template: 'late_10_days', idempotency_key: key }, headers);

async function audits(action: string) {
  return h.database.db.select().from(auditLog).where(and(eq(auditLog.companyId, h.a.companyId), eq(auditLog.action, action)));
}

describe('adjusting a country’s contact rules', () => {
  it('an adjusted contact window changes what the gate allows', async () => {
    // Built-in Mexico (CONDUSEF): every day 07:00–22:00, so noon on a Sunday is allowed.
    const before = await sendNow('before');
    expect(before.json()).toMatchObject({ status: 'queued', rule: 'allowed' });

    const written = [{ days: [1, 2, 3, 4, 5, 6, 7], from: '13:00', to: '18:00' }];
    const saved = await call(h.app, h.a.key, 'PUT', '/settings/compliance/mx', { overrides: { hours: { written } } });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ country: 'MX', adjustments: { overrides: { hours: { written } } }, rules: { id: 'MX', hours: { written } }, built_in: { hours: { written: [{ from: '07:00', to: '22:00' }] } } });
    // Calls keep the built-in window: only what was given is replaced.
    expect(saved.json().rules.hours.voice).toEqual([{ days: [1, 2, 3, 4, 5, 6, 7], from: '07:00', to: '22:00' }]);

    const after = await sendNow('after');
    expect(after.json()).toMatchObject({ status: 'refused', rule: 'hours.MX.time', next_allowed_at: '2026-03-15T19:00:00.000Z' });
    expect(after.json().reason).toContain('13:00');
    // The refusal's reason is written in the reader's language; its code is the same in both.
    expect(after.json()).toMatchObject({ reason_code: 'hours', reason: expect.stringMatching(/^Outside the hours allowed for contact by email .*Next allowed:/) });
    const es = await sendNow('after-es', { 'accept-language': 'es-MX' });
    expect(es.headers['content-language']).toBe('es-MX');
    expect(es.json()).toMatchObject({ status: 'refused', reason_code: 'hours', reason: expect.stringMatching(/^Fuera del horario permitido para contactar por correo electrónico .*Próximo momento permitido:/) });
    // A replay of a sent message says so in the reader's language too.
    expect((await sendNow('before', { 'accept-language': 'es' })).json()).toMatchObject({ status: 'queued', reason: 'ya enviado', reason_code: null });
    expect((await sendNow('before')).json()).toMatchObject({ reason: 'already sent' });

    const [entry] = await audits('compliance_rules.update');
    expect(entry).toMatchObject({ entity: 'compliance_rules', entityId: 'MX', actor: 'api-key:a', before: null });
    expect(entry?.after).toMatchObject({ adjustments: { overrides: { hours: { written } } } });

    // The other company is untouched.
    const other = (await call(h.app, h.b.key, 'GET', '/settings/compliance')).json();
    expect(other.countries[0]).toMatchObject({ country: 'MX', adjustments: null, rules: { hours: { written: [{ from: '07:00', to: '22:00' }] } } });
  });

  it('refuses bad rules with a 400 naming each field, and stores nothing', async () => {
    const cases: Array<[unknown, string, RegExp]> = [
      [{ overrides: { hours: { written: [{ days: [1], from: '25:00', to: '26:00' }] } } }, 'overrides.hours.written.0.from', /HH:MM/],
      [{ overrides: { hours: { voice: [{ days: [1], from: '19:00', to: '07:00' }] } } }, 'overrides.hours.voice.0', /end after it starts/],
      [{ overrides: { hours: { voice: [{ days: [8], from: '07:00', to: '19:00' }] } } }, 'overrides.hours.voice.0.days.0', /./],
      [{ overrides: { caps: [{ id: 'per_day', kind: 'max_per_day', channels: ['sms'], max: -1 }] } }, 'overrides.caps.0.max', /cannot be negative/],
      [{ overrides: { caps: [{ id: 'x', kind: 'max_in_days', channels: ['call'], max: 2, days: 0 }] } }, 'overrides.caps.0.days', /at least 1 day/],
      [{ overrides: { caps: [{ id: 'x', kind: 'max_per_day', channels: ['sms'], max: 1 }, { id: 'x', kind: 'max_per_week', channels: ['sms'], max: 2 }] } }, 'overrides.caps.1.id', /used twice/],
      [
        { overrides: { hours: { written: [{ days: [1, 2], from: '08:00', to: '14:00' }, { days: [2], from: '13:00', to: '20:00' }] } } },
        'overrides.hours.written.1',
        /13:00–20:00 overlaps 08:00–14:00 on Tuesday \(day 2\)/,
      ],
      [{ overrides: { quiet_hours: true } }, 'overrides', /quiet_hours/],
      [{ rule_set: 'XX' }, 'rule_set', /./],
    ];
    for (const [body, path, reason] of cases) {
      const res = await call(h.app, h.a.key, 'PUT', '/settings/compliance/MX', body);
      expect(res.statusCode, `${JSON.stringify(body)}: ${res.body}`).toBe(400);
      const json = res.json();
      expect(json.code).toBe('validation_failed');
      const detail = json.details.find((d: { path: string }) => d.path === path);
      expect(detail, `${path} in ${res.body}`).toBeDefined();
      expect(detail.reason).toMatch(reason);
    }
    const bad = await call(h.app, h.a.key, 'PUT', '/settings/compliance/MEX', {});
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details).toEqual([{ path: 'country', reason: 'use a two-letter ISO country code' }]);
    // Still the window saved by the first test.
    const now = (await call(h.app, h.a.key, 'GET', '/settings/compliance')).json();
    expect(now.countries[0].rules.hours.written).toEqual([{ days: [1, 2, 3, 4, 5, 6, 7], from: '13:00', to: '18:00' }]);
  });

  it('accepts a cap of 0 (no contact by that channel) and lists another country once adjusted', async () => {
    const co = await call(h.app, h.a.key, 'PUT', '/settings/compliance/CO', { overrides: { caps: [{ id: 'no_sms', kind: 'max_per_week', channels: ['sms'], max: 0 }] } });
    expect(co.statusCode, co.body).toBe(200);
    expect(co.json().rules.caps).toEqual([{ id: 'no_sms', kind: 'max_per_week', channels: ['sms'], max: 0 }]);
    const list = (await call(h.app, h.a.key, 'GET', '/settings/compliance')).json();
    expect(list.countries.map((c: { country: string }) => c.country)).toEqual(['MX', 'CO']);
    const reset = await call(h.app, h.a.key, 'DELETE', '/settings/compliance/CO');
    expect(reset.statusCode).toBe(200);
    expect(reset.json()).toMatchObject({ country: 'CO', adjustments: null, rules: { caps: [{ id: 'per_day' }, { id: 'channel_after_effective' }] } });
    expect((await call(h.app, h.a.key, 'GET', '/settings/compliance')).json().countries.map((c: { country: string }) => c.country)).toEqual(['MX']);
    expect((await audits('compliance_rules.reset')).map((e) => e.entityId)).toEqual(['CO']);
  });
});

describe('holidays', () => {
  it('adds and removes dates; the gate refuses an added holiday when holidays are refused', async () => {
    const add = await call(h.app, h.a.key, 'POST', '/settings/compliance/MX/holidays?year=2026', { date: '2026-03-15', name: 'Aniversario de la empresa' });
    expect(add.statusCode, add.body).toBe(200);
    expect(add.json().holidays).toContainEqual({ date: '2026-03-15', name: 'Aniversario de la empresa' });
    // Mexico's built-in set allows contact on holidays; still allowed (13:00–18:00) at 13:30.
    h.clock.set('2026-03-15T19:30:00Z');
    expect((await sendNow('holiday-allowed')).json()).toMatchObject({ status: 'queued' });
    // The window adjusted earlier is kept when only the holiday rule changes… because PUT replaces overrides, say both.
    const written = [{ days: [1, 2, 3, 4, 5, 6, 7], from: '13:00', to: '18:00' }];
    const refused = await call(h.app, h.a.key, 'PUT', '/settings/compliance/MX', { overrides: { hours: { written }, holidays: 'refused' } });
    expect(refused.statusCode, refused.body).toBe(200);
    // The holidays added are kept by a PUT of the rules.
    expect(refused.json().adjustments.holidays).toEqual({ add: [{ date: '2026-03-15', name: 'Aniversario de la empresa' }] });
    const judged = (await sendNow('holiday-refused')).json();
    // Monday 16 March is itself a holiday (Benito Juárez, third Monday of March): Tuesday 13:00.
    expect(judged).toMatchObject({ status: 'refused', rule: 'holiday.MX', next_allowed_at: '2026-03-17T19:00:00.000Z' });

    // A date that already is a holiday is a conflict; a non-holiday cannot be removed.
    expect((await call(h.app, h.a.key, 'POST', '/settings/compliance/MX/holidays', { date: '2026-03-15', name: 'Otra vez' })).statusCode).toBe(409);
    const independence = await call(h.app, h.a.key, 'POST', '/settings/compliance/MX/holidays', { date: '2026-09-16', name: 'Independencia' });
    expect(independence.statusCode).toBe(409);
    expect(independence.json().message).toContain('already a holiday');
    expect((await call(h.app, h.a.key, 'DELETE', '/settings/compliance/MX/holidays/2026-03-17')).statusCode).toBe(404);

    // Removing the added date lets the debtor be contacted again; removing a built-in one lists it as removed.
    const dropped = await call(h.app, h.a.key, 'DELETE', '/settings/compliance/MX/holidays/2026-03-15');
    expect(dropped.statusCode, dropped.body).toBe(200);
    expect((await sendNow('holiday-dropped')).json()).toMatchObject({ status: 'queued' });
    const removed = await call(h.app, h.a.key, 'DELETE', '/settings/compliance/MX/holidays/2026-09-16?year=2026');
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json().adjustments.holidays).toEqual({ remove: ['2026-09-16'] });
    expect(removed.json().holidays.map((x: { date: string }) => x.date)).not.toContain('2026-09-16');
    // Adding it back restores the built-in holiday, with its own name.
    const restored = await call(h.app, h.a.key, 'POST', '/settings/compliance/MX/holidays?year=2026', { date: '2026-09-16', name: 'Independencia' });
    expect(restored.statusCode).toBe(200);
    expect(restored.json().adjustments.holidays).toBeUndefined();
    expect(restored.json().holidays.find((x: { date: string }) => x.date === '2026-09-16')?.name).toMatch(/Independencia/);

    const added = await audits('compliance_holiday.add');
    expect(added.map((e) => (e.after as { date: string; restored: boolean }))).toMatchObject([
      { date: '2026-03-15', restored: false },
      { date: '2026-09-16', restored: true },
    ]);
    expect((await audits('compliance_holiday.remove')).map((e) => (e.after as { date: string }).date)).toEqual(['2026-03-15', '2026-09-16']);
  });

  it('refuses a date that is not a calendar date', async () => {
    for (const date of ['2026-02-30', '15/03/2026', '']) {
      const res = await call(h.app, h.a.key, 'POST', '/settings/compliance/MX/holidays', { date, name: 'x' });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().details[0]).toMatchObject({ path: 'date', reason: expect.stringContaining('YYYY-MM-DD') });
    }
    expect((await call(h.app, h.a.key, 'POST', '/settings/compliance/MX/holidays', { date: '2026-05-02', name: '  ' })).json().details[0]).toMatchObject({ path: 'name' });
    expect((await call(h.app, h.a.key, 'DELETE', '/settings/compliance/MX/holidays/2026-13-01')).statusCode).toBe(400);
  });
});
