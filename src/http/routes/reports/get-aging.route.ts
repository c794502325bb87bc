import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses, plainDate, queryText } from '../../schemas.ts';
import { agingReport } from '../../../modules/collection-runs/index.ts';

const Query = z.strictObject({ as_of: plainDate, portfolio: queryText.optional() });

const AgingSchema = z
  .object({
    as_of: z.string(),
    lines: z.array(
      z.object({
        portfolio: z.string(),
        currency: z.string(),
        buckets: z.array(z.object({ bucket: z.string(), amount: z.string(), count: z.number().int() })),
        total: z.object({ amount: z.string(), count: z.number().int() }),
      }),
    ),
  })
  .meta({ id: 'AgingReport' });

/** GET /reports/aging — open balances by aging bucket per portfolio and currency, straight from the obligations. */
export function getAgingRoute(app: App): void {
  app.get(
    '/reports/aging',
    {
      config: { permission: 'reports:read' },
      schema: {
        tags: ['reports'],
        summary: 'Aging report as of a date (per portfolio and currency; never summed across currencies)',
        querystring: Query,
        response: { 200: AgingSchema, ...errorResponses },
      },
    },
    async (request) => {
      const report = await agingReport(ctxOf(request), { asOf: request.query.as_of, portfolio: request.query.portfolio });
      return { as_of: report.asOf, lines: report.lines };
    },
  );
}
