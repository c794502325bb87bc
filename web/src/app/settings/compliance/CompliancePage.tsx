import { useQuery } from '@tanstack/react-query';
import { api } from '../../../api/client.ts';
import { useI18n } from '../../../i18n/index.tsx';
import { Alert, Card, ErrorView, Loading } from '../../../ui/index.ts';
import { RequireSession } from '../../auth/session.tsx';

interface Window {
  days: number[];
  from: string;
  to: string;
}
interface Cap {
  id: string;
  kind: string;
  channels: string[];
  max?: number;
  days?: number;
}
interface CountryRules {
  country: string;
  rules: {
    id: string;
    label: { es: string; en: string };
    basis: string;
    hours: { voice: Window[]; written: Window[] };
    holidays: 'allowed' | 'refused';
    week: 'calendar' | 'rolling7';
    caps: Cap[];
    consentRequired: string[];
    notes: string[];
  };
  adjustments: Record<string, unknown> | null;
  holidays: Array<{ date: string; name: string }>;
}
interface ComplianceSettings {
  company_country: string;
  time_zone: string;
  year: number;
  countries: CountryRules[];
}

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

/** /app/settings/compliance — the contact rules (hours, caps, consent) and holidays in force; read-only. */
export default function CompliancePage() {
  return (
    <RequireSession permission="strategies:read">
      <ComplianceSettingsView />
    </RequireSession>
  );
}

function ComplianceSettingsView() {
  const { t } = useI18n();
  const query = useQuery({ queryKey: ['settings', 'compliance'], queryFn: () => api.get<ComplianceSettings>('/settings/compliance') });
  return (
    <div className="container stack">
      <h1>{t('settings.compliance.title')}</h1>
      <p>{t('settings.compliance.intro')}</p>
      <Alert kind="info">{t('settings.compliance.readOnly')}</Alert>
      {query.isPending ? (
        <Loading />
      ) : query.isError ? (
        <ErrorView error={query.error} retry={() => void query.refetch()} />
      ) : (
        query.data.countries.map((c) => <CountryCard key={c.country} country={c} year={query.data.year} />)
      )}
    </div>
  );
}

function windowsOn(windows: Window[], day: number): string {
  const found = windows.filter((w) => w.days.includes(day));
  return found.length ? found.map((w) => `${w.from}–${w.to}`).join(', ') : '';
}

function CountryCard({ country, year }: { country: CountryRules; year: number }) {
  const { t, locale, date } = useI18n();
  const rules = country.rules;
  const closed = t('settings.compliance.closed');
  return (
    <Card title={`${country.country} · ${locale === 'en' ? rules.label.en : rules.label.es}`} data-country={country.country}>
      <div className="stack">
        <p className="muted">{t('settings.compliance.ruleSet', { id: rules.id, basis: rules.basis })}</p>
        {country.adjustments && <p className="badge">{t('settings.compliance.adjusted')}</p>}
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
                  <td>{windowsOn(rules.hours.voice, d) || closed}</td>
                  <td>{windowsOn(rules.hours.written, d) || closed}</td>
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
                {t(`settings.compliance.cap.${cap.kind}`, { max: cap.max ?? '', days: cap.days ?? '' })} — {cap.channels.join(', ')}
              </li>
            ))}
          </ul>
        )}
        <p>{t('settings.compliance.week.' + rules.week)}</p>
        {rules.consentRequired.length > 0 && <p>{t('settings.compliance.consent', { channels: rules.consentRequired.join(', ') })}</p>}
        <h3>{t('settings.compliance.holidayList', { year })}</h3>
        {country.holidays.length === 0 ? (
          <p className="muted">{t('settings.compliance.holidayList.none')}</p>
        ) : (
          <ul>
            {country.holidays.map((h) => (
              <li key={`${h.date}-${h.name}`}>
                {date(h.date)} — {h.name}
              </li>
            ))}
          </ul>
        )}
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
