/**
 * Payment plans on the debtor 360: offering one within the policy ("Ofrecer plan de pagos") and the debtor's plans,
 * each with its schedule and agreement PDF; supervisors approve or reject plans that wait for them. Every offer is
 * judged by the server (POST /debtors/:id/offers/evaluate): the page never decides what the policy allows.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Alert, Button, ErrorView, Loading, Money, SelectField, TextField } from '../../ui/index.ts';
import { useSession } from '../auth/session.tsx';
import { useDebounced } from '../settings/useDebounced.ts';

const FREQUENCIES = ['weekly', 'biweekly', 'monthly'] as const;

/** A plan offer as the API takes it (amounts are decimal strings in the plan's currency). */
interface PlanOffer {
  kind: 'plan';
  down_payment?: string;
  down_payment_on?: string;
  installments: number;
  frequency: string;
  first_installment_on: string;
  discount?: string;
}

interface Reason {
  code: string;
  kind: 'invalid' | 'limit';
  message: string;
  message_en: string;
}

interface ScheduleLine {
  seq: number;
  due_on: string;
  amount: string;
}

/** POST /debtors/:id/offers/evaluate. */
interface Evaluation {
  kind: string;
  outcome: 'allowed' | 'needs_approval' | 'refused';
  approver_role: string | null;
  currency: string;
  reasons: Reason[];
  total: string;
  discount: string;
  interest: string;
  schedule: ScheduleLine[];
}

/** GET /debtors/:id/plan-options. */
interface PlanOptions {
  today: string;
  currency: string;
  balance: string;
  overdue: string;
  options: Array<Evaluation & { offer: PlanOffer | { kind: 'settlement' } }>;
}

/** A plan as the API answers it (GET /plans/:id and the debtor's list). */
export interface Plan {
  id: number;
  kind: 'plan' | 'settlement';
  currency: string;
  status: string;
  total: string;
  down_payment: string;
  frequency: string | null;
  approver_role: string | null;
  evaluation: { reasons?: Reason[] } | null;
  installments: Array<{ seq: number; due_on: string; amount: string; paid: string; status: string }>;
}

/** The form's fields, as typed. */
interface Draft {
  installments: string;
  frequency: string;
  down_payment: string;
  first_installment_on: string;
}

function toOffer(d: Draft): PlanOffer | null {
  const installments = Number(d.installments);
  if (!Number.isInteger(installments) || installments < 1 || !d.first_installment_on) return null;
  return { kind: 'plan', installments, frequency: d.frequency, first_installment_on: d.first_installment_on, ...(d.down_payment.trim() && { down_payment: d.down_payment.trim() }) };
}

/** The reason in the page's language (the API gives both). */
function useReasonText() {
  const { locale } = useI18n();
  return (r: Reason) => (locale === 'en' ? r.message_en : r.message);
}

