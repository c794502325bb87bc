import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Button, Card, ErrorView, Loading, Money, SelectField, TextField } from '../../ui/index.ts';
import { BUCKETS } from '../aging.ts';
import { useSession } from '../auth/session.tsx';
import { daysPastDueText } from '../worklist/days-past-due.ts';
import { usePhaseLabel } from '../worklist/WorklistPage.tsx';
import { cleanFilters, filterErrors, FILTERS, type Filters } from './filters.ts';

/** One row of GET /accounts. */
interface Account {
  debtor_external_id: string;
  name: string;
  portfolio: string;
  phase: string;
  days_past_due: number | null;
  bucket: string | null;
  balances: Record<string, string>;
  segments: string[];
  on_hold: boolean;
  as_of: string;
}

interface AccountPage {
  data: Account[];
  next_cursor: string | null;
}

// The filters (filters.ts) live in the address so a filtered list can be bookmarked and shared.
type Sort = 'days_past_due' | 'balance' | 'name';

const PHASES = ['preventive', 'administrative', 'extrajudicial', 'judicial', 'written_off', 'settled'];
const CURRENCIES = ['MXN', 'USD', 'COP', 'PEN', 'CLP', 'ARS', 'BRL'];
const PAGE_SIZE = 50;
/** Filters kept folded until used, so the list starts higher on a tablet. */
const MORE_FILTERS = ['dpd_min', 'dpd_max', 'currency', 'balance_min', 'balance_max'] as const;

function readFilters(params: URLSearchParams): Filters {
  return Object.fromEntries(FILTERS.map((k) => [k, params.get(k) ?? ''])) as Filters;
}

/** The default direction of each order: worst first for days and balance, A→Z for names (as the API). */
function defaultOrder(sort: Sort): 'asc' | 'desc' {
  return sort === 'name' ? 'asc' : 'desc';
}

