import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../../api/client.ts';
import { useI18n } from '../../../i18n/index.tsx';
import { Alert, Button, Card, ErrorView, Loading, TextField } from '../../../ui/index.ts';
import { RequireSession } from '../../auth/session.tsx';

interface SecretView {
  set: boolean;
  last4: string | null;
}
interface ProviderSettings {
  provider: string;
  settings: Record<string, unknown>;
  secrets: Record<string, SecretView>;
  updated_at: string | null;
  updated_by: string | null;
}

/** The plain fields of each provider, in display order (the secrets come from the API's `secrets`). */
const PLAIN_FIELDS: Record<string, string[]> = {
  smtp: ['host', 'port', 'secure', 'user', 'from'],
  whatsapp: ['phone_number_id', 'api_version', 'base_url'],
  twilio: ['account_sid', 'from', 'messaging_service_sid', 'base_url'],
  stripe: ['base_url'],
  mercadopago: ['base_url'],
};

/** /app/settings/providers — the company's credentials for email, WhatsApp, SMS and payments; secrets are write-only. */
export default function ProvidersPage() {
  return (
    <RequireSession permission="settings:write">
      <ProvidersSettings />
    </RequireSession>
  );
}

function ProvidersSettings() {
  const { t } = useI18n();
  const list = useQuery({ queryKey: ['settings', 'providers'], queryFn: () => api.get<{ data: ProviderSettings[] }>('/settings/providers') });
  return (
    <div className="container container--narrow stack">
      <h1>{t('settings.providers.title')}</h1>
      <p>{t('settings.providers.intro')}</p>
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorView error={list.error} retry={() => void list.refetch()} />
      ) : (
        list.data.data.map((p) => <ProviderForm key={p.provider} provider={p} />)
      )}
    </div>
  );
}

function ProviderForm({ provider }: { provider: ProviderSettings }) {
  const { t, dateTime } = useI18n();
  const queryClient = useQueryClient();
  const plainFields = PLAIN_FIELDS[provider.provider] ?? [];
  const secretFields = Object.keys(provider.secrets);
  const [plain, setPlain] = useState<Record<string, string>>(() =>
    Object.fromEntries(plainFields.map((f) => [f, provider.settings[f] === undefined ? '' : String(provider.settings[f])])),
  );
  const [secrets, setSecrets] = useState<Record<string, string>>({});
  const save = useMutation({
    mutationFn: () => {
      const body: Record<string, unknown> = {};
      for (const f of plainFields) {
        const v = (plain[f] ?? '').trim();
        if (v === '') continue;
        body[f] = f === 'port' ? Number(v) : f === 'secure' ? v === 'true' : v;
      }
      // Only secrets typed now are sent; an empty field keeps the stored one.
      for (const f of secretFields) if (secrets[f]) body[f] = secrets[f];
      return api.put<ProviderSettings>(`/settings/providers/${provider.provider}`, body);
    },
    onSuccess: (saved) => {
      setSecrets({});
      queryClient.setQueryData<{ data: ProviderSettings[] }>(['settings', 'providers'], (old) => (old ? { data: old.data.map((p) => (p.provider === saved.provider ? saved : p)) } : old));
    },
  });
  const details = save.error instanceof ApiError ? save.error.details : [];
  const fieldError = (f: string) => {
    const found = details.filter((d) => d.path === f || d.path?.endsWith(`.${f}`));
    return found.length ? found.map((d) => d.reason).join(' ') : undefined;
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const id = (f: string) => `provider-${provider.provider}-${f}`;
  return (
    <Card title={t(`settings.providers.name.${provider.provider}`)} data-provider={provider.provider}>
      {provider.updated_at && <p className="muted">{t('settings.providers.updated', { time: dateTime(provider.updated_at), by: provider.updated_by ?? '—' })}</p>}
      {save.isSuccess && <Alert kind="success">{t('settings.providers.saved')}</Alert>}
      {save.isError && <ErrorView error={save.error} />}
      <form className="stack" onSubmit={submit} noValidate>
        {plainFields.map((f) =>
          f === 'secure' ? (
            <label key={f} className="row" htmlFor={id(f)}>
              <input
                id={id(f)}
                type="checkbox"
                checked={plain[f] === 'true'}
                onChange={(e) => {
                  save.reset();
                  setPlain((v) => ({ ...v, [f]: e.target.checked ? 'true' : 'false' }));
                }}
              />
              {t('settings.providers.field.secure')}
            </label>
          ) : (
            <TextField
              key={f}
              id={id(f)}
              label={t(`settings.providers.field.${f}`)}
              inputMode={f === 'port' ? 'numeric' : undefined}
              value={plain[f] ?? ''}
              error={fieldError(f)}
              autoComplete="off"
              onChange={(e) => {
                save.reset();
                setPlain((v) => ({ ...v, [f]: e.target.value }));
              }}
            />
          ),
        )}
        {secretFields.map((f) => {
          const stored = provider.secrets[f];
          return (
            <TextField
              key={f}
              id={id(f)}
              type="password"
              autoComplete="new-password"
              label={t(`settings.providers.field.${f}`)}
              hint={stored?.set ? t('settings.providers.secret.set', { last4: stored.last4 ?? '' }) : t('settings.providers.secret.unset')}
              value={secrets[f] ?? ''}
              error={fieldError(f)}
              onChange={(e) => {
                save.reset();
                setSecrets((v) => ({ ...v, [f]: e.target.value }));
              }}
            />
          );
        })}
        <Button type="submit" busy={save.isPending}>
          {t('settings.providers.save')}
        </Button>
      </form>
    </Card>
  );
}
