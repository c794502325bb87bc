import { useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/index.tsx';
import { Alert, Button, Card, TextField } from '../ui/index.ts';
import { BackLink } from './BackLink.tsx';
import { usePortal } from './context.tsx';
import { ActionError } from './Refusal.tsx';
import { useAction } from './useAction.ts';

/**
 * The debtor's contact details and, per channel, whether we may use it. "Darme de baja" stops a channel at once
 * (like replying BAJA); a channel can be turned back on here by the debtor.
 */
export function ContactPage() {
  const { account, api, refresh } = usePortal();
  const { t } = useI18n();
  const [email, setEmail] = useState(account.contact.email ?? '');
  const [phone, setPhone] = useState(account.contact.phone ?? '');
  const [whatsapp, setWhatsapp] = useState(account.contact.whatsapp ?? '');
  const [allowed, setAllowed] = useState<Record<string, boolean>>(() => Object.fromEntries(account.channels.map((c) => [c.channel, !c.opted_out && c.status !== 'denied'])));
  const [message, setMessage] = useState<string | null>(null);
  const save = useAction();
  const optOut = useAction();

  const fieldError = (path: string) => {
    const e = save.error as { details?: { path?: string; reason: string }[] } | null;
    return e?.details?.find((d) => d.path === path)?.reason;
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    setMessage(null);
    const channels = Object.fromEntries(account.channels.map((c) => [c.channel, allowed[c.channel] ? 'yes' : 'no'])) as Record<string, 'yes' | 'no'>;
    const ok = await save.run(async () => {
      await api.updateContact({ email: email.trim() || null, phone: phone.trim() || null, whatsapp: whatsapp.trim() || null, channels });
      return true;
    });
    if (ok) {
      setMessage(t('portal.contact.saved'));
      await refresh();
    }
  }

  async function stop(channel: string) {
    setMessage(null);
    const ok = await optOut.run(async () => {
      await api.optOut(channel);
      return true;
    });
    if (ok) {
      setAllowed((a) => ({ ...a, [channel]: false }));
      setMessage(t('portal.contact.optOutDone', { channel: t(`portal.contact.channel.${channel}`) }));
      await refresh();
    }
  }

  return (
    <>
      <BackLink />
      <h1>{t('portal.contact.title')}</h1>
      {message && <Alert kind="success">{message}</Alert>}
      <form className="card stack" onSubmit={submit} noValidate>
        <TextField label={t('portal.contact.email')} type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} error={fieldError('email')} />
        <TextField label={t('portal.contact.phone')} type="tel" autoComplete="tel" value={phone} onChange={(e) => setPhone(e.target.value)} error={fieldError('phone')} />
        <TextField label={t('portal.contact.whatsapp')} type="tel" value={whatsapp} onChange={(e) => setWhatsapp(e.target.value)} error={fieldError('whatsapp')} />
        <fieldset className="field">
          <legend>{t('portal.contact.channels')}</legend>
          {account.channels.map((c) => (
            <label key={c.channel} className="choice">
              <input type="checkbox" checked={allowed[c.channel] ?? false} onChange={(e) => setAllowed((a) => ({ ...a, [c.channel]: e.target.checked }))} />
              {t(`portal.contact.channel.${c.channel}`)}
            </label>
          ))}
        </fieldset>
        <ActionError error={save.error} />
        <Button type="submit" block busy={save.busy}>
          {t('portal.contact.save')}
        </Button>
      </form>
      <Card>
        <ActionError error={optOut.error} />
        <ul className="portal__list">
          {account.channels.map((c) => (
            <li key={c.channel} className="spread">
              <span>{t(`portal.contact.channel.${c.channel}`)}</span>
              {c.opted_out ? (
                <span className="badge">{t('portal.contact.optedOut')}</span>
              ) : (
                <Button variant="link" busy={optOut.busy} onClick={() => void stop(c.channel)}>
                  {t('portal.contact.optOut', { channel: t(`portal.contact.channel.${c.channel}`) })}
                </Button>
              )}
            </li>
          ))}
        </ul>
      </Card>
    </>
  );
}
