import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client.ts';
import { useI18n } from '../../../i18n/index.tsx';
import { Button, Card, ErrorView, Loading, SelectField, TextField } from '../../../ui/index.ts';
import { RequireSession, useSession } from '../../auth/session.tsx';

interface StrategySummary {
  name: string;
  portfolio: string;
  status: 'active' | 'paused';
  version: number | null;
  versions: number;
  description: string | null;
  updated_at: string;
}

interface Step {
  id: string;
  trigger: { days?: number; event?: string; phase?: string };
  channel: string;
  template: string;
  fallback?: string;
}

interface StrategyDetail {
  name: string;
  portfolio: string;
  status: 'active' | 'paused';
  description: string | null;
  version: number;
  definition: { rules?: Array<{ id: string; phase: string[]; segment?: string[]; steps: Step[] }> };
  versions: Array<{ version: number; created_by: string; created_at: string; active: boolean }>;
}

interface SimDay {
  date: string;
  messages: number;
  now: number;
  deferred: number;
  refused: number;
  tasks: number;
  by_channel: Record<string, number>;
}

interface Simulation {
  from: string;
  to: string;
  strategies: Array<{
    name: string;
    version: number | null;
    portfolio: string;
    accounts: number;
    days: SimDay[];
    refusals_by_rule: Record<string, number>;
    totals: { messages: number; now: number; deferred: number; refused: number; tasks: number };
  }>;
}

const STRATEGIES_QUERY = ['strategies'] as const;

/** /app/settings/strategies — strategies with their steps, pause/activate, and a day-by-day simulation preview. */
export default function StrategiesPage() {
  return (
    <RequireSession permission="strategies:read">
      <Strategies />
    </RequireSession>
  );
}

function Strategies() {
  const { t } = useI18n();
  const session = useSession();
  const canWrite = !!session.data?.permissions.includes('strategies:write');
  const list = useQuery({ queryKey: STRATEGIES_QUERY, queryFn: () => api.get<{ data: StrategySummary[] }>('/strategies') });
  const [shown, setShown] = useState<string | null>(null);
  return (
    <div className="container stack">
      <h1>{t('settings.strategies.title')}</h1>
      <p>{t('settings.strategies.intro')}</p>
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorView error={list.error} retry={() => void list.refetch()} />
      ) : list.data.data.length === 0 ? (
        <p>{t('settings.strategies.empty')}</p>
      ) : (
        <>
          <StrategyTable strategies={list.data.data} canWrite={canWrite} onShow={(name) => setShown((s) => (s === name ? null : name))} />
          {shown && <StrategySteps name={shown} />}
          <SimulationPreview strategies={list.data.data} />
        </>
      )}
    </div>
  );
}

