import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../../api/client.ts';
import { useI18n } from '../../../i18n/index.tsx';
import { Alert, Button, Card, ErrorView, Loading, SelectField, TextField } from '../../../ui/index.ts';
import { RequireSession } from '../../auth/session.tsx';

const FIELDS = ['preventive_days', 'administrative_from', 'extrajudicial_from', 'judicial_from', 'grace_days'] as const;
type Field = (typeof FIELDS)[number];
type Phases = { portfolio: string } & Record<Field, number>;

/** /app/settings/phases — the days past due at which a portfolio's accounts change phase. */
export default function PhasesPage() {
  return (
    <RequireSession permission="settings:write">
      <PhasesSettings />
    </RequireSession>
  );
}

function PhasesSettings() {
  const { t } = useI18n();
  const portfolios = useQuery({ queryKey: ['portfolios'], queryFn: () => api.get<{ data: Array<{ name: string }> }>('/portfolios') });
  const [chosen, setChosen] = useState<string | null>(null);
  const portfolio = chosen ?? portfolios.data?.data[0]?.name ?? null;
  return (
    <div className="container container--narrow stack">
      <h1>{t('settings.phases.title')}</h1>
      <p>{t('settings.phases.intro')}</p>
      {portfolios.isPending ? (
        <Loading />
      ) : portfolios.isError ? (
        <ErrorView error={portfolios.error} retry={() => void portfolios.refetch()} />
      ) : (
        <>
          {portfolios.data.data.length > 1 && (
            <SelectField label={t('settings.phases.portfolio')} value={portfolio ?? ''} onChange={(e) => setChosen(e.target.value)} options={portfolios.data.data.map((p) => ({ value: p.name, label: p.name }))} />
          )}
          {portfolio && <PhasesForm key={portfolio} portfolio={portfolio} />}
        </>
      )}
    </div>
  );
}

function PhasesForm({ portfolio }: { portfolio: string }) {
  const queryClient = useQueryClient();
  const key = ['portfolios', portfolio, 'phases'];
  const phases = useQuery({ queryKey: key, queryFn: () => api.get<Phases>(`/portfolios/${encodeURIComponent(portfolio)}/phases`) });
  if (phases.isPending) return <Loading />;
  if (phases.isError) return <ErrorView error={phases.error} retry={() => void phases.refetch()} />;
  return <Editor phases={phases.data} onSaved={(saved) => queryClient.setQueryData(key, saved)} />;
}

function Editor({ phases, onSaved }: { phases: Phases; onSaved: (saved: Phases) => void }) {
  const { t } = useI18n();
  const [values, setValues] = useState<Record<Field, string>>(() => Object.fromEntries(FIELDS.map((f) => [f, String(phases[f])])) as Record<Field, string>);
  const save = useMutation({
    mutationFn: () => api.put<Phases>(`/portfolios/${encodeURIComponent(phases.portfolio)}/phases`, Object.fromEntries(FIELDS.map((f) => [f, Number(values[f])]))),
    onSuccess: onSaved,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const details = save.error instanceof ApiError ? save.error.details : [];
  const fieldError = (f: Field) => {
    if (!/^[0-9]+$/.test(values[f].trim())) return t('settings.policy.notNumber');
    const found = details.filter((d) => d.path === f || d.path === `body.${f}` || d.path?.endsWith(`.${f}`));
    return found.length ? found.map((d) => d.reason).join(' ') : undefined;
  };
  const invalid = FIELDS.some((f) => !/^[0-9]+$/.test(values[f].trim()));
  return (
    <Card title={phases.portfolio}>
      {save.isSuccess && <Alert kind="success">{t('settings.phases.saved')}</Alert>}
      {save.isError && <ErrorView error={save.error} />}
      <form className="stack" onSubmit={submit} noValidate>
        <p className="muted">{t('settings.phases.order')}</p>
        {FIELDS.map((f) => (
          <TextField
            key={f}
            label={t(`settings.phases.${f}`)}
            inputMode="numeric"
            value={values[f]}
            error={fieldError(f)}
            onChange={(e) => {
              save.reset();
              setValues((v) => ({ ...v, [f]: e.target.value }));
            }}
          />
        ))}
        <Button type="submit" busy={save.isPending} disabled={invalid}>
          {t('settings.phases.save')}
        </Button>
      </form>
    </Card>
  );
}
