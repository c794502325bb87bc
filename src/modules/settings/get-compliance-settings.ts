/**
 * The contact compliance rules in force for a company, as the settings page shows them: for the company's country and
 * every country it adjusted, the resolved rule set (built-in set with the company's overrides) and the year's
 * holidays (with the company's added and removed dates). Read-only: adjustments are made with `setAutomationSettings`.
 */
import { dateInZone } from '../../domain/calendar.ts';
import { holidaysFor, type ContactRules, type Holiday } from '../../domain/compliance/index.ts';
import { contactRulesResolver, loadAutomationSettings, type CountryCompliance } from '../messaging/index.ts';
import type { Ctx } from '../shared/context.ts';
import { AppError } from '../shared/errors.ts';

/** One country's rules as resolved for the company. */
export interface CountryComplianceView {
  country: string;
  rules: ContactRules;
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

/** The rules and holidays of `year` (default: the current year in the company's time zone). */
export async function getComplianceSettings(ctx: Ctx, options: { year?: number | undefined } = {}): Promise<ComplianceSettingsView> {
  const settings = await loadAutomationSettings(ctx);
  const year = options.year ?? Number(dateInZone(ctx.clock.now(), settings.timeZone).slice(0, 4));
  if (!Number.isInteger(year) || year < 1970 || year > 2200) throw new AppError('validation_failed', `year must be between 1970 and 2200, got ${year}`, [{ path: 'year', reason: 'out of range' }]);
  const resolve = contactRulesResolver(settings);
  const countries = [settings.companyCountry.toUpperCase(), ...Object.keys(settings.compliance).filter((c) => c !== settings.companyCountry.toUpperCase()).sort()];
  return {
    company_country: settings.companyCountry.toUpperCase(),
    time_zone: settings.timeZone,
    year,
    countries: countries.map((country) => {
      const { rules } = resolve(country);
      const adjustments = settings.compliance[country] ?? null;
      return { country, rules, adjustments, holidays: holidaysFor(rules.holidayCalendar, year, adjustments?.holidays) };
    }),
  };
}
