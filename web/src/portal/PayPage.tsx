import { useState, type FormEvent } from 'react';
import { compareDecimal, parseAmountInput } from '../i18n/format.ts';
import { useI18n } from '../i18n/index.tsx';
import { Alert, Button, Card, SelectField, TextField } from '../ui/index.ts';
import type { PortalPayment } from './api.ts';
import { BackLink } from './BackLink.tsx';
import { usePortal } from './context.tsx';
import { ActionError } from './Refusal.tsx';
import { useAction } from './useAction.ts';

/**
 * Pay all or part of a currency's balance. The server creates the payment link with the company's provider: a hosted
 * checkout is opened, a bank reference is shown, and the demo sandbox is paid here with one click.
 */
export function PayPage() {
  const { account, api, refresh } = usePortal();
  const { t, money } = useI18n();
  const [currency, setCurrency] = useState(account.totals[0]?.currency ?? 'MXN');
  const [partial, setPartial] = useState(false);
  const [amountText, setAmountText] = useState('');
  const [amountError, setAmountError] = useState<string | undefined>();
  const [payment, setPayment] = useState<PortalPayment | null>(null);
  const [paid, setPaid] = useState<PortalPayment | null>(null);
  const { run, busy, error } = useAction();
  const total = account.totals.find((x) => x.currency === currency);

  async function start(amount?: string) {
    const created = await run(() => api.pay(currency, amount));
    if (!created) return;
    if (created.provider === 'stripe' || created.provider === 'mercadopago') {
      if (created.url) window.location.assign(created.url);
      return;
    }
    setPayment(created);
  }

  function submitPartial(event: FormEvent) {
    event.preventDefault();
    const amount = parseAmountInput(amountText);
    if (!amount || !total || compareDecimal(amount, '0') <= 0 || compareDecimal(amount, total.balance) > 0) {
      setAmountError(t('portal.pay.amount.invalid'));
      return;
    }
    setAmountError(undefined);
    void start(amount);
  }

  async function completeSandbox() {
    if (!payment) return;
    const done = await run(() => api.completeSandbox(payment.public_id));
    if (done) {
      setPaid(done);
      setPayment(null);
      await refresh();
    }
  }

  if (paid) {
    return (
      <>
        <BackLink />
        <Alert kind="success">
          <p>{t('portal.pay.done', { amount: money(paid.amount, paid.currency) })}</p>
        </Alert>
      </>
    );
  }

  return (
    <>
      <BackLink />
      <h1>{t('portal.pay.title')}</h1>
      {payment ? (
        payment.provider === 'sandbox' ? (
          <Card title={t('portal.pay.sandbox.title')}>
            <p>{t('portal.pay.sandbox.body')}</p>
            <ActionError error={error} />
            <Button block busy={busy} onClick={() => void completeSandbox()}>
              {t('portal.pay.sandbox.confirm', { amount: money(payment.amount, payment.currency) })}
            </Button>
          </Card>
        ) : (
          <Card title={t('portal.pay.bank.title')}>
            <dl className="portal__kv">
              <dt>{t('portal.pay.bank.amount')}</dt>
              <dd>{money(payment.amount, payment.currency)}</dd>
              {payment.reference && (
                <>
                  <dt>{t('portal.pay.bank.reference')}</dt>
                  <dd>{payment.reference}</dd>
                </>
              )}
              {payment.clabe && (
                <>
                  <dt>{t('portal.pay.bank.clabe')}</dt>
                  <dd>{payment.clabe}</dd>
                </>
              )}
            </dl>
          </Card>
        )
      ) : total ? (
        <Card>
          {account.totals.length > 1 && (
            <SelectField label="Moneda / Currency" value={currency} onChange={(e) => setCurrency(e.target.value)} options={account.totals.map((x) => ({ value: x.currency, label: x.currency }))} />
          )}
          <ActionError error={error} />
          <div className="stack">
            <Button block busy={busy && !partial} onClick={() => void start()}>
              {t('portal.pay.all', { amount: money(total.balance, currency) })}
            </Button>
            {!partial ? (
              <Button block variant="secondary" onClick={() => setPartial(true)}>
                {t('portal.pay.part')}
              </Button>
            ) : (
              <form onSubmit={submitPartial} className="stack" noValidate>
                <TextField
                  label={t('portal.pay.amount', { currency })}
                  hint={t('portal.pay.amount.hint', { amount: money(total.balance, currency) })}
                  inputMode="decimal"
                  autoComplete="off"
                  value={amountText}
                  onChange={(e) => setAmountText(e.target.value)}
                  error={amountError}
                  autoFocus
                />
                <Button type="submit" block busy={busy}>
                  {t('portal.pay.continue')}
                </Button>
              </form>
            )}
          </div>
        </Card>
      ) : (
        <p>{t('portal.summary.nothing')}</p>
      )}
    </>
  );
}
