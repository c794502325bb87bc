import { describe, expect, it } from 'vitest';
import { add, decimalsByCurrency, exponentOf, formatDecimal, MoneyError, parseCurrency, parseDecimal, totalsByCurrency } from './money.ts';

describe('parseDecimal', () => {
  it('parses to exact minor units', () => {
    expect(parseDecimal('1250.50', 'MXN')).toBe(125050n);
    expect(parseDecimal('1250.5', 'MXN')).toBe(125050n);
    expect(parseDecimal('0.01', 'MXN')).toBe(1n);
    expect(parseDecimal('10.500', 'MXN')).toBe(1050n);
    expect(parseDecimal('15000', 'CLP')).toBe(15000n);
    expect(parseDecimal('3.6', 'UF')).toBe(36000n);
    expect(parseDecimal('90071992547409931.99', 'USD')).toBe(9007199254740993199n);
  });
  it('refuses more decimals than the currency has, never rounding', () => {
    expect(() => parseDecimal('10.005', 'MXN')).toThrow(/more than 2 decimals/);
    expect(() => parseDecimal('10.5', 'CLP')).toThrow(/CLP has none/);
  });
  it('refuses amounts that do not fit the stored bigint', () => {
    expect(parseDecimal('92233720368547758.07', 'MXN')).toBe(9_223_372_036_854_775_807n);
    expect(() => parseDecimal('92233720368547758.08', 'MXN')).toThrow(/too large/);
    expect(() => parseDecimal('9999999999999999999999999900', 'MXN')).toThrow(/too large/);
  });
  it('refuses negatives unless allowed, and non-numbers', () => {
    expect(() => parseDecimal('-1', 'MXN')).toThrow(MoneyError);
    expect(parseDecimal('-1.5', 'MXN', { allowNegative: true })).toBe(-150n);
    for (const bad of ['', 'abc', '1,250.50', '1e3', '12.3.4', '$100', ' . ']) expect(() => parseDecimal(bad, 'MXN')).toThrow(MoneyError);
  });
});

describe('formatDecimal', () => {
  it('round-trips', () => {
    for (const [v, c, s] of [[125050n, 'MXN', '1250.50'], [1n, 'MXN', '0.01'], [-5n, 'USD', '-0.05'], [15000n, 'CLP', '15000'], [36000n, 'UF', '3.6000']] as const) {
      expect(formatDecimal(v, c)).toBe(s);
      expect(parseDecimal(s, c, { allowNegative: true })).toBe(v);
    }
  });
});

describe('currencies', () => {
  it('knows exponents and refuses unknown codes', () => {
    expect(exponentOf('CLP')).toBe(0);
    expect(exponentOf('COP')).toBe(2);
    expect(parseCurrency(' mxn ')).toBe('MXN');
    expect(() => parseCurrency('XYZ')).toThrow(/unknown currency/);
  });
  it('tells a real ISO 4217 code it does not support yet from a code that does not exist', () => {
    expect(() => parseCurrency('jpy')).toThrow(/"JPY" is an ISO 4217 currency that cobranza does not support yet; supported: ARS, .*MXN.*USD/);
    expect(() => exponentOf('JPY')).toThrow(/does not support yet/);
    expect(() => parseCurrency('XYZ')).toThrow(/^unknown currency "XYZ"$/);
    expect(() => parseCurrency('XYZ')).not.toThrow(/does not support/);
  });
  it('never adds across currencies', () => {
    expect(add({ amount: 1n, currency: 'MXN' }, { amount: 2n, currency: 'MXN' }).amount).toBe(3n);
    expect(() => add({ amount: 1n, currency: 'MXN' }, { amount: 2n, currency: 'USD' })).toThrow();
    const totals = totalsByCurrency([{ amount: 100n, currency: 'MXN' }, { amount: 5n, currency: 'USD' }, { amount: 1n, currency: 'MXN' }]);
    expect(decimalsByCurrency(totals)).toEqual({ MXN: '1.01', USD: '0.05' });
  });
});
