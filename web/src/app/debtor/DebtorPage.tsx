import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Alert, Button, Card, ErrorView, Loading, Money, SelectField, TextAreaField, TextField } from '../../ui/index.ts';
import { useSession } from '../auth/session.tsx';
import { daysPastDueText } from '../worklist/days-past-due.ts';
import { debtorHref, nextAccount, queueOf, worklistHref } from '../worklist/queue.ts';
import { useWorklist } from '../worklist/useWorklist.ts';
import { usePhaseLabel } from '../worklist/WorklistPage.tsx';
import { OfferPlan, PlanList } from './PaymentPlans.tsx';
import { LogInteraction, PromiseList, useRefresh, type PromiseRow } from './Promises.tsx';

/** GET /debtors/:id/360, the parts this page shows. */
interface Debtor360 {
  as_of: string;
  debtor: {
    external_id: string;
    name: string;
    type: string;
    tax_id: string | null;
    email: string | null;
    phone: string | null;
    country: string;
    region: string | null;
    city: string | null;
    time_zone: string;
    balances: Record<string, string>;
    unapplied: Record<string, string>;
    accounts: Array<{ portfolio: string; phase: string; days_past_due: number | null; bucket: string | null; balances: Record<string, string>; segments: string[]; on_hold: boolean }>;
    holds: Array<{ reason: string; note: string | null; starts_on: string; expires_on: string | null; created_by: string }>;
  };
  contacts: Array<{ channel: string; address: string | null; consent: string; opted_out: boolean; gate: { allowed: boolean; rule: string; reason: string; next_allowed_at: string | null } }>;
  obligations: Array<{ external_id: string; portfolio: string; kind: string; currency: string; amount: string; balance: string; due_on: string; days_past_due: number | null }>;
  payments: Array<{ external_id: string; currency: string; amount: string; unapplied: string; paid_on: string; method: string | null; reversed: boolean }>;
  promises: PromiseRow[];
  plans: Array<Record<string, unknown>>;
  /** The latest entries, oldest first; older ones are fetched from /timeline?before=timeline_before. */
  timeline: TimelineEntry[];
  timeline_before: string | null;
  actions: Array<{ action: string; allowed: boolean; reason: string | null }>;
}

type TimelineEntry = { at: string; kind: string; channel: string | null; summary: string; ref: number; details?: Record<string, unknown> };

/** The detail holding the day of a dated fact: a run's phase, a payment and a hold happen on a day, not at an instant. */
const DAY_OF: Readonly<Record<string, string>> = { phase: 'as_of', payment: 'paid_on', hold: 'starts_on' };

/**
 * The day of a dated fact, or null for an event with an instant. The API places a dated fact at the start of its day
 * in the company's time zone; read as an instant in the debtor's zone it showed "12:00 a.m.", or the day before.
 */
function dayOfEntry(entry: Pick<TimelineEntry, 'kind' | 'details'>): string | null {
  const key = DAY_OF[entry.kind];
  const day = key === undefined ? undefined : entry.details?.[key];
  return typeof day === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(day) ? day : null;
}

const SEND_CHANNELS = ['whatsapp', 'sms', 'email'];
const TEMPLATES = ['preventive_reminder', 'due_today', 'late_3_days', 'late_10_days', 'late_30_days', 'final_notice_before_extrajudicial', 'promise_reminder'];
const HOLD_REASONS = ['dispute', 'promise', 'agreement', 'deceased', 'bankruptcy', 'legal', 'customer_request'];

/** /app/debtors/:id — everything about one debtor, and the actions a collector takes on it. */
export default function DebtorPage() {
  const { id = '' } = useParams();
  const query = useQuery({ queryKey: ['debtor360', id], queryFn: () => api.get<Debtor360>(`/debtors/${encodeURIComponent(id)}/360`) });
  const { t } = useI18n();
  const session = useSession();
  const [params] = useSearchParams();
  // The queue the page was opened from (supervisors pick one on "Mi día"); the user's own list otherwise.
  const queue = session.data?.permissions.includes('worklist:assign') ? queueOf(params) : '';
  const works = session.data?.permissions.includes('worklist:read') ?? false;
  return (
    <div className="container stack">
      <div className="row">
        <Link to={worklistHref(queue)}>{t('debtor.back')}</Link>
        {works && <NextAccount key={`${id}:${queue}`} current={id} queue={queue} />}
      </div>
      {query.isPending ? <Loading /> : query.isError ? <ErrorView error={query.error} retry={() => void query.refetch()} /> : <Debtor view={query.data} />}
    </div>
  );
}

