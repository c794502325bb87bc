import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Alert, Button, Card, ErrorView, Loading, ProgressBar, SelectField, TextField } from '../../ui/index.ts';
import { useSession } from '../auth/session.tsx';
import { usePhaseLabel } from '../worklist/WorklistPage.tsx';

/** One run as GET /runs lists it. */
interface Run {
  id: number;
  as_of: string;
  status: 'running' | 'succeeded' | 'failed';
  forced: boolean;
  started_at: string;
  finished_at: string | null;
  /** Time since it started while it runs; how long it took once finished. */
  elapsed_ms: number;
  /** What a running run is doing (null when the server does not know: another process runs it). */
  stage: 'preparing' | 'waiting' | 'accounts' | 'history' | 'statistics' | null;
  stats: { accounts: number; phase_changes: number; by_phase: Record<string, number>; portfolios: string[] } | null;
  error: string | null;
}

interface Portfolio {
  name: string;
  last_run_on: string | null;
}

const POLL_MS = 1000;
const PHASE_ORDER = ['preventive', 'administrative', 'extrajudicial', 'judicial', 'written_off', 'settled'];

/** Phases in their order of severity; a company's own phases after the standard ones. */
function phaseRank(phase: string): number {
  const i = PHASE_ORDER.indexOf(phase);
  return i === -1 ? PHASE_ORDER.length : i;
}

/** A running time for people: "45 s", "3 min 05 s", "1 h 02 min". */
function useElapsed() {
  const { t } = useI18n();
  return (ms: number) => {
    const seconds = Math.floor(ms / 1000);
    if (seconds < 60) return t('runs.elapsed.seconds', { seconds });
    const minutes = Math.floor(seconds / 60);
    if (minutes < 60) return t('runs.elapsed.minutes', { minutes, seconds: String(seconds % 60).padStart(2, '0') });
    return t('runs.elapsed.hours', { hours: Math.floor(minutes / 60), minutes: String(minutes % 60).padStart(2, '0') });
  };
}

/** Today in the browser's calendar, as the default date of a run. */
function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/**
 * /app/runs — the daily runs: start one as of a date (the server answers at once and runs it in the background), see
 * it progress and finish, and the recent ones with their figures. A date earlier than a portfolio's last run is
 * refused; an administrator may force it.
 */
