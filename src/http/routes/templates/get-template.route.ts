import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses } from '../../schemas.ts';
import { TEMPLATE_CHANNELS, TEMPLATE_LANGUAGES } from '../../../domain/templates/index.ts';
import { showTemplate } from '../../../modules/messaging/index.ts';
import { detailView, TemplateDetailSchema } from './schemas.ts';

const Params = z.strictObject({ key: z.string().min(1).max(100) });
const Query = z.strictObject({ channel: z.enum(TEMPLATE_CHANNELS).optional(), language: z.enum(TEMPLATE_LANGUAGES).optional() });

/** GET /templates/:key — every template of a key in effect (company's or default), with its content and version. */
export function getTemplateRoute(app: App): void {
  app.get(
    '/templates/:key',
    {
      config: { permission: 'strategies:read' },
      schema: {
        tags: ['templates'],
        summary: 'The templates of a key in effect (per channel and language), with content and version',
        params: Params,
        querystring: Query,
        response: { 200: z.object({ data: z.array(TemplateDetailSchema) }), ...errorResponses },
      },
    },
    async (request) => ({ data: (await showTemplate(ctxOf(request), { key: request.params.key, ...request.query })).map(detailView) }),
  );
}
