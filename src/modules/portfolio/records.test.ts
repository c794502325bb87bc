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
    expect(!result.ok && result.errors[0]).toEqual({
      column: 'importe_total',
      reason: { en: expect.stringContaining('not a column of payments'), es: expect.stringContaining('no es una columna de pagos') },
    });
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

  test('tags differing only in case or surrounding spaces are one tag, spelled as first written', () => {
    const result = validateDebtor({ external_id: 'D1', name: 'Ana', tags: 'VIP;vip; Vip ;Nómina;NÓMINA;nomina' }, {}, ctx);
    expect(result.ok && result.record.tags).toEqual(['VIP', 'Nómina', 'nomina']);
  });

  test('collects every problem of the row instead of stopping at the first', () => {
    const result = validateDebtor({ external_id: '', name: '', email: 'x', country: 'ZZ' }, {}, ctx);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.map((e) => e.column)).toEqual(['external_id', 'name', 'country', 'email']);
  });

  test('a region is free text for countries whose subdivisions we do not keep', () => {
    const result = validateDebtor({ external_id: 'D1', name: 'A', country: 'ec', region: 'Galápagos', time_zone: 'pacific/galapagos' }, {}, ctx);
    expect(result.ok && [result.record.country, result.record.region, result.record.timeZone]).toEqual(['EC', 'Galápagos', 'Pacific/Galapagos']);
  });

  test('stores free text composed (NFC), as typed here, and identifiers byte for byte', () => {
    const nfd = (text: string) => text.normalize('NFD');
    const result = validateDebtor(
      { external_id: nfd('CLIENTE-Ñ1'), name: nfd('José Núñez Šimunović'), region: nfd('Michoacán'), city: nfd('Uruapan del Progreso, Mich. — Río Cupatitzio'), tags: nfd('crédito; pequeña empresa') },
      { sucursal: nfd(' Morelia Centro — Plaza Ocampo ') },
      ctx,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const r = result.record;
    expect(r.name).toBe('José Núñez Šimunović');
    expect(r.name).toBe(r.name.normalize('NFC'));
    expect(r.name.length).toBe(20);
    expect(r.region).toBe('MIC');
    expect(r.city).toBe('Uruapan del Progreso, Mich. — Río Cupatitzio'.normalize('NFC'));
    expect(r.tags).toEqual(['crédito', 'pequeña empresa'].map((t) => t.normalize('NFC')));
    expect(r.attributes).toEqual({ sucursal: 'Morelia Centro — Plaza Ocampo' });
    // The source system's key is kept exactly, so the next import of the same file finds the same record.
    expect(r.externalId).toBe(nfd('CLIENTE-Ñ1'));

    const payment = validatePayment({ external_id: 'P1', debtor_external_id: 'D1', currency: 'MXN', amount: '10', paid_on: '2026-01-01', method: nfd('depósito'), reference: nfd('Pago de José') }, ctx);
    expect(payment.ok && [payment.record.method, payment.record.reference]).toEqual(['depósito'.normalize('NFC'), 'Pago de José'.normalize('NFC')]);
    const obligation = validateObligation({ external_id: 'O1', debtor_external_id: 'D1', currency: 'MXN', amount: '10', due_on: '2026-01-01', product: nfd('Crédito simple'), portfolio: nfd('Cartera Mérida') }, ctx);
    expect(obligation.ok && [obligation.record.product, obligation.record.portfolio]).toEqual(['Crédito simple'.normalize('NFC'), 'Cartera Mérida'.normalize('NFC')]);
  });

  test('counts the length of text once composed', () => {
    // 500 letters, each sent as a letter and a combining accent (1,000 UTF-16 units): 500 once composed, allowed.
    const result = validateDebtor({ external_id: 'D1', name: 'é'.repeat(500).normalize('NFD') }, {}, ctx);
    expect(result.ok && result.record.name.length).toBe(500);
  });

  test('identifiers may not carry line breaks', () => {
    const result = validateDebtor({ external_id: 'D\n1', name: 'A' }, {}, ctx);
    expect(!result.ok && result.errors).toEqual([{ column: 'external_id', reason: { en: 'contains control characters or line breaks', es: 'contiene caracteres de control o saltos de línea' } }]);
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
    expect(!result.ok && result.errors).toEqual([{ column: 'currency', reason: { en: 'unknown currency "XXX"', es: 'moneda desconocida "XXX"' } }]);
  });

  test('UF amounts have four decimals', () => {
    const result = validateObligation({ external_id: 'O1', debtor_external_id: 'D1', currency: 'UF', amount: '10.1234', due_on: '2026-01-01' }, ctx);
    expect(result.ok && result.record.amount).toBe(101234n);
  });
});
