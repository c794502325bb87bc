import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses } from '../../schemas.ts';
import { listPortfolios } from '../../../modules/portfolio/queries/index.ts';

const PortfolioSchema = z
  .object({
    name: z.string(),
    preventive_days: z.number().int(),
    administrative_from: z.number().int(),
    extrajudicial_from: z.number().int(),
    judicial_from: z.number().int(),
    grace_days: z.number().int(),
    last_run_on: z.string().nullable().describe('as-of date of the last daily run'),
  })
  .meta({ id: 'Portfolio' });

/** GET /portfolios — a company has a handful, so the list is not paged. */
export function listPortfoliosRoute(app: App): void {
  app.get(
    '/portfolios',
    { config: { permission: 'portfolio:read' }, schema: { tags: ['portfolios'], summary: 'List portfolios', response: { 200: z.object({ data: z.array(PortfolioSchema) }), ...errorResponses } } },
    async (request) => ({ data: await listPortfolios(ctxOf(request)) }),
  );
}
