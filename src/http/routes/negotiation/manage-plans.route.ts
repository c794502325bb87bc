import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses, externalIdParams } from '../../schemas.ts';
import { approvePlan, cancelPlan, createPlan, debtorIdByExternalId, getPlan, listPlans, rejectPlan, renderAgreementPdf } from '../../../modules/negotiation/index.ts';
import { channel, currency, idParams, Json, languageSchema, offerInput, PlanOfferBody, planWire, takenBy } from './schemas.ts';

const CreateBody = z.strictObject({
  currency,
  offer: PlanOfferBody,
  obligation_ids: z.array(z.number().int().positive()).max(1000).optional().describe('default: every open, undisputed obligation in the currency'),
  channel,
  taken_by: takenBy,
  language: languageSchema.optional(),
  note: z.string().max(2000).nullable().optional(),
  request_approval: z.boolean().optional(),
  idempotency_key: z.string().min(1).max(200).optional(),
});
const NoteBody = z.strictObject({ note: z.string().max(2000).nullable().optional() }).optional();

/** Payment plans and settlements: create and list per debtor; get, approve, reject, cancel and the agreement PDF by id. */
export function managePlansRoutes(app: App): void {
  app.post(
    '/debtors/:external_id/plans',
    {
      config: { permission: 'negotiation:write' },
      schema: { tags: ['negotiation'], summary: 'Create a payment plan or settlement (active, or pending approval with request_approval)', params: externalIdParams, body: CreateBody, response: { 201: Json, ...errorResponses } },
    },
    async (request, reply) => {
      const ctx = ctxOf(request);
      const b = request.body;
      const offer = offerInput(b.offer);
      if (offer.kind === 'promise') throw new Error('unreachable');
      const plan = await createPlan(ctx, {
        debtorId: await debtorIdByExternalId(ctx, request.params.external_id),
        currency: b.currency,
        offer,
        obligationIds: b.obligation_ids,
        channel: b.channel,
        takenBy: b.taken_by,
        language: b.language,
        note: b.note,
        requestApproval: b.request_approval,
        idempotencyKey: b.idempotency_key,
      });
      return reply.code(201).send(planWire(plan));
    },
  );
  app.get(
    '/debtors/:external_id/plans',
    { config: { permission: 'negotiation:read' }, schema: { tags: ['negotiation'], summary: "A debtor's plans and settlements, newest first", params: externalIdParams, querystring: z.object({ status: z.string().max(40).optional() }), response: { 200: z.object({ data: z.array(Json) }), ...errorResponses } } },
    async (request) => {
      const ctx = ctxOf(request);
      const rows = await listPlans(ctx, { debtorId: await debtorIdByExternalId(ctx, request.params.external_id), status: request.query.status });
      return { data: rows.map(planWire) };
    },
  );
  app.get(
    '/plans/:id',
    { config: { permission: 'negotiation:read' }, schema: { tags: ['negotiation'], summary: 'A plan with its obligations and schedule', params: idParams, response: { 200: Json, ...errorResponses } } },
    async (request) => planWire(await getPlan(ctxOf(request), { planId: request.params.id })),
  );
  app.get(
    '/plans/:id/agreement.pdf',
    {
      config: { permission: 'negotiation:read' },
      schema: { tags: ['negotiation'], summary: 'The written agreement as PDF (Spanish unless ?language=en)', params: idParams, querystring: z.object({ language: languageSchema.optional() }) },
    },
    async (request, reply) => {
      const { pdf, fileName } = await renderAgreementPdf(ctxOf(request), { planId: request.params.id, language: request.query.language });
      return reply.type('application/pdf').header('content-disposition', `attachment; filename="${fileName}"`).send(pdf);
    },
  );
  const decisions = [
    ['approve', 'negotiation:approve', approvePlan, 'Approve a plan waiting for approval (it starts today); only the approver role the policy named, or a higher one (403 otherwise)'],
    ['reject', 'negotiation:approve', rejectPlan, 'Reject a plan waiting for approval; only the approver role the policy named, or a higher one (403 otherwise)'],
    ['cancel', 'negotiation:write', cancelPlan, 'Cancel a pending or active plan (releases its hold)'],
  ] as const;
  for (const [verb, permission, action, summary] of decisions) {
    app.post(
      `/plans/:id/${verb}`,
      { config: { permission }, schema: { tags: ['negotiation'], summary, params: idParams, body: NoteBody, response: { 200: Json, ...errorResponses } } },
      async (request) => planWire(await action(ctxOf(request), { planId: request.params.id, note: request.body?.note })),
    );
  }
}
