/**
 * Logging an interaction (gestión) on the debtor 360, with the promise to pay it may carry, and the debtor's promises.
 * A promise is judged by the server as it is typed (POST /debtors/:id/offers/evaluate, as plans are): within the
 * policy it is saved, outside it but approvable it is saved as a request for approval, refused it is not sent. The
 * promises list lets a collector cancel a promise (one per currency may be live) and an approver decide on one.
 */
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';
import { hasTooManyDecimals, parseAmountInput } from '../../i18n/format.ts';
import { Alert, Button, ErrorView, Money, SelectField, TextAreaField, TextField } from '../../ui/index.ts';
import { useSession } from '../auth/session.tsx';
import { useDebounced } from '../settings/useDebounced.ts';
import { mayDecide, useRoleLabel } from './PaymentPlans.tsx';

export interface PromiseRow {
  id: number;
  amount: string;
  currency: string;
  date: string;
  status: string;
  paid: string;
  channel: string;
  taken_by: string;
  /** Who may decide on it while it waits for approval. */
  approver_role: string | null;
}

/** What this file needs of GET /debtors/:id/360. */
export interface PromiseDebtor {
  debtor: { external_id: string; balances: Record<string, string> };
  promises: PromiseRow[];
}

interface Reason {
  code: string;
  message: string;
  message_en: string;
}

/** POST /debtors/:id/offers/evaluate for a promise. */
interface Evaluation {
  outcome: 'allowed' | 'needs_approval' | 'refused';
  approver_role: string | null;
  reasons: Reason[];
}

const CHANNELS = ['call', 'visit', 'whatsapp', 'email', 'sms', 'letter', 'note'];
const OUTCOMES = ['contacted_debtor', 'contacted_third_party', 'no_answer', 'wrong_number', 'promise', 'refusal', 'dispute', 'callback'];
/** A promise in these states blocks another one in its currency (the server refuses a second). */
const LIVE = new Set(['open', 'pending_approval']);

/** After an action the page reads the debtor again, and lists that may now differ are refreshed on next view. */
export function useRefresh(id: string) {
  const queryClient = useQueryClient();
  return async () => {
    await queryClient.invalidateQueries({ queryKey: ['debtor360', id] });
    await queryClient.invalidateQueries({ queryKey: ['worklist'] });
  };
}

export function LogInteraction({ view }: { view: PromiseDebtor }) {
  const { t, money, date, locale } = useI18n();
  const roleLabel = useRoleLabel();
  const id = view.debtor.external_id;
  const refresh = useRefresh(id);
  const currencies = Object.keys(view.debtor.balances);
  const blank = { channel: 'call', outcome: 'contacted_debtor', notes: '', next: '', amount: '', currency: currencies[0] ?? 'MXN', date: '' };
  const [form, setForm] = useState(blank);
  const [done, setDone] = useState<string | null>(null);
  const isPromise = form.outcome === 'promise';

  // The amount as the API takes it, or why it cannot be one.
  const amount = parseAmountInput(form.amount);
  const amountError =
    !isPromise || form.amount.trim() === ''
      ? null
      : amount === null
        ? t('debtor.error.amount')
        : hasTooManyDecimals(amount, form.currency)
          ? t('debtor.error.decimals', { currency: form.currency })
          : null;
  const live = isPromise ? view.promises.find((p) => p.currency === form.currency && LIVE.has(p.status)) : undefined;
  const offer = isPromise && amount !== null && !amountError && form.date && !live ? { kind: 'promise' as const, amount, promised_on: form.date } : null;
  const settled = useDebounced(offer, 300);
  const evaluation = useQuery({
    queryKey: ['offer-evaluation', id, form.currency, settled],
    queryFn: () => api.post<Evaluation>(`/debtors/${encodeURIComponent(id)}/offers/evaluate`, { currency: form.currency, offer: settled }),
    enabled: settled !== null,
  });
  // The evaluation shown must be of what is in the form now, not of what was typed a moment ago.
  const current = evaluation.data && offer && JSON.stringify(offer) === JSON.stringify(settled) ? evaluation.data : null;

  const save = useMutation({
    mutationFn: (requestApproval: boolean) =>
      api.post<{ promise: { amount: string; currency: string; date: string } | null }>(`/debtors/${encodeURIComponent(id)}/interactions`, {
        channel: form.channel,
        outcome: form.outcome,
        notes: form.notes || null,
        next_action_on: form.next || null,
        promise: isPromise && amount !== null ? { amount, currency: form.currency, date: form.date, ...(requestApproval && { request_approval: true }) } : null,
      }),
    onSuccess: async (r, requestApproval) => {
      const key = !r.promise ? 'debtor.logged' : requestApproval ? 'debtor.logged.promisePending' : 'debtor.logged.promise';
      setDone(r.promise ? t(key, { amount: money(r.promise.amount, r.promise.currency), date: date(r.promise.date) }) : t(key));
      setForm(blank);
      await refresh();
    },
  });
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => {
    setDone(null);
    setForm((f) => ({ ...f, [key]: e.target.value }));
  };
  const ready = !isPromise || (current !== null && current.outcome !== 'refused');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setDone(null);
    if (ready) save.mutate(isPromise && current?.outcome === 'needs_approval');
  };
  return (
    <form className="stack" onSubmit={submit} noValidate aria-label={t('debtor.action.log')}>
      {done && <Alert kind="success">{done}</Alert>}
      {save.isError && <ErrorView error={save.error} />}
      <div className="bo-grid">
        <SelectField label={t('debtor.field.channel')} value={form.channel} onChange={set('channel')} options={CHANNELS.map((c) => ({ value: c, label: t(`debtor.channel.${c}`) }))} />
        <SelectField label={t('debtor.field.outcome')} value={form.outcome} onChange={set('outcome')} options={OUTCOMES.map((o) => ({ value: o, label: t(`debtor.outcome.${o}`) }))} />
      </div>
      {isPromise && (
        <>
          <div className="bo-grid">
            <TextField label={t('debtor.field.promiseAmount')} inputMode="decimal" required value={form.amount} onChange={set('amount')} error={amountError ?? undefined} />
            {currencies.length > 1 && <SelectField label={t('debtor.field.promiseCurrency')} value={form.currency} onChange={set('currency')} options={currencies.map((c) => ({ value: c, label: c }))} />}
            <TextField label={t('debtor.field.promiseDate')} type="date" required value={form.date} onChange={set('date')} />
          </div>
          <div aria-live="polite" className="stack">
            {live ? (
              <Alert kind="warning">{t('debtor.promise.live', { amount: money(live.amount, live.currency), date: date(live.date) })}</Alert>
            ) : offer === null ? null : evaluation.isError ? (
              <ErrorView error={evaluation.error} />
            ) : !current ? (
              <p className="muted">{t('debtor.promise.evaluating')}</p>
            ) : (
              <Alert kind={current.outcome === 'allowed' ? 'success' : current.outcome === 'needs_approval' ? 'warning' : 'error'} title={t(`debtor.plan.outcome.${current.outcome}`, { role: roleLabel(current.approver_role) })}>
                {current.reasons.length > 0 && (
                  <ul>
                    {current.reasons.map((r) => (
                      <li key={r.code}>{locale === 'en' ? r.message_en : r.message}</li>
                    ))}
                  </ul>
                )}
              </Alert>
            )}
          </div>
        </>
      )}
      <TextAreaField label={t('debtor.field.notes')} rows={3} value={form.notes} onChange={set('notes')} />
      <TextField label={t('debtor.field.nextAction')} type="date" value={form.next} onChange={set('next')} />
      <div>
        <Button type="submit" busy={save.isPending} disabled={!ready}>
          {isPromise && current?.outcome === 'needs_approval' ? t('debtor.submit.logApproval') : t('debtor.submit.log')}
        </Button>
      </div>
    </form>
  );
}

