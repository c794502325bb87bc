import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses, ErrorSchema } from '../../schemas.ts';
import { applyStrategy } from '../../../modules/strategies/index.ts';

/** The largest strategy file accepted as text. */
const MAX_SOURCE = 512 * 1024;

const Body = z
  .union([
    z.string().min(1).max(MAX_SOURCE).describe('the strategy file as YAML or JSON text (Content-Type text/yaml, application/yaml or text/plain; or a JSON string)'),
    z.record(z.string(), z.unknown()).describe('the strategy as a JSON object'),
  ])
  .meta({ id: 'StrategyFile' });

const AppliedSchema = z
  .object({
    name: z.string(),
    portfolio: z.string(),
    version: z.number().int(),
    version_created: z.boolean().describe('false when the definition equals the active version: nothing was written'),
    strategy_created: z.boolean(),
  })
  .meta({ id: 'StrategyApplied' });

const TEXT_TYPES = ['text/plain', 'text/yaml', 'text/x-yaml', 'application/yaml', 'application/x-yaml'];

/** POST /strategies — create or edit a strategy; an edit becomes a new version (201), the same definition changes nothing (200). */
export function applyStrategyRoute(app: App): void {
  void app.register(async (scope: App) => {
    // A strategy file may come as it is written: YAML (or JSON) text.
    (scope as unknown as FastifyInstance).addContentTypeParser(TEXT_TYPES, { parseAs: 'string' }, (_request, body, done) => done(null, body));
    scope.post(
      '/strategies',
      {
        config: { permission: 'strategies:write' },
        schema: {
          tags: ['strategies'],
          summary: 'Create or edit a strategy from its file (YAML or JSON text) or a JSON object; edits become a new version',
          body: Body,
          response: { 200: AppliedSchema, 201: AppliedSchema, ...errorResponses, 409: ErrorSchema },
        },
      },
      async (request, reply) => {
        const body = request.body;
        const r = await applyStrategy(ctxOf(request), typeof body === 'string' ? { source: body } : { definition: body });
        return reply.code(r.versionCreated ? 201 : 200).send({ name: r.name, portfolio: r.portfolio, version: r.version, version_created: r.versionCreated, strategy_created: r.strategyCreated });
      },
    );
  });
}
