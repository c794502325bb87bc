import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { amountText, errorResponses, externalIdParams, plainDate } from '../../schemas.ts';
import { checkRange } from '../../ranges.ts';
import { t } from '../../../domain/text.ts';
import { INTERACTION_CHANNELS, INTERACTION_OUTCOMES, listInteractions, logInteraction } from '../../../modules/worklists/index.ts';

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

const InteractionSchema = z
  .object({
    id: z.number().int(),
    debtor_external_id: z.string(),
    channel: z.string(),
    outcome: z.string(),
    notes: z.string().nullable(),
    next_action_on: z.string().nullable(),
    collector_id: z.number().int().nullable(),
    actor: z.string(),
    occurred_at: z.string(),
    task_id: z.number().int().nullable(),
    promise: z.object({ amount: z.string(), currency: z.string(), date: z.string(), id: z.number().int().nullable() }).nullable(),
  })
  .meta({ id: 'Interaction' });

const Page = z.object({ data: z.array(InteractionSchema), next_before_id: z.number().int().nullable() });

/** Interactions (gestiones): log one on a debtor, list a debtor's or the company's. */
export function interactionRoutes(app: App): void {
  app.post(
    '/debtors/:external_id/interactions',
    {
      config: { permission: 'interactions:write' },
      schema: {
        tags: ['interactions'],
        summary: 'Log an interaction (gestión); outcome promise records the promise through negotiation; task_id closes the call task',
        params: externalIdParams,
        body: z.strictObject({
          channel: z.enum(INTERACTION_CHANNELS),
          outcome: z.enum(INTERACTION_OUTCOMES),
          notes: z.string().max(4000).nullable().optional(),
          next_action_on: plainDate.nullable().optional(),
          collector_id: id.nullable().optional(),
          task_id: id.nullable().optional(),
          promise: z
            .strictObject({ amount: amountText().min(1), currency: z.string().length(3).optional(), date: plainDate, request_approval: z.boolean().optional() })
            .nullable()
            .optional()
            .describe('required when outcome is promise'),
          idempotency_key: z.string().min(1).max(200).optional(),
        }),
        response: { 201: InteractionSchema, 200: InteractionSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const r = await logInteraction(ctxOf(request), {
        debtorExternalId: request.params.external_id,
        channel: b.channel,
        outcome: b.outcome,
        notes: b.notes,
        nextActionOn: b.next_action_on,
        collectorId: b.collector_id,
        taskId: b.task_id,
        promise: b.promise ? { amount: b.promise.amount, currency: b.promise.currency, date: b.promise.date, requestApproval: b.promise.request_approval } : null,
        idempotencyKey: b.idempotency_key,
      });
      return reply.code(r.created ? 201 : 200).send(r.interaction);
    },
  );

  app.get(
    '/debtors/:external_id/interactions',
    {
      config: { permission: 'portfolio:read' },
      schema: {
        tags: ['interactions'],
        summary: "A debtor's interactions, newest first",
        params: externalIdParams,
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(100), before_id: id.optional() }),
        response: { 200: Page, ...errorResponses },
      },
    },
    async (request) => listInteractions(ctxOf(request), { debtorExternalId: request.params.external_id, limit: request.query.limit, beforeId: request.query.before_id }),
  );

  app.get(
    '/interactions',
    {
      config: { permission: 'reports:read' },
      schema: {
        tags: ['interactions'],
        summary: "The company's interactions, newest first, optionally of one collector and between two instants",
        querystring: z.strictObject({
          collector_id: id.optional(),
          from: z.iso.datetime({ offset: true }).optional(),
          to: z.iso.datetime({ offset: true }).optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
          before_id: id.optional(),
        }),
        response: { 200: Page, ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      checkRange(q, 'from', 'to', t('no interaction', 'ninguna interacción'));
      return listInteractions(ctxOf(request), { collectorId: q.collector_id, from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined, limit: q.limit, beforeId: q.before_id });
    },
  );
}
