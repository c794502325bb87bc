import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { ErrorSchema, errorResponses } from '../../schemas.ts';
import { createApiKey, DEFAULT_API_KEY_ROLE, listApiKeys, revokeApiKey } from '../../../modules/access/api-keys.ts';
import { API_KEY_ROLES } from '../../../modules/access/permissions.ts';

const responses = { ...errorResponses, 403: ErrorSchema, 409: ErrorSchema };

/** An API key as the API shows it: never its secret. */
const ApiKeySchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    role: z.string(),
    prefix: z.string().describe('the first characters of the key, to tell keys apart; not enough to use it'),
    created_at: z.string(),
    last_used_at: z.string().nullable().describe('recorded at most once a minute'),
    revoked_at: z.string().nullable().describe('set once the key is revoked; a revoked key gets 401'),
  })
  .meta({ id: 'ApiKey' });

const apiKeyIdParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

/** GET /api-keys, POST /api-keys, POST /api-keys/:id/revoke: the company's API keys, for administrators. */
export function apiKeyRoutes(app: App): void {
  app.get(
    '/api-keys',
    {
      config: { permission: 'users:manage' },
      schema: { tags: ['api keys'], summary: "List the company's API keys, active and revoked (never their secrets)", response: { 200: z.object({ data: z.array(ApiKeySchema) }), ...responses } },
    },
    async (request) => ({ data: await listApiKeys(ctxOf(request)) }),
  );

  app.post(
    '/api-keys',
    {
      config: { permission: 'users:manage' },
      schema: {
        tags: ['api keys'],
        summary: 'Create an API key; its secret is in the answer once and never again. A name is held by one active key at a time (409)',
        body: z.strictObject({
          name: z.string().trim().min(1).max(200),
          role: z.enum(API_KEY_ROLES).default(DEFAULT_API_KEY_ROLE).describe(`what the key may do (default ${DEFAULT_API_KEY_ROLE}); not agency, whose users belong to an agency`),
        }),
        response: { 201: z.object({ api_key: ApiKeySchema, key: z.string().describe('the secret, shown once: send it as Authorization: Bearer <key>') }), ...responses },
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(request);
      const created = await createApiKey({ database: ctx.database, companyId: ctx.companyId, clock: ctx.clock, actor: ctx.actor, name: request.body.name, role: request.body.role });
      return reply.code(201).send({ api_key: created.view, key: created.key });
    },
  );

  app.post(
    '/api-keys/:id/revoke',
    {
      config: { permission: 'users:manage' },
      schema: { tags: ['api keys'], summary: 'Revoke an API key: every later request with it gets 401', params: apiKeyIdParams, response: { 200: ApiKeySchema, ...responses } },
    },
    async (request) => revokeApiKey(ctxOf(request), { id: request.params.id }),
  );
}
