import { describe, expect, it } from 'vitest';
import { dayEs, moneyEs } from './spanish-text.ts';

describe('Spanish text of the server', () => {
  it('writes calendar dates as the back office does', () => {
    expect(dayEs('2026-03-05')).toBe('5 mar 2026');
    expect(dayEs('2026-12-31')).toBe('31 dic 2026');
    expect(dayEs('mañana')).toBe('mañana');
  });
  it('writes amounts with the currency’s decimals and grouped thousands', () => {
    expect(moneyEs(123456789n, 'MXN')).toBe('1,234,567.89 MXN');
    expect(moneyEs('50000', 'MXN')).toBe('500.00 MXN');
    expect(moneyEs(1500000n, 'CLP')).toBe('1,500,000 CLP');
    expect(moneyEs(-250n, 'USD')).toBe('-2.50 USD');
  });
});