/** The debtor's promises; a live one can be cancelled, one waiting for approval approved or rejected. */
export function PromiseList({ view }: { view: PromiseDebtor }) {
  const { t, date } = useI18n();
  const session = useSession();
  const may = (permission: string) => session.data?.permissions.includes(permission) ?? false;
  const refresh = useRefresh(view.debtor.external_id);
  const act = useMutation({
    mutationFn: ({ id, verb }: { id: number; verb: 'cancel' | 'approve' | 'reject' }) => api.post(`/promises/${id}/${verb}`, {}),
    onSuccess: refresh,
  });
  if (view.promises.length === 0) return <p>{t('debtor.promises.none')}</p>;
  const busy = (id: number, verb: string) => act.isPending && act.variables?.id === id && act.variables.verb === verb;
  return (
    <div className="stack">
      {act.isError && <ErrorView error={act.error} />}
      <div className="table-wrap">
        <table className="table" aria-label={t('debtor.promises')}>
          <thead>
            <tr>
              <th scope="col">{t('debtor.col.date')}</th>
              <th scope="col">{t('debtor.col.amount')}</th>
              <th scope="col">{t('debtor.col.status')}</th>
              <th scope="col">{t('debtor.col.paid')}</th>
              <th scope="col">{t('debtor.col.takenBy')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('debtor.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {view.promises.map((p) => (
              <tr key={p.id}>
                <td>{date(p.date)}</td>
                <td>
                  <Money amount={p.amount} currency={p.currency} />
                </td>
                <td>{t(`debtor.promise.${p.status}`)}</td>
                <td>
                  <Money amount={p.paid} currency={p.currency} />
                </td>
                <td>{t(`debtor.takenBy.${p.taken_by}`)}</td>
                <td>
                  <div className="row">
                    {p.status === 'pending_approval' && may('negotiation:approve') && mayDecide(session.data?.role, p.approver_role) && (
                      <>
                        <Button busy={busy(p.id, 'approve')} onClick={() => act.mutate({ id: p.id, verb: 'approve' })} aria-label={t('debtor.promise.approveOf', { date: date(p.date) })}>
                          {t('debtor.plan.approve')}
                        </Button>
                        <Button variant="danger" busy={busy(p.id, 'reject')} onClick={() => act.mutate({ id: p.id, verb: 'reject' })} aria-label={t('debtor.promise.rejectOf', { date: date(p.date) })}>
                          {t('debtor.plan.reject')}
                        </Button>
                      </>
                    )}
                    {LIVE.has(p.status) && may('negotiation:write') && (
                      <Button variant="secondary" busy={busy(p.id, 'cancel')} onClick={() => act.mutate({ id: p.id, verb: 'cancel' })} aria-label={t('debtor.promise.cancelOf', { date: date(p.date) })}>
                        {t('debtor.promise.cancel')}
                      </Button>
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
