import { describe, expect, it } from 'vitest';
import { debtorHref, nextAccount, queueOf, worklistHref, type WorklistItem } from './queue.ts';

const item = (id: string, category = 'portfolio'): WorklistItem => ({
  category,
  debtor_external_id: id,
  debtor_name: `Deudor ${id}`,
  reason: '',
  ref: null,
  due: null,
  phase: null,
  days_past_due: null,
  currency: null,
  balance: null,
  expected_recovery: null,
  score: null,
});

describe('the next account of "Mi día"', () => {
  const items = [item('A', 'call_task'), item('B', 'reply'), item('A', 'promise_broken'), item('C'), item('D')];

  it('is the next debtor in the list order, each debtor counted once', () => {
    expect(nextAccount(items, 'A', true)).toEqual({ next: { id: 'B', name: 'Deudor B' } });
    expect(nextAccount(items, 'B', true)).toEqual({ next: { id: 'C', name: 'Deudor C' } });
  });

  it('is none at the end of the whole list, and unknown while more pages may hold it', () => {
    expect(nextAccount(items, 'D', true)).toEqual({ next: null });
    expect(nextAccount(items, 'D', false)).toBe('more');
    expect(nextAccount(items, 'Z', false)).toBe('more');
  });

  it("is the list's first account for a debtor not in the list", () => {
    expect(nextAccount(items, 'Z', true)).toEqual({ next: { id: 'A', name: 'Deudor A' } });
    expect(nextAccount([item('Z')], 'Z', true)).toEqual({ next: null });
    expect(nextAccount([], 'Z', true)).toEqual({ next: null });
  });

  it('keeps the queue a supervisor picked in the addresses', () => {
    expect(queueOf(new URLSearchParams('queue=12'))).toBe('12');
    expect(queueOf(new URLSearchParams('queue=x'))).toBe('');
    expect(debtorHref('C 1', '12')).toBe('/app/debtors/C%201?queue=12');
    expect(debtorHref('C1', '')).toBe('/app/debtors/C1');
    expect(worklistHref('12')).toBe('/app/worklist?queue=12');
  });
});
