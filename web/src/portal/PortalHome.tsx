import { useState } from 'react';
import { Link } from 'react-router';
import { useI18n } from '../i18n/index.tsx';
import { Alert, Button, Card, ErrorView, Money } from '../ui/index.ts';
import { usePortal } from './context.tsx';

/** The account at a glance: totals per currency, the documents with days late, what is agreed, and the actions. */
export function PortalHome() {
  const { view, account, href } = usePortal();
  const { t, money, date } = useI18n();
  return (
    <>
      <p className="muted">{t('portal.creditor', { creditor: view.creditor })}</p>
      <h1>{t('portal.greeting', { name: view.debtor_first_name })}</h1>

      <Card title={t('portal.summary.title')}>
        {account.totals.length === 0 ? (
          <p>{t('portal.summary.nothing')}</p>
        ) : (
          <ul className="portal__list">
            {account.totals.map((total) => (
              <li key={total.currency} data-testid={`total-${total.currency}`}>
                <div className="muted small">{t('portal.summary.total')}</div>
                <div className="portal__total">
                  <Money amount={total.balance} currency={total.currency} />
                </div>
                {/^[0.]+$/.test(total.overdue) ? null : (
                  <div className="small">
                    {t('portal.summary.overdue')}: <Money amount={total.overdue} currency={total.currency} />
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
        {account.promises.map((p) => (
          <Alert key={`promise-${p.id}`} kind="info">
            {t('portal.promise.current', { amount: money(p.amount, p.currency), date: date(p.promised_on) })}
          </Alert>
        ))}
        {account.plans.map((p) => (
          <Alert key={`plan-${p.id}`} kind="info">
            {t('portal.plan.current', { total: money(p.total, p.currency), status: t(`portal.plan.status.${p.status}`) })}
            {p.status === 'active' && <AgreementDownload planId={p.id} />}
          </Alert>
        ))}
      </Card>

      {account.totals.length > 0 && (
        <nav aria-label={t('portal.actions.title')} className="stack">
          <h2>{t('portal.actions.title')}</h2>
          <div className="portal__actions">
            <Link className="button" to={href('pagar')}>
              {t('portal.actions.pay')}
            </Link>
            <Link className="button button--secondary" to={href('prometer')}>
              {t('portal.actions.promise')}
            </Link>
            <Link className="button button--secondary" to={href('plan')}>
              {t('portal.actions.plan')}
            </Link>
            <Link className="button button--secondary" to={href('datos')}>
              {t('portal.actions.contact')}
            </Link>
          </div>
        </nav>
      )}

      {account.obligations.length > 0 && (
        <section className="stack" aria-labelledby="documents">
          <h2 id="documents">{t('portal.obligations.title')}</h2>
          <ul className="portal__list">
            {account.obligations.map((o) => (
              <li key={o.id} className="card" data-testid={`obligation-${o.external_id}`}>
                <div className="spread">
                  <strong>{o.external_id}</strong>
                  <span className="amount">
                    <Money amount={o.balance} currency={o.currency} />
                  </span>
                </div>
                <div className="small muted">
                  {t('portal.obligation.due', { date: date(o.due_on) })}
                </div>
                <div className="row small" style={{ marginTop: 4 }}>
                  {o.days_late > 0 ? (
                    <span className="badge badge--danger">{t('portal.obligation.daysLate', { count: o.days_late })}</span>
                  ) : (
                    <span className="badge badge--success">{t('portal.obligation.current')}</span>
                  )}
                  {o.disputed && <span className="badge badge--warning">{t('portal.obligation.disputed')}</span>}
                  {o.in_plan && <span className="badge">{t('portal.obligation.inPlan')}</span>}
                </div>
                {!o.disputed && (
                  <Link className="button button--link" to={href(`aclarar/${o.id}`)} style={{ marginTop: 4 }}>
                    {t('portal.obligation.dispute')}
                  </Link>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}

      {account.paid_in_full && <LetterCard />}
      {account.totals.length === 0 && (
        <Link className="button button--secondary" to={href('datos')}>
          {t('portal.actions.contact')}
        </Link>
      )}
    </>
  );
}

/** A document fetched with the session and saved as a file. */
function useDownload(fetchFile: () => Promise<Blob>, fileName: string) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function download() {
    setBusy(true);
    setError(null);
    try {
      const blob = await fetchFile();
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = fileName;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, download: () => void download() };
}

/** The paid-in-full letter. */
function LetterCard() {
  const { api } = usePortal();
  const { t, locale } = useI18n();
  const { busy, error, download } = useDownload(() => api.letter(locale), locale === 'en' ? 'paid-in-full.pdf' : 'carta-finiquito.pdf');
  return (
    <Card title={t('portal.letter.title')}>
      <p>{t('portal.letter.body')}</p>
      {error !== null && <ErrorView error={error} />}
      <Button onClick={download} busy={busy} block>
        {t('portal.letter.download')}
      </Button>
    </Card>
  );
}

/** The written agreement of a plan in force. */
function AgreementDownload({ planId }: { planId: number }) {
  const { api } = usePortal();
  const { t, locale } = useI18n();
  const { busy, error, download } = useDownload(() => api.agreement(planId, locale), `${locale === 'en' ? 'agreement' : 'convenio'}-${planId}.pdf`);
  return (
    <div>
      {error !== null && <ErrorView error={error} />}
      <Button variant="link" onClick={download} busy={busy} data-testid={`agreement-${planId}`}>
        {t('portal.plan.agreement')}
      </Button>
    </div>
  );
}
