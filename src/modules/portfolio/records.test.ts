import { describe, expect, test } from 'vitest';
import { resolveHeader } from './import/headers.ts';
import { attributeKey, normalizeHeader, validateDebtor, validateObligation, validatePayment, type RecordContext } from './records.ts';

const ctx: RecordContext = { companyCountry: 'MX', dateFormat: 'YYYY-MM-DD', defaultPortfolio: 'default' };

describe('normalizeHeader', () => {
  test.each([
    ['Teléfono', 'telefono'],
    ['  País ', 'pais'],
    ['Fecha de Vencimiento', 'fecha_vencimiento'],
    ['FECHA-DEL-PAGO', 'fecha_pago'],
    ['Código  Postal', 'codigo_postal'],
    ['external_id', 'external_id'],
  ])('%s → %s', (input, expected) => expect(normalizeHeader(input)).toBe(expected));
});

test('attributeKey keeps rule-safe names only', () => {
  expect(attributeKey('Segmento Interno')).toBe('segmento_interno');
  expect(attributeKey('Puntuación')).toBe('puntuacion');
  expect(attributeKey('2do contacto')).toBeNull();
  expect(attributeKey('%%')).toBeNull();
});

describe('resolveHeader', () => {
  test('aliases, mapping and attributes', () => {
    const result = resolveHeader('debtors', ['Código', 'Nombre', 'Correo', 'Nivel'], { mapping: { external_id: 'codigo' }, unknownColumns: 'ignore' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.plan.targets).toEqual([
      { kind: 'column', name: 'external_id' },
      { kind: 'column', name: 'name' },
      { kind: 'column', name: 'email' },
      { kind: 'attribute', key: 'nivel' },
    ]);
    expect(result.plan.headerOf.get('email')).toBe('Correo');
  });

  test('a mapped header wins over a look-alike, which is then ignored', () => {
    const result = resolveHeader('obligations', ['id_documento', 'Folio Fiscal', 'id_cliente', 'moneda', 'monto', 'vencimiento'], { mapping: { external_id: 'Folio Fiscal' }, unknownColumns: 'error' });
    expect(result.ok && result.plan.targets[0]).toEqual({ kind: 'ignored' });
    expect(result.ok && result.plan.targets[1]).toEqual({ kind: 'column', name: 'external_id' });
  });

  test('mapping to a column that does not exist', () => {
    const result = resolveHeader('payments', ['a'], { mapping: { importe_total: 'a' }, unknownColumns: 'ignore' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors[0]).toEqual({ column: 'importe_total', reason: expect.stringContaining('not a column of payments') });
  });
});

describe('validateDebtor', () => {
  test('normalises and fills defaults', () => {
    const result = validateDebtor({ external_id: ' D1 ', name: 'Ana', tax_id: 'gode-561231-gr8', email: 'Ana@Ejemplo.MX', region: 'Sonora', tags: 'x; y;;x' }, { nivel: ' oro ', vacio: ' ' }, ctx);
    expect(result).toEqual({
      ok: true,
      record: {
        externalId: 'D1',
        name: 'Ana',
        type: 'person',
        taxId: 'GODE561231GR8',
        email: 'Ana@ejemplo.mx',
        phone: null,
        whatsapp: null,
        country: 'MX',
        region: 'SON',
        city: null,
        postalCode: null,
        timeZone: 'America/Hermosillo',
        tags: ['x', 'y'],
        attributes: { nivel: 'oro' },
      },
    });
  });

  test('collects every problem of the row instead of stopping at the first', () => {
    const result = validateDebtor({ external_id: '', name: '', email: 'x', country: 'ZZ' }, {}, ctx);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.map((e) => e.column)).toEqual(['external_id', 'name', 'country', 'email']);
  });

  test('a region is free text for countries whose subdivisions we do not keep', () => {
    const result = validateDebtor({ external_id: 'D1', name: 'A', country: 'us', region: 'Texas', time_zone: 'america/chicago' }, {}, ctx);
    expect(result.ok && [result.record.country, result.record.region, result.record.timeZone]).toEqual(['US', 'Texas', 'America/Chicago']);
  });

  test('identifiers may not carry line breaks', () => {
    const result = validateDebtor({ external_id: 'D\n1', name: 'A' }, {}, ctx);
    expect(!result.ok && result.errors).toEqual([{ column: 'external_id', reason: 'contains control characters or line breaks' }]);
  });
});

describe('validateObligation and validatePayment', () => {
  test('kinds in Spanish, amounts in minor units, DD/MM/YYYY and ISO dates', () => {
    const result = validateObligation({ external_id: 'O1', debtor_external_id: 'D1', kind: 'Cuota', currency: 'clp', amount: '1500', due_on: '31/01/2026', issued_on: '2025-12-31' }, { ...ctx, dateFormat: 'DD/MM/YYYY' });
    expect(result).toEqual({
      ok: true,
      record: { externalId: 'O1', debtorExternalId: 'D1', kind: 'installment', product: null, currency: 'CLP', amount: 1500n, issuedOn: '2025-12-31', dueOn: '2026-01-31', portfolio: 'default' },
    });
  });

  test('an amount is not checked against an unknown currency (one error, not two)', () => {
    const result = validatePayment({ external_id: 'P1', debtor_external_id: 'D1', currency: 'XXX', amount: '1.234', paid_on: '2026-01-01' }, ctx);
    expect(!result.ok && result.errors).toEqual([{ column: 'currency', reason: 'unknown currency "XXX"' }]);
  });

  test('UF amounts have four decimals', () => {
    const result = validateObligation({ external_id: 'O1', debtor_external_id: 'D1', currency: 'UF', amount: '10.1234', due_on: '2026-01-01' }, ctx);
    expect(result.ok && result.record.amount).toBe(101234n);
  });
});
