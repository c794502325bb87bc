import { Link } from 'react-router';
import { useI18n } from '../i18n/index.tsx';
import { usePortal } from './context.tsx';

/** "← Volver" to the portal's home. */
export function BackLink() {
  const { href } = usePortal();
  const { t } = useI18n();
  return (
    <Link to={href()} className="button button--link" style={{ paddingLeft: 0 }}>
      ← {t('common.back')}
    </Link>
  );
}
