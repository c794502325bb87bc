/**
 * The account list's filters as typed, checked before they go to the address and the API: a days-past-due range
 * that cannot match, a balance that is not a number or has more decimals than its currency, a balance bound without
 * a currency. Each problem is named on its field, in the reader's language.
 */
import { compareDecimal, hasTooManyDecimals, parseAmountInput } from '../../i18n/format.ts';

/** The filters, as the API names them. */
export const FILTERS = ['q', 'portfolio', 'phase', 'bucket', 'segment', 'dpd_min', 'dpd_max', 'currency', 'balance_min', 'balance_max'] as const;
export type Filters = Record<(typeof FILTERS)[number], string>;
export type FilterErrors = Partial<Record<keyof Filters, string>>;

type T = (key: string, params?: Record<string, string | number>) => string;

/** A balance bound as typed ("1,250.50", "-300") → the decimal string the API takes, or null when it is not a number. */
export function balanceValue(text: string): string | null {
  const s = text.trim();
  const negative = s.startsWith('-');
  const amount = parseAmountInput(negative ? s.slice(1) : s);
  return amount === null ? null : `${negative && /[1-9]/.test(amount) ? '-' : ''}${amount}`;
}

/** The problems of `draft`, by field; empty when it can be applied. */
export function filterErrors(draft: Filters, t: T): FilterErrors {
  const errors: FilterErrors = {};
  const days: Partial<Record<'dpd_min' | 'dpd_max', number>> = {};
  for (const key of ['dpd_min', 'dpd_max'] as const) {
    const text = draft[key].trim();
    if (!text) continue;
    if (!/^-?\d{1,6}$/.test(text)) errors[key] = t('accounts.error.dpdWhole');
    else days[key] = Number(text);
  }
  if (days.dpd_min !== undefined && days.dpd_max !== undefined && days.dpd_min > days.dpd_max) {
    errors.dpd_max = t('accounts.error.dpdRange', { min: days.dpd_min, max: days.dpd_max });
  }
  const amounts: Partial<Record<'balance_min' | 'balance_max', string>> = {};
  for (const key of ['balance_min', 'balance_max'] as const) {
    const text = draft[key].trim();
    if (!text) continue;
    const value = balanceValue(text);
    if (value === null) errors[key] = t('accounts.error.balanceFormat');
    else if (draft.currency && hasTooManyDecimals(value.replace(/^-/, ''), draft.currency)) errors[key] = t('accounts.error.balanceDecimals', { currency: draft.currency });
    else amounts[key] = value;
  }
  if ((draft.balance_min.trim() || draft.balance_max.trim()) && !draft.currency) errors.currency = t('accounts.error.currency');
  if (amounts.balance_min !== undefined && amounts.balance_max !== undefined && compareDecimal(amounts.balance_min, amounts.balance_max) > 0) {
    errors.balance_max ??= t('accounts.error.balanceRange');
  }
  return errors;
}

/** The filters to put in the address: trimmed, balances as the API reads them. Call only when {@link filterErrors} is empty. */
export function cleanFilters(draft: Filters): Filters {
  const out = { ...draft };
  for (const key of FILTERS) out[key] = draft[key].trim();
  for (const key of ['balance_min', 'balance_max'] as const) if (out[key]) out[key] = balanceValue(out[key]) ?? out[key];
  return out;
}
