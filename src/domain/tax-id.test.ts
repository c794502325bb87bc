import { describe, expect, it } from 'vitest';
import { validateTaxId, type TaxIdResult } from './tax-id.ts';

const ok = (normalized: string, kind: string): TaxIdResult => ({ ok: true, normalized, kind }) as TaxIdResult;

function reasonOf(result: TaxIdResult): string {
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result)}`);
  return result.reason.en;
}

/** Every other character in the check position must be refused with the given reason. */
function expectOnlyCheckCharacter(valid: string, country: string, alphabet: string, reason: RegExp, checkLength = 1): void {
  const stem = valid.slice(0, valid.length - checkLength);
  const suffix = valid.slice(valid.length - checkLength);
  for (const c of alphabet) {
    const candidate = stem + suffix.slice(0, -1) + c;
    if (candidate === valid) continue;
    expect(reasonOf(validateTaxId(candidate, country)), candidate).toMatch(reason);
  }
}

const DIGITS = '0123456789';

describe('Mexico: RFC', () => {
  it('accepts the SAT test RFCs of a company and a person', () => {
    // EKU9003173C9: [blank 37, E 14, K 20, U 31, 9, 0, 0, 3, 1, 7, 3, C 12] × 13..2
    const eku = 37 * 13 + 14 * 12 + 20 * 11 + 31 * 10 + 9 * 9 + 0 * 8 + 0 * 7 + 3 * 6 + 1 * 5 + 7 * 4 + 3 * 3 + 12 * 2;
    expect([eku, eku % 11, 11 - (eku % 11)]).toEqual([1344, 2, 9]);
    expect(validateTaxId('EKU9003173C9', 'MX')).toEqual(ok('EKU9003173C9', 'rfc_company'));
    // XOJI740919U48: [X 34, O 25, J 19, I 18, 7, 4, 0, 9, 1, 9, U 31, 4] × 13..2
    const xoji = 34 * 13 + 25 * 12 + 19 * 11 + 18 * 10 + 7 * 9 + 4 * 8 + 0 * 7 + 9 * 6 + 1 * 5 + 9 * 4 + 31 * 3 + 4 * 2;
    expect([xoji, xoji % 11, 11 - (xoji % 11)]).toEqual([1422, 3, 8]);
    expect(validateTaxId('XOJI740919U48', 'MX')).toEqual(ok('XOJI740919U48', 'rfc_person'));
  });

  it('handles Ñ and & and the check characters 0 and A', () => {
    // MAÑA850315K7: M 22, A 10, Ñ 38, A 10 → sum 1153, 1153 mod 11 = 9, 11 − 9 = 2
    expect(22 * 13 + 10 * 12 + 38 * 11 + 10 * 10 + 8 * 9 + 5 * 8 + 0 * 7 + 3 * 6 + 1 * 5 + 5 * 4 + 20 * 3 + 7 * 2).toBe(1153);
    expect(validateTaxId('MAÑA850315K72', 'MX')).toEqual(ok('MAÑA850315K72', 'rfc_person'));
    // " M&A990101AB": blank 37, M 22, & 24, A 10 → sum 1324, mod 11 = 4, 11 − 4 = 7
    expect(37 * 13 + 22 * 12 + 24 * 11 + 10 * 10 + 9 * 9 + 9 * 8 + 0 * 7 + 1 * 6 + 0 * 5 + 1 * 4 + 10 * 3 + 11 * 2).toBe(1324);
    expect(validateTaxId('M&A990101AB7', 'MX')).toEqual(ok('M&A990101AB7', 'rfc_company'));
    // EKU900317 + 3C summed to 1344; without C × 2 it is 1320 ≡ 0, so homoclave "3" + "6" gives 1332 ≡ 1 → 10 → A,
    // and "3" + "0" gives 1320 ≡ 0 → 0.
    expect(validateTaxId('EKU90031736A', 'MX')).toEqual(ok('EKU90031736A', 'rfc_company'));
    expect(validateTaxId('EKU900317300', 'MX')).toEqual(ok('EKU900317300', 'rfc_company'));
  });

  it('refuses every other check character', () => {
    expectOnlyCheckCharacter('EKU9003173C9', 'MX', DIGITS + 'A', /RFC check digit does not match/);
    expectOnlyCheckCharacter('XOJI740919U48', 'MX', DIGITS + 'A', /RFC check digit does not match/);
  });

  it('refuses impossible dates before looking at the check digit', () => {
    expect(reasonOf(validateTaxId('XOJI990230U48', 'MX'))).toBe('RFC date 990230 is not a real date (YYMMDD)');
    expect(reasonOf(validateTaxId('EKU9013173C9', 'MX'))).toMatch(/not a real date/);
    expect(reasonOf(validateTaxId('EKU9004313C9', 'MX'))).toMatch(/not a real date/);
    // 29 February exists in years divisible by four; XOJI960229U4 sums to 1419 = 11 · 129, so its check digit is 0.
    expect(validateTaxId('XOJI960229U40', 'MX')).toEqual(ok('XOJI960229U40', 'rfc_person'));
    expect(reasonOf(validateTaxId('XOJI970229U40', 'MX'))).toMatch(/not a real date/);
  });

  it('refuses wrong lengths and shapes', () => {
    expect(reasonOf(validateTaxId('XOJI740919U4', 'MX', { type: 'person' }))).toMatch(/12-character RFC belongs to a company/);
    expect(reasonOf(validateTaxId('EKU9003173C', 'MX'))).toMatch(/12 characters .* or 13/);
    expect(reasonOf(validateTaxId('XOJI740919U4899', 'MX'))).toMatch(/12 characters .* or 13/);
    expect(reasonOf(validateTaxId('XOJ1740919U48', 'MX'))).toBe("A person's RFC must start with 4 letters");
    expect(reasonOf(validateTaxId('XOJI740919U4B', 'MX'))).toMatch(/homoclave/);
    expect(reasonOf(validateTaxId('XOJI74O919U48', 'MX'))).toMatch(/date YYMMDD/);
  });

  it('normalises case, spaces, dots and dashes', () => {
    expect(validateTaxId(' xoji-740919-u48 ', 'mx')).toEqual(ok('XOJI740919U48', 'rfc_person'));
    expect(validateTaxId('eku 900317 3c9', 'MX')).toEqual(ok('EKU9003173C9', 'rfc_company'));
    expect(validateTaxId('E.K.U.-900317-3C9', 'MX')).toEqual(ok('EKU9003173C9', 'rfc_company'));
    expect(validateTaxId('maña850315k72', 'MX')).toEqual(ok('MAÑA850315K72', 'rfc_person'));
    // Ñ written as N + combining tilde.
    expect(validateTaxId('MAN\u0303A850315K72', 'MX')).toEqual(ok('MAÑA850315K72', 'rfc_person'));
  });

  it('accepts the generic RFCs whatever the holder', () => {
    expect(validateTaxId('XAXX010101000', 'MX')).toEqual(ok('XAXX010101000', 'rfc_generic'));
    expect(validateTaxId('xexx-010101-000', 'MX', { type: 'company' })).toEqual(ok('XEXX010101000', 'rfc_generic'));
  });

  it('enforces the holder type', () => {
    expect(validateTaxId('EKU9003173C9', 'MX', { type: 'company' }).ok).toBe(true);
    expect(reasonOf(validateTaxId('EKU9003173C9', 'MX', { type: 'person' }))).toMatch(/belongs to a company/);
    expect(reasonOf(validateTaxId('XOJI740919U48', 'MX', { type: 'company' }))).toMatch(/belongs to a person/);
    expect(reasonOf(validateTaxId('LOOA531113HTCPBN07', 'MX', { type: 'company' }))).toMatch(/CURP identifies a person/);
  });
});

describe('Mexico: CURP', () => {
  it('accepts a published example', () => {
    // LOOA531113HTCPBN0: L 21, O 25, O 25, A 10, 5, 3, 1, 1, 1, 3, H 17, T 30, C 12, P 26, B 11, N 23, 0 × 18..2
    const sum = 21 * 18 + 25 * 17 + 25 * 16 + 10 * 15 + 5 * 14 + 3 * 13 + 1 * 12 + 1 * 11 + 1 * 10 + 3 * 9 + 17 * 8 + 30 * 7 + 12 * 6 + 26 * 5 + 11 * 4 + 23 * 3 + 0 * 2;
    expect([sum, (10 - (sum % 10)) % 10]).toEqual([2183, 7]);
    expect(validateTaxId('LOOA531113HTCPBN07', 'MX')).toEqual(ok('LOOA531113HTCPBN07', 'curp'));
    expect(validateTaxId('looa 531113 htcpbn07', 'MX', { type: 'person' })).toEqual(ok('LOOA531113HTCPBN07', 'curp'));
  });

  it('reads the century from the 17th character', () => {
    // LOOA000229HTCPBNA: as above with 0,0,0,2,2,9 and A 10 → sum 2157 → check 3; 2000-02-29 exists.
    const sum = 21 * 18 + 25 * 17 + 25 * 16 + 10 * 15 + 0 * 14 + 0 * 13 + 0 * 12 + 2 * 11 + 2 * 10 + 9 * 9 + 17 * 8 + 30 * 7 + 12 * 6 + 26 * 5 + 11 * 4 + 23 * 3 + 10 * 2;
    expect([sum, (10 - (sum % 10)) % 10]).toEqual([2157, 3]);
    expect(validateTaxId('LOOA000229HTCPBNA3', 'MX')).toEqual(ok('LOOA000229HTCPBNA3', 'curp'));
    // A digit there means 1900, which had no 29 February.
    expect(reasonOf(validateTaxId('LOOA000229HTCPBN03', 'MX'))).toBe('CURP date 000229 is not a real date (YYMMDD)');
  });

  it('refuses wrong check digits, dates, states and shapes', () => {
    expectOnlyCheckCharacter('LOOA531113HTCPBN07', 'MX', DIGITS, /CURP check digit does not match/);
    expect(reasonOf(validateTaxId('LOOA531131HTCPBN07', 'MX'))).toMatch(/CURP date 531131/);
    expect(reasonOf(validateTaxId('LOOA531113HXXPBN07', 'MX'))).toMatch(/state code XX/);
    expect(reasonOf(validateTaxId('LOOA531113HTCPAN07', 'MX'))).toMatch(/^CURP must be/);
    expect(reasonOf(validateTaxId('LOOA531113HTCPBN0A', 'MX'))).toMatch(/^CURP must be/);
    expect(reasonOf(validateTaxId('LOOA531113HTCPBN0', 'MX'))).toMatch(/must have/);
  });
});

describe('Chile: RUT', () => {
  it('accepts published examples, K included', () => {
    // 12345678 from the right: 8·2 + 7·3 + 6·4 + 5·5 + 4·6 + 3·7 + 2·2 + 1·3 = 138; 138 mod 11 = 6; 11 − 6 = 5
    expect(8 * 2 + 7 * 3 + 6 * 4 + 5 * 5 + 4 * 6 + 3 * 7 + 2 * 2 + 1 * 3).toBe(138);
    expect(validateTaxId('12.345.678-5', 'CL')).toEqual(ok('12345678-5', 'rut'));
    // SII, 60.803.000-K: 0·2 + 0·3 + 0·4 + 3·5 + 0·6 + 8·7 + 0·2 + 6·3 = 89; 89 mod 11 = 1; 11 − 1 = 10 → K
    expect(0 * 2 + 0 * 3 + 0 * 4 + 3 * 5 + 0 * 6 + 8 * 7 + 0 * 2 + 6 * 3).toBe(89);
    expect(validateTaxId('60.803.000-k', 'cl')).toEqual(ok('60803000-K', 'rut'));
    expect(validateTaxId('123456785', 'CL')).toEqual(ok('12345678-5', 'rut'));
    expect(validateTaxId(' 012.345.678 - 5', 'CL')).toEqual(ok('12345678-5', 'rut'));
  });

  it('refuses wrong check digits, lengths and shapes', () => {
    expectOnlyCheckCharacter('12345678-5', 'CL', DIGITS + 'K', /^RUT check digit does not match$/);
    expectOnlyCheckCharacter('60803000-K', 'CL', DIGITS, /^RUT check digit does not match$/);
    expect(reasonOf(validateTaxId('123456789-2', 'CL'))).toMatch(/6 to 8 digits/);
    expect(reasonOf(validateTaxId('12345-6', 'CL'))).toMatch(/6 to 8 digits/);
    expect(reasonOf(validateTaxId('12.345.678-X', 'CL'))).toBe('RUT must be digits followed by a check digit 0-9 or K');
    expect(reasonOf(validateTaxId('12A45678-5', 'CL'))).toBe('RUT must be digits followed by a check digit 0-9 or K');
  });
});

describe('Argentina: CUIT/CUIL and DNI', () => {
  it('accepts published examples', () => {
    // 2012345678 × 5,4,3,2,7,6,5,4,3,2 = 148; 148 mod 11 = 5; 11 − 5 = 6
    expect(2 * 5 + 0 * 4 + 1 * 3 + 2 * 2 + 3 * 7 + 4 * 6 + 5 * 5 + 6 * 4 + 7 * 3 + 8 * 2).toBe(148);
    expect(validateTaxId('20-12345678-6', 'AR')).toEqual(ok('20-12345678-6', 'cuit'));
    expect(validateTaxId('20123456786', 'AR', { type: 'person' })).toEqual(ok('20-12345678-6', 'cuit'));
    // AFIP, 33-69345023-9: 3·5 + 3·4 + 6·3 + 9·2 + 3·7 + 4·6 + 5·5 + 0·4 + 2·3 + 3·2 = 145; mod 11 = 2; 11 − 2 = 9
    expect(3 * 5 + 3 * 4 + 6 * 3 + 9 * 2 + 3 * 7 + 4 * 6 + 5 * 5 + 0 * 4 + 2 * 3 + 3 * 2).toBe(145);
    expect(validateTaxId('33.69345023.9', 'AR', { type: 'company' })).toEqual(ok('33-69345023-9', 'cuit'));
  });

  it('has no valid number where the check digit would be 10, and the 23 prefix replaces it', () => {
    // 2012345676: 148 − 8·2 + 6·2 = 144 ≡ 1 (mod 11) → 10; with prefix 23 the sum is 156 ≡ 2 → 9.
    expectOnlyCheckCharacter('20-12345676-X', 'AR', DIGITS + 'X', /check digit does not match/);
    expect(validateTaxId('23-12345676-9', 'AR')).toEqual(ok('23-12345676-9', 'cuit'));
  });

  it('refuses wrong check digits, prefixes, lengths and holder types', () => {
    expectOnlyCheckCharacter('20-12345678-6', 'AR', DIGITS, /^CUIT\/CUIL check digit does not match$/);
    expect(reasonOf(validateTaxId('21-12345678-6', 'AR'))).toMatch(/must start with 20, 23, 24, 27, 30, 33 or 34, not 21/);
    expect(reasonOf(validateTaxId('20-1234567-6', 'AR'))).toMatch(/11 digits/);
    expect(reasonOf(validateTaxId('20-123456789-6', 'AR'))).toMatch(/11 digits/);
    expect(reasonOf(validateTaxId('20-12345678-6', 'AR', { type: 'company' }))).toMatch(/belongs to a person/);
    expect(reasonOf(validateTaxId('33-69345023-9', 'AR', { type: 'person' }))).toMatch(/belongs to a company/);
    expect(reasonOf(validateTaxId('20-1234S678-6', 'AR'))).toMatch(/must be 11 digits/);
  });

  it('accepts a DNI of 7 or 8 digits for people only', () => {
    expect(validateTaxId('12.345.678', 'AR')).toEqual(ok('12345678', 'dni'));
    expect(validateTaxId('1 234 567', 'AR', { type: 'person' })).toEqual(ok('1234567', 'dni'));
    expect(reasonOf(validateTaxId('12345678', 'AR', { type: 'company' }))).toMatch(/DNI identifies a person/);
    expect(reasonOf(validateTaxId('123456', 'AR'))).toMatch(/DNI 7 or 8/);
  });
});

describe('Colombia: NIT and cédula', () => {
  it("accepts DIAN's own NIT in its usual spellings", () => {
    // 800197268 from the right: 8·3 + 6·7 + 2·13 + 7·17 + 9·19 + 1·23 + 0·29 + 0·37 + 8·41 = 733; mod 11 = 7; 11 − 7 = 4
    expect(8 * 3 + 6 * 7 + 2 * 13 + 7 * 17 + 9 * 19 + 1 * 23 + 0 * 29 + 0 * 37 + 8 * 41).toBe(733);
    expect(validateTaxId('800.197.268-4', 'CO')).toEqual(ok('800197268-4', 'nit'));
    expect(validateTaxId('800 197 268 - 4', 'CO', { type: 'company' })).toEqual(ok('800197268-4', 'nit'));
    expect(validateTaxId('8001972684', 'CO')).toEqual(ok('800197268-4', 'nit'));
    // Without the verification digit the canonical form gains it.
    expect(validateTaxId('800.197.268', 'CO')).toEqual(ok('800197268-4', 'nit'));
  });

  it("accepts a person's NIT (cédula and digit) and remainders 0 and 1 as the digit itself", () => {
    // 52123456 from the right: 6·3 + 5·7 + 4·13 + 3·17 + 2·19 + 1·23 + 2·29 + 5·37 = 460; mod 11 = 9; 11 − 9 = 2
    expect(6 * 3 + 5 * 7 + 4 * 13 + 3 * 17 + 2 * 19 + 1 * 23 + 2 * 29 + 5 * 37).toBe(460);
    expect(validateTaxId('52.123.456-2', 'CO', { type: 'person' })).toEqual(ok('52123456-2', 'nit'));
    // 900000002: 2·3 + 9·41 = 375 ≡ 1 → 1;  900000000: 9·41 = 369 ≡ 6 → 5
    expect([(2 * 3 + 9 * 41) % 11, (9 * 41) % 11]).toEqual([1, 6]);
    expect(validateTaxId('900000002-1', 'CO')).toEqual(ok('900000002-1', 'nit'));
    expect(validateTaxId('900000000', 'CO')).toEqual(ok('900000000-5', 'nit'));
    // 900000009: 9·3 + 369 = 396 ≡ 0 → 0;  900000022: 2·3 + 2·7 + 369 = 389 ≡ 4 → 7
    expect([(9 * 3 + 9 * 41) % 11, (2 * 3 + 2 * 7 + 9 * 41) % 11]).toEqual([0, 4]);
    expect(validateTaxId('900000009-0', 'CO')).toEqual(ok('900000009-0', 'nit'));
    expect(validateTaxId('9000000227', 'CO')).toEqual(ok('900000022-7', 'nit'));
  });

  it('refuses wrong verification digits and lengths', () => {
    expectOnlyCheckCharacter('800197268-4', 'CO', DIGITS, /^NIT verification digit does not match$/);
    expectOnlyCheckCharacter('8001972684', 'CO', DIGITS, /^NIT verification digit does not match$/);
    expect(reasonOf(validateTaxId('12345-6', 'CO'))).toMatch(/6 to 15 digits/);
    expect(reasonOf(validateTaxId('80019726A', 'CO'))).toMatch(/must be digits/);
  });

  it('reads other digit strings as cédulas', () => {
    expect(validateTaxId('1.020.304.050', 'CO')).toEqual(ok('1020304050', 'cedula'));
    expect(validateTaxId('52123456', 'CO', { type: 'person' })).toEqual(ok('52123456', 'cedula'));
    // A person's 10 digits starting with 9 are a cédula, not NIT + digit.
    expect(validateTaxId('9001972684', 'CO', { type: 'person' })).toEqual(ok('9001972684', 'cedula'));
    expect(reasonOf(validateTaxId('12345', 'CO'))).toBe('Cédula must have 6 to 10 digits');
    expect(reasonOf(validateTaxId('12345678901', 'CO'))).toBe('Cédula must have 6 to 10 digits');
    expect(reasonOf(validateTaxId('52123456', 'CO', { type: 'company' }))).toMatch(/Company NIT must be 9 digits/);
  });
});

describe('Peru: RUC and DNI', () => {
  it("accepts SUNAT's own RUC and a person's RUC", () => {
    // 2013131295 × 5,4,3,2,7,6,5,4,3,2 = 94; 94 mod 11 = 6; 11 − 6 = 5
    expect(2 * 5 + 0 * 4 + 1 * 3 + 3 * 2 + 1 * 7 + 3 * 6 + 1 * 5 + 2 * 4 + 9 * 3 + 5 * 2).toBe(94);
    expect(validateTaxId('20131312955', 'PE', { type: 'company' })).toEqual(ok('20131312955', 'ruc'));
    // 1046027896: 5 + 0 + 12 + 12 + 0 + 12 + 35 + 32 + 27 + 12 = 147; mod 11 = 4; 11 − 4 = 7
    expect(1 * 5 + 0 * 4 + 4 * 3 + 6 * 2 + 0 * 7 + 2 * 6 + 7 * 5 + 8 * 4 + 9 * 3 + 6 * 2).toBe(147);
    expect(validateTaxId('10-46027896-7', 'PE', { type: 'person' })).toEqual(ok('10460278967', 'ruc'));
  });

  it('maps 11 − remainder of 10 and 11 to 0 and 1', () => {
    // 1046027894: 147 − 12 + 8 = 143 ≡ 0 → 11 → 1;  1046027886: 147 − 27 + 24 = 144 ≡ 1 → 10 → 0
    expect([(147 - 12 + 8) % 11, (147 - 27 + 24) % 11]).toEqual([0, 1]);
    expect(validateTaxId('10460278941', 'PE')).toEqual(ok('10460278941', 'ruc'));
    expect(validateTaxId('10460278860', 'PE')).toEqual(ok('10460278860', 'ruc'));
  });

  it('refuses wrong check digits, prefixes, lengths and holder types', () => {
    expectOnlyCheckCharacter('20131312955', 'PE', DIGITS, /^RUC check digit does not match$/);
    expect(reasonOf(validateTaxId('30131312955', 'PE'))).toMatch(/must start with 10, 15, 16, 17 or 20, not 30/);
    expect(reasonOf(validateTaxId('2013131295', 'PE'))).toBe('RUC must have 11 digits (a DNI 8)');
    expect(reasonOf(validateTaxId('20131312955', 'PE', { type: 'person' }))).toMatch(/belongs to a company/);
    expect(reasonOf(validateTaxId('10460278967', 'PE', { type: 'company' }))).toMatch(/belongs to a person/);
  });

  it('accepts an 8-digit DNI for people', () => {
    expect(validateTaxId('46 027 896', 'PE')).toEqual(ok('46027896', 'dni'));
    expect(reasonOf(validateTaxId('46027896', 'PE', { type: 'company' }))).toMatch(/DNI identifies a person/);
    expect(reasonOf(validateTaxId('4602789', 'PE'))).toMatch(/11 digits/);
  });
});

describe('Brazil: CPF and CNPJ', () => {
  it('accepts well-known examples', () => {
    // 529982247 × 10..2 = 295 ≡ 9 → 11 − 9 = 2; then 5299822472 × 11..2 = 347 ≡ 6 → 11 − 6 = 5
    expect((5 * 10 + 2 * 9 + 9 * 8 + 9 * 7 + 8 * 6 + 2 * 5 + 2 * 4 + 4 * 3 + 7 * 2) % 11).toBe(9);
    expect((5 * 11 + 2 * 10 + 9 * 9 + 9 * 8 + 8 * 7 + 2 * 6 + 2 * 5 + 4 * 4 + 7 * 3 + 2 * 2) % 11).toBe(6);
    expect(validateTaxId('529.982.247-25', 'BR')).toEqual(ok('52998224725', 'cpf'));
    // 112223330001: × 5,4,3,2,9,8,7,6,5,4,3,2 = 102 ≡ 3 → 8; with 8, × 6,5,4,3,2,9,8,7,6,5,4,3,2 = 120 ≡ 10 → 1
    expect(validateTaxId('11.222.333/0001-81', 'BR', { type: 'company' })).toEqual(ok('11222333000181', 'cnpj'));
    // Alphanumeric CNPJ, Receita Federal's example: letters count as ASCII − 48 (A = 17).
    expect(validateTaxId('12.abc.345/01de-35', 'BR')).toEqual(ok('12ABC34501DE35', 'cnpj'));
  });

  it('refuses wrong check digits, repeated digits, lengths and holder types', () => {
    for (const bad of ['529.982.247-24', '529.982.247-15', '11.222.333/0001-80', '11.222.333/0001-91', '12ABC34501DE36']) {
      expect(reasonOf(validateTaxId(bad, 'BR')), bad).toMatch(/check digits do not match/);
    }
    expect(reasonOf(validateTaxId('111.111.111-11', 'BR'))).toMatch(/repeated/);
    expect(reasonOf(validateTaxId('00.000.000/0000-00', 'BR'))).toMatch(/repeated/);
    expect(reasonOf(validateTaxId('529.982.247-2', 'BR'))).toBe('CPF must have 11 digits; a CNPJ 14 characters');
    expect(reasonOf(validateTaxId('52998224725', 'BR', { type: 'company' }))).toMatch(/CPF identifies a person/);
    expect(reasonOf(validateTaxId('11222333000181', 'BR', { type: 'person' }))).toMatch(/CNPJ identifies a company/);
  });
});

describe('other countries and empty input', () => {
  it('accepts up to 30 letters and digits', () => {
    expect(validateTaxId('12-3456789', 'US')).toEqual(ok('123456789', 'other'));
    expect(validateTaxId('1790011674001', 'ec')).toEqual(ok('1790011674001', 'other'));
    expect(validateTaxId('a'.repeat(30), 'GT')).toEqual(ok('A'.repeat(30), 'other'));
    expect(reasonOf(validateTaxId('a'.repeat(31), 'GT'))).toMatch(/at most 30/);
    expect(reasonOf(validateTaxId('AB#12', 'UY'))).toMatch(/letters and digits/);
  });

  it('refuses empty input in every country', () => {
    for (const country of ['MX', 'CL', 'AR', 'CO', 'PE', 'BR', 'US']) {
      expect(validateTaxId(' .- ', country)).toEqual({ ok: false, reason: { en: 'Tax id is empty', es: 'El identificador fiscal está vacío' } });
    }
  });
});
