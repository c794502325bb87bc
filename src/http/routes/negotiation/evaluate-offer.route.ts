import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses, externalIdParams } from '../../schemas.ts';
import { formatDecimal } from '../../../domain/money.ts';
import { debtorIdByExternalId, evaluateOffer, getNegotiationState, listPlanOptions } from '../../../modules/negotiation/index.ts';
import { currency, evaluationWire, Json, OfferBody, offerInput, offerWire, stateWire } from './schemas.ts';

const Body = z.strictObject({ currency, offer: OfferBody, obligation_ids: z.array(z.number().int().positive()).max(1000).optional() });

/** Offers for one debtor: evaluate any offer, list the plans the policy allows, and the debtor's negotiation state. */
export function evaluateOfferRoutes(app: App): void {
  app.post(
    '/debtors/:external_id/offers/evaluate',
    {
      config: { permission: 'negotiation:read' },
      schema: {
        tags: ['negotiation'],
        summary: 'Judge a promise, plan or settlement against the policy: allowed | needs_approval | refused, with reasons (writes nothing)',
        params: externalIdParams,
        body: Body,
        response: { 200: Json, ...errorResponses },
      },
    },
    async (request) => {
      const ctx = ctxOf(request);
      const debtorId = await debtorIdByExternalId(ctx, request.params.external_id);
      const r = await evaluateOffer(ctx, { debtorId, currency: request.body.currency, offer: offerInput(request.body.offer), obligationIds: request.body.obligation_ids });
      return evaluationWire(r.evaluation);
    },
  );
  app.get(
    '/debtors/:external_id/plan-options',
    {
      config: { permission: 'negotiation:read' },
      schema: { tags: ['negotiation'], summary: 'Plans and settlement the debtor may take without approval, each with its offer as evaluate and create take it', params: externalIdParams, querystring: z.object({ currency }), response: { 200: Json, ...errorResponses } },
    },
    async (request) => {
      const ctx = ctxOf(request);
      const debtorId = await debtorIdByExternalId(ctx, request.params.external_id);
      const r = await listPlanOptions(ctx, { debtorId, currency: request.query.currency });
      return { today: r.today, currency: r.currency, balance: formatDecimal(r.balance, r.currency), overdue: formatDecimal(r.overdue, r.currency), options: r.options.map((o) => ({ ...evaluationWire(o.evaluation), offer: offerWire(o.offer, r.currency) })) };
    },
  );
  app.get(
    '/debtors/:external_id/negotiation',
    { config: { permission: 'negotiation:read' }, schema: { tags: ['negotiation'], summary: "A debtor's promises, plans, disputes and open negotiation tasks", params: externalIdParams, response: { 200: Json, ...errorResponses } } },
    async (request) => {
      const ctx = ctxOf(request);
      return stateWire(await getNegotiationState(ctx, { debtorId: await debtorIdByExternalId(ctx, request.params.external_id) }));
    },
  );
}
