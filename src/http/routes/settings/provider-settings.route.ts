import { z } from 'zod';
import type { App, RouteDeps } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses } from '../../schemas.ts';
import { listProviderSettings, PROVIDERS, setProviderSettings } from '../../../modules/settings/index.ts';

const SecretView = z.object({ set: z.boolean(), last4: z.string().nullable().describe('the last 4 characters; the secret itself is never returned') });
const ProviderSettings = z
  .object({
    provider: z.enum(PROVIDERS),
    settings: z.record(z.string(), z.unknown()).describe('plain fields (host, sender, account id…)'),
    secrets: z.record(z.string(), SecretView),
    updated_at: z.string().nullable(),
    updated_by: z.string().nullable(),
  })
  .meta({ id: 'ProviderSettings' });

/**
 * GET /settings/providers and PUT /settings/providers/:provider — the company's provider credentials. Secrets are
 * sealed with AES-256-GCM before they are stored and never returned; the body is checked per provider by the use case.
 */
export function providerSettingsRoutes(app: App, deps: RouteDeps): void {
  app.get(
    '/settings/providers',
    {
      config: { permission: 'settings:write' },
      schema: { tags: ['settings'], summary: "The company's provider credentials (secrets only as set / last 4)", response: { 200: z.object({ data: z.array(ProviderSettings) }), ...errorResponses } },
    },
    async (request) => ({ data: await listProviderSettings(ctxOf(request)) }),
  );
  app.put(
    '/settings/providers/:provider',
    {
      config: { permission: 'settings:write' },
      schema: {
        tags: ['settings'],
        summary: 'Save one provider: plain fields replace the stored ones; a secret given replaces, null removes, absent or "" keeps',
        params: z.object({ provider: z.string().describe(PROVIDERS.join(' | ')) }),
        body: z.record(z.string(), z.unknown()),
        response: { 200: ProviderSettings, ...errorResponses },
      },
    },
    async (request) => setProviderSettings(ctxOf(request), { key: deps.secretsKey, provider: request.params.provider, body: request.body }),
  );
}
