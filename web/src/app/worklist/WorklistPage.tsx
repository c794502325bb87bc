import { useState } from 'react';
import { Link } from 'react-router';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Button, ErrorView, Loading, Money, SelectField } from '../../ui/index.ts';
import { useSession } from '../auth/session.tsx';
import { MoveWork, useCollectorLabel, type Queue } from './MoveWork.tsx';

/** One entry of GET /worklist. */
interface WorklistItem {
  category: string;
  debtor_external_id: string;
  debtor_name: string;
  reason: string;
  ref: number | null;
  due: string | null;
  phase: string | null;
  days_past_due: number | null;
  currency: string | null;
  balance: string | null;
  expected_recovery: string | null;
  score: number | null;
}

interface Worklist {
  collector_id: number;
  as_of: string;
  items: WorklistItem[];
  next_cursor: string | null;
  counts: Record<string, number>;
}

/** A phase's label; phases a company adds beyond the standard ones show as they are named. */
export function usePhaseLabel() {
  const { t } = useI18n();
  return (phase: string | null) => {
    if (!phase) return '—';
    const key = `worklist.phase.${phase}`;
    const label = t(key);
    return label === key ? phase : label;
  };
}

/** /app/worklist — "Mi día": the signed-in collector's accounts in priority order; supervisors pick any collector's queue. */
export default function WorklistPage() {
  const { t, date, dateTime } = useI18n();
  const session = useSession();
  const phaseLabel = usePhaseLabel();
  const supervises = session.data?.permissions.includes('worklist:assign') ?? false;
  const [collector, setCollector] = useState('');
  // Debtors picked to move to another queue (supervisors); one debtor may have several items in the list.
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const collectorLabel = useCollectorLabel();
  const queues = useQuery({ queryKey: ['worklist', 'queues'], queryFn: () => api.get<{ data: Queue[] }>('/worklist/queues'), enabled: supervises });
  const list = useInfiniteQuery({
    queryKey: ['worklist', collector],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => api.get<Worklist>('/worklist', { query: { collector_id: collector || undefined, limit: 50, cursor: pageParam } }),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  // The priority sections come whole on the first page; later pages add portfolio items only.
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="container stack">
      <h1>{t('worklist.title')}</h1>
      <p className="muted">{t('worklist.intro')}</p>
      {supervises && queues.data && (
        <SelectField
          label={t('worklist.queue')}
          value={collector}
          onChange={(e) => {
            setCollector(e.target.value);
            setPicked(new Set());
          }}
          options={[
            { value: '', label: t('worklist.queue.mine') },
            ...queues.data.data.map((q) => ({ value: String(q.collector_id), label: t('worklist.queue.collector', { collector: collectorLabel(q), accounts: q.accounts, attention: q.attention }) })),
          ]}
        />
      )}
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorView error={list.error} retry={() => void list.refetch()} />
      ) : items.length === 0 ? (
        <p>{t('worklist.empty')}</p>
      ) : (
        <>
          <p aria-live="polite">{t('worklist.count', { count: items.length })}</p>
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('worklist.col.kind')}</th>
                  <th scope="col">{t('worklist.col.debtor')}</th>
                  <th scope="col">{t('worklist.col.reason')}</th>
                  <th scope="col">{t('worklist.col.balance')}</th>
                  <th scope="col">{t('worklist.col.dpd')}</th>
                  <th scope="col">{t('worklist.col.phase')}</th>
                  <th scope="col">{t('worklist.col.due')}</th>
                  {supervises && (
                    <th scope="col">
                      <span className="visually-hidden">{t('worklist.move.pickColumn')}</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {items.map((item, i) => (
                  <tr key={`${item.category}:${item.debtor_external_id}:${item.ref ?? i}`} data-category={item.category}>
                    <td>
                      <span className={`badge${item.category === 'portfolio' ? '' : item.category === 'promise_broken' || item.category === 'dispute' ? ' badge--danger' : ' badge--warning'}`}>
                        {t(`worklist.kind.${item.category}`)}
                      </span>
                    </td>
                    <td>
                      <Link to={`/app/debtors/${encodeURIComponent(item.debtor_external_id)}`} aria-label={t('worklist.open', { name: item.debtor_name })}>
                        {item.debtor_name}
                      </Link>
                      <div className="muted">{item.debtor_external_id}</div>
                    </td>
                    <td>{item.reason}</td>
                    <td>{item.balance && item.currency ? <Money amount={item.balance} currency={item.currency} /> : '—'}</td>
                    <td>{item.days_past_due ?? '—'}</td>
                    <td>{phaseLabel(item.phase)}</td>
                    <td>{item.due ? (item.due.length > 10 ? dateTime(item.due) : date(item.due)) : '—'}</td>
                    {supervises && (
                      <td>
                        <input
                          type="checkbox"
                          aria-label={t('worklist.move.pickDebtor', { name: item.debtor_name })}
                          checked={picked.has(item.debtor_external_id)}
                          onChange={(e) =>
                            setPicked((s) => {
                              const next = new Set(s);
                              if (e.target.checked) next.add(item.debtor_external_id);
                              else next.delete(item.debtor_external_id);
                              return next;
                            })
                          }
                        />
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {list.hasNextPage && (
            <Button variant="secondary" busy={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
              {t('worklist.more')}
            </Button>
          )}
        </>
      )}
      {supervises && queues.data && items.length > 0 && (
        <MoveWork selected={[...picked]} queues={queues.data.data} from={collector ? Number(collector) : (session.data?.user?.id ?? null)} onMoved={() => setPicked(new Set())} />
      )}
    </div>
  );
}
