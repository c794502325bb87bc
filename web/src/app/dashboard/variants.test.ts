import { describe, expect, it } from 'vitest';
import { translate } from '../../i18n/index.tsx';
import { NAMED_VARIANTS, variantLabel, variantMessage } from './variants.ts';

const es = (key: string, params?: Record<string, string | number>) => translate('es-MX', key, params);
const en = (key: string, params?: Record<string, string | number>) => translate('en', key, params);

describe('KPI variants in words', () => {
  it('has Spanish and English words for every named variant, never the internal name', () => {
    for (const variant of NAMED_VARIANTS) {
      const message = variantMessage(variant);
      expect(message, variant).not.toBeNull();
      for (const t of [es, en]) {
        const label = variantLabel(variant, t);
        expect(label, variant).not.toBe(message!.key);
        expect(label, variant).not.toContain('_');
      }
    }
  });

  it('fills in the number of a parametrised variant', () => {
    expect(variantLabel('threshold_30', es)).toBe('saldo con 30 o más días de atraso');
    expect(variantLabel('threshold_1', en)).toBe('balance 1+ days past due');
    expect(variantLabel('imora_threshold_90', es)).toBe('IMORA, 90 o más días de atraso');
    expect(variantLabel('months_1', es)).toBe('1 mes');
    expect(variantLabel('months_3', es)).toBe('3 meses');
    expect(variantLabel('months_3', en)).toBe('3 months');
  });

  it("names ADD's variant after the DSO it was computed from", () => {
    expect(variantLabel('dso_period', es)).toBe('con el DSO del periodo');
    expect(variantLabel('dso_countback', en)).toBe('from the countback (months back) DSO');
  });

  it('shows a variant it does not know as sent, so a new one gets noticed', () => {
    expect(variantMessage('something_new')).toBeNull();
    expect(variantMessage('dso_something_new')).toBeNull();
    expect(variantLabel('something_new', es)).toBe('something_new');
  });
});
