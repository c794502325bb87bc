import { describe, expect, it } from 'vitest';
import { compareDecimal, currencyDigits, formatDate, formatMoney, hasTooManyDecimals, parseAmountInput } from './format.ts';

describe('formatting', () => {
  it('formats money from exact decimal strings', () => {
    expect(formatMoney('1234.5', 'MXN', 'es-MX')).toBe('$1,234.50');
    expect(formatMoney('12345678901234567.89', 'MXN', 'es-MX')).toBe('$12,345,678,901,234,567.89');
    expect(formatMoney('15000', 'CLP', 'es-MX')).toContain('15,000');
    expect(formatMoney('1234.5', 'USD', 'en')).toBe('$1,234.50');
  });
  it('shows calendar dates without shifting them by time zone', () => {
    expect(formatDate('2026-01-31', 'en')).toBe('Jan 31, 2026');
    expect(formatDate('2026-01-31', 'es-MX')).toMatch(/^31 ene 2026$/);
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
