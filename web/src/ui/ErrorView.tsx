import { useI18n } from '../i18n/index.tsx';
import { Alert } from './Alert.tsx';
import { Button } from './Button.tsx';
import { describeError } from './error-message.ts';

/**
 * Shows a failed request (see describeError for what the reader gets), and a retry button when `retry` is given and
 * asking again can change the answer: a network failure or a 5xx can, a 4xx refusal cannot.
 */
export function ErrorView({ error, retry }: { error: unknown; retry?: () => void }) {
  const { t } = useI18n();
  const { message, reasons, retryable } = describeError(error, t);
  return (
    <Alert kind="error" title={t('common.error.title')}>
      <p>{message}</p>
      {reasons.length > 0 && (
        <ul>
          {reasons.map((r, i) => (
            <li key={i}>{r}</li>
          ))}
        </ul>
      )}
      {retry && retryable && (
        <Button variant="secondary" onClick={retry}>
          {t('common.retry')}
        </Button>
      )}
    </Alert>
  );
}
