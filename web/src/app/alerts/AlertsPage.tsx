import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Button, Card, ErrorView, Loading, Money } from '../../ui/index.ts';

/** One line of an alert. */
interface AlertItem {
  debtor_external_id: string | null;
  text: string;
  ref: number | null;
  since: string | null;
  /** The line's money (an unapplied payment), also written at the end of `text` as ": 63.36 USD". */
  amount: string | null;
  currency: string | null;
}

/** One entry of GET /alerts. */
interface AlertGroup {
  kind: string;
  severity: 'high' | 'medium' | 'low';
  title: string;
  count: number;
  amounts: Record<string, string>;
  items: AlertItem[];
}

const SEVERITY_BADGE = { high: 'badge--danger', medium: 'badge--warning', low: '' } as const;
/** Lines fetched per click on "show more". */
const MORE_PAGE = 100;

/** /app/alerts — what needs someone today (broken promises, unapplied payments, disputes, plans, channels, queues), by kind. */
export default function AlertsPage() {
  const { t } = useI18n();
  const alerts = useQuery({ queryKey: ['alerts'], queryFn: () => api.get<{ data: AlertGroup[] }>('/alerts') });
  return (
    <div className="container stack">
      <h1>{t('alerts.title')}</h1>
      <p className="muted">{t('alerts.intro')}</p>
      {alerts.isPending ? (
        <Loading />
      ) : alerts.isError ? (
        <ErrorView error={alerts.error} retry={() => void alerts.refetch()} />
      ) : alerts.data.data.length === 0 ? (
        <p>{t('alerts.empty')}</p>
      ) : (
        alerts.data.data.map((a) => <AlertCard key={a.kind} alert={a} />)
      )}
    </div>
  );
}

/** One kind of alert: its lines, and the rest of them on request (GET /alerts?kind=…&offset=…). */
function AlertCard({ alert: a }: { alert: AlertGroup }) {
  const { t } = useI18n();
  const [more, setMore] = useState<AlertItem[]>([]);
  const load = useMutation({
    mutationFn: () => api.get<{ data: AlertGroup[] }>('/alerts', { query: { kind: a.kind, offset: a.items.length + more.length, items: MORE_PAGE } }),
    onSuccess: (page) => setMore((m) => [...m, ...(page.data[0]?.items ?? [])]),
  });
  const items = [...a.items, ...more];
  const left = a.count - items.length;
  return (
    <Card data-kind={a.kind} aria-labelledby={`alert-${a.kind}`}>
      <h2 id={`alert-${a.kind}`} className="row">
        {t(`alerts.kind.${a.kind}`)} <span className={`badge ${SEVERITY_BADGE[a.severity]}`}>{t(`alerts.severity.${a.severity}`)}</span>
        <span className="muted">{t('alerts.count', { count: a.count })}</span>
      </h2>
      <p>{a.title}</p>
      {Object.keys(a.amounts).length > 0 && (
        <p>
          {t('alerts.amounts')}:{' '}
          {Object.entries(a.amounts).map(([c, v], i) => (
            <span key={c}>
              {i > 0 && ' · '}
              <Money amount={v} currency={c} />
            </span>
          ))}
        </p>
      )}
      <ul aria-label={t(`alerts.kind.${a.kind}`)}>
        {items.map((item, i) => (
          <AlertLine key={`${item.ref ?? ''}:${i}`} item={item} />
        ))}
      </ul>
      {left > 0 && (
        <div className="row">
          <span className="muted">{t('alerts.shown', { shown: items.length, count: a.count })}</span>
          <Button variant="secondary" busy={load.isPending} onClick={() => load.mutate()}>
            {t('alerts.more', { count: Math.min(left, MORE_PAGE) })}
          </Button>
        </div>
      )}
      {load.isError && <ErrorView error={load.error} retry={() => load.mutate()} />}
    </Card>
  );
}

function AlertLine({ item }: { item: AlertItem }) {
  const { t, dateTime, date } = useI18n();
  // The amount the text ends with, formatted like the totals above ("$63.36", "USD 63.36").
  const tail = item.amount && item.currency ? `: ${item.amount} ${item.currency}` : null;
  const text = tail && item.text.endsWith(tail) ? item.text.slice(0, -tail.length) : item.text;
  return (
    <li>
      {item.debtor_external_id ? (
        <Link to={`/app/debtors/${encodeURIComponent(item.debtor_external_id)}`} aria-label={t('alerts.open', { id: item.debtor_external_id })}>
          {item.debtor_external_id}
        </Link>
      ) : null}
      {item.debtor_external_id ? ' — ' : ''}
      {text}
      {text !== item.text && (
        <>
          {': '}
          <Money amount={item.amount!} currency={item.currency!} />
        </>
      )}
      {item.since && <span className="muted"> · {t('alerts.since', { date: item.since.length > 10 ? dateTime(item.since) : date(item.since) })}</span>}
    </li>
  );
}
