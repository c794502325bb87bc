import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Card, ErrorView, Loading, Money } from '../../ui/index.ts';

/** One entry of GET /alerts. */
interface AlertGroup {
  kind: string;
  severity: 'high' | 'medium' | 'low';
  title: string;
  count: number;
  amounts: Record<string, string>;
  items: Array<{ debtor_external_id: string | null; text: string; ref: number | null; since: string | null }>;
}

const SEVERITY_BADGE = { high: 'badge--danger', medium: 'badge--warning', low: '' } as const;

/** /app/alerts — what needs someone today (broken promises, unapplied payments, disputes, plans, channels, queues), by kind. */
export default function AlertsPage() {
  const { t, dateTime, date } = useI18n();
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
        alerts.data.data.map((a) => (
          <Card key={a.kind} data-kind={a.kind} aria-labelledby={`alert-${a.kind}`}>
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
            <ul>
              {a.items.map((item, i) => (
                <li key={`${item.ref ?? ''}:${i}`}>
                  {item.debtor_external_id ? (
                    <Link to={`/app/debtors/${encodeURIComponent(item.debtor_external_id)}`} aria-label={t('alerts.open', { id: item.debtor_external_id })}>
                      {item.debtor_external_id}
                    </Link>
                  ) : null}
                  {item.debtor_external_id ? ' — ' : ''}
                  {item.text}
                  {item.since && <span className="muted"> · {t('alerts.since', { date: item.since.length > 10 ? dateTime(item.since) : date(item.since) })}</span>}
                </li>
              ))}
              {a.count > a.items.length && <li className="muted">{t('alerts.more', { count: a.count - a.items.length })}</li>}
            </ul>
          </Card>
        ))
      )}
    </div>
  );
}
