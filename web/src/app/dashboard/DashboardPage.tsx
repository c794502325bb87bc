import { useMemo, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Button, Card, ErrorView, Loading, Money, SelectField, TextField } from '../../ui/index.ts';
import { usePhaseLabel } from '../worklist/WorklistPage.tsx';

/** GET /dashboard, the parts this page shows. */
interface Dashboard {
  from: string;
  to: string;
  as_of: string | null;
  currencies: string[];
  portfolio: Array<{ currency: string; phase: string; bucket: string; accounts: number; balance: string }>;
  recovery: Record<'day' | 'week' | 'month', Array<{ period: string; currency: string; collected: string; payments: number }>>;
  kpis: Array<{ name: string; currency: string | null; value: number | null; variant: string; formula: string }>;
  collectors: Array<{
    collector_id: number;
    name: string | null;
    interactions: number;
    right_party: number;
    promises: number;
    kept: number;
    broken: number;
    collected: Record<string, string>;
    cost: { amount: string; currency: string } | null;
    cost_per_peso_recovered: { value: number | null; variant: string; formula: string; currency: string | null };
  }>;
  /** Figures that do not follow some of the chosen filters, and why. */
  not_filtered: UnfilteredFigures[];
}

interface UnfilteredFigures {
  /** KPI names (roll rates as `roll_rate`) or parts of the page: `recovery`, `collectors.activity`, `collectors.collected`, `collectors.cost`. */
  figures: string[];
  filters: string[];
  reason: string;
}

interface Filters {
  portfolio: string;
  currency: string;
  from: string;
  to: string;
}

/** The notes about `figure`: the filters it does not follow, and why. */
function notesFor(data: Dashboard, figure: string): UnfilteredFigures[] {
  return data.not_filtered.filter((n) => n.figures.includes(figure));
}

/** Says, next to a figure, which chosen filters it does not follow and why. */
function NotFiltered({ notes, figures }: { notes: UnfilteredFigures[]; figures?: string }) {
  const { t, locale } = useI18n();
  const list = (items: string[]) => new Intl.ListFormat(locale, { type: 'conjunction' }).format(items);
  return (
    <>
      {notes.map((n) => (
        <p key={`${n.reason}:${n.filters.join()}`} className="muted small" role="note" data-not-filtered={n.reason}>
          {t(figures ? 'dashboard.notFiltered.figures' : 'dashboard.notFiltered', {
            figures: figures ?? '',
            filters: list(n.filters.map((f) => t(`dashboard.filter.${f}`).toLowerCase())),
          })}{' '}
          {t(`dashboard.notFiltered.${n.reason}`)}
        </p>
      ))}
    </>
  );
}

const REPORTS = ['kpis', 'portfolio', 'trend', 'recovery', 'collectors', 'channels', 'steps', 'interactions'];
const DAYS_KPIS = new Set(['dso', 'bpdso', 'add']);
const BUCKETS = ['current', '1-30', '31-60', '61-90', '91-180', '181+'];
const COLORS = ['#0b5c55', '#3d8b6d', '#d4a017', '#d9771e', '#b23a3a', '#6b2d5c', '#555555'];

/**
 * Charts draw money as numbers; amounts come as exact decimal strings and are shown exactly in the tables and
 * tooltips beside them, so the conversion only sizes the bars.
 */
function chartNumber(amount: string): number {
  return Number(amount);
}

function query(f: Filters) {
  return { portfolio: f.portfolio || undefined, currency: f.currency || undefined, from: f.from || undefined, to: f.to || undefined };
}

