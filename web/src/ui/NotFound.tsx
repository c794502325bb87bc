import { useI18n } from '../i18n/index.tsx';

/** The page for an address that matches no route. */
export function NotFound() {
  const { t } = useI18n();
  return (
    <div className="container container--narrow stack">
      <h1>{t('common.notFound.title')}</h1>
      <p>{t('common.notFound.body')}</p>
    </div>
  );
}
