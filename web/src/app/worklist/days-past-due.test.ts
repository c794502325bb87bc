import { describe, expect, it } from 'vitest';
import { translate } from '../../i18n/index.tsx';
import { daysPastDueText } from './days-past-due.ts';

describe('days past due as a collector reads them', () => {
  it('says when an account not yet due falls due instead of a negative number', () => {
    const es = (key: string, params?: Record<string, string | number>) => translate('es-MX', key, params);
    const en = (key: string, params?: Record<string, string | number>) => translate('en', key, params);
    expect(daysPastDueText(-3, es)).toBe('Vence en 3 días');
    expect(daysPastDueText(-1, es)).toBe('Vence en 1 día');
    expect(daysPastDueText(0, es)).toBe('Vence hoy');
    expect(daysPastDueText(12, es)).toBe('12');
    expect(daysPastDueText(null, es)).toBe('—');
    expect(daysPastDueText(-3, en)).toBe('Due in 3 days');
    expect(daysPastDueText(0, en)).toBe('Due today');
  });
});
