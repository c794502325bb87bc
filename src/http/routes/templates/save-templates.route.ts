import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses, ErrorSchema } from '../../schemas.ts';
import { saveTemplates } from '../../../modules/messaging/index.ts';
import { savedView, SavedTemplateSchema } from './schemas.ts';

const MAX_SOURCE = 512 * 1024;
const TEXT_TYPES = ['text/plain', 'text/yaml', 'text/x-yaml', 'application/yaml', 'application/x-yaml'];

const Body = z
  .union([
    z.string().min(1).max(MAX_SOURCE).describe('a template file as YAML or JSON text'),
    z.record(z.string(), z.unknown()).describe('one template {key, channel, language, content, version?} or {templates: [...]}'),
    z.array(z.unknown()).max(500).describe('a list of templates'),
  ])
  .meta({ id: 'TemplateFile' });

/**
 * POST /templates — save the company's templates (all or nothing). 201 when any was created or changed, 200 when all
 * were unchanged; 400 lists every problem (an unknown variable with the closest name); 409 when an entry's `version`
 * is older than the stored one.
 */
export function saveTemplatesRoute(app: App): void {
  void app.register(async (scope: App) => {
    (scope as unknown as FastifyInstance).addContentTypeParser(TEXT_TYPES, { parseAs: 'string' }, (_request, body, done) => done(null, body));
    scope.post(
      '/templates',
      {
        config: { permission: 'strategies:write' },
        schema: {
          tags: ['templates'],
          summary: "Save the company's own templates (validated; a change makes a new version)",
          body: Body,
          response: { 200: z.object({ data: z.array(SavedTemplateSchema) }), 201: z.object({ data: z.array(SavedTemplateSchema) }), ...errorResponses, 409: ErrorSchema },
        },
      },
      async (request, reply) => {
        const body = request.body;
        const saved = await saveTemplates(ctxOf(request), typeof body === 'string' ? { source: body } : { input: body });
        return reply.code(saved.some((s) => s.result !== 'unchanged') ? 201 : 200).send({ data: saved.map(savedView) });
      },
    );
  });
}
