import { describe, expect, it } from 'vitest';
import { decideContact } from './gate.ts';
import type { PlainDate } from '../calendar.ts';
import { parseStoredReason, reasonText, storedReason, storedReasonText, type ContactReason } from './reason.ts';
import { RULE_SETS } from './rules.ts';

const MX = RULE_SETS.MX.label;

describe('a decision’s reason as data', () => {
  it('reads back from what is stored, in either language, as the gate wrote it', () => {
    const d = decideContact({ rules: RULE_SETS.CO, timeZone: 'America/Bogota', channel: 'sms', at: new Date('2026-03-08T15:00:00Z'), consent: { sms: 'granted' } });
    const stored = storedReason(d.reasonCode);
    expect(parseStoredReason(stored)).toEqual(d.reasonCode);
    expect(storedReasonText(stored, 'es')).toBe(d.reason);
    expect(storedReasonText(stored, 'en')).toBe(d.reasonEn);
    expect(d.reasonEn).toMatch(/^In Colombia, contact by SMS is not allowed on Sunday; .* Next allowed: Monday, March 9, 2026, 07:00 \(America\/Bogota, UTC-05:00\)\.$/);
  });

  it('shows a sentence logged before reasons were data as it was written', () => {
    for (const old of ['Fuera del horario permitido para contactar por SMS en Colombia.', '{no es JSON', '{"code":"unknown"}', '']) {
      expect(parseStoredReason(old)).toBeNull();
      expect(storedReasonText(old, 'en')).toBe(old);
    }
  });

  it('writes every code in both languages', () => {
    const reasons: ContactReason[] = [
      { code: 'allowed', channel: 'email', rules: MX },
      { code: 'hold', hold: 'deceased', mandatory: true, rules: MX },
      { code: 'optout', channel: 'whatsapp' },
      { code: 'consent_denied', channel: 'call' },
      { code: 'consent_missing', channel: 'sms', rules: MX },
      { code: 'holiday', date: '2026-09-16' as PlainDate, rules: MX },
      { code: 'weekday', channel: 'call', weekday: 7, schedule: [{ days: [1, 2, 3, 4, 5], from: '07:00', to: '22:00' }], rules: MX },
      { code: 'hours', channel: 'call', weekday: 6, windows: [{ days: [6], from: '09:00', to: '14:00' }], rules: MX, next: null, horizonDays: 400 },
      { code: 'cap', cap: { kind: 'max_per_day', channels: ['call', 'visit'], max: 1 }, week: 'calendar', count: 1, reference: '2026-03-02' as PlainDate, referenceChannel: 'call', referenceInbound: false, rules: MX, zone: 'America/Tijuana' },
      { code: 'input_invalid', error: 'Mars/Olympus' },
      { code: 'address_missing', channel: 'letter' },
      { code: 'optout_confirmation' },
      { code: 'reply_in_window' },
      { code: 'window_closed' },
      { code: 'reply_optout', channel: 'whatsapp' },
      { code: 'reply_consent_denied', channel: 'whatsapp' },
      { code: 'reply_hold', hold: 'legal' },
    ];
    for (const reason of reasons) {
      const [en, es] = [reasonText(reason, 'en'), reasonText(reason, 'es')];
      expect(en, reason.code).not.toBe(es);
      expect(es, reason.code).not.toMatch(/\b(the|debtor|contact by|allowed|is|on)\b/);
      expect(storedReasonText(storedReason(reason), 'en')).toBe(en);
    }
    expect(reasonText(reasons[7]!, 'en')).toBe("Outside the hours allowed for contact by call in Mexico (CONDUSEF, financial institutions): on Saturday only 09:00 to 14:00 (debtor's local time). No instant within the next 400 days is allowed under these rules.");
    expect(reasonText(reasons[10]!, 'es')).toBe('El deudor no tiene domicilio registrado; no se le puede contactar por este medio.');
    expect(reasonText(reasons[10]!, 'en')).toBe('The debtor has no postal address on record; they cannot be contacted this way.');
  });
});
