/**
 * What a KPI means, in the reader's language. The API sends each KPI with a terse `formula` (in the Accept-Language,
 * English by default) for integrators and downloads; the page explains a KPI from the catalog (`dashboard.formula.*`)
 * by its id (`name`) and `variant` instead, in fuller sentences, with the same formulas as the KPI definitions the API
 * computes (src/domain/kpis.ts).
 */
import { nextBucket } from '../aging.ts';
import { thresholdVariant, variantLabel } from './variants.ts';

type Translate = (key: string, params?: Record<string, string | number>) => string;

/**
 * Days between the two dates a roll rate compares: a bucket's width (the API's TRANSITION_LAG_DAYS, which
 * formulas.test.ts checks this against).
 */
export const ROLL_RATE_LAG_DAYS = 30;

/** A catalog key and its parameters; `note` adds a second sentence (why a figure has no value). */
export interface FormulaMessage {
  key: string;
  params?: Record<string, string | number>;
  note?: string;
}

/** Cost per peso recovered without a value: why, by variant. */
const COST_NOTES: Readonly<Record<string, string>> = {
  cost_not_split: 'dashboard.formula.cost_per_peso_recovered.cost_not_split',
  no_cost_configured: 'dashboard.formula.cost_per_peso_recovered.no_cost_configured',
  costs_not_shown: 'dashboard.formula.cost_per_peso_recovered.costs_not_shown',
};

/**
 * The explanation of the KPI `name` computed under `variant`, or null for a KPI the page does not know (the page then
 * shows what the API sent, so a new KPI gets noticed). `bucketLabel` names the buckets of a roll rate in words.
 */
export function formulaMessage(name: string, variant: string, bucketLabel: (bucket: string) => string): FormulaMessage | null {
  if (name.startsWith('roll_rate_')) {
    const from = name.slice('roll_rate_'.length);
    const to = nextBucket(from);
    if (to === null || (variant !== 'account_tracked' && variant !== 'aggregate')) return null;
    return { key: `dashboard.formula.roll_rate.${variant}`, params: { from: bucketLabel(from), to: bucketLabel(to), days: ROLL_RATE_LAG_DAYS } };
  }
  switch (name) {
    case 'dso':
      if (variant === 'period' || variant === 'no_ending_snapshot') return { key: 'dashboard.formula.dso.period' };
      return variant.startsWith('countback') ? { key: 'dashboard.formula.dso.countback' } : null;
    case 'bpdso':
    case 'add':
    case 'cei':
    case 'percent_current':
    case 'percent_90_plus':
    case 'contact_rate':
    case 'right_party_contact_rate':
    case 'promise_to_pay_rate':
    case 'promise_kept_rate':
      return { key: `dashboard.formula.${name}` };
    case 'delinquency': {
      const threshold = thresholdVariant(variant);
      if (!threshold) return null;
      return { key: threshold.imora ? 'dashboard.formula.imora' : 'dashboard.formula.delinquency', params: { days: threshold.days } };
    }
    case 'cure_rate':
      return variant === 'amount' || variant === 'count' ? { key: `dashboard.formula.cure_rate.${variant}` } : null;
    case 'cost_per_peso_recovered': {
      const note = COST_NOTES[variant];
      if (variant !== 'monthly_cost_prorated' && note === undefined) return null;
      return { key: 'dashboard.formula.cost_per_peso_recovered', ...(note !== undefined && { note }) };
    }
    default:
      return null;
  }
}

/** The explanation of a KPI in the reader's language, or `fallback` (the API's text) for a KPI the page does not know. */
export function formulaText(
  kpi: { name: string; variant: string; formula: string },
  t: Translate,
  bucketLabel: (bucket: string) => string,
): string {
  const message = formulaMessage(kpi.name, kpi.variant, bucketLabel);
  if (!message) return kpi.formula;
  const text = t(message.key, message.params);
  // ADD names the DSO it was computed from, in the variant's words.
  const withDso = kpi.name === 'add' && kpi.variant.startsWith('dso_') ? `${text} ${t('dashboard.formula.add.dso', { dso: variantLabel(kpi.variant.slice('dso_'.length), t) })}` : text;
  return message.note ? `${withDso} ${t(message.note)}` : withDso;
}
