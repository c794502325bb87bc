import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, type ApiErrorDetail } from '../../../api/client.ts';
import { useI18n } from '../../../i18n/index.tsx';
import { Alert, Button, Card, ErrorView, Loading, TextAreaField, TextField } from '../../../ui/index.ts';
import { RequireSession } from '../../auth/session.tsx';

/** GET/PUT /negotiation/policy as the API answers it. */
interface Policy {
  policy: Record<string, unknown>;
  source: string;
  version: number;
  is_default: boolean;
  updated_by: string | null;
  updated_at: string | null;
}

const POLICY_QUERY = ['negotiation', 'policy'] as const;

/** The scalar settings edited in the form, by their path in the policy document; the rest is edited as YAML. */
const NUMBER_FIELDS = [
  'promises.max_days',
  'promises.min_percent_of_overdue',
  'promises.grace_business_days',
  'plans.min_down_payment_percent',
  'plans.max_installments',
  'plans.max_discount_percent',
  'settlements.max_discount_percent',
  'settlements.max_pay_within_days',
] as const;
const PLANS_ENABLED = 'plans.enabled';

/** /app/settings/negotiation — view and change the negotiation policy; the server's objections appear by the field. */
export default function PolicyPage() {
  return (
    <RequireSession permission="settings:write">
      <PolicySettings />
    </RequireSession>
  );
}

function PolicySettings() {
  const { t, dateTime } = useI18n();
  const policy = useQuery({ queryKey: POLICY_QUERY, queryFn: () => api.get<Policy>('/negotiation/policy') });
  // The forms remount with each new version (their state starts from it), so the confirmation lives here.
  const [saved, setSaved] = useState<number | null>(null);
  return (
    <div className="container container--narrow stack">
      <h1>{t('settings.policy.title')}</h1>
      <p>{t('settings.policy.intro')}</p>
      {policy.isPending ? (
        <Loading />
      ) : policy.isError ? (
        <ErrorView error={policy.error} retry={() => void policy.refetch()} />
      ) : (
        <>
          <p className="muted">
            {policy.data.is_default
              ? t('settings.policy.default')
              : t('settings.policy.version', { version: policy.data.version, by: policy.data.updated_by ?? '—', time: policy.data.updated_at ? dateTime(policy.data.updated_at) : '—' })}
          </p>
          {saved !== null && <Alert kind="success">{t('settings.policy.saved', { version: saved })}</Alert>}
          <PolicyForm key={`form-${policy.data.version}`} policy={policy.data} onSaved={setSaved} />
          <SourceForm key={`source-${policy.data.version}`} policy={policy.data} onSaved={setSaved} />
        </>
      )}
    </div>
  );
}

function getPath(document: Record<string, unknown>, path: string): unknown {
  let node: unknown = document;
  for (const key of path.split('.')) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  return node;
}

function setPath(document: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const [head, ...rest] = path.split('.') as [string, ...string[]];
  if (rest.length === 0) return { ...document, [head]: value };
  const child = document[head];
  return { ...document, [head]: setPath(child && typeof child === 'object' ? (child as Record<string, unknown>) : {}, rest.join('.'), value) };
}

/** Problems the server listed, by path; a path inside a field (e.g. `plans.max_installments`) belongs to that field. */
function problemsByPath(error: unknown): { byPath: Map<string, string[]>; all: ApiErrorDetail[] } {
  const byPath = new Map<string, string[]>();
  const all = error instanceof ApiError ? error.details : [];
  for (const d of all) if (d.path) byPath.set(d.path, [...(byPath.get(d.path) ?? []), d.reason]);
  return { byPath, all };
}

