import { ApiError } from '../api/client.ts';
import { useI18n } from '../i18n/index.tsx';
import { Alert } from './Alert.tsx';
import { Button } from './Button.tsx';

/**
 * Shows a failed request: the server's message when it is a 4xx a person can act on, a generic sentence otherwise
 * (a 500 carries nothing useful to the reader), and a retry button when `retry` is given.
 */
export function ErrorView({ error, retry }: { error: unknown; retry?: () => void }) {
  const { t } = useI18n();
  let message = t('common.error.unexpected');
  if (error instanceof ApiError) {
    if (error.status === 0) message = t('common.error.network');
    else if (error.status < 500) message = error.message;
  }
  return (
    <Alert kind="error" title={t('common.error.title')}>
      <p>{message}</p>
      {retry && (
        <Button variant="secondary" onClick={retry}>
          {t('common.retry')}
        </Button>
      )}
    </Alert>
  );
}