function ScheduleTable({ lines, currency, label }: { lines: Array<{ seq: number; due_on: string; amount: string; status?: string }>; currency: string; label: string }) {
  const { t, date } = useI18n();
  return (
    <div className="table-wrap">
      <table className="table" aria-label={label}>
        <thead>
          <tr>
            <th scope="col">{t('debtor.plan.col.seq')}</th>
            <th scope="col">{t('debtor.plan.col.due')}</th>
            <th scope="col">{t('debtor.plan.col.amount')}</th>
            {lines.some((l) => l.status) && <th scope="col">{t('debtor.plan.col.status')}</th>}
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => (
            <tr key={l.seq}>
              <td>{l.seq === 0 ? t('debtor.plan.downPayment') : l.seq}</td>
              <td>{date(l.due_on)}</td>
              <td>
                <Money amount={l.amount} currency={currency} />
              </td>
              {l.status !== undefined && <td>{t(`debtor.plan.installment.${l.status}`)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The "Ofrecer plan de pagos" action: options the policy allows, a form to adjust one, live evaluation, creation. */
export function OfferPlan({ debtorId, currencies }: { debtorId: string; currencies: string[] }) {
  const { t, money, date } = useI18n();
  const roleLabel = useRoleLabel();
  const reasonText = useReasonText();
  const queryClient = useQueryClient();
  const [currency, setCurrency] = useState(currencies[0] ?? 'MXN');
  const [draft, setDraft] = useState<Draft>({ installments: '', frequency: 'monthly', down_payment: '', first_installment_on: '' });
  const [created, setCreated] = useState<Plan | null>(null);
  const path = `/debtors/${encodeURIComponent(debtorId)}`;
  const options = useQuery({ queryKey: ['plan-options', debtorId, currency], queryFn: () => api.get<PlanOptions>(`${path}/plan-options`, { query: { currency } }) });
  const plans = options.data?.options.filter((o): o is Evaluation & { offer: PlanOffer } => o.offer.kind === 'plan') ?? [];
  // Start from the first option the policy allows, so the form is never blank when there is something to offer.
  useEffect(() => {
    const first = plans[0];
    if (first && !draft.first_installment_on) pick(first.offer);
  }, [options.data]);
  const offer = toOffer(useDebounced(draft, 300));
  const evaluation = useQuery({
    queryKey: ['offer-evaluation', debtorId, currency, offer],
    queryFn: () => api.post<Evaluation>(`${path}/offers/evaluate`, { currency, offer }),
    enabled: offer !== null,
  });
  const create = useMutation({
    mutationFn: (requestApproval: boolean) => api.post<Plan>(`${path}/plans`, { currency, offer: toOffer(draft), channel: 'phone', taken_by: 'collector', request_approval: requestApproval }),
    onSuccess: async (plan) => {
      setCreated(plan);
      await queryClient.invalidateQueries({ queryKey: ['debtor-plans', debtorId] });
      await queryClient.invalidateQueries({ queryKey: ['debtor360', debtorId] });
      await queryClient.invalidateQueries({ queryKey: ['worklist'] });
    },
  });
  function pick(o: PlanOffer) {
    setCreated(null);
    setDraft({ installments: String(o.installments), frequency: o.frequency, down_payment: o.down_payment ?? '', first_installment_on: o.first_installment_on });
  }
  const set = (key: keyof Draft) => (e: { target: { value: string } }) => {
    setCreated(null);
    setDraft((d) => ({ ...d, [key]: e.target.value }));
  };
  const result = evaluation.data;
  // The evaluation shown must be of what is in the form now, not of what was typed a moment ago.
  const current = result && offer && JSON.stringify(offer) === JSON.stringify(toOffer(draft)) ? result : null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (current && current.outcome !== 'refused') create.mutate(current.outcome === 'needs_approval');
  };

  if (created) return <CreatedPlan plan={created} onAnother={() => setCreated(null)} />;
  return (
    <form className="stack" onSubmit={submit} noValidate aria-label={t('debtor.action.plan')}>
      {currencies.length > 1 && <SelectField label={t('debtor.plan.currency')} value={currency} onChange={(e) => setCurrency(e.target.value)} options={currencies.map((c) => ({ value: c, label: c }))} />}
      {options.isPending ? (
        <Loading />
      ) : options.isError ? (
        <ErrorView error={options.error} retry={() => void options.refetch()} />
      ) : (
        <>
          <p className="muted">{t('debtor.plan.balance', { balance: money(options.data.balance, options.data.currency), overdue: money(options.data.overdue, options.data.currency) })}</p>
          {plans.length === 0 ? (
            <p>{t('debtor.plan.noOptions')}</p>
          ) : (
            <div className="table-wrap">
              <table className="table" aria-label={t('debtor.plan.options')}>
                <caption className="muted">{t('debtor.plan.options')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('debtor.plan.col.installments')}</th>
                    <th scope="col">{t('debtor.plan.col.downPayment')}</th>
                    <th scope="col">{t('debtor.plan.col.installment')}</th>
                    <th scope="col">{t('debtor.plan.col.first')}</th>
                    <th scope="col">{t('debtor.plan.col.total')}</th>
                    <th scope="col">
                      <span className="visually-hidden">{t('debtor.plan.choose')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {plans.map((o) => {
                    const label = t('debtor.plan.option', { count: o.offer.installments, frequency: t(`debtor.plan.frequency.${o.offer.frequency}`) });
                    const installment = o.schedule.find((s) => s.seq === 1)?.amount ?? o.total;
                    return (
                      <tr key={`${o.offer.frequency}:${o.offer.installments}`}>
                        <td>{label}</td>
                        <td>
                          <Money amount={o.offer.down_payment ?? '0'} currency={o.currency} />
                        </td>
                        <td>
                          <Money amount={installment} currency={o.currency} />
                        </td>
                        <td>{date(o.offer.first_installment_on)}</td>
                        <td>
                          <Money amount={o.total} currency={o.currency} />
                        </td>
                        <td>
                          <Button variant="secondary" onClick={() => pick(o.offer)} aria-label={t('debtor.plan.chooseOption', { option: label })}>
                            {t('debtor.plan.choose')}
                          </Button>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
      <div className="bo-grid">
        <TextField label={t('debtor.plan.field.installments')} type="number" inputMode="numeric" min={1} max={600} required value={draft.installments} onChange={set('installments')} />
        <SelectField label={t('debtor.plan.field.frequency')} value={draft.frequency} onChange={set('frequency')} options={FREQUENCIES.map((f) => ({ value: f, label: t(`debtor.plan.frequency.${f}`) }))} />
        <TextField label={t('debtor.plan.field.downPayment')} inputMode="decimal" value={draft.down_payment} onChange={set('down_payment')} />
        <TextField label={t('debtor.plan.field.first')} type="date" required value={draft.first_installment_on} onChange={set('first_installment_on')} />
      </div>
      <div aria-live="polite" className="stack">
        {offer === null ? null : evaluation.isError ? (
          <ErrorView error={evaluation.error} />
        ) : !current ? (
          <p className="muted">{t('debtor.plan.evaluating')}</p>
        ) : (
          <>
            <Alert kind={current.outcome === 'allowed' ? 'success' : current.outcome === 'needs_approval' ? 'warning' : 'error'} title={t(`debtor.plan.outcome.${current.outcome}`, { role: roleLabel(current.approver_role) })}>
              {current.reasons.length > 0 && (
                <ul data-testid="plan-reasons">
                  {current.reasons.map((r) => (
                    <li key={r.code}>{reasonText(r)}</li>
                  ))}
                </ul>
              )}
              {current.schedule.length > 0 && <p>{t('debtor.plan.total', { total: money(current.total, current.currency) })}</p>}
            </Alert>
            {current.schedule.length > 0 && <ScheduleTable lines={current.schedule} currency={current.currency} label={t('debtor.plan.preview')} />}
          </>
        )}
      </div>
      {create.isError && <ErrorView error={create.error} />}
      <div>
        <Button type="submit" busy={create.isPending} disabled={!current || current.outcome === 'refused'}>
          {current?.outcome === 'needs_approval' ? t('debtor.plan.submit.approval') : t('debtor.plan.submit.create')}
        </Button>
      </div>
    </form>
  );
}

function agreementHref(plan: Plan, locale: string) {
  return `/plans/${plan.id}/agreement.pdf${locale === 'en' ? '?language=en' : ''}`;
}

function CreatedPlan({ plan, onAnother }: { plan: Plan; onAnother: () => void }) {
  const { t, locale, money } = useI18n();
  const roleLabel = useRoleLabel();
  return (
    <div className="stack" role="region" aria-label={t('debtor.plan.created.title')}>
      <Alert kind={plan.status === 'active' ? 'success' : 'warning'} title={t(`debtor.plan.created.${plan.status === 'active' ? 'active' : 'pending'}`, { id: plan.id, role: roleLabel(plan.approver_role) })}>
        {t('debtor.plan.total', { total: money(plan.total, plan.currency) })}
      </Alert>
      <ScheduleTable lines={plan.installments} currency={plan.currency} label={t('debtor.plan.schedule')} />
      <div className="row">
        <a href={agreementHref(plan, locale)} download>
          {t('debtor.plan.agreement')}
        </a>
        <Button variant="secondary" onClick={onAnother}>
          {t('debtor.plan.back')}
        </Button>
      </div>
    </div>
  );
}

/** The approver role in words ("supervisión"), as the users page names roles; no role named means the policy's default, supervisors. */
export function useRoleLabel() {
  const { t } = useI18n();
  return (role: string | null) => {
    const key = `debtor.role.${role ?? 'supervisor'}`;
    const label = t(key);
    return label === key ? (role ?? '') : label;
  };
}

const APPROVER_RANK: Record<string, number> = { collector: 1, agency: 1, supervisor: 2, admin: 3 };

/**
 * Whether `role` may decide on an exception whose policy names `approver` (as the server judges it): that role or a
 * higher one (admin > supervisor > collector); an agency only where the policy names it.
 */
export function mayDecide(role: string | undefined, approver: string | null): boolean {
  const required = approver ?? 'supervisor';
  if (!role || APPROVER_RANK[role] === undefined) return false;
  if (role === required) return true;
  return role !== 'agency' && APPROVER_RANK[role]! >= (APPROVER_RANK[required] ?? Infinity);
}

/** The debtor's plans, newest first, each with its schedule and agreement; approve/reject for those who may. */
export function PlanList({ debtorId }: { debtorId: string }) {
  const { t, locale, money } = useI18n();
  const reasonText = useReasonText();
  const session = useSession();
  const approves = session.data?.permissions.includes('negotiation:approve') ?? false;
  const queryClient = useQueryClient();
  const list = useQuery({ queryKey: ['debtor-plans', debtorId], queryFn: () => api.get<{ data: Plan[] }>(`/debtors/${encodeURIComponent(debtorId)}/plans`) });
  const decide = useMutation({
    mutationFn: ({ id, decision }: { id: number; decision: 'approve' | 'reject' }) => api.post<Plan>(`/plans/${id}/${decision}`, {}),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['debtor-plans', debtorId] });
      await queryClient.invalidateQueries({ queryKey: ['debtor360', debtorId] });
      await queryClient.invalidateQueries({ queryKey: ['worklist'] });
    },
  });
  if (list.isPending) return <Loading />;
  if (list.isError) return <ErrorView error={list.error} retry={() => void list.refetch()} />;
  if (list.data.data.length === 0) return <p>{t('debtor.plans.none')}</p>;
  return (
    <div className="stack">
      {decide.isError && <ErrorView error={decide.error} />}
      {list.data.data.map((p) => (
        <article key={p.id} className="stack" data-plan-status={p.status} aria-label={t('debtor.plan.item', { id: p.id })}>
          <h3>
            {t('debtor.plan.item', { id: p.id })} <span className={`badge${p.status === 'pending_approval' ? ' badge--warning' : ''}`}>{t(`debtor.plan.status.${p.status}`)}</span>
          </h3>
          <p>
            {t('debtor.plan.total', { total: money(p.total, p.currency) })}
            {p.frequency && ` · ${t(`debtor.plan.frequency.${p.frequency}`)}`}
          </p>
          {p.status === 'pending_approval' && (p.evaluation?.reasons?.length ?? 0) > 0 && (
            <ul className="muted">
              {p.evaluation!.reasons!.map((r) => (
                <li key={r.code}>{reasonText(r)}</li>
              ))}
            </ul>
          )}
          <ScheduleTable lines={p.installments} currency={p.currency} label={t('debtor.plan.scheduleOf', { id: p.id })} />
          <div className="row">
            <a href={agreementHref(p, locale)} download>
              {t('debtor.plan.agreement')}
            </a>
            {approves && p.status === 'pending_approval' && mayDecide(session.data?.role, p.approver_role) && (
              <>
                <Button busy={decide.isPending && decide.variables?.id === p.id && decide.variables.decision === 'approve'} onClick={() => decide.mutate({ id: p.id, decision: 'approve' })}>
                  {t('debtor.plan.approve')}
                </Button>
                <Button variant="danger" busy={decide.isPending && decide.variables?.id === p.id && decide.variables.decision === 'reject'} onClick={() => decide.mutate({ id: p.id, decision: 'reject' })}>
                  {t('debtor.plan.reject')}
                </Button>
              </>
            )}
          </div>
        </article>
      ))}
    </div>
  );
}
