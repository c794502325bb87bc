import { describe, expect, it } from 'vitest';
import { translate } from '../../i18n/index.tsx';
import { balanceValue, cleanFilters, filterErrors, FILTERS, type Filters } from './filters.ts';

const es = (key: string, params?: Record<string, string | number>) => translate('es-MX', key, params);
const draft = (values: Partial<Filters>): Filters => ({ ...(Object.fromEntries(FILTERS.map((k) => [k, ''])) as Filters), ...values });

describe('account filters as typed', () => {
  it('refuses a days-past-due range whose start is above its end, on the "to" field', () => {
    expect(filterErrors(draft({ dpd_min: '100', dpd_max: '10' }), es)).toEqual({
      dpd_max: 'Días de atraso “hasta” (10) es menor que “desde” (100): ninguna cuenta puede coincidir.',
    });
    expect(filterErrors(draft({ dpd_min: '10', dpd_max: '10' }), es)).toEqual({});
    expect(filterErrors(draft({ dpd_min: '-5' }), es)).toEqual({});
    expect(filterErrors(draft({ dpd_min: '1.5' }), es)).toEqual({ dpd_min: 'Escriba un número entero de días.' });
  });

  it('checks a balance with the app’s own words: a number, with at most the currency’s decimals, in range', () => {
    expect(filterErrors(draft({ currency: 'MXN', balance_min: 'mil' }), es)).toEqual({ balance_min: 'Escriba el saldo con números, por ejemplo 1250.50.' });
    expect(filterErrors(draft({ currency: 'MXN', balance_min: '10.005' }), es)).toEqual({ balance_min: 'El saldo tiene más decimales de los que admite MXN.' });
    expect(filterErrors(draft({ currency: 'CLP', balance_max: '10.5' }), es)).toEqual({ balance_max: 'El saldo tiene más decimales de los que admite CLP.' });
    expect(filterErrors(draft({ currency: 'MXN', balance_min: '500', balance_max: '100' }), es)).toEqual({ balance_max: 'Saldo “hasta” es menor que “desde”: ninguna cuenta puede coincidir.' });
    expect(filterErrors(draft({ balance_min: '500' }), es)).toEqual({ currency: 'Elija la moneda del saldo para usar los filtros de saldo.' });
    expect(filterErrors(draft({ currency: 'MXN', balance_min: '$1,250.50', balance_max: '-0' }), es)).toMatchObject({ balance_max: expect.any(String) });
    expect(filterErrors(draft({ currency: 'MXN', balance_min: '-300', balance_max: '$1,250.50' }), es)).toEqual({});
  });

  it('sends balances as the API reads them', () => {
    expect(balanceValue('$1,250.50')).toBe('1250.50');
    expect(balanceValue('-300')).toBe('-300');
    expect(balanceValue('-0')).toBe('0');
    expect(balanceValue('abc')).toBeNull();
    expect(cleanFilters(draft({ q: '  ana ', balance_min: '1,000' }))).toMatchObject({ q: 'ana', balance_min: '1000' });
  });
});
