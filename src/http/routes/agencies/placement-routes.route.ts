import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { ErrorSchema, errorResponses, externalIdParams } from '../../schemas.ts';
import { listAgencies } from '../../../modules/access/ensure-agency.ts';
import { endPlacement, listPlacements, placeWithAgency } from '../../../modules/access/place-debtor.ts';

const PlacementSchema = z
  .object({
    agency: z.string(),
    placed_at: z.string(),
    placed_by: z.string(),
    note: z.string().nullable(),
    ended_at: z.string().nullable(),
    ended_by: z.string().nullable(),
  })
  .meta({ id: 'Placement' });

const responses = { ...errorResponses, 403: ErrorSchema };

/** Agencies, and placing a debtor with one (agency users then see only the debtors placed with their agency). */
export function placementRoutes(app: App): void {
  app.get(
    '/agencies',
    {
      config: { permission: 'worklist:assign' },
      schema: { tags: ['agencies'], summary: "The company's collection agencies", response: { 200: z.object({ data: z.array(z.object({ id: z.number().int(), name: z.string() })) }), ...responses } },
    },
    async (request) => ({ data: await listAgencies(ctxOf(request)) }),
  );
  app.put(
    '/debtors/:external_id/placement',
    {
      config: { permission: 'worklist:assign' },
      schema: {
        tags: ['agencies'],
        summary: 'Place the debtor with an agency (created if new), ending any other placement',
        params: externalIdParams,
        body: z.strictObject({ agency: z.string().min(1).max(200), note: z.string().max(2000).optional() }),
        response: { 200: PlacementSchema, ...responses },
      },
    },
    async (request) => placeWithAgency(ctxOf(request), { debtorExternalId: request.params.external_id, agency: request.body.agency, note: request.body.note }),
  );
  app.delete(
    '/debtors/:external_id/placement',
    {
      config: { permission: 'worklist:assign' },
      schema: { tags: ['agencies'], summary: "End the debtor's placement (the history keeps it)", params: externalIdParams, response: { 200: z.object({ ended: z.boolean() }), ...responses } },
    },
    async (request) => ({ ended: await endPlacement(ctxOf(request), { debtorExternalId: request.params.external_id }) }),
  );
  app.get(
    '/debtors/:external_id/placements',
    {
      config: { permission: 'worklist:assign' },
      schema: { tags: ['agencies'], summary: "The debtor's placements, oldest first", params: externalIdParams, response: { 200: z.object({ data: z.array(PlacementSchema) }), ...responses } },
    },
    async (request) => ({ data: await listPlacements(ctxOf(request), { debtorExternalId: request.params.external_id }) }),
  );
}
