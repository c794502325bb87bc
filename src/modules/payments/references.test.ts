import { describe, expect, it } from 'vitest';
import { buildClabe, buildReference, checkDigits, clabeCheckDigit, clabeProblem, referenceIsValid } from './references.ts';

describe('CLABE', () => {
  it('accepts a CLABE whose 18th digit is the weighted 3-7-1 check digit', () => {
    // Banxico's worked example: 032180000118359719.
    expect(clabeCheckDigit('03218000011835971')).toBe(9);
    expect(clabeProblem('032180000118359719')).toBeNull();
  });
  it('refuses a wrong check digit, naming the right one', () => {
    expect(clabeProblem('032180000118359718')).toEqual({ en: 'the check digit of this CLABE should be 9, not 8', es: 'el dígito verificador de esta CLABE debería ser 9, no 8' });
  });
  it('refuses anything but 18 digits', () => {
    expect(clabeProblem('03218000011835971')?.en).toMatch(/18 digits/);
    expect(clabeProblem('03218000011835971X')?.es).toMatch(/18 dígitos/);
  });
  it('builds per-link CLABEs inside a range, each valid', () => {
    const clabe = buildClabe('6461801234', 42);
    expect(clabe).toMatch(/^64618012340000042\d$/);
    expect(clabeProblem(clabe)).toBeNull();
    expect(() => buildClabe('6461801234', 12_345_678)).toThrow(/does not fit/);
  });
});

describe('numeric references', () => {
  it('luhn: 7992739871 gets 3', () => {
    expect(checkDigits('7992739871', 'luhn')).toBe('3');
    expect(referenceIsValid('79927398713', 'luhn')).toBe(true);
    expect(referenceIsValid('79927398710', 'luhn')).toBe(false);
  });
  it('mod97 makes the whole number ≡ 1 (mod 97)', () => {
    const ref = buildReference({ prefix: '77', sequence: 123, length: 12, algorithm: 'mod97' });
    expect(ref).toHaveLength(12);
    expect(BigInt(ref) % 97n).toBe(1n);
    expect(referenceIsValid(ref, 'mod97')).toBe(true);
  });
  it('pads the sequence between prefix and check digit', () => {
    const ref = buildReference({ prefix: '55', sequence: 7, length: 10, algorithm: 'weights_371' });
    expect(ref.slice(0, 9)).toBe('550000007');
    expect(referenceIsValid(ref, 'weights_371')).toBe(true);
    expect(buildReference({ prefix: '9', sequence: 5, length: 4, algorithm: 'none' })).toBe('9005');
  });
  it('refuses a sequence that no longer fits', () => {
    expect(() => buildReference({ prefix: '12', sequence: 1000, length: 6, algorithm: 'luhn' })).toThrow(/does not fit/);
  });
});
