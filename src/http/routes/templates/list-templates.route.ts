import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses } from '../../schemas.ts';
import { TEMPLATE_CHANNELS, TEMPLATE_LANGUAGES } from '../../../domain/templates/index.ts';
import { listTemplates } from '../../../modules/messaging/index.ts';
import { summaryView, TemplateSummarySchema } from './schemas.ts';

const Query = z.strictObject({
  key: z.string().min(1).max(100).optional(),
  channel: z.enum(TEMPLATE_CHANNELS).optional(),
  language: z.enum(TEMPLATE_LANGUAGES).optional(),
  source: z.enum(['company', 'default']).optional(),
});

/** GET /templates — the templates in effect: the company's own and every default it has not replaced. */
export function listTemplatesRoute(app: App): void {
  app.get(
    '/templates',
    {
      config: { permission: 'strategies:read' },
      schema: {
        tags: ['templates'],
        summary: "Templates in effect: the company's own and the defaults it has not replaced",
        querystring: Query,
        response: { 200: z.object({ data: z.array(TemplateSummarySchema) }), ...errorResponses },
      },
    },
    async (request) => ({ data: (await listTemplates(ctxOf(request), request.query)).map(summaryView) }),
  );
}
