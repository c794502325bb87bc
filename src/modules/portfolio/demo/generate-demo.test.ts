import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bucketFor, BUCKET_NAMES, phaseFor } from '../../../domain/aging.ts';
import { allocatePayments } from '../../../domain/allocation.ts';
import { daysBetween, parseDate, type PlainDate } from '../../../domain/calendar.ts';
import { timeZoneFor } from '../../../domain/geography.ts';
import { parseDecimal } from '../../../domain/money.ts';
import { normalizePhone } from '../../../domain/phone.ts';
import { validateTaxId } from '../../../domain/tax-id.ts';
import { validateRecord, type RecordContext } from '../records.ts';
import { DEMO_COUNTRIES, type DemoCountry } from './countries.ts';
import { csvChunks, csvField } from './csv-text.ts';
import { DEMO_COLUMNS, generateDemo, type Demo, type DemoRow } from './generate-demo.ts';

const today = parseDate('2026-03-31');

function fingerprint(demo: Demo): Record<'debtors' | 'obligations' | 'payments', string> {
  const hash = (columns: readonly string[], rows: Iterable<DemoRow>) => {
    const h = createHash('sha256');
    for (const chunk of csvChunks(columns, rows)) h.update(chunk);
    return h.digest('hex');
  };
  return {
    debtors: hash(DEMO_COLUMNS.debtors, demo.debtors),
    obligations: hash(DEMO_COLUMNS.obligations, demo.obligations),
    payments: hash(DEMO_COLUMNS.payments, demo.payments),
  };
}

/** Replays the generated story with the domain's own allocation and aging: the phase and bucket of each debtor. */
function outcome(demo: Demo, asOf: PlainDate) {
  const byDebtor = new Map<string, { obligations: DemoRow[]; payments: DemoRow[] }>();
  for (const d of demo.debtors) byDebtor.set(d.external_id!, { obligations: [], payments: [] });
  for (const o of demo.obligations) byDebtor.get(o.debtor_external_id!)!.obligations.push(o);
  for (const p of demo.payments) byDebtor.get(p.debtor_external_id!)!.payments.push(p);
  const phases = new Map<string, number>();
  const buckets = new Map<string, number>();
  let withCredit = 0;
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const { obligations, payments } of byDebtor.values()) {
    const result = allocatePayments(
      obligations.map((o) => ({ id: o.external_id!, externalId: o.external_id!, currency: o.currency!, amount: parseDecimal(o.amount!, o.currency!), dueOn: o.due_on as PlainDate, issuedOn: o.issued_on as PlainDate })),
      payments.map((p) => ({ id: p.external_id!, externalId: p.external_id!, currency: p.currency!, amount: parseDecimal(p.amount!, p.currency!), paidOn: p.paid_on as PlainDate, obligationId: p.obligation_external_id || null })),
    );
    let dpd: number | null = null;
    for (const o of obligations) {
      if (result.balances.get(o.external_id!)! > 0n) dpd = Math.max(dpd ?? -Infinity, daysBetween(o.due_on as PlainDate, asOf));
    }
    if ([...result.unapplied.values()].some((v) => v > 0n)) withCredit++;
    bump(phases, dpd === null ? 'settled' : phaseFor(dpd));
    if (dpd !== null) bump(buckets, bucketFor(dpd));
  }
  return { phases, buckets, withCredit };
}

