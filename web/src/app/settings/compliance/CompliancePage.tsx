import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client.ts';
import { useI18n } from '../../../i18n/index.tsx';
import { Alert, Button, Card, ErrorView, Loading, SelectField } from '../../../ui/index.ts';
import { RequireSession, useSession } from '../../auth/session.tsx';
import { HolidayList } from './HolidayList.tsx';
import { RulesEditor } from './RulesEditor.tsx';
import { COMPLIANCE_QUERY, WEEKDAYS, hoursText, type ComplianceSettings, type CountryRules } from './rules-draft.ts';

/** Countries a company may adjust from the page: those with built-in rules and those with country defaults. */
const COUNTRIES = ['MX', 'CO', 'CL', 'PE', 'BR', 'AR', 'US', 'EC', 'GT', 'UY', 'PY', 'BO', 'CR', 'PA', 'DO', 'SV', 'HN', 'NI'];

/**
 * /app/settings/compliance — the contact rules (hours, caps, consent) and holidays in force per debtor country.
 * Everyone who may read strategies sees them; a role that may change settings edits them here.
 */
export default function CompliancePage() {
  return (
    <RequireSession permission="strategies:read">
      <ComplianceSettingsView />
    </RequireSession>
  );
}

function ComplianceSettingsView() {
  const { t } = useI18n();
  const session = useSession();
  const canEdit = session.data?.permissions.includes('settings:write') ?? false;
  const [year, setYear] = useState<number | null>(null);
  const query = useQuery({
    queryKey: [...COMPLIANCE_QUERY, year],
    queryFn: () => api.get<ComplianceSettings>('/settings/compliance', { query: { year: year ?? undefined } }),
  });
  const shownYear = year ?? query.data?.year ?? null;
  return (
    <div className="container stack">
      <h1>{t('settings.compliance.title')}</h1>
      <p>{t('settings.compliance.intro')}</p>
      {!canEdit && <Alert kind="info">{t('settings.compliance.readOnly')}</Alert>}
      {shownYear !== null && (
        <div style={{ maxWidth: '16rem' }}>
          <SelectField
            label={t('settings.compliance.year')}
            value={String(shownYear)}
            options={[-1, 0, 1, 2].map((d) => String(shownYear + d)).map((y) => ({ value: y, label: y }))}
            onChange={(e) => setYear(Number(e.target.value))}
          />
        </div>
      )}
      {query.isPending ? (
        <Loading />
      ) : query.isError ? (
        <ErrorView error={query.error} retry={() => void query.refetch()} />
      ) : (
        <>
          {query.data.countries.map((c) => (
            <CountryCard key={c.country} country={c} year={query.data.year} canEdit={canEdit} own={c.country === query.data.company_country} />
          ))}
          {canEdit && <AddCountry listed={query.data.countries.map((c) => c.country)} />}
        </>
      )}
    </div>
  );
}

