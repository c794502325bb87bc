import { describe, expect, it } from 'vitest';
import {
  channelClass,
  ComplianceRulesError,
  contactRulesOverridesSchema,
  isRuleSetId,
  minutesOf,
  parseContactRules,
  resolveRules,
  RULE_SET_IDS,
  RULE_SETS,
  type RuleSetId,
} from './rules.ts';

describe('built-in rule sets (DOMAIN.md §3)', () => {
  // [set, voice windows, written windows, holidays]
  const table: Array<[RuleSetId, string, string, 'allowed' | 'refused']> = [
    ['MX', '1234567 07:00-22:00', '1234567 07:00-22:00', 'allowed'],
    ['MX-PROFECO', '12345 07:00-22:00', '12345 07:00-22:00', 'refused'],
    ['CO', '12345 07:00-19:00; 6 08:00-15:00', '12345 07:00-19:00; 6 08:00-15:00', 'refused'],
    ['CL', '123456 08:00-20:00', '123456 08:00-20:00', 'refused'],
    ['PE', '12345 07:00-20:00', '12345 07:00-20:00', 'refused'],
    ['BR', '12345 08:00-20:00', '12345 08:00-20:00', 'refused'],
    ['AR', '12345 09:00-19:00', '12345 09:00-19:00', 'refused'],
    ['US', '1234567 08:00-21:00', '1234567 08:00-21:00', 'allowed'],
  ];
  const show = (ws: readonly { days: readonly number[]; from: string; to: string }[]) => ws.map((w) => `${w.days.join('')} ${w.from}-${w.to}`).join('; ');
  it.each(table)('%s: voice %s, written %s, holidays %s', (id, voice, written, holidays) => {
    const r = RULE_SETS[id];
    expect(show(r.hours.voice)).toBe(voice);
    expect(show(r.hours.written)).toBe(written);
    expect(r.holidays).toBe(holidays);
    expect(r.week).toBe('calendar');
    expect(r.notes.length).toBeGreaterThan(0);
  });

  it('covers exactly the documented sets and all validate', () => {
    expect(Object.keys(RULE_SETS).sort()).toEqual([...RULE_SET_IDS].sort());
    for (const id of RULE_SET_IDS) expect(parseContactRules(RULE_SETS[id])).toEqual(RULE_SETS[id]);
  });

  it('caps: CO one per day and channel lock after an effective contact; CL weekly caps and spacing; US Reg F', () => {
    expect(RULE_SETS.CO.caps.map((c) => `${c.id}:${c.kind}`)).toEqual(['per_day:max_per_day', 'channel_after_effective:only_channel_after_effective']);
    expect(RULE_SETS.CL.caps).toEqual([
      { id: 'voice_per_week', kind: 'max_per_week', channels: ['call', 'visit'], max: 1 },
      { id: 'written_per_week', kind: 'max_per_week', channels: ['email', 'whatsapp', 'sms', 'letter'], max: 2 },
      { id: 'written_spacing', kind: 'min_days_between', channels: ['email', 'whatsapp', 'sms', 'letter'], days: 2 },
    ]);
    expect(RULE_SETS.US.caps).toEqual([
      { id: 'regf_7in7', kind: 'max_in_days', channels: ['call'], max: 7, days: 7 },
      { id: 'after_conversation', kind: 'wait_after_conversation', channels: ['call'], days: 7, conversationOutcomes: ['conversation', 'effective'] },
    ]);
    for (const id of ['MX', 'MX-PROFECO', 'PE', 'BR', 'AR'] as const) expect(RULE_SETS[id].caps).toEqual([]);
  });

  it('consent: CO needs it for every channel; elsewhere only WhatsApp', () => {
    expect([...RULE_SETS.CO.consentRequired].sort()).toEqual(['call', 'email', 'letter', 'sms', 'visit', 'whatsapp']);
    for (const id of ['MX', 'MX-PROFECO', 'CL', 'PE', 'BR', 'AR', 'US'] as const) expect(RULE_SETS[id].consentRequired).toEqual(['whatsapp']);
    expect(RULE_SETS.CL.mandatoryHolds).toEqual(['legal', 'bankruptcy']);
  });

  it('is read-only', () => {
    expect(Object.isFrozen(RULE_SETS.CO)).toBe(true);
    expect(Object.isFrozen(RULE_SETS.CO.hours.voice[0])).toBe(true);
    expect(() => {
      (RULE_SETS.CO as { holidays: string }).holidays = 'allowed';
    }).toThrow();
  });
});

