import { describe, expect, it } from 'vitest';
import { parseJsonExact, rowFromJson, rowsFromJson } from './json-rows.ts';
import { accounts, payments } from './schema.ts';

describe('rows read as JSON', () => {
  it('map each column as the driver would: money as exact bigint, instants as Date, dates as text', () => {
    const json = parseJsonExact(
      '{"id": 7, "company_id": 1, "debtor_id": 3, "obligation_id": null, "external_id": "P-1", "currency": "MXN", "amount": 12345678901234567890, ' +
        '"unapplied": 0, "paid_on": "2026-03-01", "method": "spei", "reference": null, "reversed_at": "2026-03-02T10:11:12.345678+00:00", ' +
        '"reversal_reason": "duplicado", "created_at": "2026-03-01T00:00:00+00:00", "updated_at": "2026-03-01T00:00:00-06:00"}',
    ) as Record<string, unknown>;
    const row = rowFromJson(payments, json);
    expect(row).toEqual({
      id: 7,
      companyId: 1,
      debtorId: 3,
      obligationId: null,
      externalId: 'P-1',
      currency: 'MXN',
      amount: 12345678901234567890n,
      unapplied: 0n,
      paidOn: '2026-03-01',
      method: 'spei',
      reference: null,
      reversedAt: new Date('2026-03-02T10:11:12.345Z'),
      reversalReason: 'duplicado',
      createdAt: new Date('2026-03-01T00:00:00Z'),
      updatedAt: new Date('2026-03-01T06:00:00Z'),
    });
  });

  it('read views too, keep JSON columns as the driver parses them and text arrays as arrays', () => {
    const [row] = rowsFromJson(accounts, parseJsonExact(
      '[{"company_id": 1, "portfolio_id": 2, "debtor_id": 3, "as_of": "2026-03-16", "phase": "early", "phase_since": "2026-03-10", ' +
        '"previous_phase": null, "previous_phase_since": null, "phase_source": "rule", "days_past_due": 15, "bucket": "1-30", ' +
        '"balances": {"MXN": "5000.00", "n": 12345678901234567890}, "overdue": {}, "segments": ["a", "b"], "on_hold": false, ' +
        '"manual_phase": null, "manual_phase_reason": null, "manual_phase_by": null, "manual_phase_at": null, "manual_phase_until": null, ' +
        '"updated_at": "2026-03-16T12:00:00+00:00"}]',
    ));
    expect(row).toMatchObject({ portfolioId: 2, daysPastDue: 15, segments: ['a', 'b'], onHold: false, manualPhaseAt: null, updatedAt: new Date('2026-03-16T12:00:00Z') });
    expect(row!.balances).toEqual({ MXN: '5000.00', n: Number('12345678901234567890') });
    expect(rowsFromJson(accounts, null)).toEqual([]);
  });
});

describe('parseJsonExact', () => {
  it('keeps integers beyond 2^53 exact and leaves the others numbers', () => {
    expect(parseJsonExact('[9007199254740993, 9007199254740991, 1774976400000000, 12345678901234567890, -9999999999999999, 1.5, "9999999999999999"]')).toEqual([
      9007199254740993n,
      9007199254740991,
      1774976400000000,
      12345678901234567890n,
      -9999999999999999n,
      1.5,
      '9999999999999999',
    ]);
  });
});
