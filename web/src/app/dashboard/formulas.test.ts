import { describe, expect, it } from 'vitest';
import { translate } from '../../i18n/index.tsx';
import { BUCKETS } from '../aging.ts';
import { formulaMessage, formulaText } from './formulas.ts';

const es = (key: string, params?: Record<string, string | number>) => translate('es-MX', key, params);
const en = (key: string, params?: Record<string, string | number>) => translate('en', key, params);
const bucket = (b: string) => (b === 'current' ? 'Al corriente' : b);

/** Every KPI id and variant the dashboard API sends (src/modules/analytics/dashboard.ts), with an English formula. */
const SENT: Array<[string, string]> = [
  ['dso', 'period'],
  ['dso', 'countback'],
  ['dso', 'countback_negative_ar'],
  ['dso', 'countback_negative_sales'],
  ['dso', 'countback_insufficient_history'],
  ['dso', 'no_ending_snapshot'],
  ['bpdso', 'period'],
  ['bpdso', 'no_ending_snapshot'],
  ['add', 'dso_period'],
  ['add', 'dso_countback'],
  ['add', 'no_ending_snapshot'],
  ['cei', 'months_1'],
  ['cei', 'months_3'],
  ['cei', 'no_beginning_snapshot'],
  ['delinquency', 'threshold_1'],
  ['delinquency', 'threshold_30'],
  ['delinquency', 'threshold_60'],
  ['delinquency', 'threshold_90'],
  ['delinquency', 'imora_threshold_90'],
  ['percent_current', 'balance'],
  ['percent_90_plus', 'balance'],
  ...BUCKETS.slice(0, -1).flatMap((b): Array<[string, string]> => [
    [`roll_rate_${b}`, 'account_tracked'],
    [`roll_rate_${b}`, 'aggregate'],
  ]),
  ['cure_rate', 'amount'],
  ['cure_rate', 'count'],
  ['contact_rate', 'answered'],
  ['right_party_contact_rate', 'right_party'],
  ['promise_to_pay_rate', 'per_right_party_contact'],
  ['promise_kept_rate', 'count'],
  ['cost_per_peso_recovered', 'monthly_cost_prorated'],
  ['cost_per_peso_recovered', 'cost_not_split'],
  ['cost_per_peso_recovered', 'no_cost_configured'],
  ['cost_per_peso_recovered', 'costs_not_shown'],
];

describe('KPI explanations in the reader’s language', () => {
  it('explains every KPI the API sends in Spanish and in English, never with the API’s English text', () => {
    for (const [name, variant] of SENT) {
      const kpi = { name, variant, formula: 'formula as the API sends it' };
      expect(formulaMessage(name, variant, bucket), `${name} ${variant}`).not.toBeNull();
      const spanish = formulaText(kpi, es, bucket);
      const english = formulaText(kpi, en, bucket);
      for (const text of [spanish, english]) {
        expect(text, `${name} ${variant}`).not.toBe(kpi.formula);
        expect(text, `${name} ${variant}`).not.toMatch(/dashboard\.|\{\w+\}/);
      }
      expect(spanish, `${name} ${variant}`).not.toBe(english);
    }
  });

  it('gives the formulas of DOMAIN.md §4 in Spanish', () => {
    const text = (name: string, variant: string) => formulaText({ name, variant, formula: '' }, es, bucket);
    expect(text('dso', 'period')).toBe('DSO = saldo por cobrar al cierre ÷ ventas a crédito del periodo × días del periodo (CRF).');
    expect(text('bpdso', 'period')).toBe('BPDSO = saldo por cobrar al corriente (aún no vencido) ÷ ventas a crédito del periodo × días del periodo (CRF).');
    expect(text('add', 'dso_countback')).toBe('ADD = DSO − BPDSO: los días de cobro que se deben al atraso (CRF). Se calcula con el DSO por meses hacia atrás (countback).');
    expect(text('cei', 'months_3')).toMatch(/^CEI = \(saldo por cobrar al inicio \+ ventas ÷ N − saldo total al cierre\) ÷ \(saldo por cobrar al inicio \+ ventas ÷ N − saldo al corriente al cierre\) × 100, con N = meses del periodo/);
    expect(text('delinquency', 'threshold_30')).toBe('Morosidad = saldo con 30 o más días de atraso ÷ saldo total × 100.');
    expect(text('delinquency', 'imora_threshold_90')).toMatch(/^IMORA = \(saldo con 90 o más días de atraso \+ castigos y quitas de los últimos 12 meses\) ÷ \(saldo total \+ castigos y quitas/);
    expect(text('percent_90_plus', 'balance')).toBe('Cartera 90+ = saldo con 90 o más días de atraso ÷ saldo total × 100 (CRF).');
    expect(text('roll_rate_current', 'account_tracked')).toBe(
      'Tasa de rodamiento = saldo en 1-30 hoy de las cuentas que hace 30 días estaban en Al corriente ÷ saldo que estaba en Al corriente hace 30 días × 100, siguiendo cada cuenta.',
    );
    expect(text('cure_rate', 'count')).toMatch(/^Tasa de cura = cuentas con atraso al inicio que terminan al corriente ÷ cuentas con atraso al inicio × 100\. Un pago parcial/);
    expect(text('promise_kept_rate', 'count')).toMatch(/^Promesas cumplidas = cumplidas ÷ \(cumplidas \+ incumplidas\) × 100; las pendientes y las canceladas no cuentan\./);
    expect(text('contact_rate', 'answered')).toBe('Tasa de contacto = intentos contestados ÷ intentos × 100.');
    expect(text('cost_per_peso_recovered', 'no_cost_configured')).toBe(
      'Costo por peso recuperado = costo del gestor en el periodo ÷ monto que recuperó en la misma moneda. Falta el costo mensual del gestor (Costos de gestores).',
    );
  });

  it('says the same thing in English', () => {
    expect(formulaText({ name: 'dso', variant: 'period', formula: '' }, en, bucket)).toBe('DSO = ending receivables ÷ credit sales of the period × days in the period (CRF).');
    expect(formulaText({ name: 'delinquency', variant: 'threshold_60', formula: '' }, en, bucket)).toBe('Delinquency = balance 60+ days past due ÷ total balance × 100.');
  });

  it('shows what the API sent for a KPI it does not know, so a new one gets noticed', () => {
    expect(formulaMessage('something_new', 'period', bucket)).toBeNull();
    expect(formulaMessage('roll_rate_181+', 'account_tracked', bucket)).toBeNull();
    expect(formulaText({ name: 'something_new', variant: 'x', formula: 'x = y ÷ z' }, es, bucket)).toBe('x = y ÷ z');
  });
});
