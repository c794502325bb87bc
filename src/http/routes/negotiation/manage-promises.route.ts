import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses, externalIdParams, plainDate } from '../../schemas.ts';
import { approvePromise, cancelPromise, createPromise, debtorIdByExternalId, listPromises, rejectPromise } from '../../../modules/negotiation/index.ts';
import { channel, currency, decimal, idParams, Json, promiseWire, takenBy } from './schemas.ts';

const CreateBody = z.strictObject({
  currency,
  amount: decimal,
  promised_on: plainDate,
  channel,
  taken_by: takenBy,
  note: z.string().max(2000).nullable().optional(),
  request_approval: z.boolean().optional().describe('outside the policy: wait for approval instead of being refused'),
  idempotency_key: z.string().min(1).max(200).optional(),
});
const NoteBody = z.strictObject({ note: z.string().max(2000).nullable().optional() }).optional();

/** Promises to pay: create and list per debtor; approve, reject, cancel by id. */
export function managePromisesRoutes(app: App): void {
  app.post(
    '/debtors/:external_id/promises',
    {
      config: { permission: 'negotiation:write' },
      schema: { tags: ['negotiation'], summary: 'Record a promise to pay (holds collection through its grace day)', params: externalIdParams, body: CreateBody, response: { 201: Json, ...errorResponses } },
    },
    async (request, reply) => {
      const ctx = ctxOf(request);
      const b = request.body;
      const p = await createPromise(ctx, {
        debtorId: await debtorIdByExternalId(ctx, request.params.external_id),
        currency: b.currency,
        amount: b.amount,
        promisedOn: b.promised_on,
        channel: b.channel,
        takenBy: b.taken_by,
        note: b.note,
        requestApproval: b.request_approval,
        idempotencyKey: b.idempotency_key,
      });
      return reply.code(201).send(promiseWire(p));
    },
  );
  app.get(
    '/debtors/:external_id/promises',
    { config: { permission: 'negotiation:read' }, schema: { tags: ['negotiation'], summary: "A debtor's promises, newest first", params: externalIdParams, querystring: z.object({ status: z.string().max(40).optional() }), response: { 200: z.object({ data: z.array(Json) }), ...errorResponses } } },
    async (request) => {
      const ctx = ctxOf(request);
      const rows = await listPromises(ctx, { debtorId: await debtorIdByExternalId(ctx, request.params.external_id), status: request.query.status });
      return { data: rows.map(promiseWire) };
    },
  );
  const decisions = [
    ['approve', 'negotiation:approve', approvePromise, 'Approve a promise waiting for approval; only the approver role the policy named, or a higher one (403 otherwise)'],
    ['reject', 'negotiation:approve', rejectPromise, 'Reject a promise waiting for approval; only the approver role the policy named, or a higher one (403 otherwise)'],
    ['cancel', 'negotiation:write', cancelPromise, 'Cancel an open or pending promise (releases its hold)'],
  ] as const;
  for (const [verb, permission, action, summary] of decisions) {
    app.post(
      `/promises/:id/${verb}`,
      { config: { permission }, schema: { tags: ['negotiation'], summary, params: idParams, body: NoteBody, response: { 200: Json, ...errorResponses } } },
      async (request) => promiseWire(await action(ctxOf(request), { promiseId: request.params.id, note: request.body?.note })),
    );
  }
}
