import { useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Alert, Button, Card, LanguageSwitch, TextField } from '../../ui/index.ts';
import { safeNext } from './session.tsx';

/** Explains a refused sign-in in the reader's language, by the API's error code. */
function refusal(error: unknown, t: (key: string) => string): string {
  if (error instanceof ApiError) {
    if (error.code === 'too_many_attempts') return t('auth.signIn.locked');
    // The API's message arrives in the UI's language (Accept-Language): "deactivated" / "desactivado".
    if (error.status === 401 && /deactivated|desactivado/.test(error.message)) return t('auth.signIn.inactive');
    if (error.status === 401) return t('auth.signIn.wrong');
    if (error.status === 0) return t('common.error.network');
  }
  return t('common.error.unexpected');
}

/** /app/sign-in — email and password; on success, back to the page that sent the visitor here. */
export default function SignInPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.post('/auth/sign-in', { email, password });
      // Another user may have used this tab: nothing cached under the previous session may show.
      queryClient.clear();
      await navigate(safeNext(location.search), { replace: true });
    } catch (e) {
      setError(refusal(e, t));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="container container--narrow stack">
      <div className="row row--end">
        <LanguageSwitch />
      </div>
      <Card>
        <h1>{t('auth.signIn.title')}</h1>
        <p>{t('auth.signIn.intro')}</p>
        <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
          {error && <Alert kind="error">{error}</Alert>}
          <TextField label={t('auth.email')} type="email" name="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
          <TextField label={t('auth.password')} type="password" name="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
          <Button type="submit" block busy={busy} disabled={!email || !password}>
            {t('auth.signIn.submit')}
          </Button>
        </form>
        <p>
          <Link to="/app/forgot-password">{t('auth.signIn.forgot')}</Link>
        </p>
      </Card>
    </main>
  );
}