/**
 * "Siguiente cuenta": the account after this one in the queue's "Mi día", in the list's order. Worked accounts leave
 * the list, so the next account found when the page opened is kept; at the end of the list the button is disabled
 * and says why.
 */
function NextAccount({ current, queue }: { current: string; queue: string }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const reasonId = useId();
  const list = useWorklist(queue);
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const answer = list.data ? nextAccount(items, current, !list.hasNextPage) : 'more';
  // Reading on a page at a time: for the account after this one, or for this debtor, in a bounded number of pages (past
  // them, as for a debtor not in the list, the list's first account).
  const pages = list.data?.pages.length ?? 0;
  const inList = items.some((i) => i.debtor_external_id === current);
  const searching = answer === 'more' && list.hasNextPage && (inList || pages < MAX_PAGES_SEARCHED);
  const { fetchNextPage, isFetchingNextPage } = list;
  useEffect(() => {
    if (searching && !isFetchingNextPage) void fetchNextPage();
  }, [searching, isFetchingNextPage, fetchNextPage]);
  const settled = answer === 'more' && !searching && !list.isPending ? nextAccount(items, current, true) : answer;
  const found = settled === 'more' ? undefined : settled.next;
  // The answer first found stays: working this account takes it off the list, which must not move "next".
  const [kept, setKept] = useState<{ id: string; name: string } | null | undefined>(undefined);
  if (kept === undefined && found !== undefined) setKept(found);
  const next = kept === undefined ? found : kept;
  if (list.isError) return null;
  return (
    <span className="row">
      <Button
        variant="secondary"
        busy={next === undefined}
        disabled={next === null}
        aria-describedby={next === null ? reasonId : undefined}
        aria-label={next ? t('debtor.next.label', { name: next.name }) : undefined}
        onClick={() => next && void navigate(debtorHref(next.id, queue))}
      >
        {t('debtor.next')} <span aria-hidden="true">→</span>
      </Button>
      {next === null && (
        <span id={reasonId} className="muted small">
          {t('debtor.next.end')}
        </span>
      )}
    </span>
  );
}

/** Pages of the list read looking for the current debtor before settling on the list's first account. */
const MAX_PAGES_SEARCHED = 20;

/** A key's translation, or `fallback` (a value our catalog does not name yet, e.g. a new kind) as it came. */
function labelOr(t: (key: string) => string, key: string, fallback: string): string {
  const label = t(key);
  return label === key ? fallback : label;
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return <Card title={title}>{children}</Card>;
}

