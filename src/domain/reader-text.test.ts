import { describe, expect, it } from 'vitest';
import { dayIn, moneyIn } from './reader-text.ts';
import { dayEs, moneyEs } from './spanish-text.ts';

describe('dates and amounts in the reader’s language', () => {
  it('writes calendar dates with the month in the language', () => {
    expect(dayIn('2026-03-05', 'es')).toBe('5 mar 2026');
    expect(dayIn('2026-12-31', 'es')).toBe('31 dic 2026');
    expect(dayIn('2026-01-20', 'en')).toBe('20 Jan 2026');
    expect(dayIn('mañana', 'en')).toBe('mañana');
    expect(dayEs('2026-08-01')).toBe('1 ago 2026');
  });
  it('writes amounts with the currency’s decimals and grouped thousands, as English and es-MX both write them', () => {
    for (const language of ['en', 'es'] as const) {
      expect(moneyIn(123456789n, 'MXN', language)).toBe('1,234,567.89 MXN');
      expect(moneyIn('125050', 'MXN', language)).toBe('1,250.50 MXN');
      expect(moneyIn(1500000n, 'CLP', language)).toBe('1,500,000 CLP');
      expect(moneyIn(-250n, 'USD', language)).toBe('-2.50 USD');
    }
    expect(moneyEs('50000', 'MXN')).toBe('500.00 MXN');
  });
  it('writes numbers as Intl does for en and es-MX', () => {
    const intl = (locale: string) => new Intl.NumberFormat(locale, { minimumFractionDigits: 2 }).format(1234567.5);
    expect(moneyIn(123456750n, 'MXN', 'en')).toBe(`${intl('en')} MXN`);
    expect(moneyIn(123456750n, 'MXN', 'es')).toBe(`${intl('es-MX')} MXN`);
  });
});
