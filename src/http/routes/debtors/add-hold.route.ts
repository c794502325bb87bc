import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { ErrorSchema, errorResponses, externalIdParams, plainDate } from '../../schemas.ts';
import { addHold, HOLD_REASONS } from '../../../modules/collection-runs/index.ts';

const Body = z.strictObject({
  reason: z.enum(HOLD_REASONS),
  note: z.string().max(2000).nullable().optional(),
  expires_on: plainDate.nullable().optional().describe('the hold lifts on this date; absent: until removed'),
});

const HoldSchema = z
  .object({
    id: z.number().int(),
    reason: z.string(),
    note: z.string().nullable(),
    created_by: z.string(),
    starts_on: z.string(),
    expires_on: z.string().nullable(),
  })
  .meta({ id: 'Hold' });

/**
 * POST /debtors/:external_id/holds — suspends collection contact; the phase freezes from the next run. A second active
 * hold for the same reason is a 409.
 */
export function addHoldRoute(app: App): void {
  app.post(
    '/debtors/:external_id/holds',
    {
      config: { permission: 'portfolio:write' },
      schema: {
        tags: ['debtors'],
        summary: 'Put a debtor on hold (dispute, deceased, bankruptcy, legal, …); one active hold per reason (409 if there is one)',
        params: externalIdParams,
        body: Body,
        response: { 201: HoldSchema, ...errorResponses, 409: ErrorSchema },
      },
    },
    async (request, reply) => {
      const hold = await addHold(ctxOf(request), {
        debtorExternalId: request.params.external_id,
        reason: request.body.reason,
        note: request.body.note,
        expiresOn: request.body.expires_on,
      });
      return reply.code(201).send({
        id: hold.id,
        reason: hold.reason,
        note: hold.note,
        created_by: hold.createdBy,
        starts_on: hold.startsOn,
        expires_on: hold.expiresOn,
      });
    },
  );
}
