import { describe, expect, it } from 'vitest';
import { jsonLine, jsonText, snakeCase, snakeKeys } from './json.ts';

describe('snakeCase', () => {
  it('turns camelCase identifiers into snake_case and leaves every other key alone', () => {
    expect(snakeCase('dryRun')).toBe('dry_run');
    expect(snakeCase('bankTransactionId')).toBe('bank_transaction_id');
    expect(snakeCase('smsURL')).toBe('sms_url');
    expect(snakeCase('byPhase')).toBe('by_phase');
    expect(snakeCase('rows')).toBe('rows');
    expect(snakeCase('import_id')).toBe('import_id');
    expect(snakeCase('MXN')).toBe('MXN');
    expect(snakeCase('balance.MXN')).toBe('balance.MXN');
    expect(snakeCase('es-MX')).toBe('es-MX');
    expect(snakeCase('1-30')).toBe('1-30');
  });
});

describe('snakeKeys', () => {
  it('renames keys at every depth, writes bigints and dates as strings and drops undefined', () => {
    const value = {
      dryRun: true,
      importId: 7,
      errors: [{ line: 2, column: 'amount', reason: 'x' }],
      byPhase: { administrative: 3 },
      balances: { MXN: 125050n },
      startedAt: new Date('2026-03-31T18:00:00Z'),
      nested: { nextBefore: null, skipped: undefined },
    };
    expect(snakeKeys(value)).toEqual({
      dry_run: true,
      import_id: 7,
      errors: [{ line: 2, column: 'amount', reason: 'x' }],
      by_phase: { administrative: 3 },
      balances: { MXN: '125050' },
      started_at: '2026-03-31T18:00:00.000Z',
      nested: { next_before: null },
    });
  });

  it("keeps a debtor's own attributes and the documents it is told to as they are", () => {
    expect(snakeKeys({ debtorId: 1, attributes: { numeroCliente: 'A1', limit: 5n } })).toEqual({ debtor_id: 1, attributes: { numeroCliente: 'A1', limit: '5' } });
    const view = { builtIn: { consentRequired: ['sms'] }, rules: { holidayCalendar: 'MX' } };
    expect(snakeKeys(view, { verbatim: ['built_in', 'rules'] })).toEqual({ built_in: { consentRequired: ['sms'] }, rules: { holidayCalendar: 'MX' } });
  });

  it('prints as the commands do', () => {
    expect(jsonText({ errorCount: 0 })).toBe('{\n  "error_count": 0\n}\n');
    expect(jsonLine({ errorCount: 0 })).toBe('{"error_count":0}');
  });
});