/** /app/accounts — the portfolio's accounts: search, filters, sorting, pages, export; each row opens the debtor. */
export default function AccountsPage() {
  const { t, date, locale } = useI18n();
  const phaseLabel = usePhaseLabel();
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const applied = readFilters(params);
  const sortParam = params.get('sort');
  const sort: Sort = sortParam === 'balance' || sortParam === 'name' ? sortParam : 'days_past_due';
  const order = params.get('order') === 'asc' ? 'asc' : params.get('order') === 'desc' ? 'desc' : defaultOrder(sort);
  const listKey = params.toString();

  const [draft, setDraft] = useState<Filters>(applied);
  // Filters refused on "Apply" (the address keeps the last good ones); otherwise the address's own are checked, so a
  // hand-edited or shared address with an empty range says so instead of showing no accounts.
  const [refused, setRefused] = useState<Filters | null>(null);
  const errors = filterErrors(refused ?? applied, t);
  const blocked = refused === null && Object.keys(errors).length > 0;
  // Keyset pages: the cursor each visited page started at; a new filter or order starts again at page one.
  const [pages, setPages] = useState<{ key: string; cursors: Array<string | undefined> }>({ key: listKey, cursors: [undefined] });
  if (pages.key !== listKey) {
    setPages({ key: listKey, cursors: [undefined] });
    setDraft(applied);
    setRefused(null);
  }
  const cursor = pages.cursors[pages.cursors.length - 1];

  const query: Record<string, string | undefined> = { ...Object.fromEntries(FILTERS.map((k) => [k, applied[k] || undefined])), sort, order };
  const list = useQuery({
    queryKey: ['accounts', listKey, cursor],
    queryFn: () => api.get<AccountPage>('/accounts', { query: { ...query, limit: PAGE_SIZE, cursor } }),
    placeholderData: keepPreviousData,
    enabled: !blocked,
  });
  const portfolios = useQuery({ queryKey: ['portfolios'], queryFn: () => api.get<{ data: Array<{ name: string }> }>('/portfolios') });
  const segments = useQuery({ queryKey: ['segments'], queryFn: () => api.get<{ data: Array<{ name: string }> }>('/segments') });
  const mayExport = session.data?.permissions.includes('reports:export') ?? false;
  // With one portfolio its name in every row says nothing.
  const severalPortfolios = (portfolios.data?.data.length ?? 0) > 1;

  const apply = (event: FormEvent) => {
    event.preventDefault();
    if (Object.keys(filterErrors(draft, t)).length > 0) {
      setRefused(draft);
      return;
    }
    setRefused(null);
    const clean = cleanFilters(draft);
    const next = new URLSearchParams();
    for (const k of FILTERS) if (clean[k]) next.set(k, clean[k]);
    if (sortParam) next.set('sort', sort);
    if (params.get('order')) next.set('order', order);
    if (sort === 'balance' && !next.get('currency')) next.delete('sort');
    setParams(next);
  };
  const clear = () => {
    setRefused(null);
    setParams(new URLSearchParams());
  };
  const sortBy = (column: Sort) => {
    const next = new URLSearchParams(params);
    next.set('sort', column);
    next.set('order', sort === column ? (order === 'asc' ? 'desc' : 'asc') : defaultOrder(column));
    setParams(next);
  };
  const field = (key: keyof Filters) => ({
    value: draft[key],
    onChange: (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [key]: e.target.value })),
  });
  const exportHref = (format: 'xlsx' | 'csv') => {
    const q = new URLSearchParams({ format, language: locale === 'en' ? 'en' : 'es' });
    for (const [k, v] of Object.entries(query)) if (v) q.set(k, v);
    return `/accounts/export?${q.toString()}`;
  };

  const sortHeader = (column: Sort, label: string, className?: string) => {
    const active = sort === column;
    const needsCurrency = column === 'balance' && !applied.currency;
    return (
      <th scope="col" className={className} aria-sort={active ? (order === 'asc' ? 'ascending' : 'descending') : undefined}>
        {needsCurrency ? (
          <span title={t('accounts.sort.needsCurrency')}>{label}</span>
        ) : (
          <button
            type="button"
            className="button button--link"
            onClick={() => sortBy(column)}
            aria-label={`${t('accounts.sort.by', { column: label })}${active ? ` (${t(order === 'asc' ? 'accounts.sort.asc' : 'accounts.sort.desc')})` : ''}`}
          >
            {label}
            <span aria-hidden="true">{active ? (order === 'asc' ? ' ▲' : ' ▼') : ' ↕'}</span>
          </button>
        )}
      </th>
    );
  };

  const rows = list.data?.data ?? [];
  const pageNumber = pages.cursors.length;
  return (
    <div className="container stack">
      <h1>{t('accounts.title')}</h1>
      <p className="muted">{t('accounts.intro')}</p>
      <Card title={t('accounts.filters')}>
        {/* The app checks the fields itself (filters.ts), in the reader's language, instead of the browser. */}
        <form onSubmit={apply} className="stack" role="search" noValidate>
          <TextField label={t('accounts.search')} hint={t('accounts.search.hint')} type="search" maxLength={200} {...field('q')} />
          <div className="bo-filters">
            {severalPortfolios && (
              <SelectField label={t('accounts.portfolio')} {...field('portfolio')} options={[{ value: '', label: t('accounts.any') }, ...(portfolios.data?.data ?? []).map((p) => ({ value: p.name, label: p.name }))]} />
            )}
            <SelectField label={t('accounts.phase')} {...field('phase')} options={[{ value: '', label: t('accounts.any') }, ...PHASES.map((p) => ({ value: p, label: phaseLabel(p) }))]} />
            <SelectField label={t('accounts.bucket')} {...field('bucket')} options={[{ value: '', label: t('accounts.any') }, ...BUCKETS.map((b) => ({ value: b, label: b === 'current' ? t('accounts.bucket.current') : b }))]} />
            <SelectField label={t('accounts.segment')} {...field('segment')} options={[{ value: '', label: t('accounts.anySegment') }, ...(segments.data?.data ?? []).map((s) => ({ value: s.name, label: s.name }))]} />
          </div>
          <details className="disclosure" open={MORE_FILTERS.some((k) => applied[k] !== '' || errors[k] !== undefined)}>
            <summary>{t('accounts.moreFilters')}</summary>
            <div className="bo-filters bo-filters--lined">
              <TextField label={t('accounts.dpdMin')} type="number" inputMode="numeric" step={1} {...field('dpd_min')} error={errors.dpd_min} />
              <TextField label={t('accounts.dpdMax')} type="number" inputMode="numeric" step={1} {...field('dpd_max')} error={errors.dpd_max} />
              <SelectField
                label={t('accounts.currency')}
                hint={t('accounts.currency.hint')}
                {...field('currency')}
                error={errors.currency}
                options={[{ value: '', label: t('accounts.currency.none') }, ...CURRENCIES.map((c) => ({ value: c, label: c }))]}
              />
              <TextField label={t('accounts.balanceMin')} inputMode="decimal" {...field('balance_min')} error={errors.balance_min} />
              <TextField label={t('accounts.balanceMax')} inputMode="decimal" {...field('balance_max')} error={errors.balance_max} />
            </div>
          </details>
          <div className="row">
            <Button type="submit">{t('accounts.apply')}</Button>
            <Button variant="secondary" onClick={clear}>
              {t('accounts.clear')}
            </Button>
          </div>
        </form>
      </Card>

      {blocked ? (
        <p>{t('accounts.error.fix')}</p>
      ) : list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorView error={list.error} retry={() => void list.refetch()} />
      ) : rows.length === 0 ? (
        <p>{t('accounts.empty')}</p>
      ) : (
        <>
          <p aria-live="polite">
            {t('accounts.shown', { count: rows.length })} · {t('accounts.page', { page: pageNumber })}
          </p>
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  {sortHeader('name', t('accounts.col.debtor'))}
                  {severalPortfolios && <th scope="col">{t('accounts.col.portfolio')}</th>}
                  <th scope="col">{t('accounts.col.phase')}</th>
                  {sortHeader('days_past_due', t('accounts.col.dpd'), 'num')}
                  <th scope="col">{t('accounts.col.bucket')}</th>
                  {sortHeader('balance', t('accounts.col.balance'), 'num')}
                  <th scope="col">{t('accounts.col.segments')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((a) => (
                  <tr key={`${a.portfolio}:${a.debtor_external_id}`}>
                    <td>
                      <Link to={`/app/debtors/${encodeURIComponent(a.debtor_external_id)}`} aria-label={t('accounts.open', { name: a.name })}>
                        {a.name}
                      </Link>
                      <div className="muted small">{a.debtor_external_id}</div>
                    </td>
                    {severalPortfolios && <td>{a.portfolio}</td>}
                    <td>
                      {phaseLabel(a.phase)}
                      {a.on_hold && (
                        <>
                          {' '}
                          <span className="badge badge--warning">{t('accounts.onHold')}</span>
                        </>
                      )}
                    </td>
                    <td className="num" data-value={a.days_past_due ?? undefined}>
                      {daysPastDueText(a.days_past_due, t)}
                    </td>
                    <td>{a.bucket === null ? '—' : a.bucket === 'current' ? t('accounts.bucket.current') : a.bucket}</td>
                    <td className="num">
                      {Object.keys(a.balances).length === 0
                        ? '—'
                        : Object.entries(a.balances).map(([currency, amount]) => (
                            <div key={currency}>
                              <Money amount={amount} currency={currency} />
                            </div>
                          ))}
                    </td>
                    <td>{a.segments.length > 0 ? a.segments.join(', ') : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {rows[0] && <p className="muted small">{t('accounts.asOf', { date: date(rows[0].as_of) })}</p>}
          <nav className="row" aria-label={t('accounts.pagination')}>
            <Button variant="secondary" disabled={pageNumber === 1} onClick={() => setPages((p) => ({ ...p, cursors: p.cursors.slice(0, -1) }))}>
              {t('accounts.previous')}
            </Button>
            <Button
              variant="secondary"
              disabled={!list.data?.next_cursor}
              busy={list.isFetching && list.isPlaceholderData}
              onClick={() => setPages((p) => ({ ...p, cursors: [...p.cursors, list.data?.next_cursor ?? undefined] }))}
            >
              {t('accounts.next')}
            </Button>
          </nav>
        </>
      )}
      {mayExport && (
        <Card title={t('accounts.export')}>
          <div className="row">
            <a className="button button--secondary" href={exportHref('xlsx')} download>
              {t('accounts.export.xlsx')}
            </a>
            <a className="button button--secondary" href={exportHref('csv')} download>
              {t('accounts.export.csv')}
            </a>
          </div>
        </Card>
      )}
    </div>
  );
}