function PolicyForm({ policy, onSaved }: { policy: Policy; onSaved: (version: number | null) => void }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const initial = Object.fromEntries(NUMBER_FIELDS.map((p) => [p, String(getPath(policy.policy, p) ?? '')]));
  const [values, setValues] = useState<Record<string, string>>(initial);
  const [plansEnabled, setPlansEnabled] = useState(getPath(policy.policy, PLANS_ENABLED) !== false);
  const save = useMutation({
    mutationFn: () => {
      let document = policy.policy;
      for (const path of NUMBER_FIELDS) {
        const raw = (values[path] ?? '').trim();
        // A number goes as a number; anything else is sent as typed so the server names the problem by its path.
        document = setPath(document, path, raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw);
      }
      document = setPath(document, PLANS_ENABLED, plansEnabled);
      return api.put<Policy>('/negotiation/policy', { policy: document });
    },
    onSuccess: (saved) => {
      onSaved(saved.version);
      queryClient.setQueryData(POLICY_QUERY, saved);
    },
  });
  const { byPath, all } = problemsByPath(save.error);
  const fieldPaths = new Set<string>([...NUMBER_FIELDS, PLANS_ENABLED]);
  const elsewhere = all.filter((d) => !d.path || !fieldPaths.has(d.path));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSaved(null);
    save.mutate();
  };
  return (
    <Card title={t('settings.policy.form')}>
      {save.isError && (
        <Alert kind="error" title={t('settings.policy.invalid')}>
          {elsewhere.length > 0 ? (
            <ul>
              {elsewhere.map((d, i) => (
                <li key={i}>
                  {d.path ? <code>{d.path}</code> : null} {d.reason}
                </li>
              ))}
            </ul>
          ) : all.length === 0 ? (
            <p>{save.error instanceof ApiError ? save.error.message : ''}</p>
          ) : null}
        </Alert>
      )}
      <form className="stack" onSubmit={submit} noValidate>
        {NUMBER_FIELDS.map((path) => (
          <TextField
            key={path}
            label={t(`settings.policy.${path}`)}
            inputMode="decimal"
            value={values[path] ?? ''}
            error={byPath.get(path)?.join(' ') ?? (values[path] && !Number.isFinite(Number(values[path])) ? t('settings.policy.notNumber') : undefined)}
            onChange={(e) => setValues((v) => ({ ...v, [path]: e.target.value }))}
          />
        ))}
        <label className="row">
          <input type="checkbox" checked={plansEnabled} onChange={(e) => setPlansEnabled(e.target.checked)} />
          {t('settings.policy.plans.enabled')}
        </label>
        <Button type="submit" busy={save.isPending}>
          {t('settings.policy.save')}
        </Button>
      </form>
    </Card>
  );
}

function SourceForm({ policy, onSaved }: { policy: Policy; onSaved: (version: number | null) => void }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [source, setSource] = useState(policy.source);
  const save = useMutation({
    mutationFn: () => api.put<Policy>('/negotiation/policy', { source }),
    onSuccess: (saved) => {
      onSaved(saved.version);
      queryClient.setQueryData(POLICY_QUERY, saved);
    },
  });
  const { all } = problemsByPath(save.error);
  return (
    <Card title={t('settings.policy.source')}>
      <form
        className="stack"
        onSubmit={(event) => {
          event.preventDefault();
          onSaved(null);
          save.mutate();
        }}
        noValidate
      >
        <TextAreaField
          label={t('settings.policy.source')}
          hint={t('settings.policy.source.hint')}
          rows={18}
          spellCheck={false}
          style={{ fontFamily: 'monospace' }}
          value={source}
          error={
            save.isError
              ? all.length
                ? all.map((d) => (d.path && d.path !== 'policy' ? `${d.path}: ${d.reason}` : d.reason)).join(' · ')
                : save.error instanceof ApiError
                  ? save.error.message
                  : t('common.error.unexpected')
              : undefined
          }
          onChange={(e) => setSource(e.target.value)}
        />
        <Button type="submit" busy={save.isPending}>
          {t('settings.policy.saveSource')}
        </Button>
      </form>
    </Card>
  );
}
