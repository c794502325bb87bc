import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses, plainDate } from '../../schemas.ts';
import { deleteCollectorCost, listCollectorCosts, setCollectorCost } from '../../../modules/analytics/index.ts';

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

const CollectorCostSchema = z
  .object({
    collector_id: z.number().int(),
    name: z.string(),
    email: z.string(),
    role: z.string(),
    active: z.boolean(),
    cost: z.object({ monthly: z.string().describe('exact decimal, e.g. "15000.00"'), currency: z.string() }).nullable().describe("in force today in the company's time zone; null when none is configured"),
    history: z
      .array(
        z.object({
          from: z.string().nullable().describe('first day it applies; null: since always (saved before costs had dates)'),
          monthly: z.string(),
          currency: z.string(),
          set_at: z.string().describe('when it was last set'),
          set_by: z.string(),
        }),
      )
      .describe("every cost, oldest first; each applies until the next one's `from`, and the first also before its own"),
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
        summary: "Every user who works accounts, with their monthly cost today and its history (the dashboard's cost per peso recovered)",
        response: { 200: z.object({ data: z.array(CollectorCostSchema), today: z.string().describe("the company's date: a new cost's default `from`") }), ...errorResponses },
      },
    },
    async (request) => listCollectorCosts(ctxOf(request)),
  );

  app.put(
    '/collector-costs/:collector_id',
    {
      config: { permission: 'settings:write' },
      schema: {
        tags: ['analytics'],
        summary:
          "Set a collector's monthly cost (exact decimal in a currency) from a date, default today in the company's time zone: earlier costs are kept, one from the same date is replaced; a dashboard period charges each day the cost in force, prorated by days (audited)",
        params: z.strictObject({ collector_id: id }),
        body: z.strictObject({
          monthly_cost: z.string().min(1).max(40).describe('e.g. "15000.00"'),
          currency: z.string().min(3).max(3),
          from: plainDate.optional().describe("first day the cost applies (default: today in the company's time zone)"),
        }),
        response: { 200: CollectorCostSchema, ...errorResponses },
      },
    },
    async (request) => setCollectorCost(ctxOf(request), { collectorId: request.params.collector_id, monthlyCost: request.body.monthly_cost, currency: request.body.currency, from: request.body.from }),
  );

  app.delete(
    '/collector-costs/:collector_id',
    {
      config: { permission: 'settings:write' },
      schema: {
        tags: ['analytics'],
        summary: "Remove a collector's cost from one date (the previous one applies again), or without `from` all of them: their cost per peso recovered becomes undefined (audited)",
        params: z.strictObject({ collector_id: id }),
        querystring: z.strictObject({ from: plainDate.optional().describe('the date of the one cost to remove') }),
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await deleteCollectorCost(ctxOf(request), request.params.collector_id, request.query.from);
      return reply.code(204).send(null);
    },
  );
}
