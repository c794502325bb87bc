import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../../api/client.ts';
import { useI18n } from '../../../i18n/index.tsx';
import { Alert, Button, ErrorView, SelectField, TextField } from '../../../ui/index.ts';
import {
  CAP_KINDS,
  COMPLIANCE_QUERY,
  capHasDays,
  capHasMax,
  CHANNEL_CLASSES,
  CHANNELS,
  draftOf,
  newCapId,
  overridesOf,
  WEEKDAYS,
  type CapDraft,
  type CapKind,
  type CountryRules,
  type RulesDraft,
} from './rules-draft.ts';

/** The rules chosen from a list: holidays refused or allowed, and how the caps count a week. */
const CHOICES = [
  ['holidays', ['refused', 'allowed']],
  ['week', ['calendar', 'rolling7']],
] as const;

/**
 * The editor of one country's rules: hours per weekday for calls and visits and for written channels, the holiday and
 * week rules, the frequency caps and the channels that need consent. Problems the page can see are marked as the user
 * types; the server's objections are marked by the field they name. Saving sends only what differs from the built-in
 * rules (the rule set chosen and the holidays added or removed are kept).
 */
export function RulesEditor({ country, year, onCancel, onSaved }: { country: CountryRules; year: number; onCancel: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<RulesDraft>(() => draftOf(country.rules));
  const [tried, setTried] = useState(false);
  const result = overridesOf(draft, country.built_in, country.adjustments?.overrides);
  const save = useMutation({
    mutationFn: () =>
      api.put<CountryRules>(`/settings/compliance/${country.country}`, { ...(country.adjustments?.rule_set ? { rule_set: country.adjustments.rule_set } : {}), overrides: result.overrides }, { query: { year } }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: COMPLIANCE_QUERY });
      onSaved();
    },
  });
  const change = (next: (d: RulesDraft) => RulesDraft) => {
    save.reset();
    setDraft(next);
  };

  // The server's objections, by the draft field they concern.
  const serverProblems: Record<string, string> = {};
  if (save.error instanceof ApiError) {
    for (const d of save.error.details) {
      const path = d.path?.replace(/^overrides\./, '') ?? '';
      const hours = /^hours\.(voice|written)\.(\d+)/.exec(path);
      if (hours) {
        for (const day of result.windowDays[hours[1] as 'voice' | 'written'][Number(hours[2])] ?? []) serverProblems[`hours.${hours[1]}.${day}`] = d.reason;
      } else if (/^caps\.\d+\.(max|days|channels)/.test(path)) {
        serverProblems[/^caps\.\d+\.(max|days|channels)/.exec(path)![0]] = d.reason;
      }
    }
  }
  const problem = (field: string, message: string) => (tried && result.problems[field] ? message : serverProblems[field]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (Object.keys(result.problems).length === 0) save.mutate();
  };

  const setCap = (i: number, patch: Partial<CapDraft>) => change((d) => ({ ...d, caps: d.caps.map((c, j) => (j === i ? { ...c, ...patch } : c)) }));
  const toggle = (list: string[], value: string, on: boolean) => (on ? [...list.filter((x) => x !== value), value] : list.filter((x) => x !== value));
  const channelName = (c: string) => t(`settings.compliance.edit.channel.${c}`);
  const className = (cls: string) => t(cls === 'voice' ? 'settings.compliance.col.voice' : 'settings.compliance.col.written');
  const id = (field: string) => `compliance-${country.country}-${field.replaceAll('.', '-')}`;

  return (
    <form className="stack" onSubmit={submit} noValidate aria-label={t('settings.compliance.edit.title', { country: country.country })}>
      <h3>{t('settings.compliance.edit.title', { country: country.country })}</h3>
      {tried && Object.keys(result.problems).length > 0 && <Alert kind="error">{t('settings.compliance.edit.invalid')}</Alert>}
      {save.isError && <ErrorView error={save.error} />}

      <fieldset className="field">
        <legend>{t('settings.compliance.edit.hours')}</legend>
        <span className="field__hint">{t('settings.compliance.edit.hours.hint')}</span>
        {WEEKDAYS.map((d) => (
          <div className="row" key={d}>
            {CHANNEL_CLASSES.map((cls) => (
              <div key={cls} style={{ flex: '1 1 14rem' }}>
                <TextField
                  id={id(`hours.${cls}.${d}`)}
                  label={t('settings.compliance.edit.hours.field', { day: t(`settings.compliance.weekday.${d}`), channels: className(cls) })}
                  value={draft.hours[cls][d] ?? ''}
                  autoComplete="off"
                  error={problem(`hours.${cls}.${d}`, t('settings.compliance.edit.hours.invalid'))}
                  onChange={(e) => {
                    const text = e.target.value;
                    change((v) => ({ ...v, hours: { ...v.hours, [cls]: { ...v.hours[cls], [d]: text } } }));
                  }}
                />
              </div>
            ))}
          </div>
        ))}
      </fieldset>

      <div className="row">
        {CHOICES.map(([field, values]) => (
          <div key={field} style={{ flex: '1 1 14rem' }}>
            <SelectField
              id={id(field)}
              label={t(`settings.compliance.edit.${field}`)}
              value={draft[field]}
              options={values.map((v) => ({ value: v, label: t(`settings.compliance.edit.${field}.${v}`) }))}
              onChange={(e) => {
                const value = e.target.value;
                change((v) => ({ ...v, [field]: value }));
              }}
            />
          </div>
        ))}
      </div>

      <fieldset className="field">
        <legend>{t('settings.compliance.caps')}</legend>
        {draft.caps.map((cap, i) => {
          const n = i + 1;
          const channelsError = problem(`caps.${i}.channels`, t('settings.compliance.edit.cap.channels.invalid'));
          return (
            <fieldset key={i} className="field card" data-cap={cap.id}>
              <legend>{t('settings.compliance.edit.cap', { n })}</legend>
              <SelectField
                id={id(`caps.${i}.kind`)}
                label={t('settings.compliance.edit.cap.kind')}
                value={cap.kind}
                options={CAP_KINDS.map((k) => ({ value: k, label: t(`settings.compliance.edit.cap.kind.${k}`) }))}
                onChange={(e) => setCap(i, { kind: e.target.value as CapKind })}
              />
              {capHasMax(cap.kind) && (
                <TextField
                  id={id(`caps.${i}.max`)}
                  label={t('settings.compliance.edit.cap.max')}
                  hint={t('settings.compliance.edit.cap.max.hint')}
                  inputMode="numeric"
                  value={cap.max}
                  error={problem(`caps.${i}.max`, t('settings.compliance.edit.cap.max.invalid'))}
                  onChange={(e) => setCap(i, { max: e.target.value })}
                />
              )}
              {capHasDays(cap.kind) && (
                <TextField
                  id={id(`caps.${i}.days`)}
                  label={t('settings.compliance.edit.cap.days')}
                  inputMode="numeric"
                  value={cap.days}
                  error={problem(`caps.${i}.days`, t('settings.compliance.edit.cap.days.invalid'))}
                  onChange={(e) => setCap(i, { days: e.target.value })}
                />
              )}
              <fieldset className="field" aria-describedby={channelsError ? id(`caps.${i}.channels-error`) : undefined}>
                <legend>{t('settings.compliance.edit.cap.channels')}</legend>
                <div className="row">
                  {CHANNELS.map((c) => (
                    <label key={c} className="choice">
                      <input type="checkbox" checked={cap.channels.includes(c)} onChange={(e) => setCap(i, { channels: toggle(cap.channels, c, e.target.checked) })} />
                      {channelName(c)}
                    </label>
                  ))}
                </div>
                {channelsError && (
                  <span id={id(`caps.${i}.channels-error`)} className="field__error" role="alert">
                    {channelsError}
                  </span>
                )}
              </fieldset>
              <div>
                <Button variant="secondary" onClick={() => change((v) => ({ ...v, caps: v.caps.filter((_, j) => j !== i) }))}>
                  {t('settings.compliance.edit.cap.remove', { n })}
                </Button>
              </div>
            </fieldset>
          );
        })}
        <div>
          <Button
            variant="secondary"
            onClick={() => change((v) => ({ ...v, caps: [...v.caps, { id: newCapId('max_per_week', v.caps), kind: 'max_per_week', channels: [], max: '', days: '', outcomes: [] }] }))}
          >
            {t('settings.compliance.edit.cap.add')}
          </Button>
        </div>
      </fieldset>

      <fieldset className="field">
        <legend>{t('settings.compliance.edit.consent')}</legend>
        <div className="row">
          {CHANNELS.map((c) => (
            <label key={c} className="choice">
              <input type="checkbox" checked={draft.consentRequired.includes(c)} onChange={(e) => change((v) => ({ ...v, consentRequired: toggle(v.consentRequired, c, e.target.checked) }))} />
              {channelName(c)}
            </label>
          ))}
        </div>
      </fieldset>

      <div className="row">
        <Button type="submit" busy={save.isPending}>
          {t('settings.compliance.edit.save')}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          {t('settings.compliance.edit.cancel')}
        </Button>
      </div>
    </form>
  );
}