/** /app/dashboard — portfolio by phase and bucket, recovery, KPIs with their variants, results per collector, exports. */
export default function DashboardPage() {
  const { t, date } = useI18n();
  const [draft, setDraft] = useState<Filters>({ portfolio: '', currency: '', from: '', to: '' });
  const [filters, setFilters] = useState<Filters>(draft);
  const portfolios = useQuery({ queryKey: ['portfolios'], queryFn: () => api.get<{ data: Array<{ name: string }> }>('/portfolios') });
  const dashboard = useQuery({ queryKey: ['dashboard', filters], queryFn: () => api.get<Dashboard>('/dashboard', { query: query(filters) }) });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFilters(draft);
  };
  const set = (key: keyof Filters) => (e: { target: { value: string } }) => setDraft((f) => ({ ...f, [key]: e.target.value }));
  const currencies = dashboard.data?.currencies ?? [];
  return (
    <div className="container stack">
      <h1>{t('dashboard.title')}</h1>
      <Card title={t('dashboard.filters')}>
        <form className="bo-filters" onSubmit={submit} aria-label={t('dashboard.filters')}>
          <SelectField
            label={t('dashboard.filter.portfolio')}
            value={draft.portfolio}
            onChange={set('portfolio')}
            options={[{ value: '', label: t('dashboard.filter.all') }, ...(portfolios.data?.data ?? []).map((p) => ({ value: p.name, label: p.name }))]}
          />
          <SelectField
            label={t('dashboard.filter.currency')}
            value={draft.currency}
            onChange={set('currency')}
            options={[{ value: '', label: t('dashboard.filter.all') }, ...[...new Set([...currencies, draft.currency].filter(Boolean))].map((c) => ({ value: c, label: c }))]}
          />
          <TextField label={t('dashboard.filter.from')} type="date" value={draft.from} onChange={set('from')} />
          <TextField label={t('dashboard.filter.to')} type="date" value={draft.to} onChange={set('to')} />
          <div>
            <Button type="submit">{t('dashboard.apply')}</Button>
          </div>
        </form>
      </Card>
      {dashboard.isPending ? (
        <Loading />
      ) : dashboard.isError ? (
        <ErrorView error={dashboard.error} retry={() => void dashboard.refetch()} />
      ) : (
        <>
          <p className="muted">
            {date(dashboard.data.from)} – {date(dashboard.data.to)} · {dashboard.data.as_of ? t('dashboard.asOf', { date: date(dashboard.data.as_of) }) : t('dashboard.asOf.none')}
          </p>
          <Kpis data={dashboard.data} />
          <ByPhase data={dashboard.data} />
          <Recovery data={dashboard.data} />
          <Collectors data={dashboard.data} />
        </>
      )}
      <Exports filters={filters} />
    </div>
  );
}

function Kpis({ data }: { data: Dashboard }) {
  const { t, number } = useI18n();
  const label = (k: Dashboard['kpis'][number]) => {
    if (k.name.startsWith('roll_rate_')) return t('dashboard.kpi.roll_rate', { bucket: k.name.slice('roll_rate_'.length) });
    if (k.name === 'delinquency') return t('dashboard.kpi.delinquency', { threshold: /(\d+)$/.exec(k.variant)?.[1] ?? '' });
    return t(`dashboard.kpi.${k.name}`);
  };
  const value = (k: Dashboard['kpis'][number]) => {
    if (k.value === null) return '—';
    const v = number(k.value, { maximumFractionDigits: 2 });
    return DAYS_KPIS.has(k.name) ? t('dashboard.unit.days', { value: v }) : t('dashboard.unit.percent', { value: v });
  };
  // One group per currency (KPIs are never summed across currencies), then the figures that have no currency.
  const groups = [...data.currencies.map((c) => ({ key: c, title: t('dashboard.kpis.currency', { currency: c }) })), { key: '', title: t('dashboard.kpis.contact') }]
    .map((g) => ({ ...g, kpis: data.kpis.filter((k) => (k.currency ?? '') === g.key) }))
    .filter((g) => g.kpis.length > 0);
  const figure = (k: Dashboard['kpis'][number]) => (k.name.startsWith('roll_rate_') ? 'roll_rate' : k.name);
  const kpiName = (name: string) => (name === 'roll_rate' ? t('dashboard.kpi.roll_rate', { bucket: '' }).trim() : t(`dashboard.kpi.${name}`));
  return (
    <section aria-labelledby="kpis-title" className="stack">
      <h2 id="kpis-title">{t('dashboard.kpis')}</h2>
      {groups.map((g) => (
        <section key={g.key} aria-labelledby={`kpis-${g.key || 'contact'}`} className="stack">
          <h3 id={`kpis-${g.key || 'contact'}`}>{g.title}</h3>
          <ul className="bo-kpis">
            {g.kpis.map((k, i) => {
              const notes = notesFor(data, figure(k));
              return (
                <li key={`${k.name}:${k.variant}:${i}`} className="bo-kpi" data-kpi={k.name} data-variant={k.variant} data-currency={k.currency ?? ''} title={k.formula}>
                  <span className="bo-kpi__name">{label(k)}</span>
                  <strong className="bo-kpi__value">{value(k)}</strong>
                  <span className="muted bo-kpi__variant">{t('dashboard.variant', { variant: k.variant })}</span>
                  {notes.length > 0 && (
                    <span className="muted bo-kpi__variant" data-not-filtered={notes.map((n) => n.reason).join(' ')}>
                      {t('dashboard.notFiltered.short', { filters: [...new Set(notes.flatMap((n) => n.filters))].map((f) => t(`dashboard.filter.${f}`).toLowerCase()).join(', ') })}
                    </span>
                  )}
                </li>
              );
            })}
          </ul>
          {/* Why, once per group: the figures of the group a note is about. */}
          {data.not_filtered.map((n) => {
            const names = [...new Set(g.kpis.map(figure).filter((f) => n.figures.includes(f)))];
            return names.length > 0 ? <NotFiltered key={`${n.reason}:${n.filters.join()}`} notes={[n]} figures={names.map(kpiName).join(', ')} /> : null;
          })}
        </section>
      ))}
    </section>
  );
}

