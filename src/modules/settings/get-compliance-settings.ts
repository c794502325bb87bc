/**
 * The contact compliance rules in force for a company, as the settings page shows them: for the company's country and
 * every country it adjusted, the resolved rule set (built-in set with the company's overrides), the built-in set it
 * starts from, and the year's holidays (with the company's added and removed dates). Changes are made with the use
 * cases in adjust-compliance-settings.ts.
 */
import { dateInZone } from '../../domain/calendar.ts';
import { holidaysFor, type ContactRules, type Holiday } from '../../domain/compliance/index.ts';
import { contactRulesResolver, loadAutomationSettings, type AutomationSettings, type CountryCompliance } from '../messaging/index.ts';
import type { Ctx } from '../shared/context.ts';
import { AppError } from '../shared/errors.ts';
import { t } from '../../domain/text.ts';

/** One country's rules as resolved for the company. */
export interface CountryComplianceView {
  country: string;
  rules: ContactRules;
  /** The built-in set the rules start from (the company's rule_set choice applied, none of its overrides). */
  built_in: ContactRules;
  /** The company's own adjustments for this country, as saved (null when it uses the built-in set unchanged). */
  adjustments: CountryCompliance | null;
  holidays: Holiday[];
}

export interface ComplianceSettingsView {
  company_country: string;
  time_zone: string;
  year: number;
  countries: CountryComplianceView[];
}

/** The year asked for, or the current one in the company's time zone; refused outside 1970–2200. */
export function complianceYear(ctx: Ctx, settings: AutomationSettings, year: number | undefined): number {
  const y = year ?? Number(dateInZone(ctx.clock.now(), settings.timeZone).slice(0, 4));
  if (!Number.isInteger(y) || y < 1970 || y > 2200) throw new AppError('validation_failed', t(`year must be between 1970 and 2200, got ${y}`, `el año debe estar entre 1970 y 2200; se recibió ${y}`), [{ path: 'year', reason: t('out of range', 'fuera de rango') }]);
  return y;
}

/** One country's view under `settings` for `year`. */
export function countryComplianceView(settings: AutomationSettings, country: string, year: number): CountryComplianceView {
  const adjustments = settings.compliance[country] ?? null;
  const { rules } = contactRulesResolver(settings)(country);
  // The same resolution without the overrides: what "back to the built-in value" means for each field.
  const builtInSettings: AutomationSettings = { ...settings, compliance: adjustments?.rule_set ? { [country]: { rule_set: adjustments.rule_set } } : {} };
  const builtIn = contactRulesResolver(builtInSettings)(country).rules;
  return { country, rules, built_in: builtIn, adjustments, holidays: holidaysFor(rules.holidayCalendar, year, adjustments?.holidays) };
}

/** The rules and holidays of `year` (default: the current year in the company's time zone). */
export async function getComplianceSettings(ctx: Ctx, options: { year?: number | undefined } = {}): Promise<ComplianceSettingsView> {
  const settings = await loadAutomationSettings(ctx);
  const year = complianceYear(ctx, settings, options.year);
  const own = settings.companyCountry.toUpperCase();
  const countries = [own, ...Object.keys(settings.compliance).filter((c) => c !== own).sort()];
  return { company_country: own, time_zone: settings.timeZone, year, countries: countries.map((country) => countryComplianceView(settings, country, year)) };
}
