import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses } from '../../schemas.ts';
import { deleteCollectorCost, listCollectorCosts, setCollectorCost } from '../../../modules/analytics/index.ts';

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

const CollectorCostSchema = z
  .object({
    collector_id: z.number().int(),
    name: z.string(),
    email: z.string(),
    role: z.string(),
    active: z.boolean(),
    cost: z.object({ monthly: z.string().describe('exact decimal, e.g. "15000.00"'), currency: z.string() }).nullable().describe('null when none is configured'),
  })
  .meta({ id: 'CollectorCost' });

/** Collector costs (Settings › Collector costs): the base of the dashboard's cost per peso recovered. */
export function collectorCostRoutes(app: App): void {
  app.get(
    '/collector-costs',
    {
      config: { permission: 'reports:read', wholeCompany: true },
      schema: {
        tags: ['analytics'],
        summary: "Every user who works accounts, with their monthly cost where configured (the dashboard's cost per peso recovered)",
        response: { 200: z.object({ data: z.array(CollectorCostSchema) }), ...errorResponses },
      },
    },
    async (request) => ({ data: await listCollectorCosts(ctxOf(request)) }),
  );

  app.put(
    '/collector-costs/:collector_id',
    {
      config: { permission: 'settings:write' },
      schema: {
        tags: ['analytics'],
        summary: "Set a collector's monthly cost (exact decimal in a currency); a dashboard period is charged it prorated by days (audited)",
        params: z.strictObject({ collector_id: id }),
        body: z.strictObject({ monthly_cost: z.string().min(1).max(40).describe('e.g. "15000.00"'), currency: z.string().min(3).max(3) }),
        response: { 200: CollectorCostSchema, ...errorResponses },
      },
    },
    async (request) => setCollectorCost(ctxOf(request), { collectorId: request.params.collector_id, monthlyCost: request.body.monthly_cost, currency: request.body.currency }),
  );

  app.delete(
    '/collector-costs/:collector_id',
    {
      config: { permission: 'settings:write' },
      schema: {
        tags: ['analytics'],
        summary: "Remove a collector's cost: their cost per peso recovered becomes undefined (audited)",
        params: z.strictObject({ collector_id: id }),
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await deleteCollectorCost(ctxOf(request), request.params.collector_id);
      return reply.code(204).send(null);
    },
  );
}