export default function RunsPage() {
  const { t, date, dateTime, number } = useI18n();
  const phaseLabel = usePhaseLabel();
  const elapsed = useElapsed();
  const session = useSession();
  const queryClient = useQueryClient();
  const mayStart = session.data?.permissions.includes('runs:execute') ?? false;
  const [watching, setWatching] = useState<number | null>(null);
  const list = useQuery({
    queryKey: ['runs'],
    queryFn: () => api.get<{ data: Run[] }>('/runs', { query: { limit: 30 } }),
    refetchInterval: (query) => (query.state.data?.data.some((r) => r.status === 'running') ? POLL_MS : false),
  });
  const runs = list.data?.data ?? [];
  const running = runs.filter((r) => r.status === 'running');
  const watched = runs.find((r) => r.id === watching);
  const watchedStatus = watched?.status;
  useEffect(() => {
    // A finished run moved the portfolios' last run date.
    if (watchedStatus && watchedStatus !== 'running') void queryClient.invalidateQueries({ queryKey: ['portfolios'] });
  }, [watchedStatus, queryClient]);

  return (
    <div className="container stack">
      <h1>{t('runs.title')}</h1>
      <p className="muted">{t('runs.intro')}</p>
      {mayStart && (
        <StartRun
          onStarted={(id) => {
            setWatching(id);
            void queryClient.invalidateQueries({ queryKey: ['runs'] });
          }}
        />
      )}
      <div aria-live="polite" className="stack">
        {running.map((r) => (
          <ProgressBar
            key={r.id}
            label={t('runs.running', { id: r.id, date: date(r.as_of) })}
            detail={[r.stage && t(`runs.stage.${r.stage}`), t('runs.running.since', { time: dateTime(r.started_at) }), elapsed(r.elapsed_ms)].filter(Boolean).join(' · ')}
          />
        ))}
        {watched?.status === 'succeeded' && (
          <Alert kind="success">{t('runs.finished.succeeded', { id: watched.id, date: date(watched.as_of), accounts: t('runs.finished.accounts', { count: watched.stats?.accounts ?? 0 }), changes: t('runs.finished.changes', { count: watched.stats?.phase_changes ?? 0 }) })}</Alert>
        )}
        {watched?.status === 'failed' && <Alert kind="error">{t('runs.finished.failed', { id: watched.id, date: date(watched.as_of), error: watched.error ?? '—' })}</Alert>}
      </div>
      <Card title={t('runs.history')}>
        {list.isPending ? (
          <Loading />
        ) : list.isError ? (
          <ErrorView error={list.error} retry={() => void list.refetch()} />
        ) : runs.length === 0 ? (
          <p>{t('runs.empty')}</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('runs.col.id')}</th>
                  <th scope="col">{t('runs.col.asOf')}</th>
                  <th scope="col">{t('runs.col.status')}</th>
                  <th scope="col">{t('runs.col.started')}</th>
                  <th scope="col">{t('runs.col.finished')}</th>
                  <th scope="col">{t('runs.col.portfolios')}</th>
                  <th scope="col" className="num">
                    {t('runs.col.accounts')}
                  </th>
                  <th scope="col" className="num">
                    {t('runs.col.changes')}
                  </th>
                  <th scope="col">{t('runs.col.byPhase')}</th>
                </tr>
              </thead>
              <tbody>
                {runs.map((r) => (
                  <tr key={r.id} data-run={r.id} data-status={r.status}>
                    <td>{r.id}</td>
                    <td>
                      {date(r.as_of)}
                      {r.forced && <div className="muted small">{t('runs.forced')}</div>}
                    </td>
                    <td>
                      <span className={`badge${r.status === 'succeeded' ? ' badge--success' : r.status === 'failed' ? ' badge--danger' : ' badge--warning'}`}>{t(`runs.status.${r.status}`)}</span>
                      {r.error && <div className="small">{r.error}</div>}
                    </td>
                    <td>{dateTime(r.started_at)}</td>
                    <td>{r.finished_at ? dateTime(r.finished_at) : '—'}</td>
                    <td>{r.stats?.portfolios?.join(', ') || '—'}</td>
                    <td className="num">{r.stats?.accounts === undefined ? '—' : number(r.stats.accounts)}</td>
                    <td className="num">{r.stats ? number(r.stats.phase_changes) : '—'}</td>
                    <td>
                      {r.stats?.by_phase
                        ? Object.entries(r.stats.by_phase)
                            .sort(([a], [b]) => phaseRank(a) - phaseRank(b))
                            .map(([phase, n]) => `${phaseLabel(phase)} ${number(n)}`)
                            .join(' · ')
                        : '—'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </div>
  );
}

/** The form that starts a run, with the refusal of an earlier date and, for administrators, the way to force it. */
function StartRun({ onStarted }: { onStarted: (id: number) => void }) {
  const { t, date } = useI18n();
  const session = useSession();
  const isAdmin = session.data?.role === 'admin';
  const [asOf, setAsOf] = useState(today);
  const [portfolio, setPortfolio] = useState('');
  const [started, setStarted] = useState<number | null>(null);
  const portfolios = useQuery({ queryKey: ['portfolios'], queryFn: () => api.get<{ data: Portfolio[] }>('/portfolios') });
  const start = useMutation({
    mutationFn: (force: boolean) => api.post<{ id: number }>('/runs', { as_of: asOf, ...(portfolio && { portfolio }), force }),
    onSuccess: (run) => {
      setStarted(run.id);
      onStarted(run.id);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setStarted(null);
    start.mutate(false);
  };
  const outOfOrder = start.error instanceof ApiError && (start.error.code === 'run_out_of_order' || (start.error.code === 'forbidden' && start.error.details.some((d) => d.path === 'body.force')));
  // Which portfolios stand in the way, from their last run dates (the refusal is the server's; this only names them).
  const ahead = (portfolios.data?.data ?? []).filter((p) => (!portfolio || p.name === portfolio) && p.last_run_on !== null && p.last_run_on > asOf);
  return (
    <Card title={t('runs.start')}>
      <form className="stack" onSubmit={submit}>
        <div className="bo-filters">
          <TextField
            label={t('runs.asOf')}
            type="date"
            required
            value={asOf}
            onChange={(e) => {
              setAsOf(e.target.value);
              start.reset();
            }}
          />
          <SelectField
            label={t('runs.portfolio')}
            value={portfolio}
            onChange={(e) => {
              setPortfolio(e.target.value);
              start.reset();
            }}
            options={[{ value: '', label: t('runs.portfolio.all') }, ...(portfolios.data?.data ?? []).map((p) => ({ value: p.name, label: p.name }))]}
          />
        </div>
        <ul className="muted small">
          {(portfolios.data?.data ?? []).map((p) => (
            <li key={p.name}>{p.last_run_on ? t('runs.lastRun', { portfolio: p.name, date: date(p.last_run_on) }) : t('runs.lastRun.never', { portfolio: p.name })}</li>
          ))}
        </ul>
        {outOfOrder ? (
          <Alert kind="warning" title={t('runs.outOfOrder.title')}>
            <p>
              {t('runs.outOfOrder.body', {
                portfolios: ahead.map((p) => t('runs.outOfOrder.portfolio', { portfolio: p.name, date: date(p.last_run_on!) })).join('; ') || (start.error?.message ?? ''),
                date: date(asOf),
              })}
            </p>
            {isAdmin ? (
              <>
                <p>{t('runs.outOfOrder.forceHint')}</p>
                <Button variant="danger" busy={start.isPending} onClick={() => start.mutate(true)}>
                  {t('runs.outOfOrder.force', { date: date(asOf) })}
                </Button>
              </>
            ) : (
              <p>{t('runs.outOfOrder.adminOnly')}</p>
            )}
          </Alert>
        ) : (
          start.isError && <ErrorView error={start.error} />
        )}
        {started !== null && <Alert kind="success">{t('runs.started', { id: started })}</Alert>}
        <div className="row">
          <Button type="submit" busy={start.isPending}>
            {t('runs.submit')}
          </Button>
        </div>
      </form>
    </Card>
  );
}
