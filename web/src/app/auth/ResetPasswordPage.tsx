import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, ApiError } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Alert, Button, Card, ErrorView, LanguageSwitch, TextField } from '../../ui/index.ts';

/** /app/reset-password?token=… — the emailed link's page: choose a new password (the link works once). */
export default function ResetPasswordPage() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const mismatch = confirm !== '' && confirm !== password;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (mismatch) return;
    setBusy(true);
    setError(null);
    try {
      await api.post('/auth/reset-password', { token, password });
      setDone(true);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const invalidLink = error instanceof ApiError && error.details.some((d) => d.path === 'token');

  return (
    <main id="main" className="container container--narrow stack">
      <div className="row row--end">
        <LanguageSwitch />
      </div>
      <Card>
        <h1>{t('auth.reset.title')}</h1>
        {!token ? (
          <Alert kind="error">{t('auth.reset.missing')}</Alert>
        ) : done ? (
          <Alert kind="success">{t('auth.reset.done')}</Alert>
        ) : (
          <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
            {invalidLink ? <Alert kind="error">{t('auth.reset.invalid')}</Alert> : error !== null && <ErrorView error={error} />}
            <TextField label={t('auth.reset.password')} hint={t('auth.reset.hint')} type="password" autoComplete="new-password" minLength={10} required value={password} onChange={(e) => setPassword(e.target.value)} />
            <TextField label={t('auth.reset.confirm')} type="password" autoComplete="new-password" required value={confirm} error={mismatch ? t('auth.reset.mismatch') : undefined} onChange={(e) => setConfirm(e.target.value)} />
            <Button type="submit" block busy={busy} disabled={!password || !confirm || mismatch}>
              {t('auth.reset.submit')}
            </Button>
          </form>
        )}
        <p>
          <Link to={invalidLink ? '/app/forgot-password' : '/app/sign-in'}>{invalidLink ? t('auth.forgot.title') : t('auth.backToSignIn')}</Link>
        </p>
      </Card>
    </main>
  );
}
