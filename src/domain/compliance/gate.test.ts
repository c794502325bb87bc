import { describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import { ContactInputError, decideContact, formatInstantInZone, SEARCH_HORIZON_DAYS, type ContactInput, type ContactRecord } from './gate.ts';
import { holidaySet } from './holidays.ts';
import { CHANNELS, resolveRules, RULE_SETS, type Channel, type ContactOutcome, type ContactRules, type RuleSetId } from './rules.ts';

const BOG = 'America/Bogota';
const SCL = 'America/Santiago';
const MEX = 'America/Mexico_City';
const NYC = 'America/New_York';
const LAX = 'America/Los_Angeles';
const ZONES: Record<RuleSetId, string> = {
  MX: MEX,
  'MX-PROFECO': MEX,
  CO: BOG,
  CL: SCL,
  PE: 'America/Lima',
  BR: 'America/Sao_Paulo',
  AR: 'America/Argentina/Buenos_Aires',
  US: NYC,
};

/** A local wall time ("2026-03-02T07:00") in a zone, as an instant. */
function local(wall: string, zone: string): Date {
  return new Date(Temporal.PlainDateTime.from(wall).toZonedDateTime(zone).epochMilliseconds);
}

/** The wall time of an instant in a zone, "YYYY-MM-DDTHH:MM" (seconds when not zero). */
function wall(instant: Date | null, zone: string): string | null {
  if (!instant) return null;
  const z = Temporal.Instant.fromEpochMilliseconds(instant.getTime()).toZonedDateTimeISO(zone);
  return z.toPlainDateTime().toString({ smallestUnit: z.second ? 'second' : 'minute' });
}

const ALL_GRANTED = Object.fromEntries(CHANNELS.map((c) => [c, 'granted'])) as Record<Channel, 'granted'>;

function gate(rules: RuleSetId | ContactRules, channel: Channel, when: string, extra: Partial<ContactInput> = {}) {
  const r = typeof rules === 'string' ? resolveRules(rules) : rules;
  const zone = extra.timeZone ?? ZONES[r.id as RuleSetId] ?? BOG;
  return decideContact({
    rules: r,
    timeZone: zone,
    channel,
    at: extra.at ?? local(when, zone),
    consent: ALL_GRANTED,
    holidays: holidaySet(r.holidayCalendar, [2025, 2026, 2027, 2028]),
    ...extra,
  });
}

function rec(channel: Channel, when: string, zone: string, outcome: ContactOutcome = 'attempt'): ContactRecord {
  return { channel, at: local(when, zone), outcome };
}

// ---------------------------------------------------------------------------------------------------------------
// Window boundaries: −1 minute, exact, +1 minute, for each rule set. Week of Monday 2 March 2026 (no holiday in any
// of the calendars); in New York daylight saving time starts on Sunday 8 March.

type Row = [RuleSetId, Channel, string, boolean, string | null, string];
const BOUNDARIES: Row[] = [
  // CO: Mon–Fri 07:00–19:00, Sat 08:00–15:00, never Sunday
  ['CO', 'call', '2026-03-02T06:59', false, '2026-03-02T07:00', 'hours.CO.time'],
  ['CO', 'call', '2026-03-02T07:00', true, '2026-03-02T07:00', 'allowed'],
  ['CO', 'call', '2026-03-02T07:01', true, '2026-03-02T07:01', 'allowed'],
  ['CO', 'sms', '2026-03-02T18:59', true, '2026-03-02T18:59', 'allowed'],
  ['CO', 'sms', '2026-03-02T19:00', false, '2026-03-03T07:00', 'hours.CO.time'],
  ['CO', 'sms', '2026-03-02T19:01', false, '2026-03-03T07:00', 'hours.CO.time'],
  ['CO', 'email', '2026-03-06T19:00', false, '2026-03-07T08:00', 'hours.CO.time'],
  ['CO', 'sms', '2026-03-07T07:59', false, '2026-03-07T08:00', 'hours.CO.time'],
  ['CO', 'sms', '2026-03-07T08:00', true, '2026-03-07T08:00', 'allowed'],
  ['CO', 'sms', '2026-03-07T08:01', true, '2026-03-07T08:01', 'allowed'],
  ['CO', 'visit', '2026-03-07T14:59', true, '2026-03-07T14:59', 'allowed'],
  ['CO', 'visit', '2026-03-07T15:00', false, '2026-03-09T07:00', 'hours.CO.time'],
  ['CO', 'visit', '2026-03-07T15:01', false, '2026-03-09T07:00', 'hours.CO.time'],
  ['CO', 'sms', '2026-03-08T00:00', false, '2026-03-09T07:00', 'hours.CO.weekday'],
  ['CO', 'sms', '2026-03-08T23:59', false, '2026-03-09T07:00', 'hours.CO.weekday'],
  // CL: Mon–Sat 08:00–20:00 (March: UTC−3)
  ['CL', 'call', '2026-03-02T07:59', false, '2026-03-02T08:00', 'hours.CL.time'],
  ['CL', 'call', '2026-03-02T08:00', true, '2026-03-02T08:00', 'allowed'],
  ['CL', 'call', '2026-03-02T08:01', true, '2026-03-02T08:01', 'allowed'],
  ['CL', 'sms', '2026-03-02T19:59', true, '2026-03-02T19:59', 'allowed'],
  ['CL', 'sms', '2026-03-02T20:00', false, '2026-03-03T08:00', 'hours.CL.time'],
  ['CL', 'sms', '2026-03-02T20:01', false, '2026-03-03T08:00', 'hours.CL.time'],
  ['CL', 'sms', '2026-03-07T19:59', true, '2026-03-07T19:59', 'allowed'],
  ['CL', 'sms', '2026-03-07T20:00', false, '2026-03-09T08:00', 'hours.CL.time'],
  ['CL', 'email', '2026-03-08T12:00', false, '2026-03-09T08:00', 'hours.CL.weekday'],
  // MX (CONDUSEF): every day 07:00–22:00
  ['MX', 'call', '2026-03-02T06:59', false, '2026-03-02T07:00', 'hours.MX.time'],
  ['MX', 'call', '2026-03-02T07:00', true, '2026-03-02T07:00', 'allowed'],
  ['MX', 'call', '2026-03-02T07:01', true, '2026-03-02T07:01', 'allowed'],
  ['MX', 'call', '2026-03-02T21:59', true, '2026-03-02T21:59', 'allowed'],
  ['MX', 'call', '2026-03-02T22:00', false, '2026-03-03T07:00', 'hours.MX.time'],
  ['MX', 'call', '2026-03-02T22:01', false, '2026-03-03T07:00', 'hours.MX.time'],
  ['MX', 'sms', '2026-03-07T22:01', false, '2026-03-08T07:00', 'hours.MX.time'],
  ['MX', 'visit', '2026-03-08T10:00', true, '2026-03-08T10:00', 'allowed'],
  // MX-PROFECO: Mon–Fri 07:00–22:00
  ['MX-PROFECO', 'call', '2026-03-02T06:59', false, '2026-03-02T07:00', 'hours.MX-PROFECO.time'],
  ['MX-PROFECO', 'call', '2026-03-02T07:00', true, '2026-03-02T07:00', 'allowed'],
  ['MX-PROFECO', 'call', '2026-03-06T21:59', true, '2026-03-06T21:59', 'allowed'],
  ['MX-PROFECO', 'call', '2026-03-06T22:00', false, '2026-03-09T07:00', 'hours.MX-PROFECO.time'],
  ['MX-PROFECO', 'email', '2026-03-07T10:00', false, '2026-03-09T07:00', 'hours.MX-PROFECO.weekday'],
  ['MX-PROFECO', 'email', '2026-03-08T10:00', false, '2026-03-09T07:00', 'hours.MX-PROFECO.weekday'],
  // PE: Mon–Fri 07:00–20:00
  ['PE', 'call', '2026-03-02T06:59', false, '2026-03-02T07:00', 'hours.PE.time'],
  ['PE', 'call', '2026-03-02T07:00', true, '2026-03-02T07:00', 'allowed'],
  ['PE', 'call', '2026-03-02T07:01', true, '2026-03-02T07:01', 'allowed'],
  ['PE', 'visit', '2026-03-02T19:59', true, '2026-03-02T19:59', 'allowed'],
  ['PE', 'visit', '2026-03-02T20:00', false, '2026-03-03T07:00', 'hours.PE.time'],
  ['PE', 'sms', '2026-03-06T20:01', false, '2026-03-09T07:00', 'hours.PE.time'],
  ['PE', 'sms', '2026-03-07T10:00', false, '2026-03-09T07:00', 'hours.PE.weekday'],
  // BR: business days 08:00–20:00
  ['BR', 'call', '2026-03-02T07:59', false, '2026-03-02T08:00', 'hours.BR.time'],
  ['BR', 'call', '2026-03-02T08:00', true, '2026-03-02T08:00', 'allowed'],
  ['BR', 'call', '2026-03-02T08:01', true, '2026-03-02T08:01', 'allowed'],
  ['BR', 'whatsapp', '2026-03-02T19:59', true, '2026-03-02T19:59', 'allowed'],
  ['BR', 'whatsapp', '2026-03-02T20:00', false, '2026-03-03T08:00', 'hours.BR.time'],
  ['BR', 'whatsapp', '2026-03-02T20:01', false, '2026-03-03T08:00', 'hours.BR.time'],
  ['BR', 'email', '2026-03-07T10:00', false, '2026-03-09T08:00', 'hours.BR.weekday'],
  // AR: Mon–Fri 09:00–19:00
  ['AR', 'call', '2026-03-02T08:59', false, '2026-03-02T09:00', 'hours.AR.time'],
  ['AR', 'call', '2026-03-02T09:00', true, '2026-03-02T09:00', 'allowed'],
  ['AR', 'call', '2026-03-02T09:01', true, '2026-03-02T09:01', 'allowed'],
  ['AR', 'letter', '2026-03-02T18:59', true, '2026-03-02T18:59', 'allowed'],
  ['AR', 'letter', '2026-03-02T19:00', false, '2026-03-03T09:00', 'hours.AR.time'],
  ['AR', 'letter', '2026-03-02T19:01', false, '2026-03-03T09:00', 'hours.AR.time'],
  ['AR', 'sms', '2026-03-08T10:00', false, '2026-03-09T09:00', 'hours.AR.weekday'],
  // US: every day 08:00–21:00
  ['US', 'call', '2026-03-02T07:59', false, '2026-03-02T08:00', 'hours.US.time'],
  ['US', 'call', '2026-03-02T08:00', true, '2026-03-02T08:00', 'allowed'],
  ['US', 'call', '2026-03-02T08:01', true, '2026-03-02T08:01', 'allowed'],
  ['US', 'sms', '2026-03-02T20:59', true, '2026-03-02T20:59', 'allowed'],
  ['US', 'sms', '2026-03-02T21:00', false, '2026-03-03T08:00', 'hours.US.time'],
  ['US', 'sms', '2026-03-02T21:01', false, '2026-03-03T08:00', 'hours.US.time'],
  ['US', 'email', '2026-03-08T10:00', true, '2026-03-08T10:00', 'allowed'],
];

describe('window boundaries ([from, to) in the debtor\'s local time)', () => {
  it.each(BOUNDARIES)('%s %s at %s → allowed %s, next %s, %s', (set, channel, when, allowed, next, rule) => {
    const d = gate(set, channel, when);
    expect(d.allowed).toBe(allowed);
    expect(wall(d.nextAllowedAt, ZONES[set])).toBe(next);
    expect(d.rule).toBe(rule);
    expect(d.reason.length).toBeGreaterThan(20);
    expect(d.reasonEn.length).toBeGreaterThan(20);
  });

  it('judges to the millisecond: 20:59:59.999 is allowed, 21:00:00.000 is not (US)', () => {
    const base = local('2026-03-02T21:00', NYC).getTime();
    const r = resolveRules('US');
    const run = (ms: number) => decideContact({ rules: r, timeZone: NYC, channel: 'call', at: new Date(ms) });
    expect(run(base - 1).allowed).toBe(true);
    expect(run(base).allowed).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('Colombia', () => {
  it('a debtor on Sunday → Monday 07:00 Bogotá', () => {
    const d = gate('CO', 'sms', '2026-03-08T10:00');
    expect(d).toMatchObject({ allowed: false, rule: 'hours.CO.weekday' });
    expect(formatInstantInZone(d.nextAllowedAt!, BOG)).toBe('2026-03-09T07:00:00-05:00');
    expect(d.reason).toContain('domingo');
    expect(d.reason).toContain('Próximo momento permitido: lunes 9 de marzo de 2026, 07:00 (America/Bogota, UTC-05:00)');
    expect(d.reasonEn).toContain('Next allowed: Monday, March 9, 2026, 07:00');
  });

  it('Saturday 15:00 exactly is refused (the window is [08:00, 15:00)); 14:59:59 is allowed', () => {
    expect(gate('CO', 'call', '2026-03-07T15:00')).toMatchObject({ allowed: false, rule: 'hours.CO.time' });
    expect(gate('CO', 'call', '2026-03-07T14:59:59').allowed).toBe(true);
    expect(gate('CO', 'call', '2026-03-07T15:00').reason).toContain('el sábado solo de 08:00 a 15:00');
  });

  it('a holiday Monday (Reyes moved to 12 January 2026) → Tuesday 07:00', () => {
    const d = gate('CO', 'call', '2026-01-12T10:00');
    expect(d.rule).toBe('holiday.CO');
    expect(wall(d.nextAllowedAt, BOG)).toBe('2026-01-13T07:00');
    expect(d.reason).toContain('lunes 12 de enero de 2026 es día festivo en Colombia');
    expect(d.reasonEn).toContain('public holiday');
  });

  it.each([
    ['Sunday before Reyes → skips the holiday Monday', '2026-01-11T10:00', 'hours.CO.weekday', '2026-01-13T07:00'],
    ['Sunday before San José (23 Mar) → Tuesday', '2026-03-22T09:00', 'hours.CO.weekday', '2026-03-24T07:00'],
    ['Wednesday evening before Holy Thursday/Good Friday → Saturday 08:00', '2026-04-01T19:00', 'hours.CO.time', '2026-04-04T08:00'],
    ['Saturday after hours before the Monday of Ascension (18 May) → Tuesday', '2026-05-16T15:00', 'hours.CO.time', '2026-05-19T07:00'],
    ['Friday evening before the 8 June and 15 June holiday Mondays', '2026-06-05T19:30', 'hours.CO.time', '2026-06-06T08:00'],
    ['Christmas Day (Friday) → Saturday 08:00', '2026-12-25T10:00', 'holiday.CO', '2026-12-26T08:00'],
    ['New Year 2027 (Friday) → Saturday 08:00', '2027-01-01T09:00', 'holiday.CO', '2027-01-02T08:00'],
  ])('%s', (_label, when, rule, next) => {
    const d = gate('CO', 'sms', when);
    expect(d.rule).toBe(rule);
    expect(wall(d.nextAllowedAt, BOG)).toBe(next);
  });

  it('holidays default to the built-in calendar when the caller gives none', () => {
    const d = decideContact({ rules: resolveRules('CO'), timeZone: BOG, channel: 'sms', at: local('2026-01-12T10:00', BOG), consent: ALL_GRANTED });
    expect(d.rule).toBe('holiday.CO');
  });

  it('a company calendar with the holiday removed allows it', () => {
    const holidays = holidaySet('CO', [2026, 2027], { remove: ['2026-01-12'] });
    expect(gate('CO', 'sms', '2026-01-12T10:00', { holidays }).allowed).toBe(true);
  });

  describe('one contact per day', () => {
    const history = [rec('sms', '2026-03-02T08:00', BOG)];
    it.each([
      ['another SMS the same day', 'sms' as Channel, '2026-03-02T10:00', false, '2026-03-03T07:00'],
      ['a call the same day', 'call' as Channel, '2026-03-02T18:59', false, '2026-03-03T07:00'],
      ['the next day at 07:00', 'call' as Channel, '2026-03-03T07:00', true, '2026-03-03T07:00'],
    ])('%s', (_l, channel, when, allowed, next) => {
      const d = gate('CO', channel, when, { history });
      expect(d.allowed).toBe(allowed);
      expect(wall(d.nextAllowedAt, BOG)).toBe(next);
      if (!allowed) {
        expect(d.rule).toBe('cap.CO.per_day');
        expect(d.reason).toContain('como máximo 1 por día');
      }
    });
    it('the day is the debtor\'s local day: 23:30 UTC-5 is the same day, not the next', () => {
      const late = [{ channel: 'sms' as Channel, at: new Date('2026-03-03T04:30:00Z'), outcome: 'attempt' as ContactOutcome }]; // Mon 23:30 Bogotá
      expect(gate('CO', 'sms', '2026-03-03T07:00', { history: late }).allowed).toBe(true);
      expect(gate('CO', 'sms', '2026-03-02T18:00', { history: late }).allowed).toBe(true); // later entries are ignored
    });
    it('a Saturday contact moves the next one past Sunday to Monday 07:00', () => {
      const d = gate('CO', 'email', '2026-03-07T10:00', { history: [rec('email', '2026-03-07T08:30', BOG)] });
      expect(d.rule).toBe('cap.CO.per_day');
      expect(wall(d.nextAllowedAt, BOG)).toBe('2026-03-09T07:00');
    });
  });

  describe('after an effective contact, only that channel for the rest of the week', () => {
    const history = [rec('call', '2026-03-03T10:00', BOG, 'conversation')];
    it('another channel is refused until Monday 07:00', () => {
      const d = gate('CO', 'sms', '2026-03-04T10:00', { history });
      expect(d.rule).toBe('cap.CO.channel_after_effective');
      expect(wall(d.nextAllowedAt, BOG)).toBe('2026-03-09T07:00');
      expect(d.reason).toContain('contacto efectivo por llamada');
    });
    it('the same channel is allowed the next day', () => {
      expect(gate('CO', 'call', '2026-03-04T10:00', { history }).allowed).toBe(true);
    });
    it('an "effective" outcome counts too, and the lock ends with the week', () => {
      const h = [rec('whatsapp', '2026-03-07T09:00', BOG, 'effective')];
      expect(gate('CO', 'email', '2026-03-07T09:30', { history: h }).rule).toBe('cap.CO.per_day');
      expect(gate('CO', 'email', '2026-03-09T07:00', { history: h }).allowed).toBe(true);
    });
    it('an attempt does not lock the channel', () => {
      expect(gate('CO', 'sms', '2026-03-04T10:00', { history: [rec('call', '2026-03-03T10:00', BOG, 'attempt')] }).allowed).toBe(true);
    });
    it('with a rolling week the lock lasts 7 days from the contact', () => {
      const rolling = resolveRules('CO', { week: 'rolling7' });
      const h = [rec('call', '2026-03-05T10:00', BOG, 'conversation')];
      const d = gate(rolling, 'sms', '2026-03-09T10:00', { history: h });
      expect(d.rule).toBe('cap.CO.channel_after_effective');
      expect(wall(d.nextAllowedAt, BOG)).toBe('2026-03-12T07:00');
      expect(d.reason).toContain('7 días');
    });
    it("the debtor's own reply is an effective contact on its channel, but not a contact made to them", () => {
      const reply: ContactRecord = { ...rec('whatsapp', '2026-03-03T10:00', BOG, 'effective'), direction: 'inbound' };
      const d = gate('CO', 'sms', '2026-03-04T10:00', { history: [reply] });
      expect(d.rule).toBe('cap.CO.channel_after_effective');
      expect(wall(d.nextAllowedAt, BOG)).toBe('2026-03-09T07:00');
      expect(d.reason).toContain('El deudor respondió por WhatsApp');
      // Same day, same channel: a reply does not use up the one contact a day.
      expect(gate('CO', 'whatsapp', '2026-03-03T11:00', { history: [reply] }).allowed).toBe(true);
      // …whereas the same contact made by the creditor does.
      expect(gate('CO', 'whatsapp', '2026-03-03T11:00', { history: [{ ...reply, direction: 'outbound' }] }).rule).toBe('cap.CO.per_day');
      expect(() => gate('CO', 'sms', '2026-03-04T10:00', { history: [{ ...reply, direction: 'sideways' as never }] })).toThrow(ContactInputError);
    });
    it('the lock\'s end respects holidays: effective contact the week before Reyes 2026', () => {
      const h = [rec('call', '2026-01-08T10:00', BOG, 'effective')];
      expect(wall(gate('CO', 'sms', '2026-01-09T10:00', { history: h }).nextAllowedAt, BOG)).toBe('2026-01-13T07:00');
    });
  });

  it('needs consent for every channel', () => {
    for (const channel of CHANNELS) {
      const d = gate('CO', channel, '2026-03-02T10:00', { consent: {} });
      expect(d).toMatchObject({ allowed: false, nextAllowedAt: null, rule: 'consent.missing' });
    }
    expect(gate('CO', 'letter', '2026-03-02T10:00', { consent: { letter: 'unknown' } }).reason).toContain('requiere su consentimiento previo');
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('Chile', () => {
  it('third SMS in a week → refused until next Monday 08:00', () => {
    const history = [rec('sms', '2026-03-02T09:00', SCL), rec('sms', '2026-03-05T09:00', SCL)];
    const d = gate('CL', 'sms', '2026-03-06T10:00', { history });
    expect(d.rule).toBe('cap.CL.written_per_week');
    expect(formatInstantInZone(d.nextAllowedAt!, SCL)).toBe('2026-03-09T08:00:00-03:00');
    expect(d.reason).toContain('como máximo 2 por semana (de lunes a domingo)');
  });

  it('written channels count together (email + WhatsApp, then SMS)', () => {
    const history = [rec('email', '2026-03-02T09:00', SCL), rec('whatsapp', '2026-03-05T09:00', SCL)];
    expect(gate('CL', 'sms', '2026-03-07T10:00', { history }).rule).toBe('cap.CL.written_per_week');
  });

  it('third SMS when the second was on Saturday → Tuesday (two whole days must lie between)', () => {
    const history = [rec('sms', '2026-03-05T09:00', SCL), rec('sms', '2026-03-07T09:00', SCL)];
    const d = gate('CL', 'sms', '2026-03-07T15:00', { history });
    expect(d.rule).toBe('cap.CL.written_per_week');
    expect(wall(d.nextAllowedAt, SCL)).toBe('2026-03-10T08:00');
    const monday = gate('CL', 'sms', '2026-03-09T10:00', { history });
    expect(monday.rule).toBe('cap.CL.written_spacing');
    expect(wall(monday.nextAllowedAt, SCL)).toBe('2026-03-10T08:00');
  });

  it.each([
    ['Tuesday after a Monday SMS', '2026-03-03T10:00', false, '2026-03-05T08:00'],
    ['Wednesday after a Monday SMS', '2026-03-04T19:59', false, '2026-03-05T08:00'],
    ['Thursday after a Monday SMS', '2026-03-05T08:00', true, '2026-03-05T08:00'],
  ])('spacing: %s', (_l, when, allowed, next) => {
    const d = gate('CL', 'email', when, { history: [rec('sms', '2026-03-02T19:00', SCL)] });
    expect(d.allowed).toBe(allowed);
    expect(wall(d.nextAllowedAt, SCL)).toBe(next);
    if (!allowed) {
      expect(d.rule).toBe('cap.CL.written_spacing');
      expect(d.reason).toContain('al menos 2 días completos');
    }
  });

  it('a call after one call this week → next Monday 08:00; visits count as calls', () => {
    for (const [first, second] of [['call', 'call'], ['visit', 'call'], ['call', 'visit']] as Array<[Channel, Channel]>) {
      const d = gate('CL', second, '2026-03-04T10:00', { history: [rec(first, '2026-03-02T10:00', SCL)] });
      expect(d.rule).toBe('cap.CL.voice_per_week');
      expect(wall(d.nextAllowedAt, SCL)).toBe('2026-03-09T08:00');
    }
  });

  it('calls and written channels have separate caps', () => {
    const history = [rec('call', '2026-03-02T10:00', SCL)];
    expect(gate('CL', 'sms', '2026-03-02T11:00', { history }).allowed).toBe(true);
    expect(gate('CL', 'call', '2026-03-09T08:00', { history }).allowed).toBe(true);
  });

  it('a call refused on Saturday evening waits past Sunday; next Monday may be a holiday', () => {
    // Week of 29 June 2026: Monday 29 June is San Pedro y San Pablo.
    const d = gate('CL', 'call', '2026-06-27T12:00', { history: [rec('call', '2026-06-22T10:00', SCL)] });
    expect(d.rule).toBe('cap.CL.voice_per_week');
    expect(wall(d.nextAllowedAt, SCL)).toBe('2026-06-30T08:00');
  });

  it('a served lawsuit or insolvency stops contact at once, naming the law', () => {
    for (const hold of ['legal', 'bankruptcy'] as const) {
      const d = gate('CL', 'email', '2026-03-02T10:00', { holds: [hold] });
      expect(d).toMatchObject({ allowed: false, nextAllowedAt: null, rule: `hold.${hold}` });
      expect(d.reason).toContain('la ley exige detener de inmediato la cobranza extrajudicial');
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('Mexico', () => {
  it('22:01 local → next day 07:00', () => {
    const d = gate('MX', 'call', '2026-03-10T22:01');
    expect(d.rule).toBe('hours.MX.time');
    expect(formatInstantInZone(d.nextAllowedAt!, MEX)).toBe('2026-03-11T07:00:00-06:00');
  });
  it('CONDUSEF allows weekends and holidays', () => {
    expect(gate('MX', 'call', '2026-09-16T12:00').allowed).toBe(true);
    expect(gate('MX', 'call', '2026-03-08T07:00').allowed).toBe(true);
  });
  it('PROFECO on Saturday → Monday 07:00', () => {
    const d = gate('MX-PROFECO', 'call', '2026-03-07T10:00');
    expect(d.rule).toBe('hours.MX-PROFECO.weekday');
    expect(wall(d.nextAllowedAt, MEX)).toBe('2026-03-09T07:00');
    expect(d.reason).toContain('México (PROFECO, proveedores comerciales)');
  });
  it('PROFECO on the Saturday before the third Monday of March (Benito Juárez) → Tuesday', () => {
    expect(wall(gate('MX-PROFECO', 'call', '2026-03-14T10:00').nextAllowedAt, MEX)).toBe('2026-03-17T07:00');
    expect(gate('MX-PROFECO', 'email', '2026-03-16T10:00').rule).toBe('holiday.MX-PROFECO');
  });
  it('a debtor in Tijuana is judged in Tijuana time', () => {
    const zone = 'America/Tijuana';
    const d = decideContact({ rules: resolveRules('MX'), timeZone: zone, channel: 'call', at: new Date('2026-03-10T14:30:00Z') }); // 07:30 PDT (Tijuana follows US DST)
    expect(d.allowed).toBe(true);
    const early = decideContact({ rules: resolveRules('MX'), timeZone: zone, channel: 'call', at: new Date('2026-03-10T13:30:00Z') }); // 06:30 PDT
    expect(early.allowed).toBe(false);
    expect(formatInstantInZone(early.nextAllowedAt!, zone)).toBe('2026-03-10T07:00:00-07:00');
  });
  it('WhatsApp needs opt-in; SMS does not', () => {
    expect(gate('MX', 'whatsapp', '2026-03-02T10:00', { consent: {} }).rule).toBe('consent.missing');
    expect(gate('MX', 'sms', '2026-03-02T10:00', { consent: {} }).allowed).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('United States (FDCPA, Reg F)', () => {
  it('20:59 allowed, 21:00 refused', () => {
    expect(gate('US', 'call', '2026-03-03T20:59').allowed).toBe(true);
    const d = gate('US', 'call', '2026-03-03T21:00');
    expect(d.rule).toBe('hours.US.time');
    expect(formatInstantInZone(d.nextAllowedAt!, NYC)).toBe('2026-03-04T08:00:00-05:00');
  });

  describe('no calls within 7 days after a phone conversation (conversation day = day 1)', () => {
    const history = [rec('call', '2026-03-02T10:00', NYC, 'conversation')];
    it.each([
      ['the same day', '2026-03-02T15:00', false, '2026-03-09T08:00'],
      ['day 2', '2026-03-03T09:00', false, '2026-03-09T08:00'],
      ['day 7 at 20:59 (after DST starts)', '2026-03-08T20:59', false, '2026-03-09T08:00'],
      ['day 8 at 07:59 (hours)', '2026-03-09T07:59', false, '2026-03-09T08:00'],
      ['day 8 at 08:00', '2026-03-09T08:00', true, '2026-03-09T08:00'],
    ])('%s', (_l, when, allowed, next) => {
      const d = gate('US', 'call', when, { history });
      expect(d.allowed).toBe(allowed);
      expect(wall(d.nextAllowedAt, NYC)).toBe(next);
      if (!allowed && when < '2026-03-09') {
        expect(d.rule).toBe('wait.US.after_conversation');
        expect(d.reason).toContain('contando ese día como el primero');
      }
    });
    it('exact instant: Monday 9 March 08:00 EDT', () => {
      expect(formatInstantInZone(gate('US', 'call', '2026-03-05T12:00', { history }).nextAllowedAt!, NYC)).toBe('2026-03-09T08:00:00-04:00');
    });
    it('a conversation on a call the debtor made counts too, but not towards the 7 attempts', () => {
      const inbound: ContactRecord = { ...rec('call', '2026-03-02T10:00', NYC, 'conversation'), direction: 'inbound' };
      expect(gate('US', 'call', '2026-03-04T10:00', { history: [inbound] }).rule).toBe('wait.US.after_conversation');
      const attempts = [0, 1, 2, 3, 4, 5, 6].map((i): ContactRecord => ({ ...rec('call', `2026-03-02T09:0${i}`, NYC), direction: 'inbound' }));
      expect(gate('US', 'call', '2026-03-02T12:00', { history: attempts }).allowed).toBe(true);
    });
    it('other channels are not affected', () => {
      expect(gate('US', 'sms', '2026-03-03T09:00', { history }).allowed).toBe(true);
      expect(gate('US', 'email', '2026-03-02T15:00', { history }).allowed).toBe(true);
    });
    it('an "effective" call is a conversation; an email conversation is not a phone call', () => {
      expect(gate('US', 'call', '2026-03-03T09:00', { history: [rec('call', '2026-03-02T10:00', NYC, 'effective')] }).rule).toBe('wait.US.after_conversation');
      expect(gate('US', 'call', '2026-03-03T09:00', { history: [rec('email', '2026-03-02T10:00', NYC, 'effective')] }).allowed).toBe(true);
    });
  });

  describe('at most 7 call attempts within 7 days', () => {
    const daily = ['02', '03', '04', '05', '06', '07', '08'].map((dd) => rec('call', `2026-03-${dd}T10:00`, NYC));
    it('the 8th attempt is refused; the window slides the next day', () => {
      const d = gate('US', 'call', '2026-03-08T15:00', { history: daily });
      expect(d.rule).toBe('cap.US.regf_7in7');
      expect(wall(d.nextAllowedAt, NYC)).toBe('2026-03-09T08:00');
      expect(d.reason).toContain('7 contactos por llamada en los últimos 7 días');
    });
    it('the 7th attempt is allowed', () => {
      expect(gate('US', 'call', '2026-03-08T15:00', { history: daily.slice(0, 6) }).allowed).toBe(true);
    });
    it('seven attempts on one Monday block calls until the next Monday', () => {
      const burst = [0, 1, 2, 3, 4, 5, 6].map((i) => rec('call', `2026-03-02T09:0${i}`, NYC));
      for (const when of ['2026-03-02T12:00', '2026-03-05T12:00', '2026-03-08T20:00']) {
        const d = gate('US', 'call', when, { history: burst });
        expect(d.rule).toBe('cap.US.regf_7in7');
        expect(wall(d.nextAllowedAt, NYC)).toBe('2026-03-09T08:00');
      }
      expect(gate('US', 'call', '2026-03-09T08:00', { history: burst }).allowed).toBe(true);
    });
    it('texts do not count as calls', () => {
      const texts = daily.map((r) => ({ ...r, channel: 'sms' as Channel }));
      expect(gate('US', 'call', '2026-03-08T15:00', { history: texts }).allowed).toBe(true);
    });
  });

  it('holidays are allowed', () => {
    expect(gate('US', 'call', '2026-11-26T10:00').allowed).toBe(true);
  });

  it('uncertain location: allowed only when it is allowed in every candidate zone', () => {
    const extra = { candidateTimeZones: [LAX] };
    const early = gate('US', 'call', '2026-03-03T08:30', extra); // 05:30 in Los Angeles
    expect(early.allowed).toBe(false);
    expect(early.rule).toBe('hours.US.time');
    expect(early.reason).toContain('zona horaria candidata America/Los_Angeles');
    expect(formatInstantInZone(early.nextAllowedAt!, NYC)).toBe('2026-03-03T11:00:00-05:00');
    expect(gate('US', 'call', '2026-03-03T11:00', extra).allowed).toBe(true);
    const late = gate('US', 'call', '2026-03-03T22:00', extra); // refused in New York first
    expect(late.reason).not.toContain('candidata');
    expect(formatInstantInZone(late.nextAllowedAt!, NYC)).toBe('2026-03-04T11:00:00-05:00');
  });

  it('opt-out of SMS ("STOP") is honoured at once', () => {
    const d = gate('US', 'sms', '2026-03-03T10:00', { optOuts: ['sms'] });
    expect(d).toMatchObject({ allowed: false, nextAllowedAt: null, rule: 'optout.sms' });
    expect(d.reason).toContain('se dio de baja del canal SMS');
    expect(gate('US', 'email', '2026-03-03T10:00', { optOuts: ['sms'] }).allowed).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('daylight saving time', () => {
  it.each([
    // New York: DST starts Sunday 8 March 2026 02:00 → 03:00, ends Sunday 1 November 2026 02:00 → 01:00.
    ['US', NYC, '2026-03-07T21:00', '2026-03-08T08:00:00-04:00'],
    ['US', NYC, '2026-03-08T07:59', '2026-03-08T08:00:00-04:00'],
    ['US', NYC, '2026-10-31T21:30', '2026-11-01T08:00:00-05:00'],
    ['US', NYC, '2026-11-01T07:59', '2026-11-01T08:00:00-05:00'],
    // Santiago: DST ends Saturday 4 April 2026 24:00 → 23:00 (Good Friday 3 Apr and Holy Saturday 4 Apr are holidays);
    // DST starts Saturday 5 September 2026 24:00 → Sunday 01:00.
    ['CL', SCL, '2026-04-02T20:00', '2026-04-06T08:00:00-04:00'],
    ['CL', SCL, '2026-04-04T12:00', '2026-04-06T08:00:00-04:00'],
    ['CL', SCL, '2026-09-05T20:00', '2026-09-07T08:00:00-03:00'],
    ['CL', SCL, '2026-09-04T20:00', '2026-09-05T08:00:00-04:00'],
  ] as Array<[RuleSetId, string, string, string]>)('%s %s at %s → %s', (set, zone, when, next) => {
    const d = gate(set, 'call', when);
    expect(d.allowed).toBe(false);
    expect(formatInstantInZone(d.nextAllowedAt!, zone)).toBe(next);
  });

  it('the wall clock decides on the days of change: 08:00 and 20:00 edges the Monday after each change', () => {
    expect(gate('CL', 'sms', '2026-04-06T07:59').allowed).toBe(false);
    expect(gate('CL', 'sms', '2026-04-06T08:00').allowed).toBe(true);
    expect(gate('CL', 'sms', '2026-09-07T19:59').allowed).toBe(true);
    expect(gate('CL', 'sms', '2026-09-07T20:00').allowed).toBe(false);
  });

  const sundayFrom = (from: string, base: RuleSetId) =>
    resolveRules(base, { hours: { voice: [{ days: [7], from, to: '24:00' }], written: [{ days: [7], from, to: '24:00' }] }, holidays: 'allowed', caps: [] });

  it('a window opening at a wall time skipped by the change opens at the change (New York 02:30 → 03:00 EDT)', () => {
    const d = gate(sundayFrom('02:30', 'US'), 'call', '2026-03-07T12:00', { timeZone: NYC });
    expect(d.nextAllowedAt?.toISOString()).toBe('2026-03-08T07:00:00.000Z');
    expect(formatInstantInZone(d.nextAllowedAt!, NYC)).toBe('2026-03-08T03:00:00-04:00');
  });

  it('a window opening at midnight on Santiago\'s change day opens at 01:00 −03:00', () => {
    const d = gate(sundayFrom('00:30', 'CL'), 'sms', '2026-09-05T12:00', { timeZone: SCL });
    expect(formatInstantInZone(d.nextAllowedAt!, SCL)).toBe('2026-09-06T01:00:00-03:00');
    expect(d.nextAllowedAt?.toISOString()).toBe('2026-09-06T04:00:00.000Z');
  });

  it('a repeated wall time (New York 1 November, 01:00–02:00 twice) opens at its first occurrence after the instant', () => {
    const rules = sundayFrom('01:30', 'US');
    const first = decideContact({ rules, timeZone: NYC, channel: 'call', at: new Date('2026-11-01T05:10:00Z') }); // 01:10 EDT
    expect(first.nextAllowedAt?.toISOString()).toBe('2026-11-01T05:30:00.000Z'); // 01:30 EDT
    const second = decideContact({ rules, timeZone: NYC, channel: 'call', at: new Date('2026-11-01T06:10:00Z') }); // 01:10 EST
    expect(second.nextAllowedAt?.toISOString()).toBe('2026-11-01T06:30:00.000Z'); // 01:30 EST
    expect(formatInstantInZone(second.nextAllowedAt!, NYC)).toBe('2026-11-01T01:30:00-05:00');
    expect(decideContact({ rules, timeZone: NYC, channel: 'call', at: new Date('2026-11-01T05:45:00Z') }).allowed).toBe(true);
  });

  it('caps count local days across a change: US conversation on Sunday 1 November 2026', () => {
    const history = [rec('call', '2026-11-01T10:00', NYC, 'conversation')];
    expect(formatInstantInZone(gate('US', 'call', '2026-11-02T10:00', { history }).nextAllowedAt!, NYC)).toBe('2026-11-08T08:00:00-05:00');
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('refusals with no next instant', () => {
  it('every hold suspends contact; the legal ones are reported first', () => {
    const holds = ['promise', 'dispute', 'legal'] as const;
    const d = gate('CO', 'call', '2026-03-02T10:00', { holds: [...holds] });
    expect(d).toMatchObject({ allowed: false, nextAllowedAt: null, rule: 'hold.legal' });
    for (const hold of ['dispute', 'promise', 'agreement', 'deceased', 'bankruptcy', 'legal', 'customer_request'] as const) {
      const r = gate('MX', 'email', '2026-03-02T10:00', { holds: [hold] });
      expect(r).toMatchObject({ allowed: false, nextAllowedAt: null, rule: `hold.${hold}` });
      expect(r.reason).toContain('suspensión');
      expect(r.reasonEn).toContain('hold');
    }
  });

  it('a hold outranks an opt-out, which outranks consent and hours', () => {
    expect(gate('CO', 'sms', '2026-03-08T10:00', { holds: ['dispute'], optOuts: ['sms'], consent: {} }).rule).toBe('hold.dispute');
    expect(gate('CO', 'sms', '2026-03-08T10:00', { optOuts: ['sms'], consent: {} }).rule).toBe('optout.sms');
    expect(gate('CO', 'sms', '2026-03-08T10:00', { consent: {} }).rule).toBe('consent.missing');
  });

  it.each(CHANNELS.map((c) => [c]))('opt-out of %s', (channel) => {
    const d = gate('PE', channel, '2026-03-02T10:00', { optOuts: [channel] });
    expect(d).toMatchObject({ allowed: false, nextAllowedAt: null, rule: `optout.${channel}` });
  });

  it('consent denied is refused everywhere, also where consent is not required', () => {
    const d = gate('MX', 'email', '2026-03-02T10:00', { consent: { email: 'denied' } });
    expect(d).toMatchObject({ allowed: false, nextAllowedAt: null, rule: 'consent.denied' });
    expect(d.reason).toContain('no autorizó el canal correo electrónico');
  });

  it('rules that never allow a channel give no next instant', () => {
    const rules = resolveRules('CO', { hours: { voice: [] } });
    const d = gate(rules, 'call', '2026-03-02T10:00');
    expect(d).toMatchObject({ allowed: false, nextAllowedAt: null, rule: 'hours.CO.weekday' });
    expect(d.reason).toContain(`próximos ${SEARCH_HORIZON_DAYS} días`);
    expect(gate(rules, 'sms', '2026-03-02T10:00').allowed).toBe(true);
  });

  it('a company cap of 0 shuts its channels off, saying so', () => {
    const rules = resolveRules('MX', { caps: [{ id: 'no_sms', kind: 'max_per_week', channels: ['sms'], max: 0 }] });
    const d = gate(rules, 'sms', '2026-03-02T10:00');
    expect(d).toMatchObject({ allowed: false, nextAllowedAt: null, rule: 'cap.MX.no_sms' });
    expect(d.reason).toContain('no se permite ningún contacto por SMS (límite de 0)');
    expect(d.reasonEn).toContain('allows no contact by SMS (a limit of 0)');
    expect(gate(rules, 'email', '2026-03-02T10:00').allowed).toBe(true);
  });
});

describe('allowed decisions and input checks', () => {
  it('an allowed contact reports the instant itself', () => {
    const at = local('2026-03-02T10:00', BOG);
    const d = decideContact({ rules: RULE_SETS.CO, timeZone: BOG, channel: 'sms', at, consent: { sms: 'granted' } });
    expect(d).toEqual({
      allowed: true,
      nextAllowedAt: at,
      rule: 'allowed',
      reasonCode: { code: 'allowed', channel: 'sms', rules: { es: 'Colombia', en: 'Colombia' } },
      reason: 'Contacto por SMS permitido en este momento según las reglas de Colombia.',
      reasonEn: 'Contact by SMS is allowed now under the rules of Colombia.',
    });
    expect(d.nextAllowedAt).not.toBe(at); // a copy, not the caller's object
  });

  it('accepts holidays as an array of dates', () => {
    expect(gate('CO', 'sms', '2026-03-02T10:00', { holidays: ['2026-03-02'] }).rule).toBe('holiday.CO');
  });

  it.each([
    ['an unknown zone', { timeZone: 'America/Bogotá', at: new Date('2026-03-02T15:00:00Z') }, /IANA time zone/],
    ['an unknown candidate zone', { candidateTimeZones: ['Mars/Olympus'] }, /IANA time zone/],
    ['an invalid date', { at: new Date('nope') }, /valid Date/],
    ['an unknown channel', { channel: 'fax' as Channel }, /unknown channel "fax"/],
    ['a bad history entry', { history: [{ channel: 'sms', at: new Date('x'), outcome: 'attempt' }] as ContactRecord[] }, /history\[0\]/],
    ['a bad history outcome', { history: [{ channel: 'sms', at: new Date('2026-03-01T12:00:00Z'), outcome: 'bounced' }] as unknown as ContactRecord[] }, /history\[0\]: outcome/],
    ['an unknown hold', { holds: ['vacation'] } as unknown as Partial<ContactInput>, /unknown hold reason "vacation"/],
  ])('throws on %s', (_l, extra, message) => {
    expect(() => gate('CO', 'sms', '2026-03-02T10:00', extra as Partial<ContactInput>)).toThrow(ContactInputError);
    expect(() => gate('CO', 'sms', '2026-03-02T10:00', extra as Partial<ContactInput>)).toThrow(message);
  });

  it('is a pure function: same input, same output; the history is not mutated', () => {
    const history = [rec('sms', '2026-03-02T08:00', BOG)];
    const copy = JSON.stringify(history);
    const a = gate('CO', 'sms', '2026-03-02T10:00', { history });
    const b = gate('CO', 'sms', '2026-03-02T10:00', { history });
    expect(a).toEqual(b);
    expect(JSON.stringify(history)).toBe(copy);
  });
});