function Debtor({ view }: { view: Debtor360 }) {
  const { t, date, dateTime } = useI18n();
  const phaseLabel = usePhaseLabel();
  const d = view.debtor;
  const balances = Object.entries(d.balances);
  const unapplied = Object.entries(d.unapplied).filter(([, v]) => v !== '0' && v !== '0.00');
  const kindLabel = (kind: string) => {
    const label = t(`debtor.kind.${kind}`);
    return label === `debtor.kind.${kind}` ? kind : label;
  };
  return (
    <>
      <header className="stack">
        <h1>{d.name}</h1>
        <p className="row">
          <span className="muted">{t('debtor.externalId', { id: d.external_id })}</span>
          {[...new Set(d.accounts.map((a) => a.phase))].map((p) => (
            <span key={p} className="badge">
              {phaseLabel(p)}
            </span>
          ))}
          {d.holds.length > 0 && <span className="badge badge--warning">{t('debtor.onHold')}</span>}
        </p>
      </header>
      <div className="bo-grid">
        <Section title={t('debtor.balances')}>
          {balances.length === 0 ? (
            <p>{t('debtor.balances.none')}</p>
          ) : (
            <ul className="bo-figures">
              {balances.map(([currency, amount]) => (
                <li key={currency}>
                  <strong>
                    <Money amount={amount} currency={currency} />
                  </strong>
                </li>
              ))}
            </ul>
          )}
          {unapplied.length > 0 && (
            <p>
              {t('debtor.unapplied')}: {unapplied.map(([c, a]) => <Money key={c} amount={a} currency={c} />)}
            </p>
          )}
        </Section>
        <Section title={t('debtor.identity')}>
          <dl className="bo-dl">
            <dt>{t('debtor.taxId')}</dt>
            <dd>{d.tax_id ?? '—'}</dd>
            <dt>{t('debtor.location')}</dt>
            <dd>{[d.city, d.region, d.country].filter(Boolean).join(', ')}</dd>
          </dl>
        </Section>
      </div>
      <Actions view={view} />
      <Section title={t('debtor.contacts')}>
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('debtor.col.channel')}</th>
                <th scope="col">{t('debtor.col.address')}</th>
                <th scope="col">{t('debtor.col.consent')}</th>
                <th scope="col">{t('debtor.col.now')}</th>
              </tr>
            </thead>
            <tbody>
              {view.contacts.map((c) => (
                <tr key={c.channel}>
                  <td>{t(`debtor.channel.${c.channel}`)}</td>
                  <td>{c.address ?? '—'}</td>
                  <td>
                    {t(`debtor.consent.${c.consent}`)}
                    {c.opted_out && <span className="badge badge--danger"> {t('debtor.optedOut')}</span>}
                  </td>
                  <td className="bo-reason">
                    {c.gate.allowed ? t('debtor.gate.allowed') : t('debtor.gate.refused')}
                    {!c.gate.allowed && <div className="muted">{c.gate.reason}</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>
      <Section title={t('debtor.accounts')}>
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('debtor.col.portfolio')}</th>
                <th scope="col">{t('debtor.col.phase')}</th>
                <th scope="col">{t('debtor.col.dpd')}</th>
                <th scope="col">{t('debtor.col.bucket')}</th>
                <th scope="col">{t('debtor.col.balance')}</th>
                <th scope="col">{t('debtor.col.segments')}</th>
              </tr>
            </thead>
            <tbody>
              {d.accounts.map((a) => (
                <tr key={a.portfolio}>
                  <td>{a.portfolio}</td>
                  <td>
                    {phaseLabel(a.phase)}
                    {a.on_hold && ` · ${t('debtor.onHold')}`}
                  </td>
                  <td>{daysPastDueText(a.days_past_due, t)}</td>
                  <td>{a.bucket === null ? '—' : a.bucket === 'current' ? t('accounts.bucket.current') : a.bucket}</td>
                  <td>
                    {Object.entries(a.balances).map(([c, v]) => (
                      <div key={c}>
                        <Money amount={v} currency={c} />
                      </div>
                    ))}
                  </td>
                  <td>{a.segments.length ? a.segments.join(', ') : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>
      <Section title={t('debtor.obligations')}>
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('debtor.col.obligation')}</th>
                <th scope="col">{t('debtor.col.kind')}</th>
                <th scope="col">{t('debtor.col.amount')}</th>
                <th scope="col">{t('debtor.col.balance')}</th>
                <th scope="col">{t('debtor.col.due')}</th>
              </tr>
            </thead>
            <tbody>
              {view.obligations.map((o) => (
                <tr key={o.external_id}>
                  <td>{o.external_id}</td>
                  <td>{labelOr(t, `debtor.obligationKind.${o.kind}`, o.kind)}</td>
                  <td>
                    <Money amount={o.amount} currency={o.currency} />
                  </td>
                  <td>
                    <Money amount={o.balance} currency={o.currency} />
                  </td>
                  <td>{date(o.due_on)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>
      <Section title={t('debtor.holds')}>
        {d.holds.length === 0 ? (
          <p>{t('debtor.holds.none')}</p>
        ) : (
          <ul>
            {d.holds.map((h, i) => (
              <li key={i}>
                {t('debtor.hold.item', { reason: t(`debtor.holdReason.${h.reason}`), date: date(h.starts_on) })}
                {h.expires_on && ` ${t('debtor.hold.until', { date: date(h.expires_on) })}`}
                {h.note && ` — ${h.note}`}
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section title={t('debtor.promises')}>
        <PromiseList view={view} />
      </Section>
      <Section title={t('debtor.plans')}>
        <PlanList debtorId={d.external_id} />
      </Section>
      <Section title={t('debtor.payments')}>
        {view.payments.length === 0 ? (
          <p>{t('debtor.payments.none')}</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('debtor.col.payment')}</th>
                  <th scope="col">{t('debtor.col.date')}</th>
                  <th scope="col">{t('debtor.col.amount')}</th>
                  <th scope="col">{t('debtor.unapplied')}</th>
                  <th scope="col">{t('debtor.col.method')}</th>
                </tr>
              </thead>
              <tbody>
                {view.payments.map((p) => (
                  <tr key={p.external_id}>
                    <td>
                      {p.external_id}
                      {p.reversed && ` · ${t('debtor.reversed')}`}
                    </td>
                    <td>{date(p.paid_on)}</td>
                    <td>
                      <Money amount={p.amount} currency={p.currency} />
                    </td>
                    <td>
                      <Money amount={p.unapplied} currency={p.currency} />
                    </td>
                    <td>{p.method ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
      <Section title={t('debtor.timeline')}>
        <Timeline key={`${d.external_id}:${view.timeline_before ?? ''}`} view={view} dateTime={(at) => dateTime(at, d.time_zone)} kindLabel={kindLabel} />
      </Section>
    </>
  );
}

/** The timeline, newest first: the page the 360 brought, then older pages on request (TIMELINE_PAGE entries each). */
function Timeline({ view, dateTime, kindLabel }: { view: Debtor360; dateTime: (at: string) => string; kindLabel: (kind: string) => string }) {
  const { t, date } = useI18n();
  const [older, setOlder] = useState<{ entries: TimelineEntry[]; before: string | null }>({ entries: [], before: view.timeline_before });
  const more = useMutation({
    mutationFn: (before: string) =>
      api.get<{ data: TimelineEntry[]; before: string | null }>(`/debtors/${encodeURIComponent(view.debtor.external_id)}/timeline`, { query: { before, limit: TIMELINE_PAGE } }),
    onSuccess: (page) => setOlder((o) => ({ entries: [...page.data, ...o.entries], before: page.before })),
  });
  const entries = [...older.entries, ...view.timeline].reverse();
  if (entries.length === 0) return <p>{t('debtor.timeline.none')}</p>;
  return (
    <>
      <ol className="bo-timeline" aria-label={t('debtor.timeline')}>
        {entries.map((e) => {
          const day = dayOfEntry(e);
          return (
            <li key={`${e.kind}:${e.ref}:${e.at}`} data-kind={e.kind}>
              <time dateTime={day ?? e.at} className="muted">
                {day !== null ? date(day) : dateTime(e.at)}
              </time>{' '}
              <span className="badge">{kindLabel(e.kind)}</span> {e.summary}
            </li>
          );
        })}
      </ol>
      {more.isError && <ErrorView error={more.error} retry={() => older.before && more.mutate(older.before)} />}
      {older.before && (
        <Button variant="secondary" busy={more.isPending} onClick={() => more.mutate(older.before!)}>
          {t('debtor.timeline.older')}
        </Button>
      )}
    </>
  );
}

/** Timeline entries fetched per click on "older". */
const TIMELINE_PAGE = 50;

function Actions({ view }: { view: Debtor360 }) {
  const { t } = useI18n();
  const allowed = (name: string) => view.actions.find((a) => a.action === name);
  const [open, setOpen] = useState<string | null>('log');
  const tabs = [
    { key: 'log', label: t('debtor.action.log'), action: allowed('log_interaction') },
    { key: 'plan', label: t('debtor.action.plan'), action: undefined },
    { key: 'message', label: t('debtor.action.message'), action: allowed('send_message') },
    { key: 'hold', label: t('debtor.action.hold'), action: allowed('place_hold') },
    { key: 'judicial', label: t('debtor.action.judicial'), action: allowed('send_to_judicial') },
    { key: 'agency', label: t('debtor.action.agency'), action: allowed('place_with_agency') },
    { key: 'write-off', label: t('debtor.action.writeOff'), action: allowed('write_off') },
  ];
  const current = tabs.find((x) => x.key === open);
  return (
    <Card title={t('debtor.actions')}>
      <div className="row" role="group" aria-label={t('debtor.actions')}>
        {tabs.map((x) => (
          <Button key={x.key} variant={open === x.key ? 'primary' : 'secondary'} aria-pressed={open === x.key} onClick={() => setOpen(x.key)}>
            {x.label}
          </Button>
        ))}
      </div>
      {current && current.action && !current.action.allowed ? (
        <Alert kind="warning">{t('debtor.notAllowed', { reason: current.action.reason ?? '' })}</Alert>
      ) : open === 'log' ? (
        <LogInteraction view={view} />
      ) : open === 'plan' ? (
        <OfferPlan debtorId={view.debtor.external_id} currencies={Object.keys(view.debtor.balances)} />
      ) : open === 'message' ? (
        <SendMessage view={view} />
      ) : open === 'hold' ? (
        <PlaceHold view={view} />
      ) : open === 'judicial' || open === 'agency' || open === 'write-off' ? (
        <PhaseAction key={open} view={view} kind={open} />
      ) : null}
    </Card>
  );
}

function SendMessage({ view }: { view: Debtor360 }) {
  const { t } = useI18n();
  const id = view.debtor.external_id;
  const refresh = useRefresh(id);
  const open = SEND_CHANNELS.filter((c) => view.contacts.find((k) => k.channel === c)?.gate.allowed);
  const [form, setForm] = useState({ channel: open[0] ?? 'whatsapp', template: 'late_3_days' });
  const send = useMutation({
    mutationFn: () => api.post<{ status: 'queued' | 'scheduled' | 'refused'; reason: string }>(`/debtors/${encodeURIComponent(id)}/messages`, form),
    onSuccess: refresh,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    send.mutate();
  };
  return (
    <form className="stack" onSubmit={submit} aria-label={t('debtor.action.message')}>
      {send.data && <Alert kind={send.data.status === 'refused' ? 'warning' : 'success'}>{t(`debtor.message.${send.data.status}`, { reason: send.data.reason })}</Alert>}
      {send.isError && <ErrorView error={send.error} />}
      <div className="bo-grid">
        <SelectField label={t('debtor.field.channel')} value={form.channel} onChange={(e) => setForm((f) => ({ ...f, channel: e.target.value }))} options={SEND_CHANNELS.map((c) => ({ value: c, label: t(`debtor.channel.${c}`) }))} />
        <SelectField label={t('debtor.field.template')} value={form.template} onChange={(e) => setForm((f) => ({ ...f, template: e.target.value }))} options={TEMPLATES.map((k) => ({ value: k, label: labelOr(t, `debtor.template.${k}`, k) }))} />
      </div>
      <div>
        <Button type="submit" busy={send.isPending}>
          {t('debtor.submit.message')}
        </Button>
      </div>
    </form>
  );
}

function PlaceHold({ view }: { view: Debtor360 }) {
  const { t } = useI18n();
  const id = view.debtor.external_id;
  const refresh = useRefresh(id);
  const [form, setForm] = useState({ reason: 'dispute', note: '', expires: '' });
  const hold = useMutation({
    mutationFn: () => api.post(`/debtors/${encodeURIComponent(id)}/holds`, { reason: form.reason, note: form.note || null, expires_on: form.expires || null }),
    onSuccess: refresh,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    hold.mutate();
  };
  return (
    <form className="stack" onSubmit={submit} aria-label={t('debtor.action.hold')}>
      {hold.isSuccess && <Alert kind="success">{t('debtor.held')}</Alert>}
      {hold.isError && <ErrorView error={hold.error} />}
      <SelectField label={t('debtor.field.reason')} value={form.reason} onChange={(e) => setForm((f) => ({ ...f, reason: e.target.value }))} options={HOLD_REASONS.map((r) => ({ value: r, label: t(`debtor.holdReason.${r}`) }))} />
      <TextAreaField label={t('debtor.field.note')} rows={2} value={form.note} onChange={(e) => setForm((f) => ({ ...f, note: e.target.value }))} />
      <TextField label={t('debtor.field.expires')} type="date" value={form.expires} onChange={(e) => setForm((f) => ({ ...f, expires: e.target.value }))} />
      <div>
        <Button type="submit" busy={hold.isPending}>
          {t('debtor.submit.hold')}
        </Button>
      </div>
    </form>
  );
}

/** Judicial, agency placement and write-off: each a phase override that needs a reason (and the agency's name). */
function PhaseAction({ view, kind }: { view: Debtor360; kind: 'judicial' | 'agency' | 'write-off' }) {
  const { t } = useI18n();
  const phaseLabel = usePhaseLabel();
  const id = view.debtor.external_id;
  const refresh = useRefresh(id);
  const [reason, setReason] = useState('');
  const [agency, setAgency] = useState('');
  const run = useMutation({
    mutationFn: () => api.post<{ phase: string }>(`/debtors/${encodeURIComponent(id)}/${kind}`, kind === 'agency' ? { reason, agency } : { reason }),
    onSuccess: refresh,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    run.mutate();
  };
  return (
    <form className="stack" onSubmit={submit} aria-label={t(kind === 'judicial' ? 'debtor.action.judicial' : kind === 'agency' ? 'debtor.action.agency' : 'debtor.action.writeOff')}>
      {run.isSuccess && <Alert kind="success">{t('debtor.phaseChanged', { phase: phaseLabel(run.data.phase) })}</Alert>}
      {run.isError && <ErrorView error={run.error} />}
      {kind === 'agency' && <TextField label={t('debtor.field.agency')} required value={agency} onChange={(e) => setAgency(e.target.value)} />}
      <TextAreaField label={t('debtor.field.reason')} required rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
      <div>
        <Button type="submit" variant={kind === 'write-off' ? 'danger' : 'primary'} busy={run.isPending} disabled={!reason || (kind === 'agency' && !agency)}>
          {t('debtor.submit.phase')}
        </Button>
      </div>
    </form>
  );
}
