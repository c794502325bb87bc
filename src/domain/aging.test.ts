import { describe, expect, it } from 'vitest';
import { accountPhase, bucketFor, daysPastDue, DEFAULT_THRESHOLDS, phaseFor, validateThresholds } from './aging.ts';
import type { PlainDate } from './calendar.ts';

const d = (s: string) => s as PlainDate;

describe('days past due', () => {
  it('counts calendar days from the due date', () => {
    expect(daysPastDue(d('2026-03-10'), d('2026-03-10'))).toBe(0);
    expect(daysPastDue(d('2026-03-10'), d('2026-03-09'))).toBe(-1);
    expect(daysPastDue(d('2026-03-10'), d('2026-03-11'))).toBe(1);
  });
  it('crosses month ends and 29 February exactly', () => {
    expect(daysPastDue(d('2028-02-28'), d('2028-03-01'))).toBe(2); // leap year
    expect(daysPastDue(d('2026-02-28'), d('2026-03-01'))).toBe(1);
    expect(daysPastDue(d('2028-02-29'), d('2028-03-30'))).toBe(30);
    expect(daysPastDue(d('2025-12-31'), d('2026-01-31'))).toBe(31);
  });
});

describe('buckets', () => {
  const cases: Array<[number, string]> = [
    [-5, 'current'], [0, 'current'], [1, '1-30'], [29, '1-30'], [30, '1-30'], [31, '31-60'], [59, '31-60'], [60, '31-60'],
    [61, '61-90'], [90, '61-90'], [91, '91-120'], [120, '91-120'], [121, '121-180'], [180, '121-180'], [181, '181+'], [5000, '181+'],
  ];
  it.each(cases)('DPD %i → %s', (dpd, bucket) => expect(bucketFor(dpd)).toBe(bucket));
});

describe('phases by thresholds', () => {
  const cases: Array<[number, string]> = [
    [-1, 'preventive'], [0, 'preventive'], [1, 'administrative'], [30, 'administrative'], [31, 'extrajudicial'],
    [90, 'extrajudicial'], [91, 'judicial'], [400, 'judicial'],
  ];
  it.each(cases)('DPD %i → %s', (dpd, phase) => expect(phaseFor(dpd)).toBe(phase));

  it('grace days delay the phase, not the DPD', () => {
    const t = { ...DEFAULT_THRESHOLDS, graceDays: 5 };
    expect(phaseFor(5, t)).toBe('preventive');
    expect(phaseFor(6, t)).toBe('administrative');
    expect(phaseFor(35, t)).toBe('administrative');
    expect(phaseFor(36, t)).toBe('extrajudicial');
    expect(bucketFor(5)).toBe('1-30');
  });

  it('custom thresholds', () => {
    const t = { ...DEFAULT_THRESHOLDS, extrajudicialFrom: 15, judicialFrom: 60 };
    expect(phaseFor(14, t)).toBe('administrative');
    expect(phaseFor(15, t)).toBe('extrajudicial');
    expect(phaseFor(59, t)).toBe('extrajudicial');
    expect(phaseFor(60, t)).toBe('judicial');
  });

  it('refuses thresholds that do not increase', () => {
    expect(validateThresholds(DEFAULT_THRESHOLDS)).toEqual([]);
    expect(validateThresholds({ ...DEFAULT_THRESHOLDS, extrajudicialFrom: 91 })).not.toEqual([]);
    expect(validateThresholds({ ...DEFAULT_THRESHOLDS, administrativeFrom: 0 })).not.toEqual([]);
    expect(validateThresholds({ ...DEFAULT_THRESHOLDS, graceDays: -1 })).not.toEqual([]);
    expect(validateThresholds({ ...DEFAULT_THRESHOLDS, judicialFrom: 1.5 })).not.toEqual([]);
  });

  it('names the thresholds as the reader wrote them: the API fields by default, or the names given', () => {
    const english = (problems: ReturnType<typeof validateThresholds>) => problems.map((p) => p.en).join('\n');
    expect(english(validateThresholds({ ...DEFAULT_THRESHOLDS, graceDays: -1 }))).toBe('grace_days must be a whole number ≥ 0');
    expect(english(validateThresholds({ ...DEFAULT_THRESHOLDS, extrajudicialFrom: 91 }))).toBe(
      'thresholds must increase: administrative_from < extrajudicial_from < judicial_from (they would be 1, 91, 91)',
    );
    const flags = { administrativeFrom: '--administrative-from', extrajudicialFrom: '--extrajudicial-from', judicialFrom: '--judicial-from', graceDays: '--grace-days', preventiveDays: '--preventive-days' };
    const problems = validateThresholds({ ...DEFAULT_THRESHOLDS, administrativeFrom: 0, graceDays: -2 }, flags);
    expect(english(problems)).toBe('--grace-days must be a whole number ≥ 0\n--administrative-from must be at least 1 (DPD ≤ 0 is preventive)');
    expect(problems.map((p) => p.es).join('\n')).not.toMatch(/[a-z][A-Z]/);
  });
});

describe('account phase precedence', () => {
  const base = { thresholds: DEFAULT_THRESHOLDS, manualPhase: null, onHold: false, previousPhase: null };
  it('nothing owed is settled, whatever else is set', () => {
    expect(accountPhase({ ...base, dpd: null, manualPhase: 'judicial', onHold: true })).toEqual({ phase: 'settled', source: 'settled' });
  });
  it('a manual phase wins over thresholds and holds', () => {
    expect(accountPhase({ ...base, dpd: 3, manualPhase: 'written_off', onHold: true, previousPhase: 'administrative' })).toEqual({ phase: 'written_off', source: 'manual' });
  });
  it('a hold freezes the previous phase', () => {
    expect(accountPhase({ ...base, dpd: 45, onHold: true, previousPhase: 'administrative' })).toEqual({ phase: 'administrative', source: 'hold' });
  });
  it('a hold on a new account falls back to thresholds', () => {
    expect(accountPhase({ ...base, dpd: 45, onHold: true })).toEqual({ phase: 'extrajudicial', source: 'rule' });
  });
});
