import { useState, type FormEvent } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../../api/client.ts';
import { useI18n } from '../../../i18n/index.tsx';
import { Alert, Button, Card, ErrorView, Loading, TextAreaField, TextField } from '../../../ui/index.ts';
import { RequireSession } from '../../auth/session.tsx';
import { useDebounced } from '../useDebounced.ts';

interface Segment {
  name: string;
  rule: string;
  description: string | null;
}

/** What POST /settings/segments/check answers for a rule as typed. */
interface RuleCheck {
  valid: boolean;
  error: { reason: string; message: string; position: number; line: number; column: number } | null;
  matches: number | null;
  accounts: number;
}

const SEGMENTS_QUERY = ['segments'] as const;

/** /app/settings/segments — the company's segments, and a rule editor that checks the rule as it is typed. */
export default function SegmentsPage() {
  return (
    <RequireSession permission="settings:write">
      <Segments />
    </RequireSession>
  );
}

function Segments() {
  const { t } = useI18n();
  const segments = useQuery({ queryKey: SEGMENTS_QUERY, queryFn: () => api.get<{ data: Segment[] }>('/segments') });
  const [adding, setAdding] = useState(false);
  return (
    <div className="container stack">
      <div className="row">
        <h1>{t('settings.segments.title')}</h1>
        <Button variant="secondary" onClick={() => setAdding((v) => !v)} aria-expanded={adding}>
          {t('settings.segments.add')}
        </Button>
      </div>
      <p>{t('settings.segments.intro')}</p>
      {adding && <NewSegment onDone={() => setAdding(false)} />}
      {segments.isPending ? (
        <Loading />
      ) : segments.isError ? (
        <ErrorView error={segments.error} retry={() => void segments.refetch()} />
      ) : segments.data.data.length === 0 ? (
        <p>{t('settings.segments.empty')}</p>
      ) : (
        <SegmentTable segments={segments.data.data} />
      )}
    </div>
  );
}

function SegmentTable({ segments }: { segments: Segment[] }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  // Removing takes two clicks: the first arms the button of that row, so a stray click loses nothing.
  const [armed, setArmed] = useState<string | null>(null);
  const remove = useMutation({
    mutationFn: (name: string) => api.delete<void>(`/segments/${encodeURIComponent(name)}`),
    onSuccess: async () => {
      setArmed(null);
      await queryClient.invalidateQueries({ queryKey: SEGMENTS_QUERY });
    },
  });
  return (
    <>
      {remove.isSuccess && <Alert kind="success">{t('settings.segments.removed', { name: remove.variables })}</Alert>}
      {remove.isError && <ErrorView error={remove.error} />}
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('settings.segments.col.name')}</th>
              <th scope="col">{t('settings.segments.col.rule')}</th>
              <th scope="col">{t('settings.segments.col.description')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('settings.segments.remove')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {segments.map((s) => (
              <tr key={s.name}>
                <td>{s.name}</td>
                <td>
                  <code>{s.rule}</code>
                </td>
                <td>{s.description ?? ''}</td>
                <td>
                  {armed === s.name ? (
                    <Button variant="danger" busy={remove.isPending} onClick={() => remove.mutate(s.name)}>
                      {t('settings.segments.removeConfirm', { name: s.name })}
                    </Button>
                  ) : (
                    <Button variant="secondary" aria-label={`${t('settings.segments.remove')} ${s.name}`} onClick={() => setArmed(s.name)}>
                      {t('settings.segments.remove')}
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function NewSegment({ onDone }: { onDone: () => void }) {
  const { t, locale } = useI18n();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ name: '', rule: '', description: '' });
  const [saved, setSaved] = useState<string | null>(null);
  const rule = useDebounced(form.rule, 300);
  const check = useQuery({
    // The answer's reason is in the UI's language: another language is another answer.
    queryKey: ['segments', 'check', rule, locale],
    queryFn: ({ signal }) => api.post<RuleCheck>('/settings/segments/check', { rule }, { signal }),
    enabled: rule.trim() !== '',
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
  const create = useMutation({
    mutationFn: () => api.post<Segment>('/segments', { name: form.name, rule: form.rule, ...(form.description && { description: form.description }) }),
    onSuccess: async (s) => {
      setSaved(s.name);
      setForm({ name: '', rule: '', description: '' });
      await queryClient.invalidateQueries({ queryKey: SEGMENTS_QUERY });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(null);
    create.mutate();
  };

  const typing = form.rule !== rule || check.isFetching;
  const current = form.rule.trim() !== '' && check.data && !check.isPlaceholderData ? check.data : null;
  // The server's refusal on save also names the rule; show it next to the field like the live check.
  const saveRuleError = create.error instanceof ApiError && create.error.code === 'rule_invalid' ? create.error.message : null;
  const ruleError = current?.error ? t('settings.segments.invalid', { line: current.error.line, column: current.error.column, reason: current.error.reason }) : saveRuleError;
  const ruleHint = (
    <>
      {t('settings.segments.rule.hint')}
      <br />
      <span role="status" aria-live="polite">
        {form.rule.trim() === '' ? null : typing && !current ? t('settings.segments.checking') : current?.valid ? (
          <>
            {t('settings.segments.valid')} {current.matches !== null && t('settings.segments.matches', { count: current.matches, total: current.accounts })}
          </>
        ) : null}
      </span>
    </>
  );
  return (
    <Card title={t('settings.segments.add')}>
      {saved && <Alert kind="success">{t('settings.segments.saved', { name: saved })}</Alert>}
      {create.isError && !saveRuleError && <ErrorView error={create.error} />}
      <form className="stack" onSubmit={submit} noValidate>
        <TextField label={t('settings.segments.name')} required maxLength={80} value={form.name} onChange={(e) => setForm((f) => ({ ...f, name: e.target.value }))} />
        <TextAreaField
          label={t('settings.segments.rule')}
          hint={ruleHint}
          error={ruleError}
          required
          rows={3}
          spellCheck={false}
          value={form.rule}
          onChange={(e) => {
            create.reset();
            setForm((f) => ({ ...f, rule: e.target.value }));
          }}
        />
        {current?.error && <RulePointer rule={form.rule} position={current.error.position} />}
        <details>
          <summary>{t('settings.segments.fields')}</summary>
          <p className="muted">{t('settings.segments.fields.list')}</p>
        </details>
        <TextField label={t('settings.segments.description')} value={form.description} onChange={(e) => setForm((f) => ({ ...f, description: e.target.value }))} />
        <div className="row">
          <Button type="submit" busy={create.isPending} disabled={!form.name.trim() || !form.rule.trim() || current?.valid === false}>
            {t('settings.segments.save')}
          </Button>
          <Button variant="secondary" onClick={onDone}>
            {t('common.close')}
          </Button>
        </div>
      </form>
    </Card>
  );
}

/** The line of the rule with the problem and a caret under the offending character. */
function RulePointer({ rule, position }: { rule: string; position: number }) {
  const start = rule.lastIndexOf('\n', position - 1) + 1;
  const endAt = rule.indexOf('\n', position);
  const line = rule.slice(start, endAt === -1 ? undefined : endAt);
  return (
    <pre aria-hidden="true" className="muted" style={{ margin: 0, overflowX: 'auto' }}>
      {line}
      {'\n'}
      {' '.repeat(Math.max(0, position - start))}^
    </pre>
  );
}
