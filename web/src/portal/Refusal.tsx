import { ApiError } from '../api/client.ts';
import { useI18n } from '../i18n/index.tsx';
import { Alert, ErrorView } from '../ui/index.ts';

/**
 * An action's error. A policy refusal lists each reason the policy gave (the negotiation module writes them for
 * people); anything else is the generic error view.
 */
export function ActionError({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (error === null || error === undefined) return null;
  if (error instanceof ApiError && error.code === 'policy_refused') {
    return (
      <Alert kind="error" title={t('portal.refused')}>
        <ul>
          {error.details.map((d, i) => (
            <li key={i}>{d.reason}</li>
          ))}
        </ul>
      </Alert>
    );
  }
  return <ErrorView error={error} />;
}