describe('helpers', () => {
  it('channel classes', () => {
    expect(channelClass('call')).toBe('voice');
    expect(channelClass('visit')).toBe('voice');
    for (const c of ['email', 'whatsapp', 'sms', 'letter'] as const) expect(channelClass(c)).toBe('written');
  });
  it('minutes of HH:MM', () => {
    expect(minutesOf('00:00')).toBe(0);
    expect(minutesOf('07:30')).toBe(450);
    expect(minutesOf('24:00')).toBe(1440);
  });
  it('rule set ids', () => {
    expect(isRuleSetId('MX-PROFECO')).toBe(true);
    expect(isRuleSetId('mx')).toBe(false);
  });
});

describe('company overrides', () => {
  it('replaces the fields given and keeps the rest', () => {
    const r = resolveRules('CO', { hours: { written: [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '18:00' }] }, week: 'rolling7' });
    expect(r.hours.written).toEqual([{ days: [1, 2, 3, 4, 5], from: '08:00', to: '18:00' }]);
    expect(r.hours.voice).toEqual(RULE_SETS.CO.hours.voice);
    expect(r.week).toBe('rolling7');
    expect(r.caps).toEqual(RULE_SETS.CO.caps);
    expect(r.id).toBe('CO');
  });
  it('accepts a whole custom set and a 24:00 end', () => {
    const custom = { ...RULE_SETS.MX, id: 'MX-ACME', hours: { voice: [], written: [{ days: [7], from: '00:00', to: '24:00' }] } };
    expect(resolveRules(parseContactRules(custom)).hours.written[0]?.to).toBe('24:00');
  });

  const bad: Array<[string, unknown, RegExp]> = [
    ['hour out of range', { hours: { voice: [{ days: [1], from: '25:00', to: '26:00' }] } }, /HH:MM/],
    ['end before start', { hours: { voice: [{ days: [1], from: '19:00', to: '07:00' }] } }, /end after it starts/],
    ['empty window', { hours: { voice: [{ days: [1], from: '07:00', to: '07:00' }] } }, /end after it starts/],
    ['weekday 0', { hours: { voice: [{ days: [0], from: '07:00', to: '19:00' }] } }, /hours\.voice\.0\.days\.0/],
    ['no days', { hours: { voice: [{ days: [], from: '07:00', to: '19:00' }] } }, /ISO weekday/],
    ['unknown field', { quietHours: true }, /quietHours/],
    ['unknown channel in a cap', { caps: [{ id: 'x', kind: 'max_per_day', channels: ['fax'], max: 1 }] }, /caps\.0\.channels\.0/],
    ['negative max', { caps: [{ id: 'x', kind: 'max_per_day', channels: ['sms'], max: -1 }] }, /caps\.0\.max: a cap cannot be negative/],
    ['fractional max', { caps: [{ id: 'x', kind: 'max_per_week', channels: ['sms'], max: 1.5 }] }, /caps\.0\.max: use a whole number/],
    ['zero days', { caps: [{ id: 'x', kind: 'min_days_between', channels: ['sms'], days: 0 }] }, /caps\.0\.days: at least 1 day/],
    ['unknown cap kind', { caps: [{ id: 'x', kind: 'max_per_year', channels: ['sms'], max: 1 }] }, /caps\.0/],
    ['duplicate cap ids', { caps: [{ id: 'x', kind: 'max_per_day', channels: ['sms'], max: 1 }, { id: 'x', kind: 'max_per_week', channels: ['sms'], max: 2 }] }, /unique/],
    ['bad holiday rule', { holidays: 'sometimes' }, /holidays/],
  ];
  it.each(bad)('refuses %s with a message naming the field', (_label, overrides, message) => {
    expect(() => resolveRules('CO', overrides)).toThrow(ComplianceRulesError);
    expect(() => resolveRules('CO', overrides)).toThrow(message);
  });

  it('refuses an unknown base set', () => {
    expect(() => resolveRules('XX' as RuleSetId)).toThrow(/unknown rule set "XX"/);
  });
  it('the overrides schema is usable on its own (e.g. by an HTTP route)', () => {
    expect(contactRulesOverridesSchema.safeParse({ holidays: 'allowed' }).success).toBe(true);
    expect(contactRulesOverridesSchema.safeParse({ id: 'CO' }).success).toBe(false);
  });
});
