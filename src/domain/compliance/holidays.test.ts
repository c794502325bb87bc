import { describe, expect, it } from 'vitest';
import { easterSunday, holidaysFor, holidaySet, isoWeekday, juneSolsticeDate, lastWeekday, nthWeekday } from './holidays.ts';
import type { PlainDate } from '../calendar.ts';
import type { HolidayCalendarId } from './rules.ts';

const d = (s: string) => s as PlainDate;
const dates = (c: HolidayCalendarId, y: number) => holidaysFor(c, y).map((h) => h.date);

describe('Easter computus', () => {
  // Known Gregorian Easter Sundays, including the earliest (22 March) and latest (25 April) possible.
  const cases: Array<[number, string]> = [
    [1943, '1943-04-25'], [1961, '1961-04-02'], [2000, '2000-04-23'], [2008, '2008-03-23'], [2011, '2011-04-24'],
    [2019, '2019-04-21'], [2021, '2021-04-04'], [2022, '2022-04-17'], [2023, '2023-04-09'], [2024, '2024-03-31'],
    [2025, '2025-04-20'], [2026, '2026-04-05'], [2027, '2027-03-28'], [2028, '2028-04-16'], [2029, '2029-04-01'],
    [2030, '2030-04-21'], [2038, '2038-04-25'], [2285, '2285-03-22'],
  ];
  it.each(cases)('%i → %s', (year, expected) => expect(easterSunday(year)).toBe(expected));
  it('is always a Sunday between 22 March and 25 April', () => {
    for (let y = 1900; y <= 2200; y++) {
      const e = easterSunday(y);
      expect(isoWeekday(e)).toBe(7);
      expect(e.slice(5) >= '03-22' && e.slice(5) <= '04-25').toBe(true);
    }
  });
});

describe('weekday helpers', () => {
  it('ISO weekdays', () => {
    expect(isoWeekday(d('1970-01-01'))).toBe(4);
    expect(isoWeekday(d('2026-03-09'))).toBe(1);
    expect(isoWeekday(d('2026-03-08'))).toBe(7);
    expect(isoWeekday(d('1969-12-29'))).toBe(1);
  });
  it('n-th and last weekday of a month', () => {
    expect(nthWeekday(2026, 2, 1, 1)).toBe('2026-02-02'); // 1 Feb 2026 is a Sunday
    expect(nthWeekday(2027, 2, 1, 1)).toBe('2027-02-01'); // 1 Feb 2027 is a Monday
    expect(nthWeekday(2026, 11, 4, 4)).toBe('2026-11-26');
    expect(lastWeekday(2026, 5, 1)).toBe('2026-05-25');
    expect(lastWeekday(2027, 5, 1)).toBe('2027-05-31'); // last day of the month itself
    expect(lastWeekday(2026, 12, 4)).toBe('2026-12-31');
  });
});

describe('June solstice date in Chile (Día de los Pueblos Indígenas)', () => {
  // Solstice instants: 2024-06-20 20:51Z, 2025-06-21 02:42Z (= 20 June 22:42 in Chile), 2026-06-21 08:24Z,
  // 2027-06-21 14:11Z, 2028-06-20 20:02Z.
  it.each([
    [2024, '2024-06-20'],
    [2025, '2025-06-20'],
    [2026, '2026-06-21'],
    [2027, '2027-06-21'],
    [2028, '2028-06-20'],
  ])('%i → %s', (y, expected) => expect(juneSolsticeDate(y)).toBe(expected));
});

