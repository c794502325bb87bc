import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../../api/client.ts';
import { useI18n } from '../../../i18n/index.tsx';
import { Alert, Button, ErrorView, Loading, Money, TextField } from '../../../ui/index.ts';
import { RequireSession } from '../../auth/session.tsx';

/** One cost of a collector's history: it applies from `from` (null: since always) until the next one. */
interface CostEntry {
  from: string | null;
  monthly: string;
  currency: string;
}

/** One row of GET /collector-costs. */
interface CollectorCost {
  collector_id: number;
  name: string;
  email: string;
  role: string;
  active: boolean;
  /** In force today. */
  cost: { monthly: string; currency: string } | null;
  /** Oldest first. */
  history: CostEntry[];
}

const QUERY = ['collector-costs'];
const AMOUNT = /^\d+(\.\d+)?$/;
const CURRENCY = /^[A-Za-z]{3}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * /app/settings/costs — what each collector costs a month, the base of the dashboard's cost per peso recovered: the
 * cost in force today, its history, and a form to set a cost from a date (the company's today by default).
 */
export default function CollectorCostsPage() {
  return (
    <RequireSession permission="settings:write">
      <CollectorCosts />
    </RequireSession>
  );
}

function CollectorCosts() {
  const { t } = useI18n();
  const costs = useQuery({ queryKey: QUERY, queryFn: () => api.get<{ data: CollectorCost[]; today: string }>('/collector-costs') });
  return (
    <div className="container stack">
      <h1>{t('costs.title')}</h1>
      <p>{t('costs.intro')}</p>
      {costs.isPending ? (
        <Loading />
      ) : costs.isError ? (
        <ErrorView error={costs.error} retry={() => void costs.refetch()} />
      ) : costs.data.data.length === 0 ? (
        <p>{t('costs.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label={t('costs.title')}>
            <thead>
              <tr>
                <th scope="col">{t('costs.col.collector')}</th>
                <th scope="col">{t('costs.col.role')}</th>
                <th scope="col">{t('costs.col.monthly')}</th>
                <th scope="col">{t('costs.col.history')}</th>
                <th scope="col">{t('costs.col.edit')}</th>
              </tr>
            </thead>
            <tbody>
              {costs.data.data.map((c) => (
                <CostRow key={c.collector_id} row={c} today={costs.data.today} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function CostRow({ row, today }: { row: CollectorCost; today: string }) {
  const { t, date } = useI18n();
  const queryClient = useQueryClient();
  const [monthly, setMonthly] = useState(row.cost?.monthly ?? '');
  const [currency, setCurrency] = useState(row.cost?.currency ?? 'MXN');
  const [from, setFrom] = useState(today);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: QUERY });
  const save = useMutation({
    mutationFn: () => api.put<CollectorCost>(`/collector-costs/${row.collector_id}`, { monthly_cost: monthly.trim(), currency: currency.trim().toUpperCase(), from }),
    onSuccess: refresh,
  });
  // Without a date every cost of the collector goes; with one, that cost only (the previous one applies again).
  const remove = useMutation({
    mutationFn: (entry: string | null) => api.delete(`/collector-costs/${row.collector_id}${entry ? `?from=${entry}` : ''}`),
    onSuccess: refresh,
  });
  const details = save.error instanceof ApiError ? save.error.details : [];
  const serverError = (field: string) => {
    const found = details.filter((d) => d.path === field || d.path?.endsWith(`.${field}`));
    return found.length ? found.map((d) => d.reason).join(' ') : undefined;
  };
  const amountError = monthly.trim() !== '' && !AMOUNT.test(monthly.trim()) ? t('costs.notAmount') : serverError('monthly_cost');
  const currencyError = !CURRENCY.test(currency.trim()) ? t('costs.notCurrency') : serverError('currency');
  const fromError = !DATE.test(from) ? t('costs.notDate') : serverError('from');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const who = `${row.name} (${row.email})`;
  return (
    <tr>
      <td>
        {row.name}
        <div className="muted">{row.email}</div>
      </td>
      <td>{t(`auth.role.${row.role}`)}</td>
      <td>{row.cost ? <Money amount={row.cost.monthly} currency={row.cost.currency} /> : '—'}</td>
      <td>
        {row.history.length === 0 ? (
          '—'
        ) : (
          <ul className="list-plain" aria-label={t('costs.historyOf', { who })}>
            {row.history.map((entry) => (
              <li key={entry.from ?? 'always'} className="row">
                <span>
                  {entry.from ? t('costs.from', { date: date(entry.from) }) : t('costs.always')}: <Money amount={entry.monthly} currency={entry.currency} />
                </span>
                {entry.from && row.history.length > 1 && (
                  <Button type="button" variant="link" busy={remove.isPending && remove.variables === entry.from} onClick={() => remove.mutate(entry.from)} aria-label={t('costs.removeFrom', { date: date(entry.from) })}>
                    {t('costs.removeOne')}
                  </Button>
                )}
              </li>
            ))}
          </ul>
        )}
      </td>
      <td>
        <form className="row" onSubmit={submit} noValidate aria-label={t('costs.form', { who })}>
          <TextField
            label={t('costs.monthly')}
            inputMode="decimal"
            value={monthly}
            error={amountError}
            onChange={(e) => {
              save.reset();
              setMonthly(e.target.value);
            }}
          />
          <TextField
            label={t('costs.currency')}
            value={currency}
            maxLength={3}
            error={currencyError}
            onChange={(e) => {
              save.reset();
              setCurrency(e.target.value);
            }}
          />
          <TextField
            label={t('costs.fromDate')}
            type="date"
            required
            value={from}
            error={fromError}
            onChange={(e) => {
              save.reset();
              setFrom(e.target.value);
            }}
          />
          <Button type="submit" busy={save.isPending} disabled={monthly.trim() === '' || amountError !== undefined || currencyError !== undefined || fromError !== undefined}>
            {t('costs.save')}
          </Button>
          {row.cost && (
            <Button type="button" variant="secondary" busy={remove.isPending && remove.variables === null} onClick={() => remove.mutate(null)}>
              {t('costs.remove')}
            </Button>
          )}
        </form>
        {save.isSuccess && <Alert kind="success">{t('costs.saved', { who: row.name })}</Alert>}
        {save.isError && details.length === 0 && <ErrorView error={save.error} />}
        {remove.isError && <ErrorView error={remove.error} />}
      </td>
    </tr>
  );
}
