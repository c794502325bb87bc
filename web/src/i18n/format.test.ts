import { describe, expect, it } from 'vitest';
import { compareDecimal, currencyDigits, formatDate, formatFigure, formatMoney, formatMoneyCompact, formatPercent, formatPeriod, hasTooManyDecimals, parseAmountInput } from './format.ts';

describe('formatting', () => {
  it('formats money from exact decimal strings', () => {
    expect(formatMoney('1234.5', 'MXN', 'es-MX')).toBe('$1,234.50');
    expect(formatMoney('12345678901234567.89', 'MXN', 'es-MX')).toBe('$12,345,678,901,234,567.89');
    expect(formatMoney('15000', 'CLP', 'es-MX')).toContain('15,000');
    expect(formatMoney('1234.5', 'USD', 'en')).toBe('$1,234.50');
  });
  it('shows money short on chart axes, with its currency', () => {
    const plain = (s: string) => s.replace(/\s/g, ' ');
    expect(plain(formatMoneyCompact(1_234_567, 'MXN', 'es-MX'))).toBe('$1.2 M');
    expect(plain(formatMoneyCompact(12_500, 'MXN', 'es-MX'))).toBe('$13 k');
    expect(plain(formatMoneyCompact(950, 'USD', 'es-MX'))).toBe('USD 950');
    expect(formatMoneyCompact(0, 'MXN', 'es-MX')).toBe('$0');
    expect(formatMoneyCompact(1_234_567, 'MXN', 'en')).toBe('MX$1.2M');
  });
  it('shows calendar dates without shifting them by time zone', () => {
    expect(formatDate('2026-01-31', 'en')).toBe('Jan 31, 2026');
    expect(formatDate('2026-01-31', 'es-MX')).toMatch(/^31 ene 2026$/);
  });
  it('shows chart days and months short, in the reader\'s language, without shifting them by time zone', () => {
    expect(formatPeriod('2026-03-01', 'es-MX')).toBe('1 mar');
    expect(formatPeriod('2026-03-01', 'en')).toBe('Mar 1');
    expect(formatPeriod('2026-12-31', 'es-MX', { withYear: true })).toBe('31 dic 2026');
    expect(formatPeriod('2026-12-31', 'en', { withYear: true })).toBe('Dec 31, 2026');
    expect(formatPeriod('2026-03', 'es-MX')).toBe('mar 2026');
    expect(formatPeriod('2026-03', 'en')).toBe('Mar 2026');
    expect(formatPeriod('next week', 'en')).toBe('next week');
  });
  it('shows every percentage and figure with one decimal, rounding the decimal value exactly', () => {
    const plain = (s: string) => s.replace(/\s/g, ' ');
    expect(plain(formatPercent(66.67, 'es-MX'))).toMatch(/^66\.7 ?%$/);
    expect(plain(formatPercent(100, 'es-MX'))).toMatch(/^100\.0 ?%$/);
    expect(formatPercent(12.25, 'en')).toBe('12.3%');
    expect(formatPercent(0, 'en')).toBe('0.0%');
    expect(formatPercent(1234.5, 'en')).toBe('1,234.5%');
    expect(formatPercent(1e-7, 'en')).toBe('0.0%');
    expect(formatFigure(45.17, 'es-MX')).toBe('45.2');
    expect(formatFigure(50, 'en')).toBe('50.0');
  });
  it('reads amounts as people type them', () => {
    expect(parseAmountInput('$1,234.50')).toBe('1234.50');
    expect(parseAmountInput('500')).toBe('500');
    expect(parseAmountInput('1.234,50')).toBe('1234.50');
    expect(parseAmountInput('500,5')).toBe('500.5');
    expect(parseAmountInput('007')).toBe('7');
    expect(parseAmountInput('abc')).toBeNull();
    expect(parseAmountInput('')).toBeNull();
    expect(parseAmountInput('-5')).toBeNull();
  });
  it("knows each currency's decimals and refuses more, never rounding", () => {
    expect(currencyDigits('MXN')).toBe(2);
    expect(currencyDigits('CLP')).toBe(0);
    expect(hasTooManyDecimals('10.005', 'MXN')).toBe(true);
    expect(hasTooManyDecimals('10.50', 'MXN')).toBe(false);
    expect(hasTooManyDecimals('10.5', 'CLP')).toBe(true);
    expect(hasTooManyDecimals('10.0', 'CLP')).toBe(false);
    expect(hasTooManyDecimals('15000', 'CLP')).toBe(false);
  });
  it('compares decimals exactly', () => {
    expect(compareDecimal('10.5', '10.50')).toBe(0);
    expect(compareDecimal('10.05', '10.5')).toBe(-1);
    expect(compareDecimal('100', '99.99')).toBe(1);
  });
});
