import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Alert, Button, Card, ErrorView, LanguageSwitch, TextField } from '../../ui/index.ts';

/** /app/forgot-password — asks for a reset link. The answer never says whether the email exists. */
export default function ForgotPasswordPage() {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.post('/auth/forgot-password', { email });
      setSent(true);
    } catch (e) {
      setError(e);
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
        <h1>{t('auth.forgot.title')}</h1>
        {sent ? (
          <Alert kind="success">{t('auth.forgot.sent')}</Alert>
        ) : (
          <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
            <p>{t('auth.forgot.intro')}</p>
            {error !== null && <ErrorView error={error} />}
            <TextField label={t('auth.email')} type="email" name="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
            <Button type="submit" block busy={busy} disabled={!email}>
              {t('auth.forgot.submit')}
            </Button>
          </form>
        )}
        <p>
          <Link to="/app/sign-in">{t('auth.backToSignIn')}</Link>
        </p>
      </Card>
    </main>
  );
}
