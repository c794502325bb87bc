import { useI18n } from '../i18n/index.tsx';
import { Alert } from '../ui/index.ts';

/** The clear page for a link that does not open: invalid, expired or cancelled, and what to do. */
export function LinkProblem({ problem }: { problem: 'invalid' | 'expired' | 'revoked' }) {
  const { t } = useI18n();
  return (
    <>
      <h1>{t(`portal.link.${problem}.title`)}</h1>
      <Alert kind="warning">
        <p>{t(`portal.link.${problem}.body`)}</p>
      </Alert>
    </>
  );
}
