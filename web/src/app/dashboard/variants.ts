/**
 * The words for a KPI variant. The API names variants for machines ('countback', 'threshold_30', 'months_1'); the page
 * shows them from the catalog (`dashboard.variant.*`), with the number of a parametrised variant filled in.
 */

/** A catalog key and its parameters. */
export interface VariantMessage {
  key: string;
  params?: Record<string, string | number>;
}

/** Variants named by a fixed key: `dashboard.variant.<name>`. */
export const NAMED_VARIANTS = [
  'period',
  'countback',
  'countback_negative_ar',
  'countback_negative_sales',
  'countback_insufficient_history',
  'no_beginning_snapshot',
  'no_ending_snapshot',
  'balance',
  'account_tracked',
  'aggregate',
  'amount',
  'count',
  'answered',
  'right_party',
  'per_right_party_contact',
  'monthly_cost_prorated',
  'cost_not_split',
  'no_cost_configured',
  'costs_not_shown',
] as const;

const NAMED: ReadonlySet<string> = new Set(NAMED_VARIANTS);

/**
 * A delinquency threshold variant, `threshold_<days>` or `imora_threshold_<days>` (IMORA), as its days and kind; null
 * for any other variant.
 */
export function thresholdVariant(variant: string): { days: number; imora: boolean } | null {
  const match = /^(imora_)?threshold_(\d+)$/.exec(variant);
  return match ? { days: Number(match[2]), imora: match[1] !== undefined } : null;
}

/**
 * The message of a variant, or null for a variant the page does not know (shown as sent, so a new one gets noticed).
 * `threshold_30` → "balance 30+ days past due", `imora_threshold_90`, `months_3` (CEI), `dso_<variant>` (ADD).
 */
export function variantMessage(variant: string): VariantMessage | null {
  if (NAMED.has(variant)) return { key: `dashboard.variant.${variant}` };
  const threshold = thresholdVariant(variant);
  if (threshold) return { key: threshold.imora ? 'dashboard.variant.imoraThreshold' : 'dashboard.variant.threshold', params: { days: threshold.days } };
  const months = /^months_(\d+)$/.exec(variant);
  if (months) return { key: 'dashboard.variant.months', params: { count: Number(months[1]) } };
  if (variant.startsWith('dso_') && variantMessage(variant.slice('dso_'.length))) return { key: 'dashboard.variant.dso', params: { dso: variant.slice('dso_'.length) } };
  return null;
}

/** The variant in words in the reader's language, as `t` gives them. */
export function variantLabel(variant: string, t: (key: string, params?: Record<string, string | number>) => string): string {
  const message = variantMessage(variant);
  if (!message) return variant;
  // ADD names the DSO it was computed from: its words come from that DSO's own variant.
  if (message.key === 'dashboard.variant.dso') return t(message.key, { dso: variantLabel(String(message.params!.dso), t) });
  return t(message.key, message.params);
}
