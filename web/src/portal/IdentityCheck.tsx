import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/client.ts';
import { useI18n } from '../i18n/index.tsx';
import { Alert, Button, ErrorView, TextField } from '../ui/index.ts';
import type { PortalClient, PortalView } from './api.ts';

/**
 * The light identity check: last 4 of the tax id or the date of birth, as the company chose. The server counts wrong
 * answers and locks the check at the limit; this page only says how many tries are left or until when it is locked.
 */
export function IdentityCheck({ view, api, onPassed }: { view: PortalView; api: PortalClient; onPassed(session: string): void }) {
  const { t, dateTime } = useI18n();
  const queryClient = useQueryClient();
  const [answer, setAnswer] = useState('');
  const [busy, setBusy] = useState(false);
  const [wrong, setWrong] = useState<number | null>(null);
  const [lockedUntil, setLockedUntil] = useState<string | null>(view.identity.locked_until);
  const [error, setError] = useState<unknown>(null);
  const method = view.identity.method === 'birth_date' ? 'birth_date' : 'tax_id_last4';

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!answer.trim()) return;
    setBusy(true);
    setError(null);
    try {
      const { session } = await api.verify(answer.trim());
      onPassed(session);
      await queryClient.invalidateQueries({ queryKey: ['portal'] });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'too_many_attempts') {
        setLockedUntil(e.details.find((d) => d.path === 'locked_until')?.reason ?? null);
      } else if (e instanceof ApiError && e.details.some((d) => d.reason === 'wrong_answer')) {
        setWrong(Number(e.details.find((d) => d.path === 'attempts_left')?.reason ?? 0));
        setAnswer('');
      } else setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <p className="muted">{t('portal.creditor', { creditor: view.creditor })}</p>
      <h1>{t('portal.greeting', { name: view.debtor_first_name })}</h1>
      {lockedUntil ? (
        <Alert kind="error" title={t('portal.identity.locked.title')}>
          <p>{t('portal.identity.locked.body', { until: dateTime(lockedUntil) })}</p>
        </Alert>
      ) : !view.identity.available ? (
        <Alert kind="warning">
          <p>{t('portal.identity.unavailable')}</p>
        </Alert>
      ) : (
        <form className="card stack" onSubmit={submit} noValidate>
          <h2>{t('portal.identity.title')}</h2>
          <p>{t('portal.identity.why')}</p>
          {method === 'birth_date' ? (
            <TextField label={t('portal.identity.birth_date')} type="date" required value={answer} onChange={(e) => setAnswer(e.target.value)} autoComplete="bday" />
          ) : (
            <TextField
              label={t('portal.identity.tax_id_last4')}
              hint={t('portal.identity.tax_id_last4.hint')}
              required
              maxLength={4}
              autoCapitalize="characters"
              autoComplete="off"
              spellCheck={false}
              value={answer}
              onChange={(e) => setAnswer(e.target.value.toUpperCase())}
              error={wrong !== null ? t('portal.identity.wrong', { count: wrong }) : undefined}
            />
          )}
          {method === 'birth_date' && wrong !== null && <Alert kind="error">{t('portal.identity.wrong', { count: wrong })}</Alert>}
          {error !== null && <ErrorView error={error} />}
          <Button type="submit" block busy={busy} disabled={!answer.trim()}>
            {t('portal.identity.submit')}
          </Button>
        </form>
      )}
    </>
  );
}
