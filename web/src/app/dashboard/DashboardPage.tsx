import { useMemo, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api } from '../../api/client.ts';
import { formatFigure, formatMoneyCompact, formatPercent, formatPeriod } from '../../i18n/format.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Button, Card, ErrorView, Loading, Money, SelectField, TextField } from '../../ui/index.ts';
import { compareBuckets, nextBucket } from '../aging.ts';
import { usePhaseLabel } from '../worklist/WorklistPage.tsx';
import { COUNT, EXACT, phaseChartData, recoveryCharts } from './charts.ts';
import { formulaText } from './formulas.ts';
import { variantLabel } from './variants.ts';

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
/** Axes as wide as their longest step ("USD 9.5 k"), so no step is cut at the left edge. */
const AXIS_WIDTH = 'auto';
const COLORS = ['#0b5c55', '#3d8b6d', '#d4a017', '#d9771e', '#b23a3a', '#6b2d5c', '#555555'];

/** Tooltips of the charts say "Al corriente: $1,500.00", not recharts' "Al corriente : 1500". */
const TOOLTIP = { separator: ': ' } as const;

/** A bucket in words: the ranges of days read as they are ("31-60"); current and settled from the catalog. */
function useBucketLabel() {
  const { t } = useI18n();
  return (bucket: string) => (bucket === 'current' || bucket === 'settled' ? t(`dashboard.bucket.${bucket}`) : bucket);
}

/**
 * What a figure means, shown while the pointer is over its card or the card has the keyboard focus (the card points
 * to it with aria-describedby, so a screen reader says it too).
 */
