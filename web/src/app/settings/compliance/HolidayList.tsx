import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../../api/client.ts';
import { useI18n } from '../../../i18n/index.tsx';
import { Alert, Button, ErrorView, TextField } from '../../../ui/index.ts';
import { COMPLIANCE_QUERY, type CountryRules } from './rules-draft.ts';

/**
 * The year's holidays of one country; for a role that may change settings, each can be removed and a date added
 * (a built-in holiday removed by mistake comes back by adding its date again). Each change is saved at once.
 */
export function HolidayList({ country, year, canEdit }: { country: CountryRules; year: number; canEdit: boolean }) {
  const { t, date } = useI18n();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ date: '', name: '' });
  const [done, setDone] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: COMPLIANCE_QUERY });
  const remove = useMutation({
    mutationFn: (day: string) => api.delete<CountryRules>(`/settings/compliance/${country.country}/holidays/${day}`, { query: { year } }),
    onSuccess: async (_data, day) => {
      await refresh();
      setDone(t('settings.compliance.holiday.removed', { date: date(day) }));
    },
  });
  const add = useMutation({
    mutationFn: () => api.post<CountryRules>(`/settings/compliance/${country.country}/holidays`, { date: form.date, name: form.name.trim() }, { query: { year } }),
    onSuccess: async () => {
      const added = form.date;
      setForm({ date: '', name: '' });
      await refresh();
      setDone(t('settings.compliance.holiday.added', { date: date(added) }));
    },
  });
  const details = add.error instanceof ApiError ? add.error.details : [];
  const fieldError = (f: string) => details.find((d) => d.path === f)?.reason;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    remove.reset();
    setDone(null);
    add.mutate();
  };
  const prefix = `holiday-${country.country}`;
  return (
    <section className="stack" aria-labelledby={`${prefix}-title`}>
      <h3 id={`${prefix}-title`}>{t('settings.compliance.holidayList', { year })}</h3>
      {done && <Alert kind="success">{done}</Alert>}
      {remove.isError && <ErrorView error={remove.error} />}
      {country.holidays.length === 0 ? (
        <p className="muted">{t('settings.compliance.holidayList.none')}</p>
      ) : (
        <ul>
          {country.holidays.map((h) => (
            <li key={`${h.date}-${h.name}`} className="row">
              <span>
                {date(h.date)} — {h.name}
              </span>
              {canEdit && (
                <Button
                  variant="link"
                  busy={remove.isPending && remove.variables === h.date}
                  onClick={() => {
                    add.reset();
                    setDone(null);
                    remove.mutate(h.date);
                  }}
                >
                  {t('settings.compliance.holiday.remove', { date: date(h.date) })}
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canEdit && (
        <form className="stack" onSubmit={submit} noValidate>
          {add.isError && <ErrorView error={add.error} />}
          <div className="row">
            <div style={{ flex: '1 1 10rem' }}>
              <TextField
                id={`${prefix}-date`}
                type="date"
                label={t('settings.compliance.holiday.date')}
                value={form.date}
                error={fieldError('date')}
                onChange={(e) => {
                  const value = e.target.value;
                  setForm((f) => ({ ...f, date: value }));
                }}
              />
            </div>
            <div style={{ flex: '2 1 14rem' }}>
              <TextField
                id={`${prefix}-name`}
                label={t('settings.compliance.holiday.name')}
                value={form.name}
                maxLength={120}
                error={fieldError('name')}
                onChange={(e) => {
                  const value = e.target.value;
                  setForm((f) => ({ ...f, name: value }));
                }}
              />
            </div>
          </div>
          <div>
            <Button type="submit" variant="secondary" busy={add.isPending}>
              {t('settings.compliance.holiday.add')}
            </Button>
          </div>
        </form>
      )}
    </section>
  );
}