// Expected lists written from the published calendars / the laws' rules, not from the code.
const EXPECTED: Record<HolidayCalendarId, Record<2026 | 2027, string[]>> = {
  MX: {
    2026: ['01-01', '02-02', '03-16', '05-01', '09-16', '11-16', '12-25'],
    2027: ['01-01', '02-01', '03-15', '05-01', '09-16', '11-15', '12-25'],
  },
  CO: {
    // Reyes 6 Jan (Tue) → 12 Jan; San José 19 Mar (Thu) → 23 Mar; Easter 5 Apr: Holy Thu/Fri 2–3 Apr, Ascension
    // +43 → 18 May, Corpus +64 → 8 Jun, Sacred Heart +71 → 15 Jun; 29 Jun is a Monday; Asunción 15 Aug (Sat) → 17 Aug;
    // 12 Oct is a Monday; 1 Nov (Sun) → 2 Nov; 11 Nov (Wed) → 16 Nov.
    2026: ['01-01', '01-12', '03-23', '04-02', '04-03', '05-01', '05-18', '06-08', '06-15', '06-29', '07-20', '08-07', '08-17', '10-12', '11-02', '11-16', '12-08', '12-25'],
    // Easter 28 Mar: Holy Thu/Fri 25–26 Mar, Ascension 10 May, Corpus 31 May, Sacred Heart 7 Jun; 6 Jan (Wed) → 11 Jan;
    // 19 Mar (Fri) → 22 Mar; 29 Jun (Tue) → 5 Jul; 15 Aug (Sun) → 16 Aug; 12 Oct (Tue) → 18 Oct; 1 Nov is a Monday;
    // 11 Nov (Thu) → 15 Nov.
    2027: ['01-01', '01-11', '03-22', '03-25', '03-26', '05-01', '05-10', '05-31', '06-07', '07-05', '07-20', '08-07', '08-16', '10-18', '11-01', '11-15', '12-08', '12-25'],
  },
  CL: {
    // Good Friday/Holy Saturday 3–4 Apr; solstice 21 Jun; 29 Jun and 12 Oct are Mondays; 31 Oct is a Saturday.
    2026: ['01-01', '04-03', '04-04', '05-01', '05-21', '06-21', '06-29', '07-16', '08-15', '09-18', '09-19', '10-12', '10-31', '11-01', '12-08', '12-25'],
    // 29 Jun (Tue) → Monday 28 Jun; 12 Oct (Tue) → Monday 11 Oct; 31 Oct is a Sunday.
    2027: ['01-01', '03-26', '03-27', '05-01', '05-21', '06-21', '06-28', '07-16', '08-15', '09-18', '09-19', '10-11', '10-31', '11-01', '12-08', '12-25'],
  },
  PE: {
    2026: ['01-01', '04-02', '04-03', '05-01', '06-07', '06-29', '07-23', '07-28', '07-29', '08-06', '08-30', '10-08', '11-01', '12-08', '12-09', '12-25'],
    2027: ['01-01', '03-25', '03-26', '05-01', '06-07', '06-29', '07-23', '07-28', '07-29', '08-06', '08-30', '10-08', '11-01', '12-08', '12-09', '12-25'],
  },
  BR: {
    // Carnival = Easter − 48/−47, Corpus Christi = Easter + 60.
    2026: ['01-01', '02-16', '02-17', '04-03', '04-21', '05-01', '06-04', '09-07', '10-12', '11-02', '11-15', '11-20', '12-25'],
    2027: ['01-01', '02-08', '02-09', '03-26', '04-21', '05-01', '05-27', '09-07', '10-12', '11-02', '11-15', '11-20', '12-25'],
  },
  AR: {
    // Güemes 17 Jun (Wed) → 15 Jun; San Martín 17 Aug and 12 Oct are Mondays; Soberanía 20 Nov (Fri) → 23 Nov.
    2026: ['01-01', '02-16', '02-17', '03-24', '04-02', '04-03', '05-01', '05-25', '06-15', '06-20', '07-09', '08-17', '10-12', '11-23', '12-08', '12-25'],
    // Güemes 17 Jun (Thu) → 21 Jun; 17 Aug (Tue) → 16 Aug; 12 Oct (Tue) → 11 Oct; 20 Nov is a Saturday.
    2027: ['01-01', '02-08', '02-09', '03-24', '03-26', '04-02', '05-01', '05-25', '06-20', '06-21', '07-09', '08-16', '10-11', '11-20', '12-08', '12-25'],
  },
  US: {
    // 4 July is a Saturday → observed Friday 3 July.
    2026: ['01-01', '01-19', '02-16', '05-25', '06-19', '07-03', '07-04', '09-07', '10-12', '11-11', '11-26', '12-25'],
    // 19 Jun (Sat) → 18 Jun; 4 Jul (Sun) → 5 Jul; 25 Dec (Sat) → 24 Dec; 1 Jan 2028 (Sat) → 31 Dec 2027.
    2027: ['01-01', '01-18', '02-15', '05-31', '06-18', '06-19', '07-04', '07-05', '09-06', '10-11', '11-11', '11-25', '12-24', '12-25', '12-31'],
  },
};