function Explanation({ id, text }: { id: string; text: string }) {
  return (
    <span id={id} role="tooltip" className="bo-explanation">
      {text}
    </span>
  );
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
  const { t, locale } = useI18n();
  const bucketLabel = useBucketLabel();
  const label = (k: Dashboard['kpis'][number]) => {
    if (k.name.startsWith('roll_rate_')) {
      const from = k.name.slice('roll_rate_'.length);
      return t('dashboard.kpi.roll_rate', { from: bucketLabel(from), to: bucketLabel(nextBucket(from) ?? '') });
    }
    if (k.name === 'delinquency') return t('dashboard.kpi.delinquency', { threshold: /(\d+)$/.exec(k.variant)?.[1] ?? '' });
    return t(`dashboard.kpi.${k.name}`);
  };
  const value = (k: Dashboard['kpis'][number]) => {
    if (k.value === null) return '—';
    return DAYS_KPIS.has(k.name) ? t('dashboard.unit.days', { value: formatFigure(k.value, locale) }) : formatPercent(k.value, locale);
  };
  // One group per currency (KPIs are never summed across currencies), then the figures that have no currency.
  const groups = [...data.currencies.map((c) => ({ key: c, title: t('dashboard.kpis.currency', { currency: c }) })), { key: '', title: t('dashboard.kpis.contact') }]
    .map((g) => ({ ...g, kpis: data.kpis.filter((k) => (k.currency ?? '') === g.key) }))
    .filter((g) => g.kpis.length > 0);
  const figure = (k: Dashboard['kpis'][number]) => (k.name.startsWith('roll_rate_') ? 'roll_rate' : k.name);
  const kpiName = (name: string) => (name === 'roll_rate' ? t('dashboard.kpi.rollRates') : t(`dashboard.kpi.${name}`));
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
                <li
                  key={`${k.name}:${k.variant}:${i}`}
                  className="bo-kpi"
                  data-kpi={k.name}
                  data-variant={k.variant}
                  data-currency={k.currency ?? ''}
                  tabIndex={0}
                  aria-describedby={`kpi-formula-${g.key || 'contact'}-${i}`}
                >
                  <span className="bo-kpi__name">{label(k)}</span>
                  <strong className="bo-kpi__value">{value(k)}</strong>
                  <span className="muted bo-kpi__variant">{t('dashboard.variant', { variant: variantLabel(k.variant, t) })}</span>
                  {notes.length > 0 && (
                    <span className="muted bo-kpi__variant" data-not-filtered={notes.map((n) => n.reason).join(' ')}>
                      {t('dashboard.notFiltered.short', { filters: [...new Set(notes.flatMap((n) => n.filters))].map((f) => t(`dashboard.filter.${f}`).toLowerCase()).join(', ') })}
                    </span>
                  )}
                  <Explanation id={`kpi-formula-${g.key || 'contact'}-${i}`} text={formulaText(k, t, bucketLabel)} />
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
  const { t, number, money, locale } = useI18n();
  const phaseLabel = usePhaseLabel();
  const bucketLabel = useBucketLabel();
  const [currency, setCurrency] = useState(data.currencies[0] ?? '');
  // Rows come in phase and bucket order; the stacks of the charts follow the buckets' order too. Bars lie down, with
  // the phases down the side: side by side under the bars, a phone had room for only every other phase's name.
  const rows = data.portfolio.filter((r) => r.currency === currency);
  const buckets = [...new Set(rows.map((r) => r.bucket))].sort(compareBuckets);
  // Legends and tooltips sort their items by label unless told otherwise: keep the buckets' order there too.
  const bucketOrder = (item: { dataKey?: unknown }) => buckets.indexOf(String(item.dataKey).replace(/[#$]$/, ''));
  const chart = useMemo(() => phaseChartData(data.portfolio, currency, phaseLabel), [data.portfolio, currency, phaseLabel]);
  // A bucket's balance in the tooltip is its exact amount, in its currency; its accounts in words.
  const balanceOf = (_: unknown, name: unknown, item: { dataKey?: unknown; payload?: Record<string, string | number> }) =>
    [money(String(item.payload?.[`${String(item.dataKey)}${EXACT}`] ?? ''), currency), name] as [string, string];
  const accountsOf = (value: unknown, name: unknown) => [t('dashboard.accounts', { count: Number(value), value: number(Number(value)) }), name] as [string, string];
  return (
    <Card title={t('dashboard.byPhase')}>
      {data.currencies.length > 1 && (
        <SelectField label={t('dashboard.filter.currency')} value={currency} onChange={(e) => setCurrency(e.target.value)} options={data.currencies.map((c) => ({ value: c, label: c }))} />
      )}
      {rows.length > 0 && (
        <div className="bo-chart" role="img" aria-label={t('dashboard.byPhase.amount', { currency })}>
          <h3 aria-hidden="true">{t('dashboard.byPhase.amount', { currency })}</h3>
          <ResponsiveContainer width="100%" height={280}>
            <BarChart data={chart} layout="vertical">
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis type="number" tickFormatter={(v: number) => formatMoneyCompact(v, currency, locale)} />
              <YAxis type="category" dataKey="phase" width={AXIS_WIDTH} />
              <Tooltip {...TOOLTIP} itemSorter={bucketOrder} formatter={balanceOf} />
              <Legend itemSorter={bucketOrder} />
              {buckets.map((b, i) => (
                <Bar key={b} dataKey={b} name={bucketLabel(b)} stackId="balance" fill={COLORS[i % COLORS.length]} />
              ))}
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
      {rows.length > 0 && (
        <div className="bo-chart" role="img" aria-label={t('dashboard.byPhase.count')}>
          <h3 aria-hidden="true">{t('dashboard.byPhase.count')}</h3>
          <ResponsiveContainer width="100%" height={220}>
            <BarChart data={chart} layout="vertical">
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis type="number" allowDecimals={false} tickFormatter={(v: number) => number(v)} />
              <YAxis type="category" dataKey="phase" width={AXIS_WIDTH} />
              <Tooltip {...TOOLTIP} itemSorter={bucketOrder} formatter={accountsOf} />
              {buckets.map((b, i) => (
                <Bar key={b} dataKey={`${b}${COUNT}`} name={bucketLabel(b)} stackId="accounts" fill={COLORS[i % COLORS.length]} />
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
                <td>{bucketLabel(r.bucket)}</td>
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
  const { t, number, date, money, locale } = useI18n();
  const [grain, setGrain] = useState<'day' | 'week' | 'month'>('week');
  const rows = data.recovery[grain];
  // Days and weeks on the axis show the year only when the chart spans more than one; the tooltip always does.
  const withYear = new Set(rows.map((r) => r.period.slice(0, 4))).size > 1;
  const tick = (period: string) => formatPeriod(period, locale, { withYear });
  const fullPeriod = (period: string) => (grain === 'month' ? formatPeriod(period, locale) : grain === 'week' ? t('dashboard.period.week', { date: date(period) }) : date(period));
  // One chart per currency: amounts of different currencies never share an axis.
  const charts = useMemo(() => recoveryCharts(rows), [rows]);
  const collectedOf = (currency: string) => (_: unknown, name: unknown, item: { payload?: { exact: string; payments: number } }) =>
    [t('dashboard.recovery.tooltip', { amount: money(item.payload?.exact ?? '', currency), payments: t('dashboard.payments', { count: item.payload?.payments ?? 0, value: number(item.payload?.payments ?? 0) }) }), name] as [string, string];
  return (
    <Card title={t('dashboard.recovery')}>
      <NotFiltered notes={notesFor(data, 'recovery')} />
      <SelectField
        label={t('dashboard.recovery.grain')}
        value={grain}
        onChange={(e) => setGrain(e.target.value as typeof grain)}
        options={(['day', 'week', 'month'] as const).map((g) => ({ value: g, label: t(`dashboard.grain.${g}`) }))}
      />
      {charts.length === 0 ? (
        <p>{t('dashboard.recovery.none')}</p>
      ) : (
        charts.map((c, i) => (
          <div key={c.currency} className="bo-chart" role="img" aria-label={t('dashboard.recovery.chart', { currency: c.currency })}>
            <h3 aria-hidden="true">{t('dashboard.recovery.chart', { currency: c.currency })}</h3>
            <ResponsiveContainer width="100%" height={240}>
              <BarChart data={c.points}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="period" tickFormatter={tick} />
                <YAxis width={AXIS_WIDTH} tickFormatter={(v: number) => formatMoneyCompact(v, c.currency, locale)} />
                <Tooltip {...TOOLTIP} labelFormatter={(period) => fullPeriod(String(period))} formatter={collectedOf(c.currency)} />
                <Bar dataKey="collected" name={t('dashboard.col.collected')} fill={COLORS[i % COLORS.length]} />
              </BarChart>
            </ResponsiveContainer>
          </div>
        ))
      )}
    </Card>
  );
}

function Collectors({ data }: { data: Dashboard }) {
  const { t, number } = useI18n();
  const bucketLabel = useBucketLabel();
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
                  {/* A table scrolls sideways in its frame, which would cut a tooltip off: the cell uses the browser's. */}
                  <td
                    data-kpi="cost_per_peso_recovered"
                    data-variant={c.cost_per_peso_recovered.variant}
                    title={formulaText({ name: 'cost_per_peso_recovered', ...c.cost_per_peso_recovered }, t, bucketLabel)}
                  >
                    <div className="amount">
                      {c.cost_per_peso_recovered.value === null
                        ? '—'
                        : t('dashboard.unit.perPeso', { value: number(c.cost_per_peso_recovered.value, { maximumFractionDigits: 4 }), currency: c.cost_per_peso_recovered.currency ?? '' })}
                    </div>
                    <div className="muted bo-kpi__variant">{t('dashboard.variant', { variant: variantLabel(c.cost_per_peso_recovered.variant, t) })}</div>
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
  const { t, locale } = useI18n();
  const [report, setReport] = useState('kpis');
  const href = (format: 'xlsx' | 'csv') => {
    // A plain link sends no Accept-Language: the download's headers and words follow the page's locale by ?language=.
    const params = new URLSearchParams({ format, language: locale === 'en' ? 'en' : 'es' });
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
