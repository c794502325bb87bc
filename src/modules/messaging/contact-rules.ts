import {
  holidaySet,
  isRuleSetId,
  resolveRules,
  type ContactRules,
  type RuleSetId,
} from '../../domain/compliance/index.ts';
import type { AutomationSettings } from './settings.ts';

export interface ResolvedRules {
  readonly rules: ContactRules;
  /** Holidays (company overrides applied) for the years around the instants judged. */
  holidays(year: number): ReadonlySet<string>;
}

/**
 * The contact rules for debtors of each country, with the company's adjustments: the country's own rule set (or the
 * one the company chose for it, e.g. MX-PROFECO), else the company's fallback, else the company country's set, else
 * Argentina's conservative default (Monday–Friday 09:00–19:00, no holidays).
 */
export function contactRulesResolver(settings: AutomationSettings): (country: string) => ResolvedRules {
  const cache = new Map<string, ResolvedRules>();
  return (countryInput: string) => {
    const country = countryInput.toUpperCase();
    const cached = cache.get(country);
    if (cached) return cached;
    const adjust = settings.compliance[country];
    const base: RuleSetId = adjust?.rule_set
      ?? (isRuleSetId(country) ? country : null)
      ?? (settings.fallbackRuleSet && isRuleSetId(settings.fallbackRuleSet) ? settings.fallbackRuleSet : null)
      ?? (isRuleSetId(settings.companyCountry) ? settings.companyCountry : 'AR');
    const rules = resolveRules(base, adjust?.overrides);
    const byYear = new Map<number, ReadonlySet<string>>();
    const resolved: ResolvedRules = {
      rules,
      holidays(year) {
        let set = byYear.get(year);
        if (!set) {
          set = holidaySet(rules.holidayCalendar, [year - 1, year, year + 1, year + 2], adjust?.holidays);
          byYear.set(year, set);
        }
        return set;
      },
    };
    cache.set(country, resolved);
    return resolved;
  };
}
