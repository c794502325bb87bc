import { useI18n } from '../i18n/index.tsx';

/** A loading indicator; `label` is read by screen readers (default "Cargando…"). */
export function Spinner({ label, small }: { label?: string; small?: boolean }) {
  const { t } = useI18n();
  return (
    <span role="status" className="row">
      <span className="spinner" aria-hidden="true" style={small ? { width: 14, height: 14, borderWidth: 2 } : undefined} />
      <span className="visually-hidden">{label ?? t('common.loading')}</span>
    </span>
  );
}

/** A block that says the page is loading. */
export function Loading() {
  const { t } = useI18n();
  return (
    <div className="row muted" style={{ padding: 16 }}>
      <span className="spinner" aria-hidden="true" /> <span role="status">{t('common.loading')}</span>
    </div>
  );
}
