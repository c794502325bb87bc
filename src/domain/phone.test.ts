import { describe, expect, it } from 'vitest';
import { normalizePhone } from './phone.ts';

function e164(input: string, country: string): string {
  const result = normalizePhone(input, country);
  if (!result.ok) throw new Error(`${input} (${country}) refused: ${result.reason}`);
  return result.e164;
}

function reason(input: string, country: string): string {
  const result = normalizePhone(input, country);
  if (result.ok) throw new Error(`${input} (${country}) accepted as ${result.e164}`);
  return result.reason.en;
}

describe('normalizePhone: Mexico', () => {
  it('accepts 10-digit national numbers with or without +52', () => {
    expect(e164('55 1234 5678', 'MX')).toBe('+525512345678');
    expect(e164('(55) 1234-5678', 'mx')).toBe('+525512345678');
    expect(e164('55.1234.5678', 'MX')).toBe('+525512345678');
    expect(e164('+52 33 1234 5678', 'MX')).toBe('+523312345678');
    expect(e164('525512345678', 'MX')).toBe('+525512345678');
    expect(e164('800 123 4567', 'MX')).toBe('+528001234567');
  });

  it('drops the retired mobile "1" after +52', () => {
    expect(e164('+52 1 55 1234 5678', 'MX')).toBe('+525512345678');
    expect(e164('+521 33 1234 5678', 'MX')).toBe('+523312345678');
    expect(e164('5215512345678', 'MX')).toBe('+525512345678');
    expect(e164('+52 1 55 1234 5678', 'US')).toBe('+525512345678');
  });

  it('drops the retired national prefixes 01, 044 and 045', () => {
    expect(e164('044 55 1234 5678', 'MX')).toBe('+525512345678');
    expect(e164('045 33 1234 5678', 'MX')).toBe('+523312345678');
    expect(e164('01 55 1234 5678', 'MX')).toBe('+525512345678');
    expect(e164('01 800 123 4567', 'MX')).toBe('+528001234567');
  });

  it('refuses numbers of the wrong length or range', () => {
    expect(reason('55 1234 567', 'MX')).toBe('Phone number is too short for MX');
    expect(reason('+52 1 55 1234 567', 'MX')).toMatch(/not a valid MX number|too short/);
    expect(reason('55 1234 5678 12', 'MX')).toBe('Phone number is too long for MX');
    expect(reason('1234567890', 'MX')).toMatch(/not a valid MX number/);
  });
});

describe('normalizePhone: other countries', () => {
  it('Colombia: mobiles and the 60x landlines', () => {
    expect(e164('300 123 4567', 'CO')).toBe('+573001234567');
    expect(e164('+57 (601) 234 5678', 'CO')).toBe('+576012345678');
  });

  it('Chile: mobiles and Santiago landlines', () => {
    expect(e164('9 8765 4321', 'CL')).toBe('+56987654321');
    expect(e164('+56 2 2123 4567', 'CL')).toBe('+56221234567');
  });

  it('Peru: mobiles and Lima landlines', () => {
    expect(e164('987 654 321', 'PE')).toBe('+51987654321');
    expect(e164('(01) 234-5678', 'PE')).toBe('+5112345678');
  });

  it('Argentina: mobiles get the 9, with or without the national 0 and 15', () => {
    expect(e164('011 15 1234-5678', 'AR')).toBe('+5491112345678');
    expect(e164('+54 9 11 1234 5678', 'AR')).toBe('+5491112345678');
    expect(e164('0351 15 123 4567', 'AR')).toBe('+5493511234567');
    expect(e164('+54 11 1234 5678', 'AR')).toBe('+541112345678');
  });

  it('United States', () => {
    expect(e164('(201) 555-0123', 'US')).toBe('+12015550123');
    expect(e164('+1 201 555 0123', 'us')).toBe('+12015550123');
    expect(reason('555-0123', 'US')).toBe('Phone number is too short for US');
  });

  it('keeps an international number of another country', () => {
    expect(e164('+57 300 123 4567', 'MX')).toBe('+573001234567');
    expect(e164('+52 55 1234 5678', 'XX')).toBe('+525512345678');
  });

  it('ignores an extension', () => {
    expect(e164('55 1234 5678 ext. 12', 'MX')).toBe('+525512345678');
  });
});

describe('normalizePhone: unusable input', () => {
  it('explains what is wrong', () => {
    expect(reason('', 'MX')).toBe('Phone number is empty');
    expect(reason('   ', 'MX')).toBe('Phone number is empty');
    expect(reason('abc', 'MX')).toMatch(/only digits/);
    expect(reason('Tel. 55 1234 5678', 'MX')).toMatch(/only digits/);
    expect(reason('55 1234 5678 / 33 1234 5678', 'MX')).toMatch(/only digits/);
    expect(reason('+999 123 456', 'MX')).toMatch(/unknown country calling code/);
    expect(reason('55 1234 5678', 'XX')).toMatch(/Unknown country "XX"/);
    expect(reason('12345', 'MX')).toBe('Phone number is too short for MX');
  });
});
