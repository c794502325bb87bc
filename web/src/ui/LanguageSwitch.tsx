import { useId } from 'react';
import { LOCALES, useI18n, type Locale } from '../i18n/index.tsx';

/** Spanish / English selector; the choice is remembered on this device. */
export function LanguageSwitch() {
  const { locale, setLocale, t } = useI18n();
  const id = useId();
  return (
    <span className="lang-switch">
      <label htmlFor={id} className="visually-hidden">
        {t('common.language')}
      </label>
      <select id={id} value={locale} onChange={(e) => setLocale(e.target.value as Locale)}>
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {t(l === 'en' ? 'common.language.en' : 'common.language.es')}
          </option>
        ))}
      </select>
    </span>
  );
}
