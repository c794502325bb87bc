import { useI18n } from '../i18n/index.tsx';

/** An amount as the API sends it (decimal string + ISO currency), formatted for the current language. */
export function Money({ amount, currency }: { amount: string; currency: string }) {
  const { money } = useI18n();
  return <span className="amount">{money(amount, currency)}</span>;
}

/** A calendar date (YYYY-MM-DD) in the current language. */
export function DateText({ date, style }: { date: string; style?: 'medium' | 'long' | 'short' }) {
  const i18n = useI18n();
  return <time dateTime={date}>{i18n.date(date, style)}</time>;
}
