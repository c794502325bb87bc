import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses } from '../../schemas.ts';
import { getComplianceSettings } from '../../../modules/settings/index.ts';

const Window = z.object({ days: z.array(z.number().int()).readonly(), from: z.string(), to: z.string() });
const Rules = z.object({
  id: z.string(),
  country: z.string(),
  label: z.object({ es: z.string(), en: z.string() }),
  basis: z.string(),
  hours: z.object({ voice: z.array(Window).readonly(), written: z.array(Window).readonly() }),
  holidays: z.enum(['allowed', 'refused']),
  holidayCalendar: z.string(),
  week: z.enum(['calendar', 'rolling7']),
  caps: z.array(z.record(z.string(), z.unknown())).readonly(),
  consentRequired: z.array(z.string()).readonly(),
  mandatoryHolds: z.array(z.string()).readonly(),
  notes: z.array(z.string()).readonly(),
});

/** One country's rules, the built-in set they start from, the company's adjustments and the year's holidays. */
export const CountryComplianceSchema = z
  .object({
    country: z.string(),
    rules: Rules.describe('the rules the gate applies: the built-in set with the company adjustments'),
    built_in: Rules.describe('the built-in set (with the company rule_set choice) before the company overrides'),
    adjustments: z.record(z.string(), z.unknown()).nullable().describe("the company's saved adjustments for this country"),
    holidays: z.array(z.object({ date: z.string(), name: z.string() })),
  })
  .meta({ id: 'CountryCompliance' });

/** GET /settings/compliance — the contact rules and holidays in force for the company's country and adjusted ones. */
export function getComplianceSettingsRoute(app: App): void {
  app.get(
    '/settings/compliance',
    {
      config: { permission: 'strategies:read' },
      schema: {
        tags: ['settings'],
        summary: 'Contact rules (hours, caps, consent) and holidays per country, with the company adjustments applied',
        querystring: z.object({ year: z.coerce.number().int().min(1970).max(2200).optional() }),
        response: {
          200: z.object({ company_country: z.string(), time_zone: z.string(), year: z.number().int(), countries: z.array(CountryComplianceSchema) }).meta({ id: 'ComplianceSettings' }),
          ...errorResponses,
        },
      },
    },
    async (request) => getComplianceSettings(ctxOf(request), { year: request.query.year }),
  );
}
