import { describe, expect, it } from 'vitest';
import { draftOf, newCapId, overridesOf, parseDayHours, type Rules } from './rules-draft.ts';

const CO: Rules = {
  id: 'CO',
  label: { es: 'Colombia', en: 'Colombia' },
  basis: 'Ley 2300 de 2023',
  hours: {
    voice: [
      { days: [1, 2, 3, 4, 5], from: '07:00', to: '19:00' },
      { days: [6], from: '08:00', to: '15:00' },
    ],
    written: [
      { days: [1, 2, 3, 4, 5], from: '07:00', to: '19:00' },
      { days: [6], from: '08:00', to: '15:00' },
    ],
  },
  holidays: 'refused',
  week: 'calendar',
  caps: [
    { id: 'per_day', kind: 'max_per_day', channels: ['email', 'whatsapp', 'sms', 'letter', 'call', 'visit'], max: 1 },
    { id: 'channel_after_effective', kind: 'only_channel_after_effective', channels: ['email', 'sms'], effectiveOutcomes: ['effective', 'conversation'] },
  ],
  consentRequired: ['whatsapp'],
  notes: [],
};

describe('the rules editor draft', () => {
  it('reads hours per weekday and gives back no overrides when nothing changed', () => {
    const draft = draftOf(CO);
    expect(draft.hours.voice[1]).toBe('07:00–19:00');
    expect(draft.hours.voice[6]).toBe('08:00–15:00');
    expect(draft.hours.voice[7]).toBe('');
    expect(overridesOf(draft, CO, undefined)).toEqual({ overrides: {}, problems: {}, windowDays: { voice: [[1, 2, 3, 4, 5], [6]], written: [[1, 2, 3, 4, 5], [6]] } });
  });

  it('sends only what differs from the built-in set, keeping overrides the editor does not show', () => {
    const draft = draftOf(CO);
    draft.hours.written[1] = '9:00 - 18:00';
    draft.hours.written[7] = '10:00–12:00, 16:00–18:00';
    draft.caps[0]!.max = '2';
    draft.holidays = 'allowed';
    const { overrides, problems } = overridesOf(draft, CO, { notes: ['ours'], hours: { voice: [] } });
    expect(problems).toEqual({});
    expect(overrides).toEqual({
      notes: ['ours'],
      hours: {
        written: [
          { days: [1], from: '09:00', to: '18:00' },
          { days: [2, 3, 4, 5], from: '07:00', to: '19:00' },
          { days: [6], from: '08:00', to: '15:00' },
          { days: [7], from: '10:00', to: '12:00' },
          { days: [7], from: '16:00', to: '18:00' },
        ],
      },
      holidays: 'allowed',
      caps: [
        { id: 'per_day', kind: 'max_per_day', channels: ['email', 'whatsapp', 'sms', 'letter', 'call', 'visit'], max: 2 },
        { id: 'channel_after_effective', kind: 'only_channel_after_effective', channels: ['email', 'sms'], effectiveOutcomes: ['effective', 'conversation'] },
      ],
    });
  });

  it('lists what to fix: bad hours, a negative or missing number, a cap without channels', () => {
    const draft = draftOf(CO);
    draft.hours.voice[2] = '19:00–07:00';
    draft.hours.written[3] = 'mañana';
    draft.caps[0]!.max = '-1';
    draft.caps[1]!.channels = [];
    draft.caps.push({ id: newCapId('max_in_days', draft.caps), kind: 'max_in_days', channels: ['call'], max: '0', days: '', outcomes: [] });
    expect(overridesOf(draft, CO, undefined).problems).toEqual({
      'hours.voice.2': 'hours',
      'hours.written.3': 'hours',
      'caps.0.max': 'max',
      'caps.1.channels': 'channels',
      'caps.2.days': 'days',
    });
    expect(draft.caps[2]!.id).toBe('max_in_days_1');
  });

  it('parses hours leniently but refuses what the gate could not read', () => {
    expect(parseDayHours('')).toEqual([]);
    expect(parseDayHours('7:00-22:00')).toEqual([{ from: '07:00', to: '22:00' }]);
    expect(parseDayHours('00:00–24:00')).toEqual([{ from: '00:00', to: '24:00' }]);
    expect(parseDayHours('25:00–26:00')).toBeNull();
    expect(parseDayHours('10:00–10:00')).toBeNull();
    expect(parseDayHours('10:00')).toBeNull();
  });
});
