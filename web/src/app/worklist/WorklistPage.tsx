import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Button, ErrorView, Loading, Money, SelectField } from '../../ui/index.ts';
import { useSession } from '../auth/session.tsx';
import { daysPastDueText } from './days-past-due.ts';
import { MoveWork, useCollectorLabel, type Queue } from './MoveWork.tsx';
import { accountsInOrder, debtorHref, queueOf } from './queue.ts';
import { useWorklist, useWorklistSummary } from './useWorklist.ts';

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
  const { t, date, dateTime, number } = useI18n();
  const session = useSession();
  const phaseLabel = usePhaseLabel();
  const supervises = session.data?.permissions.includes('worklist:assign') ?? false;
  // The queue lives in the address, so the debtor page (its "Siguiente cuenta") and Back keep it.
  const [params, setParams] = useSearchParams();
  const collector = supervises ? queueOf(params) : '';
  // Debtors picked to move to another queue (supervisors); one debtor may have several items in the list.
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const collectorLabel = useCollectorLabel();
  const queues = useQuery({ queryKey: ['worklist', 'queues'], queryFn: () => api.get<{ data: Queue[] }>('/worklist/queues'), enabled: supervises });
  const list = useWorklist(collector);
  const summary = useWorklistSummary(collector);
  // The priority sections come whole on the first page; later pages add portfolio items only.
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const shown = accountsInOrder(items).length;
  const totals = summary.data;
  return (
    <div className="container stack">
      <h1>{t('worklist.title')}</h1>
      <p className="muted">{t('worklist.intro')}</p>
      {supervises && queues.data && (
        <SelectField
          label={t('worklist.queue')}
          hint={t('worklist.queue.hint')}
          value={collector}
          onChange={(e) => {
            setParams(e.target.value ? { queue: e.target.value } : {});
            setPicked(new Set());
          }}
          options={[
            { value: '', label: t('worklist.queue.mine') },
            ...queues.data.data.map((q) => ({
              value: String(q.collector_id),
              label: t('worklist.queue.collector', { collector: collectorLabel(q), accounts: t('worklist.queue.accounts', { count: q.accounts }), attention: t('worklist.queue.attention', { count: q.attention }) }),
            })),
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
          <div aria-live="polite" className="stack">
            <p>{totals ? t('worklist.shown', { shown: number(shown), count: Math.max(totals.accounts, shown) }) : t('worklist.shown.loading', { count: shown })}</p>
            {totals && <p className="muted">{totals.attention === 0 ? t('worklist.attention.none') : t('worklist.attention', { count: totals.attention })}</p>}
            {totals && totals.assigned > totals.accounts && <p className="muted small">{t('worklist.assigned', { count: totals.assigned })}</p>}
          </div>
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
                      <Link to={debtorHref(item.debtor_external_id, collector)} aria-label={t('worklist.open', { name: item.debtor_name })}>
                        {item.debtor_name}
                      </Link>
                      <div className="muted">{item.debtor_external_id}</div>
                    </td>
                    <td>{item.reason}</td>
                    <td>{item.balance && item.currency ? <Money amount={item.balance} currency={item.currency} /> : '—'}</td>
                    <td data-value={item.days_past_due ?? undefined}>{daysPastDueText(item.days_past_due, t)}</td>
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