describe.each(Object.entries(EXPECTED))('%s holiday calendar', (country, byYear) => {
  it.each(Object.entries(byYear))('%s', (year, expected) => {
    expect(dates(country as HolidayCalendarId, Number(year))).toEqual(expected.map((md) => `${year}-${md}`));
  });
});

describe('moving rules in other years', () => {
  it('MX adds 1 October in inauguration years (every six years from 2024)', () => {
    expect(dates('MX', 2024)).toContain('2024-10-01');
    expect(dates('MX', 2030)).toContain('2030-10-01');
    expect(dates('MX', 2027)).not.toContain('2027-10-01');
  });
  it('CL moves 31 October from Tuesday to the previous Friday and from Wednesday to the next Friday', () => {
    expect(dates('CL', 2023)).toContain('2023-10-27'); // Tuesday 31 Oct 2023
    expect(dates('CL', 2023)).not.toContain('2023-10-31');
    expect(dates('CL', 2029)).toContain('2029-11-02'); // Wednesday 31 Oct 2029
    expect(dates('CL', 2024)).toContain('2024-10-31'); // Thursday: stays
  });
  it('CL adds 17 September on Mondays and 20 September on Fridays', () => {
    expect(dates('CL', 2029)).toContain('2029-09-17');
    expect(dates('CL', 2024)).toContain('2024-09-20');
    expect(dates('CL', 2026)).not.toContain('2026-09-17');
    expect(dates('CL', 2026)).not.toContain('2026-09-20');
  });
  it('CL moves 29 June on a Friday to the next Monday', () => {
    expect(dates('CL', 2029)).toContain('2029-07-02'); // Friday 29 Jun 2029
  });
  it('US observed days around weekends', () => {
    expect(dates('US', 2021)).toEqual(expect.arrayContaining(['2021-06-18', '2021-12-24', '2021-12-31']));
    expect(dates('US', 2022)).toEqual(expect.arrayContaining(['2022-12-26', '2022-01-01']));
    expect(dates('US', 2022)).not.toContain('2021-12-31');
  });
  it('every computed holiday of a decade is a real date of its year', () => {
    for (const c of Object.keys(EXPECTED) as HolidayCalendarId[]) {
      for (let y = 2025; y <= 2035; y++) {
        for (const h of holidaysFor(c, y)) {
          expect(h.name.length).toBeGreaterThan(0);
          expect(h.date.startsWith(`${y}-`)).toBe(true);
        }
      }
    }
  });
});

describe('company overrides', () => {
  it('adds dated holidays of the year and removes dates', () => {
    const o = { add: [{ date: '2026-03-23', name: 'Feriado puente turístico' }, { date: '2027-07-10', name: 'Otro puente' }], remove: ['2026-02-16'] };
    const list = holidaysFor('AR', 2026, o);
    expect(list.map((h) => h.date)).toContain('2026-03-23');
    expect(list.map((h) => h.date)).not.toContain('2026-02-16');
    expect(list.map((h) => h.date)).toContain('2026-02-17');
    expect(list.map((h) => h.date)).not.toContain('2027-07-10');
    expect(list.find((h) => h.date === '2026-03-23')?.name).toBe('Feriado puente turístico');
  });
  it('builds a set over several years', () => {
    const s = holidaySet('CO', [2026, 2027], { add: [{ date: '2026-03-10', name: 'Día de la empresa' }] });
    expect(s.has(d('2026-01-12'))).toBe(true);
    expect(s.has(d('2027-01-11'))).toBe(true);
    expect(s.has(d('2026-03-10'))).toBe(true);
    expect(s.size).toBe(37);
  });
  it('refuses malformed overrides with a message', () => {
    expect(() => holidaysFor('CO', 2026, { remove: ['2026-02-30'] })).toThrow(/YYYY-MM-DD/);
    expect(() => holidaysFor('CO', 2026, { add: [{ date: '2026-02-01', name: '' }] })).toThrow();
  });
  it('refuses implausible years and unknown calendars', () => {
    expect(() => holidaysFor('CO', 1800)).toThrow(/year/);
    expect(() => holidaysFor('XX' as HolidayCalendarId, 2026)).toThrow(/unknown holiday calendar/);
  });
});