function ByPhase({ data }: { data: Dashboard }) {
  const { t, number } = useI18n();
  const phaseLabel = usePhaseLabel();
  const [currency, setCurrency] = useState(data.currencies[0] ?? '');
  const rows = data.portfolio.filter((r) => r.currency === currency);
  const buckets = BUCKETS.filter((b) => rows.some((r) => r.bucket === b)).concat([...new Set(rows.map((r) => r.bucket))].filter((b) => !BUCKETS.includes(b)));
  const chart = useMemo(() => {
    const byPhase = new Map<string, Record<string, string | number>>();
    for (const r of rows) {
      const entry = byPhase.get(r.phase) ?? { phase: phaseLabel(r.phase) };
      entry[r.bucket] = chartNumber(r.balance);
      entry[`${r.bucket}#`] = r.accounts;
      byPhase.set(r.phase, entry);
    }
    return [...byPhase.values()];
  }, [rows, phaseLabel]);
  return (
    <Card title={t('dashboard.byPhase')}>
      {data.currencies.length > 1 && (
        <SelectField label={t('dashboard.filter.currency')} value={currency} onChange={(e) => setCurrency(e.target.value)} options={data.currencies.map((c) => ({ value: c, label: c }))} />
      )}
      {rows.length > 0 && (
        <div className="bo-chart" role="img" aria-label={t('dashboard.byPhase.amount', { currency })}>
          <h3 aria-hidden="true">{t('dashboard.byPhase.amount', { currency })}</h3>
          <ResponsiveContainer width="100%" height={280}>
            <BarChart data={chart}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="phase" />
              <YAxis tickFormatter={(v: number) => number(v, { notation: 'compact' })} />
              <Tooltip />
              <Legend />
              {buckets.map((b, i) => (
                <Bar key={b} dataKey={b} stackId="balance" fill={COLORS[i % COLORS.length]} />
              ))}
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
      {rows.length > 0 && (
        <div className="bo-chart" role="img" aria-label={t('dashboard.byPhase.count')}>
          <h3 aria-hidden="true">{t('dashboard.byPhase.count')}</h3>
          <ResponsiveContainer width="100%" height={220}>
            <BarChart data={chart}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="phase" />
              <YAxis allowDecimals={false} />
              <Tooltip />
              {buckets.map((b, i) => (
                <Bar key={b} dataKey={`${b}#`} name={b} stackId="accounts" fill={COLORS[i % COLORS.length]} />
              ))}
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
      <div className="table-wrap">
        <table className="table" aria-label={t('dashboard.byPhase')}>
          <thead>
            <tr>
              <th scope="col">{t('dashboard.col.phase')}</th>
              <th scope="col">{t('dashboard.col.bucket')}</th>
              <th scope="col">{t('dashboard.col.accounts')}</th>
              <th scope="col">{t('dashboard.col.balance')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.phase}:${r.bucket}`}>
                <td>{phaseLabel(r.phase)}</td>
                <td>{r.bucket}</td>
                <td>{number(r.accounts)}</td>
                <td>
                  <Money amount={r.balance} currency={r.currency} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}

function Recovery({ data }: { data: Dashboard }) {
  const { t, number } = useI18n();
  const [grain, setGrain] = useState<'day' | 'week' | 'month'>('week');
  const rows = data.recovery[grain];
  const currencies = [...new Set(rows.map((r) => r.currency))];
  const chart = useMemo(() => {
    const byPeriod = new Map<string, Record<string, string | number>>();
    for (const r of rows) {
      const entry = byPeriod.get(r.period) ?? { period: r.period };
      entry[r.currency] = chartNumber(r.collected);
      byPeriod.set(r.period, entry);
    }
    return [...byPeriod.values()];
  }, [rows]);
  return (
    <Card title={t('dashboard.recovery')}>
      <NotFiltered notes={notesFor(data, 'recovery')} />
      <SelectField
        label={t('dashboard.recovery.grain')}
        value={grain}
        onChange={(e) => setGrain(e.target.value as typeof grain)}
        options={(['day', 'week', 'month'] as const).map((g) => ({ value: g, label: t(`dashboard.grain.${g}`) }))}
      />
      {rows.length === 0 ? (
        <p>{t('dashboard.recovery.none')}</p>
      ) : (
        <div className="bo-chart" role="img" aria-label={t('dashboard.recovery')}>
          <ResponsiveContainer width="100%" height={240}>
            <BarChart data={chart}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="period" />
              <YAxis tickFormatter={(v: number) => number(v, { notation: 'compact' })} />
              <Tooltip />
              <Legend />
              {currencies.map((c, i) => (
                <Bar key={c} dataKey={c} fill={COLORS[i % COLORS.length]} />
              ))}
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
    </Card>
  );
}

function Collectors({ data }: { data: Dashboard }) {
  const { t, number } = useI18n();
  const columns = { 'collectors.activity': t('dashboard.notFiltered.columns.activity'), 'collectors.collected': t('dashboard.col.collected'), 'collectors.cost': t('dashboard.notFiltered.columns.cost') };
  return (
    <Card title={t('dashboard.collectors')}>
      {Object.entries(columns).map(([figure, name]) => (
        <NotFiltered key={figure} notes={notesFor(data, figure)} figures={name} />
      ))}
      {data.collectors.length === 0 ? (
        <p>{t('dashboard.collectors.none')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label={t('dashboard.collectors')}>
            <thead>
              <tr>
                <th scope="col">{t('dashboard.col.collector')}</th>
                <th scope="col">{t('dashboard.col.interactions')}</th>
                <th scope="col">{t('dashboard.col.rpc')}</th>
                <th scope="col">{t('dashboard.col.promises')}</th>
                <th scope="col">{t('dashboard.col.kept')}</th>
                <th scope="col">{t('dashboard.col.broken')}</th>
                <th scope="col">{t('dashboard.col.collected')}</th>
                <th scope="col">{t('dashboard.col.cost')}</th>
                <th scope="col">{t('dashboard.col.costPerPeso')}</th>
              </tr>
            </thead>
            <tbody>
              {data.collectors.map((c) => (
                <tr key={c.collector_id}>
                  <td>{c.name ?? `#${c.collector_id}`}</td>
                  <td>{number(c.interactions)}</td>
                  <td>{number(c.right_party)}</td>
                  <td>{number(c.promises)}</td>
                  <td>{number(c.kept)}</td>
                  <td>{number(c.broken)}</td>
                  <td>
                    {Object.entries(c.collected).length === 0
                      ? '—'
                      : Object.entries(c.collected).map(([cur, v]) => (
                          <div key={cur}>
                            <Money amount={v} currency={cur} />
                          </div>
                        ))}
                  </td>
                  <td>{c.cost ? <Money amount={c.cost.amount} currency={c.cost.currency} /> : '—'}</td>
                  <td data-kpi="cost_per_peso_recovered" data-variant={c.cost_per_peso_recovered.variant} title={c.cost_per_peso_recovered.formula}>
                    <div className="amount">
                      {c.cost_per_peso_recovered.value === null
                        ? '—'
                        : t('dashboard.unit.perPeso', { value: number(c.cost_per_peso_recovered.value, { maximumFractionDigits: 4 }), currency: c.cost_per_peso_recovered.currency ?? '' })}
                    </div>
                    <div className="muted bo-kpi__variant">{t('dashboard.variant', { variant: c.cost_per_peso_recovered.variant })}</div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

function Exports({ filters }: { filters: Filters }) {
  const { t } = useI18n();
  const [report, setReport] = useState('kpis');
  const href = (format: 'xlsx' | 'csv') => {
    const params = new URLSearchParams({ format });
    for (const [k, v] of Object.entries(query(filters))) if (v) params.set(k, v);
    return `/reports/export/${report}?${params.toString()}`;
  };
  return (
    <Card title={t('dashboard.export')}>
      <div className="bo-filters">
        <SelectField label={t('dashboard.export.report')} value={report} onChange={(e) => setReport(e.target.value)} options={REPORTS.map((r) => ({ value: r, label: t(`dashboard.report.${r}`) }))} />
        <div className="row">
          <a className="button button--secondary" href={href('xlsx')} download>
            {t('dashboard.export.xlsx')}
          </a>
          <a className="button button--secondary" href={href('csv')} download>
            {t('dashboard.export.csv')}
          </a>
        </div>
      </div>
    </Card>
  );
}
