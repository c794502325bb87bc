import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses } from '../../schemas.ts';
import { getPolicy, setPolicy, type PolicyView } from '../../../modules/negotiation/index.ts';
import { AppError } from '../../../modules/shared/errors.ts';
import { Json } from './schemas.ts';
import { t } from '../../../domain/text.ts';

const Body = z.strictObject({
  source: z.string().min(1).max(200_000).optional().describe('the policy file as YAML or JSON text'),
  policy: z.record(z.string(), z.unknown()).optional().describe('the policy document as JSON'),
});

const wire = (p: PolicyView) => ({ policy: p.document, source: p.source, version: p.version, is_default: p.isDefault, updated_by: p.updatedBy, updated_at: p.updatedAt?.toISOString() ?? null });

/** GET/PUT /negotiation/policy — the company's negotiation policy (defaults plus overrides by portfolio, segment, phase). */
export function managePolicyRoutes(app: App): void {
  app.get(
    '/negotiation/policy',
    { config: { permission: 'negotiation:read' }, schema: { tags: ['negotiation'], summary: 'The negotiation policy (the shipped default until one is set)', response: { 200: Json, ...errorResponses } } },
    async (request) => wire(await getPolicy(ctxOf(request))),
  );
  app.put(
    '/negotiation/policy',
    {
      config: { permission: 'settings:write' },
      schema: { tags: ['negotiation'], summary: 'Replace the negotiation policy (validated; every problem listed with its path)', body: Body, response: { 200: Json, ...errorResponses } },
    },
    async (request) => {
      const { source, policy } = request.body;
      if ((source === undefined) === (policy === undefined)) throw new AppError('validation_failed', t('send either "source" (YAML or JSON text) or "policy" (a JSON document)', 'envíe "source" (texto YAML o JSON) o "policy" (un documento JSON), no ambos'), [{ path: 'body', reason: t('exactly one of source, policy', 'exactamente uno de source, policy') }]);
      return wire(await setPolicy(ctxOf(request), source !== undefined ? { source } : { document: policy }));
    },
  );
}