function CountryCard({ country, year, canEdit, own }: { country: CountryRules; year: number; canEdit: boolean; own: boolean }) {
  const { t, locale } = useI18n();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  const [armed, setArmed] = useState(false);
  const rules = country.rules;
  const closed = t('settings.compliance.closed');
  const channelName = (c: string) => t(`settings.compliance.edit.channel.${c}`);
  const name = `${country.country} · ${locale === 'en' ? rules.label.en : rules.label.es}`;
  const adjusted = country.adjustments !== null && Object.keys(country.adjustments).length > 0;
  const reset = useMutation({
    mutationFn: () => api.delete<CountryRules>(`/settings/compliance/${country.country}`, { query: { year } }),
    onSuccess: async () => {
      setArmed(false);
      setEditing(false);
      await queryClient.invalidateQueries({ queryKey: COMPLIANCE_QUERY });
    },
  });
  return (
    <Card title={name} data-country={country.country}>
      <div className="stack">
        <p className="muted">{t('settings.compliance.ruleSet', { id: rules.id, basis: rules.basis })}</p>
        {adjusted && <p className="badge">{t('settings.compliance.adjusted')}</p>}
        {saved && !editing && <Alert kind="success">{t('settings.compliance.edit.saved', { country: country.country })}</Alert>}
        {reset.isSuccess && own && <Alert kind="success">{t('settings.compliance.reset.done', { country: country.country })}</Alert>}
        {reset.isError && <ErrorView error={reset.error} />}
        {canEdit && !editing && (
          <div className="row">
            <Button
              variant="secondary"
              onClick={() => {
                setSaved(false);
                setEditing(true);
              }}
            >
              {t('settings.compliance.edit.open')}
            </Button>
            {(adjusted || !own) &&
              (armed ? (
                <Button variant="danger" busy={reset.isPending} onClick={() => reset.mutate()}>
                  {t('settings.compliance.reset.confirm', { country: country.country })}
                </Button>
              ) : (
                <Button variant="secondary" onClick={() => setArmed(true)}>
                  {t('settings.compliance.reset')}
                </Button>
              ))}
          </div>
        )}
        {editing ? (
          <RulesEditor
            country={country}
            year={year}
            onCancel={() => setEditing(false)}
            onSaved={() => {
              setEditing(false);
              setSaved(true);
            }}
          />
        ) : (
          <>
            <h3>{t('settings.compliance.hours')}</h3>
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">{t('settings.compliance.col.day')}</th>
                    <th scope="col">{t('settings.compliance.col.voice')}</th>
                    <th scope="col">{t('settings.compliance.col.written')}</th>
                  </tr>
                </thead>
                <tbody>
                  {WEEKDAYS.map((d) => (
                    <tr key={d}>
                      <th scope="row">{t(`settings.compliance.weekday.${d}`)}</th>
                      <td>{hoursText(rules.hours.voice, d) || closed}</td>
                      <td>{hoursText(rules.hours.written, d) || closed}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <p>{t(rules.holidays === 'refused' ? 'settings.compliance.holidays.refused' : 'settings.compliance.holidays.allowed')}</p>
            <h3>{t('settings.compliance.caps')}</h3>
            {rules.caps.length === 0 ? (
              <p className="muted">{t('settings.compliance.caps.none')}</p>
            ) : (
              <ul>
                {rules.caps.map((cap) => (
                  <li key={cap.id}>
                    {t(`settings.compliance.cap.${cap.kind}`, { max: cap.max ?? '', days: cap.days ?? '' })} — {cap.channels.map(channelName).join(', ')}
                  </li>
                ))}
              </ul>
            )}
            <p>{t('settings.compliance.week.' + rules.week)}</p>
            {rules.consentRequired.length > 0 && <p>{t('settings.compliance.consent', { channels: rules.consentRequired.map(channelName).join(', ') })}</p>}
          </>
        )}
        <HolidayList country={country} year={year} canEdit={canEdit} />
        {rules.notes.length > 0 && (
          <details>
            <summary>{t('settings.compliance.notes')}</summary>
            <ul>
              {rules.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          </details>
        )}
      </div>
    </Card>
  );
}

/** Lists another debtor country on the page (with its built-in rules) so its rules and holidays can be adjusted. */
function AddCountry({ listed }: { listed: string[] }) {
  const { t, locale } = useI18n();
  const queryClient = useQueryClient();
  const names = new Intl.DisplayNames([locale === 'en' ? 'en' : 'es-MX'], { type: 'region' });
  const options = COUNTRIES.filter((c) => !listed.includes(c)).map((c) => ({ value: c, label: `${c} · ${names.of(c) ?? c}` }));
  const [country, setCountry] = useState(options[0]?.value ?? '');
  const add = useMutation({
    mutationFn: (code: string) => api.put<CountryRules>(`/settings/compliance/${code}`, {}),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: COMPLIANCE_QUERY });
    },
  });
  if (options.length === 0) return null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate(options.some((o) => o.value === country) ? country : options[0]!.value);
  };
  return (
    <Card title={t('settings.compliance.addCountry')}>
      {add.isError && <ErrorView error={add.error} />}
      <form className="stack" onSubmit={submit}>
        <SelectField label={t('settings.compliance.addCountry.field')} value={country} options={options} onChange={(e) => setCountry(e.target.value)} />
        <Button type="submit" busy={add.isPending}>
          {t('settings.compliance.addCountry.submit')}
        </Button>
      </form>
    </Card>
  );
}
