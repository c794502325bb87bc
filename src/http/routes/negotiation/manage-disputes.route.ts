import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses, externalIdParams, plainDate } from '../../schemas.ts';
import { debtorIdByExternalId, DISPUTE_OUTCOMES, evaluateCommitments, flagHardship, openDispute, resolveDispute } from '../../../modules/negotiation/index.ts';
import { channel, decimal, disputeWire, idParams, Json, takenBy } from './schemas.ts';

const OpenBody = z.strictObject({ obligation_id: z.number().int().positive(), reason: z.string().min(1).max(2000), channel, opened_by: takenBy });
const ResolveBody = z.strictObject({ outcome: z.enum(DISPUTE_OUTCOMES), resolution: z.string().min(1).max(2000), adjusted_amount: decimal.optional().describe('upheld: the new amount (default 0: cancelled)') });
const HardshipBody = z.strictObject({ channel, note: z.string().max(2000).nullable().optional() });

/** Disputes (open per obligation, resolve), hardship flags, and the daily evaluation of commitments by hand. */
export function manageDisputesRoutes(app: App): void {
  app.post(
    '/debtors/:external_id/disputes',
    { config: { permission: 'negotiation:write' }, schema: { tags: ['negotiation'], summary: 'Dispute an obligation: it leaves collection until resolved; a collector gets a task', params: externalIdParams, body: OpenBody, response: { 201: Json, ...errorResponses } } },
    async (request, reply) => {
      const ctx = ctxOf(request);
      const b = request.body;
      const d = await openDispute(ctx, { debtorId: await debtorIdByExternalId(ctx, request.params.external_id), obligationId: b.obligation_id, reason: b.reason, channel: b.channel, openedBy: b.opened_by });
      return reply.code(201).send(disputeWire(d));
    },
  );
  app.post(
    '/disputes/:id/resolve',
    { config: { permission: 'negotiation:write' }, schema: { tags: ['negotiation'], summary: 'Resolve a dispute: upheld adjusts (or cancels) the obligation; rejected resumes collection', params: idParams, body: ResolveBody, response: { 200: Json, ...errorResponses } } },
    async (request) => disputeWire(await resolveDispute(ctxOf(request), { disputeId: request.params.id, outcome: request.body.outcome, resolution: request.body.resolution, adjustedAmount: request.body.adjusted_amount })),
  );
  app.post(
    '/debtors/:external_id/hardship',
    { config: { permission: 'negotiation:write' }, schema: { tags: ['negotiation'], summary: 'Flag hardship ("no puedo pagar"): a task for a collector', params: externalIdParams, body: HardshipBody, response: { 201: Json, ...errorResponses } } },
    async (request, reply) => {
      const ctx = ctxOf(request);
      const r = await flagHardship(ctx, { debtorId: await debtorIdByExternalId(ctx, request.params.external_id), channel: request.body.channel, note: request.body.note });
      return reply.code(201).send({ task_id: r.taskId });
    },
  );
  app.post(
    '/negotiation/evaluate-commitments',
    { config: { permission: 'runs:execute' }, schema: { tags: ['negotiation'], summary: 'Match payments to promises and plans as of a date (the daily job does this)', body: z.strictObject({ as_of: plainDate.optional() }).optional(), response: { 200: Json, ...errorResponses } } },
    async (request) => {
      const s = await evaluateCommitments(ctxOf(request), { asOf: request.body?.as_of });
      return { as_of: s.asOf, promises: { open: s.promises.open, kept: s.promises.kept, partially_kept: s.promises.partiallyKept, broken: s.promises.broken }, plans: s.plans };
    },
  );
}
