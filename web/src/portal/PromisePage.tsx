import { useId, useRef, useState, type FormEvent } from 'react';
import { parseAmountInput } from '../i18n/format.ts';
import { useI18n } from '../i18n/index.tsx';
import { Alert, Button, Card, SelectField, TextField } from '../ui/index.ts';
import { BackLink } from './BackLink.tsx';
import { usePortal } from './context.tsx';
import { ActionError } from './Refusal.tsx';
import { useAction } from './useAction.ts';

/** Promise to pay an amount on a date; the negotiation policy decides, and a refusal shows its reasons. */
export function PromisePage() {
  const { account, api, refresh, view } = usePortal();
  const { t, money, date } = useI18n();
  const [currency, setCurrency] = useState(account.totals[0]?.currency ?? 'MXN');
  const total = account.totals.find((x) => x.currency === currency);
  const [amountText, setAmountText] = useState(total?.overdue && !/^[0.]+$/.test(total.overdue) ? total.overdue : (total?.balance ?? ''));
  const [promisedOn, setPromisedOn] = useState('');
  const [done, setDone] = useState<{ amount: string; currency: string; promised_on: string; status: string } | null>(null);
  const { run, busy, error } = useAction();
  // One key per page visit: a double submit records one promise.
  const id = useId();
  const key = useRef(`${Date.now().toString(36)}-${id.replace(/[^a-z0-9]/gi, '')}`);
  const [problem, setProblem] = useState<string | undefined>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const amount = parseAmountInput(amountText);
    if (!amount || !promisedOn) {
      setProblem(t('common.required'));
      return;
    }
    setProblem(undefined);
    const promise = await run(() => api.promise({ currency, amount, promised_on: promisedOn, idempotency_key: key.current }));
    if (promise) {
      setDone(promise);
      await refresh();
    }
  }

  if (done) {
    return (
      <>
        <BackLink />
        <Alert kind="success">
          <p>{t('portal.promise.done', { amount: money(done.amount, done.currency), date: date(done.promised_on) })}</p>
          {done.status === 'pending_approval' && <p>{t('portal.promise.pending')}</p>}
        </Alert>
      </>
    );
  }

  return (
    <>
      <BackLink />
      <h1>{t('portal.promise.title')}</h1>
      <form className="card stack" onSubmit={submit} noValidate>
        {account.totals.length > 1 && (
          <SelectField label="Moneda / Currency" value={currency} onChange={(e) => setCurrency(e.target.value)} options={account.totals.map((x) => ({ value: x.currency, label: x.currency }))} />
        )}
        <TextField label={t('portal.promise.amount', { currency })} inputMode="decimal" autoComplete="off" value={amountText} onChange={(e) => setAmountText(e.target.value)} required />
        <TextField label={t('portal.promise.date')} type="date" min={view.today} value={promisedOn} onChange={(e) => setPromisedOn(e.target.value)} required error={problem} />
        <ActionError error={error} />
        <Button type="submit" block busy={busy}>
          {t('portal.promise.submit')}
        </Button>
      </form>
      {total && (
        <Card>
          <p className="small muted">
            {t('portal.summary.total')}: {money(total.balance, currency)}
          </p>
        </Card>
      )}
    </>
  );
}
