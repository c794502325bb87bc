import { useState, type FormEvent } from 'react';
import { useParams } from 'react-router';
import { useI18n } from '../i18n/index.tsx';
import { Alert, Button, TextAreaField } from '../ui/index.ts';
import { NotFound } from '../ui/NotFound.tsx';
import { BackLink } from './BackLink.tsx';
import { usePortal } from './context.tsx';
import { ActionError } from './Refusal.tsx';
import { useAction } from './useAction.ts';

const REASONS = ['not_mine', 'already_paid', 'wrong_amount', 'other'] as const;

/** Dispute one document: the debtor picks a reason; the document leaves collection until a collector resolves it. */
export function DisputePage() {
  const { obligationId } = useParams();
  const { account, api, refresh } = usePortal();
  const { t, money } = useI18n();
  const [reason, setReason] = useState<(typeof REASONS)[number]>('not_mine');
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const [done, setDone] = useState(false);
  const { run, busy, error } = useAction();
  const obligation = account.obligations.find((o) => String(o.id) === obligationId);
  if (!obligation && !done) return <NotFound />;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (reason === 'other' && !note.trim()) {
      setProblem(t('common.required'));
      return;
    }
    setProblem(undefined);
    const dispute = await run(() => api.dispute({ obligation_id: obligation!.id, reason, ...(note.trim() && { note: note.trim() }) }));
    if (dispute) {
      setDone(true);
      await refresh();
    }
  }

  if (done) {
    return (
      <>
        <BackLink />
        <Alert kind="success">
          <p>{t('portal.dispute.done')}</p>
        </Alert>
      </>
    );
  }
  return (
    <>
      <BackLink />
      <h1>{t('portal.dispute.title')}</h1>
      <p>{t('portal.dispute.document', { id: obligation!.external_id, amount: money(obligation!.balance, obligation!.currency) })}</p>
      <form className="card stack" onSubmit={submit} noValidate>
        <fieldset className="field">
          <legend>{t('portal.dispute.reason')}</legend>
          {REASONS.map((r) => (
            <label key={r} className="choice">
              <input type="radio" name="reason" value={r} checked={reason === r} onChange={() => setReason(r)} />
              {t(`portal.dispute.reason.${r}`)}
            </label>
          ))}
        </fieldset>
        <TextAreaField label={t('portal.dispute.note')} value={note} maxLength={1000} onChange={(e) => setNote(e.target.value)} error={problem} />
        <ActionError error={error} />
        <Button type="submit" block busy={busy}>
          {t('portal.dispute.submit')}
        </Button>
      </form>
    </>
  );
}
