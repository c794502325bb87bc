/**
 * The app's own small i18n: `const { t, locale } = useI18n()`, `t('area.key', { name: 'Ana' })` with `{name}`
 * placeholders; a `count` parameter picks `key.one` / `key.other` by the language's plural rules when those exist.
 * Spanish (es-MX) is the default; the choice is kept in localStorage and can be forced with `?lang=en`.
 * Formatting helpers (money from decimal strings, calendar dates) are bound to the current locale.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { setRequestLanguage } from '../api/client.ts';
import { catalogs } from './catalogs.ts';
import { DEFAULT_LOCALE, formatDate, formatDateTime, formatMoney, formatNumber, intlLocale, type Locale } from './format.ts';

export type { Locale } from './format.ts';
export { LOCALES } from './format.ts';

type Params = Record<string, string | number>;
const STORAGE_KEY = 'cobranza.lang';

const merged: Record<Locale, Record<string, string>> = { 'es-MX': {}, en: {} };
for (const catalog of Object.values(catalogs)) {
  Object.assign(merged['es-MX'], catalog.es);
  Object.assign(merged.en, catalog.en);
}

/**
 * Looks a key up in a locale, falling back to Spanish, then to the key itself (visible, so a gap gets noticed). A
 * `count` is written as the locale writes numbers ("1,250 casos").
 */
export function translate(locale: Locale, key: string, params?: Params): string {
  let text: string | undefined;
  if (params && typeof params.count === 'number') {
    const category = new Intl.PluralRules(intlLocale(locale)).select(params.count);
    text = merged[locale][`${key}.${category}`] ?? merged[locale][`${key}.other`];
  }
  text ??= merged[locale][key] ?? merged[DEFAULT_LOCALE][key];
  if (text === undefined) {
    if (import.meta.env?.DEV) console.warn(`missing message: ${key}`);
    return key;
  }
  const value = (name: string) => (name === 'count' && typeof params!.count === 'number' ? formatNumber(params!.count, locale) : String(params![name]));
  return params ? text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? value(name) : whole)) : text;
}

export interface I18n {
  locale: Locale;
  setLocale(locale: Locale): void;
  t(key: string, params?: Params): string;
  money(amount: string, currency: string): string;
  date(date: string, style?: 'medium' | 'long' | 'short'): string;
  dateTime(instant: string, timeZone?: string): string;
  number(value: number | string | bigint, options?: Intl.NumberFormatOptions): string;
}

const I18nContext = createContext<I18n | null>(null);

function initialLocale(): Locale {
  const fromUrl = new URLSearchParams(window.location.search).get('lang');
  if (fromUrl === 'en' || fromUrl === 'es' || fromUrl === 'es-MX') return fromUrl === 'en' ? 'en' : 'es-MX';
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    if (stored === 'en' || stored === 'es-MX') return stored;
  } catch {
    // Storage can be disabled (private mode); the default applies.
  }
  return DEFAULT_LOCALE;
}

/** Provides the current language to everything below it. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(() => {
    const first = initialLocale();
    // Before any page asks the API for anything: its messages come in this language.
    setRequestLanguage(first);
    return first;
  });
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const setLocale = useCallback((next: Locale) => {
    setRequestLanguage(next);
    setLocaleState(next);
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not persisted; the choice still holds for this page.
    }
  }, []);
  const value = useMemo<I18n>(
    () => ({
      locale,
      setLocale,
      t: (key, params) => translate(locale, key, params),
      money: (amount, currency) => formatMoney(amount, currency, locale),
      date: (date, style) => formatDate(date, locale, style),
      dateTime: (instant, timeZone) => formatDateTime(instant, locale, timeZone),
      number: (v, options) => formatNumber(v, locale, options),
    }),
    [locale, setLocale],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** The current language, `t` and the formatters. */
export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n must be used inside <I18nProvider>');
  return value;
}
