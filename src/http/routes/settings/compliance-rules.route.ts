import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses } from '../../schemas.ts';
import type { Ctx } from '../../../modules/shared/context.ts';
import { addComplianceHoliday, removeComplianceHoliday, resetCountryRules, setCountryRules, type CountryComplianceView } from '../../../modules/settings/index.ts';
import { CountryComplianceSchema } from './get-compliance-settings.route.ts';

const Country = z.string().max(10).describe('two-letter ISO country code of the debtors, e.g. MX');
const Query = z.object({ year: z.coerce.number().int().min(1970).max(2200).optional().describe('year of the holidays returned (default: this year)') });

interface Change {
  ctx: Ctx;
  params: { country: string; date?: string };
  body: unknown;
  year: number | undefined;
}

/** One change to a country's adjustments: settings:write, the country in the path, the country's view as the answer. */
function countryChange(
  app: App,
  route: { method: 'PUT' | 'POST' | 'DELETE'; url: string; summary: string; withDate?: boolean; withBody?: boolean },
  handle: (change: Change) => Promise<CountryComplianceView>,
): void {
  app.route({
    method: route.method,
    url: route.url,
    config: { permission: 'settings:write' },
    schema: {
      tags: ['settings'],
      summary: route.summary,
      params: route.withDate ? z.object({ country: Country, date: z.string().max(20).describe('YYYY-MM-DD') }) : z.object({ country: Country }),
      querystring: Query,
      ...(route.withBody ? { body: z.record(z.string(), z.unknown()) } : {}),
      response: { 200: CountryComplianceSchema, ...errorResponses },
    },
    handler: async (request) => {
      const params = request.params as Change['params'];
      return handle({ ctx: ctxOf(request), params, body: request.body, year: (request.query as z.infer<typeof Query>).year });
    },
  });
}

/**
 * The company's adjustments of the contact rules per debtor country, and of its holiday calendar. Bodies are checked
 * by the use cases (src/modules/settings/adjust-compliance-settings.ts), which answer every problem with its field.
 */
export function complianceRulesRoutes(app: App): void {
  countryChange(
    app,
    {
      method: 'PUT',
      url: '/settings/compliance/:country',
      withBody: true,
      summary:
        'Replace the company adjustments of one country\'s contact rules: {"rule_set"?, "overrides"?: {hours: {voice, written}, holidays, week, caps, consentRequired, …}}; holidays added or removed are kept',
    },
    ({ ctx, params, body, year }) => setCountryRules(ctx, { country: params.country, body, year }),
  );
  countryChange(
    app,
    { method: 'DELETE', url: '/settings/compliance/:country', summary: 'Drop every adjustment of one country (rules and holidays): the built-in rules apply again' },
    ({ ctx, params, year }) => resetCountryRules(ctx, { country: params.country, year }),
  );
  countryChange(
    app,
    {
      method: 'POST',
      url: '/settings/compliance/:country/holidays',
      withBody: true,
      summary: 'Add a holiday {"date": "YYYY-MM-DD", "name"} to the country\'s calendar for the company (a removed built-in one is restored)',
    },
    ({ ctx, params, body, year }) => addComplianceHoliday(ctx, { country: params.country, body, year }),
  );
  countryChange(
    app,
    {
      method: 'DELETE',
      url: '/settings/compliance/:country/holidays/:date',
      withDate: true,
      summary: "Take a holiday off the country's calendar for the company (an added one is dropped, a built-in one is removed)",
    },
    ({ ctx, params, year }) => removeComplianceHoliday(ctx, { country: params.country, date: params.date ?? '', year }),
  );
}