describe('generateDemo', () => {
  it('gives byte-identical files for the same seed and date, and different ones for another seed', () => {
    const a = fingerprint(generateDemo({ debtors: 300, seed: 7, today }));
    const b = fingerprint(generateDemo({ debtors: 300, seed: 7, today }));
    const c = fingerprint(generateDemo({ debtors: 300, seed: 8, today }));
    expect(b).toEqual(a);
    expect(c.debtors).not.toBe(a.debtors);
    expect(c.obligations).not.toBe(a.obligations);
    expect(c.payments).not.toBe(a.payments);
  });

  it('yields the same rows however often, and in whatever order, the row sets are read', () => {
    const demo = generateDemo({ debtors: 50, today });
    const payments = [...demo.payments];
    const debtors = [...demo.debtors];
    expect([...demo.debtors]).toEqual(debtors);
    expect([...demo.payments]).toEqual(payments);
    // A debtor's rows do not depend on how many debtors come after it.
    expect([...generateDemo({ debtors: 20, today }).debtors]).toEqual(debtors.slice(0, 20));
  });

  it('defaults to 2000 Mexican debtors with about four obligations each over the last year', () => {
    const demo = generateDemo({ today });
    const debtors = [...demo.debtors];
    const obligations = [...demo.obligations];
    expect(debtors).toHaveLength(2000);
    expect(new Set(debtors.map((d) => d.country))).toEqual(new Set(['MX']));
    expect(obligations.length / debtors.length).toBeGreaterThan(3.5);
    expect(obligations.length / debtors.length).toBeLessThan(5);
    for (const o of obligations) expect(daysBetween(o.due_on as PlainDate, today)).toBeLessThanOrEqual(365);
    expect(new Set(obligations.map((o) => o.product))).toEqual(new Set(['Crédito personal', 'Tarjeta', 'Plan móvil', 'Crédito automotriz', 'Factura comercial']));
    const companies = debtors.filter((d) => d.type === 'company');
    expect(companies.length).toBeGreaterThan(100);
    expect(companies.every((d) => d.tax_id!.length === 12)).toBe(true);
    expect(debtors.filter((d) => d.type === 'person').every((d) => d.tax_id!.length === 13)).toBe(true);
  });

  it('places the debtors so that, as of today, every phase and every aging bucket is populated', () => {
    const { phases, buckets, withCredit } = outcome(generateDemo({ debtors: 2000, today }), today);
    for (const phase of ['preventive', 'administrative', 'extrajudicial', 'judicial', 'settled']) expect(phases.get(phase) ?? 0, phase).toBeGreaterThan(100);
    for (const bucket of BUCKET_NAMES) expect(buckets.get(bucket) ?? 0, bucket).toBeGreaterThan(40);
    // Over-payments leave unapplied credit on a few debtors.
    expect(withCredit).toBeGreaterThan(20);
  });

  it('keeps the story consistent: payments name their own debtor’s obligations, nothing happens after today', () => {
    const demo = generateDemo({ debtors: 500, today });
    const owner = new Map<string, string>();
    const currencyOf = new Map<string, string>();
    for (const o of demo.obligations) {
      owner.set(o.external_id!, o.debtor_external_id!);
      currencyOf.set(o.external_id!, o.currency!);
      expect(o.issued_on! <= today).toBe(true);
      expect(o.issued_on! <= o.due_on!).toBe(true);
    }
    let unnamed = 0;
    let early = 0;
    for (const p of demo.payments) {
      expect(p.paid_on! <= today).toBe(true);
      if (!p.obligation_external_id) {
        unnamed++;
        continue;
      }
      expect(owner.get(p.obligation_external_id)).toBe(p.debtor_external_id);
      expect(currencyOf.get(p.obligation_external_id)).toBe(p.currency);
    }
    const dueOf = new Map([...demo.obligations].map((o) => [o.external_id!, o.due_on!]));
    for (const p of demo.payments) if (p.obligation_external_id && p.paid_on! < dueOf.get(p.obligation_external_id)!) early++;
    expect(unnamed).toBeGreaterThan(0);
    expect(early).toBeGreaterThan(0);
    expect(new Set([...demo.obligations].map((o) => o.currency))).toEqual(new Set(['MXN', 'USD']));
  });

  it('gives bench-scale series of exactly the requested length', () => {
    const demo = generateDemo({ debtors: 1000, today, obligationsPerDebtor: 5 });
    const perDebtor = new Map<string, number>();
    for (const o of demo.obligations) perDebtor.set(o.debtor_external_id!, (perDebtor.get(o.debtor_external_id!) ?? 0) + 1);
    // Invoices not yet issued are left out, so a series can be shorter, never longer.
    expect(Math.max(...perDebtor.values())).toBe(5);
    expect([...perDebtor.values()].filter((n) => n === 5).length).toBeGreaterThan(900);
  });

  it('writes names as Mexicans write them: no surname cut after a particle, no article before a state', () => {
    const names = [...generateDemo({ debtors: 2000, today }).debtors].map((d) => d.name!);
    expect(names.filter((n) => /\s(de|del|la|las|los|y)$/i.test(n))).toEqual([]);
    expect(names.filter((n) => / del (Puebla|Jalisco|Nuevo León|Coahuila|Durango|Sonora|Chihuahua|Veracruz|Guanajuato|Yucatán)\b/.test(n))).toEqual([]);
    // Surnames with particles are kept whole.
    expect(names.some((n) => / (de|del) [A-ZÁÉÍÓÚÑ]/.test(n))).toBe(true);
  });

  it('refuses sizes that are not whole positive numbers, and dates that do not exist', () => {
    expect(() => generateDemo({ today: '2026-02-30' as PlainDate })).toThrow(/not a real date/);
    expect(() => generateDemo({ debtors: 0, today })).toThrow(RangeError);
    expect(() => generateDemo({ debtors: 2.5, today })).toThrow(RangeError);
    expect(() => generateDemo({ debtors: 10, today, obligationsPerDebtor: 0 })).toThrow(RangeError);
  });

  describe.each(DEMO_COUNTRIES)('country %s', (country: DemoCountry) => {
    const demo = generateDemo({ debtors: 600, seed: 3, country, today });
    const ctx: RecordContext = { companyCountry: country, dateFormat: 'YYYY-MM-DD', defaultPortfolio: 'default' };

    it('produces debtors every domain validator accepts: tax ids, phones, regions with a time zone', () => {
      const kinds = new Set<string>();
      for (const d of demo.debtors) {
        expect(d.external_id!.startsWith('DEMO-')).toBe(true);
        expect(d.country).toBe(country);
        const tax = validateTaxId(d.tax_id!, country, { type: d.type as 'person' | 'company' });
        expect(tax, `${d.external_id} ${d.tax_id}`).toMatchObject({ ok: true });
        if (tax.ok) kinds.add(tax.kind);
        for (const phone of [d.phone!, d.whatsapp!].filter(Boolean)) expect(normalizePhone(phone, country), phone).toMatchObject({ ok: true });
        expect(timeZoneFor(country, d.region!)).toMatch(/^America\//);
        const { segmento_comercial, score, ...values } = d;
        const checked = validateRecord('debtors', values, { segmento_comercial: segmento_comercial!, score: score! }, ctx);
        expect(checked, JSON.stringify(d)).toMatchObject({ ok: true });
      }
      // The validator was told each row's type, so persons and companies each got an id of their own kind.
      if (country === 'MX') expect(kinds).toEqual(new Set(['rfc_person', 'rfc_company']));
    });

    it('produces obligations and payments the import accepts, in the country’s currency and its decimals', () => {
      const currencies = new Set<string>();
      for (const o of demo.obligations) {
        expect(o.external_id!.startsWith('DEMO-')).toBe(true);
        expect(validateRecord('obligations', o, {}, ctx), JSON.stringify(o)).toMatchObject({ ok: true });
        currencies.add(o.currency!);
        if (o.currency === 'CLP') expect(o.amount).toMatch(/^\d+$/);
        else expect(o.amount).toMatch(/^\d+\.\d{2}$/);
      }
      for (const p of demo.payments) {
        expect(p.external_id!.startsWith('DEMO-')).toBe(true);
        expect(validateRecord('payments', p, {}, ctx), JSON.stringify(p)).toMatchObject({ ok: true });
      }
      const local = { MX: 'MXN', CO: 'COP', PE: 'PEN', CL: 'CLP', AR: 'ARS' }[country];
      expect(currencies.has(local)).toBe(true);
    });
  });
});

describe('csvField', () => {
  it('quotes only what needs quoting and doubles inner quotes', () => {
    expect(csvField('Tarjeta')).toBe('Tarjeta');
    expect(csvField('Pérez, Juan')).toBe('"Pérez, Juan"');
    expect(csvField('El "Güero"')).toBe('"El ""Güero"""');
    expect(csvField('a\nb')).toBe('"a\nb"');
    expect(csvField('')).toBe('');
  });

  it('streams header and rows in chunks that join to the whole text', () => {
    const rows = [{ a: '1', b: 'x,y' }, { a: '2', b: '' }];
    const text = Buffer.concat([...csvChunks(['a', 'b'], rows, 4)]).toString('utf8');
    expect(text).toBe('a,b\n1,"x,y"\n2,\n');
  });
});
