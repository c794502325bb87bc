import { describe, expect, it } from 'vitest';
import { addDays, addMonths, dateInZone, daysBetween, fromDayNumber, parseDate, toDayNumber, type PlainDate } from './calendar.ts';

describe('parseDate', () => {
  it('accepts real dates in both formats', () => {
    expect(parseDate('2026-02-28')).toBe('2026-02-28');
    expect(parseDate('2028-02-29')).toBe('2028-02-29');
    expect(parseDate('31/01/2026', 'DD/MM/YYYY')).toBe('2026-01-31');
    expect(parseDate('1/2/2026', 'DD/MM/YYYY')).toBe('2026-02-01');
  });
  it('refuses impossible dates', () => {
    for (const bad of ['2026-02-30', '2026-02-29', '2100-02-29', '2026-13-01', '2026-00-10', '2026-04-31', '26-01-01', '2026/01/01', '']) {
      expect(() => parseDate(bad), bad).toThrow();
    }
    expect(() => parseDate('30/02/2026', 'DD/MM/YYYY')).toThrow(/not a real date/);
  });
});

describe('day arithmetic', () => {
  it('round-trips day numbers over four centuries', () => {
    for (let n = toDayNumber('1900-01-01' as PlainDate); n < toDayNumber('2300-01-01' as PlainDate); n += 17) {
      expect(toDayNumber(fromDayNumber(n))).toBe(n);
    }
    expect(toDayNumber('1970-01-01' as PlainDate)).toBe(0);
  });
  it('adds days and months at the edges', () => {
    expect(addDays('2028-02-28' as PlainDate, 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31' as PlainDate, 1)).toBe('2027-01-01');
    expect(addMonths('2026-01-31' as PlainDate, 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31' as PlainDate, 1)).toBe('2028-02-29');
    expect(addMonths('2026-11-30' as PlainDate, 3)).toBe('2027-02-28');
    expect(daysBetween('2026-01-01' as PlainDate, '2027-01-01' as PlainDate)).toBe(365);
  });
});

describe('dateInZone', () => {
  it('gives the local calendar date of an instant', () => {
    const instant = new Date('2026-03-01T05:30:00Z');
    expect(dateInZone(instant, 'America/Mexico_City')).toBe('2026-02-28');
    expect(dateInZone(instant, 'Europe/Madrid')).toBe('2026-03-01');
    expect(dateInZone(new Date('2026-03-01T03:30:00Z'), 'America/Santiago')).toBe('2026-03-01');
    expect(dateInZone(new Date('2026-03-01T02:30:00Z'), 'America/Santiago')).toBe('2026-02-28');
  });
});
