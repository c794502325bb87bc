import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { parseAmountInput } from '../i18n/format.ts';
import { useI18n } from '../i18n/index.tsx';
import { Alert, Button, Loading, SelectField, TextAreaField, TextField } from '../ui/index.ts';
import type { PlanOption } from './api.ts';
import { BackLink } from './BackLink.tsx';
import { usePortal } from './context.tsx';
import { ActionError } from './Refusal.tsx';
import { useAction } from './useAction.ts';

/**
 * The plans the policy offers today (chosen by key: the server recomputes the option, so the agreed amounts are the
 * policy's), and a form to ask a collector for a plan the policy does not offer.
 */
export function PlanPage() {
  const { account, api, token, refresh } = usePortal();
  const { t, locale } = useI18n();
  const [currency, setCurrency] = useState(account.totals[0]?.currency ?? 'MXN');
  const options = useQuery({ queryKey: ['portal-plans', token, currency], queryFn: () => api.planOptions(currency), retry: false });
  const choose = useAction();
  const [outcome, setOutcome] = useState<string | null>(null);
  // Many counts per frequency: show one frequency at a time (monthly first) and the settlement, if any.
  const frequencies = [...new Set((options.data?.options ?? []).map((o) => o.frequency).filter((f): f is string => f !== null))];
  const [frequency, setFrequency] = useState<string | null>(null);
  const shownFrequency = frequency && frequencies.includes(frequency) ? frequency : frequencies.includes('monthly') ? 'monthly' : (frequencies[0] ?? null);
  const shown = (options.data?.options ?? []).filter((o) => o.kind === 'settlement' || o.frequency === shownFrequency);

  async function pick(option: PlanOption) {
    const plan = await choose.run(() => api.choosePlan(currency, option.key, locale));
    if (plan) {
      setOutcome(plan.status === 'pending_approval' ? t('portal.plan.pendingApproval') : t('portal.plan.done'));
      await refresh();
    }
  }

  if (outcome) {
    return (
      <>
        <BackLink />
        <Alert kind="success">
          <p>{outcome}</p>
        </Alert>
      </>
    );
  }

  return (
    <>
      <BackLink />
      <h1>{t('portal.plan.title')}</h1>
      {account.totals.length > 1 && (
        <SelectField label="Moneda / Currency" value={currency} onChange={(e) => setCurrency(e.target.value)} options={account.totals.map((x) => ({ value: x.currency, label: x.currency }))} />
      )}
      {options.isPending ? (
        <Loading />
      ) : options.isError ? (
        <ActionError error={options.error} />
      ) : options.data.options.length === 0 ? (
        <Alert kind="info">
          <p>{t('portal.plan.none')}</p>
        </Alert>
      ) : (
        <>
          <p>{t('portal.plan.intro')}</p>
          {frequencies.length > 1 && (
            <fieldset className="field">
              <legend>{t('portal.planRequest.frequency')}</legend>
              <div className="row">
                {frequencies.map((f) => (
                  <label key={f} className="choice">
                    <input type="radio" name="frequency" value={f} checked={f === shownFrequency} onChange={() => setFrequency(f)} />
                    {t(`portal.plan.frequency.${f}`)}
                  </label>
                ))}
              </div>
            </fieldset>
          )}
          <ActionError error={choose.error} />
          <ul className="portal__list">
            {shown.map((o) => (
              <li key={o.key}>
                <OptionCard option={o} currency={options.data.currency} busy={choose.busy} onChoose={() => void pick(o)} />
              </li>
            ))}
          </ul>
        </>
      )}
      <PlanRequest currency={currency} onSent={(message) => setOutcome(message)} />
    </>
  );
}

function OptionCard({ option, currency, busy, onChoose }: { option: PlanOption; currency: string; busy: boolean; onChoose(): void }) {
  const { t, money, date } = useI18n();
  const title =
    option.kind === 'settlement'
      ? t('portal.plan.option.settlement')
      : t('portal.plan.option.plan', { count: option.installments, frequency: t(`portal.plan.frequency.${option.frequency ?? 'monthly'}`) });
  return (
    <article className="portal__option" aria-label={title}>
      <h3>{title}</h3>
      <p className="portal__total" style={{ fontSize: '1.25rem' }}>
        {t('portal.plan.total', { amount: money(option.total, currency) })}
      </p>
      {!/^[0.]+$/.test(option.down_payment) && <p className="small">{t('portal.plan.downPayment', { amount: money(option.down_payment, currency) })}</p>}
      {!/^[0.]+$/.test(option.discount) && <p className="small">{t('portal.plan.discount', { amount: money(option.discount, currency) })}</p>}
      <details>
        <summary>{t('portal.plan.schedule')}</summary>
        <ol className="portal__schedule">
          {option.schedule.map((s) => (
            <li key={s.seq}>
              {date(s.due_on)} — {money(s.amount, currency)}
            </li>
          ))}
        </ol>
      </details>
      <Button block busy={busy} onClick={onChoose} style={{ marginTop: 8 }}>
        {t('portal.plan.choose')}
      </Button>
    </article>
  );
}

function PlanRequest({ currency, onSent }: { currency: string; onSent(message: string): void }) {
  const { api, refresh, view } = usePortal();
  const { t } = useI18n();
  const [installments, setInstallments] = useState('12');
  const [frequency, setFrequency] = useState('monthly');
  const [first, setFirst] = useState('');
  const [downPayment, setDownPayment] = useState('');
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const { run, busy, error } = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const count = Number(installments);
    if (!Number.isInteger(count) || count < 1 || !first) {
      setProblem(t('common.required'));
      return;
    }
    setProblem(undefined);
    const down = downPayment.trim() ? parseAmountInput(downPayment) : null;
    const result = await run(() =>
      api.requestPlan({ currency, installments: count, frequency, first_installment_on: first, ...(down && { down_payment: down }), ...(note.trim() && { note: note.trim() }) }),
    );
    if (result) {
      await refresh();
      onSent(result.status === 'active' ? t('portal.plan.done') : t('portal.planRequest.sent'));
    }
  }

  return (
    <form className="card stack" onSubmit={submit} noValidate>
      <h2>{t('portal.planRequest.title')}</h2>
      <TextField label={t('portal.planRequest.installments')} type="number" min={1} max={600} inputMode="numeric" value={installments} onChange={(e) => setInstallments(e.target.value)} />
      <SelectField
        label={t('portal.planRequest.frequency')}
        value={frequency}
        onChange={(e) => setFrequency(e.target.value)}
        options={['weekly', 'biweekly', 'monthly'].map((f) => ({ value: f, label: t(`portal.plan.frequency.${f}`) }))}
      />
      <TextField label={t('portal.planRequest.first')} type="date" min={view.today} value={first} onChange={(e) => setFirst(e.target.value)} error={problem} />
      <TextField label={t('portal.plan.downPayment', { amount: currency })} inputMode="decimal" value={downPayment} onChange={(e) => setDownPayment(e.target.value)} />
      <TextAreaField label={t('portal.planRequest.note')} value={note} maxLength={1000} onChange={(e) => setNote(e.target.value)} />
      <ActionError error={error} />
      <Button type="submit" variant="secondary" block busy={busy}>
        {t('portal.planRequest.submit')}
      </Button>
    </form>
  );
}