function StrategyTable({ strategies, canWrite, onShow }: { strategies: StrategySummary[]; canWrite: boolean; onShow: (name: string) => void }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const toggle = useMutation({
    mutationFn: (s: StrategySummary) => api.post<StrategyDetail>(`/strategies/${encodeURIComponent(s.name)}/${s.status === 'active' ? 'pause' : 'activate'}`),
    onSuccess: async () => queryClient.invalidateQueries({ queryKey: STRATEGIES_QUERY }),
  });
  return (
    <>
      {toggle.isError && <ErrorView error={toggle.error} />}
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('settings.strategies.col.name')}</th>
              <th scope="col">{t('settings.strategies.col.portfolio')}</th>
              <th scope="col">{t('settings.strategies.col.status')}</th>
              <th scope="col" className="num">
                {t('settings.strategies.col.version')}
              </th>
              <th scope="col">
                <span className="visually-hidden">{t('settings.strategies.show')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {strategies.map((s) => (
              <tr key={s.name}>
                <td>
                  {s.name}
                  {s.description && <div className="muted">{s.description}</div>}
                </td>
                <td>{s.portfolio}</td>
                <td>
                  <span className={`badge ${s.status === 'active' ? 'badge--success' : 'badge--warning'}`}>{t(`settings.strategies.status.${s.status}`)}</span>
                </td>
                <td className="num">{s.version ?? '—'}</td>
                <td>
                  <div className="row">
                    <Button variant="secondary" aria-label={`${t('settings.strategies.show')} ${s.name}`} onClick={() => onShow(s.name)}>
                      {t('settings.strategies.show')}
                    </Button>
                    {canWrite && (
                      <Button
                        variant="secondary"
                        aria-label={`${t(s.status === 'active' ? 'settings.strategies.pause' : 'settings.strategies.activate')} ${s.name}`}
                        busy={toggle.isPending && toggle.variables?.name === s.name}
                        onClick={() => toggle.mutate(s)}
                      >
                        {t(s.status === 'active' ? 'settings.strategies.pause' : 'settings.strategies.activate')}
                      </Button>
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function triggerText(trigger: Step['trigger']): string {
  if (trigger.days !== undefined) return trigger.days > 0 ? `+${trigger.days}` : String(trigger.days);
  return [trigger.event, trigger.phase, trigger.days].filter((x) => x !== undefined).join(' ');
}

function StrategySteps({ name }: { name: string }) {
  const { t, dateTime } = useI18n();
  const detail = useQuery({ queryKey: [...STRATEGIES_QUERY, name], queryFn: () => api.get<StrategyDetail>(`/strategies/${encodeURIComponent(name)}`) });
  if (detail.isPending) return <Loading />;
  if (detail.isError) return <ErrorView error={detail.error} retry={() => void detail.refetch()} />;
  const d = detail.data;
  const rows = (d.definition.rules ?? []).flatMap((rule) => rule.steps.map((step) => ({ rule, step })));
  return (
    <Card title={t('settings.strategies.detail', { name: d.name, version: d.version })}>
      <h3>{t('settings.strategies.steps')}</h3>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('settings.strategies.col.phase')}</th>
              <th scope="col">{t('settings.strategies.col.step')}</th>
              <th scope="col" className="num">
                {t('settings.strategies.col.trigger')}
              </th>
              <th scope="col">{t('settings.strategies.col.channel')}</th>
              <th scope="col">{t('settings.strategies.col.template')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ rule, step }) => (
              <tr key={`${rule.id}/${step.id}`}>
                <td>
                  {rule.phase.join(', ')}
                  {rule.segment?.length ? <div className="muted">{rule.segment.join(', ')}</div> : null}
                </td>
                <td>{step.id}</td>
                <td className="num">{triggerText(step.trigger)}</td>
                <td>
                  {step.channel}
                  {step.fallback ? ` → ${step.fallback}` : ''}
                </td>
                <td>{step.template}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>{t('settings.strategies.versions')}</h3>
      <ul>
        {d.versions.map((v) => (
          <li key={v.version}>
            {t('settings.strategies.versionLine', { version: v.version, by: v.created_by, time: dateTime(v.created_at) })}
            {v.active ? ' ✓' : ''}
          </li>
        ))}
      </ul>
    </Card>
  );
}

/** Adds days to a YYYY-MM-DD date without time zones (calendar arithmetic in UTC). */
function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function SimulationPreview({ strategies }: { strategies: StrategySummary[] }) {
  const { t, date, number } = useI18n();
  // Today in the browser's calendar is only a starting value for the form; the server decides what the dates mean.
  const today = new Date().toLocaleDateString('en-CA');
  const [form, setForm] = useState({ from: today, to: addDays(today, 6), strategy: '' });
  const simulate = useMutation({
    mutationFn: () => api.post<Simulation>('/strategies/simulate', { from: form.from, to: form.to, ...(form.strategy && { strategy: form.strategy }) }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    simulate.mutate();
  };
  const active = strategies.filter((s) => s.status === 'active');
  return (
    <Card title={t('settings.strategies.simulateTitle')}>
      <form className="stack" onSubmit={submit} noValidate>
        <div className="row">
          <TextField label={t('settings.strategies.from')} type="date" required value={form.from} onChange={(e) => setForm((f) => ({ ...f, from: e.target.value }))} />
          <TextField label={t('settings.strategies.to')} type="date" required value={form.to} onChange={(e) => setForm((f) => ({ ...f, to: e.target.value }))} />
          <SelectField
            label={t('settings.strategies.simStrategy')}
            value={form.strategy}
            onChange={(e) => setForm((f) => ({ ...f, strategy: e.target.value }))}
            options={[{ value: '', label: t('settings.strategies.allActive') }, ...active.map((s) => ({ value: s.name, label: s.name }))]}
          />
        </div>
        <Button type="submit" busy={simulate.isPending} disabled={!form.from || !form.to}>
          {t('settings.strategies.simulate')}
        </Button>
      </form>
      {simulate.isError && <ErrorView error={simulate.error} />}
      {simulate.data && simulate.data.strategies.length === 0 && <p>{t('settings.strategies.noSimulation')}</p>}
      {simulate.data?.strategies.map((s) => (
        <section key={s.name} className="stack" aria-label={s.name}>
          <h3>{t('settings.strategies.simHeader', { name: s.version ? `${s.name} v${s.version}` : s.name, portfolio: s.portfolio, count: s.accounts })}</h3>
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('settings.strategies.col.date')}</th>
                  <th scope="col" className="num">
                    {t('settings.strategies.col.messages')}
                  </th>
                  <th scope="col" className="num">
                    {t('settings.strategies.col.now')}
                  </th>
                  <th scope="col" className="num">
                    {t('settings.strategies.col.deferred')}
                  </th>
                  <th scope="col" className="num">
                    {t('settings.strategies.col.refused')}
                  </th>
                  <th scope="col" className="num">
                    {t('settings.strategies.col.tasks')}
                  </th>
                  <th scope="col">{t('settings.strategies.col.channel')}</th>
                </tr>
              </thead>
              <tbody>
                {s.days.map((d) => (
                  <tr key={d.date}>
                    <th scope="row">{date(d.date)}</th>
                    <td className="num">{number(d.messages)}</td>
                    <td className="num">{number(d.now)}</td>
                    <td className="num">{number(d.deferred)}</td>
                    <td className="num">{number(d.refused)}</td>
                    <td className="num">{number(d.tasks)}</td>
                    <td>
                      {Object.entries(d.by_channel)
                        .map(([channel, n]) => `${channel} ${number(n)}`)
                        .join(' · ')}
                    </td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t('settings.strategies.total')}</th>
                  <td className="num">{number(s.totals.messages)}</td>
                  <td className="num">{number(s.totals.now)}</td>
                  <td className="num">{number(s.totals.deferred)}</td>
                  <td className="num">{number(s.totals.refused)}</td>
                  <td className="num">{number(s.totals.tasks)}</td>
                  <td />
                </tr>
              </tfoot>
            </table>
          </div>
          <h4>{t('settings.strategies.refusals')}</h4>
          {Object.keys(s.refusals_by_rule).length === 0 ? (
            <p className="muted">{t('settings.strategies.noRefusals')}</p>
          ) : (
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">{t('settings.strategies.col.rule')}</th>
                    <th scope="col" className="num">
                      {t('settings.strategies.col.count')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {Object.entries(s.refusals_by_rule).map(([rule, n]) => (
                    <tr key={rule}>
                      <td>
                        <code>{rule}</code>
                      </td>
                      <td className="num">{number(n)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ))}
    </Card>
  );
}
