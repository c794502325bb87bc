import { z } from 'zod';
import { choosePortalPlan, disputeFromPortal, portalPlanOptions, promiseFromPortal, requestPortalPlan, PORTAL_DISPUTE_REASONS } from '../../../modules/portal/index.ts';
import type { App, RouteDeps } from '../../app.ts';
import { ErrorSchema, errorResponses, plainDate } from '../../schemas.ts';
import { Currency, dec, DecimalAmount, PlanOptionsSchema, PORTAL_ROUTE, TokenParams, verifiedAccessOf } from './shared.ts';

const refusals = { ...errorResponses, 409: ErrorSchema, 422: ErrorSchema };

/**
 * The portal's negotiation: promise a date, list and choose a plan the policy offers, ask for one it does not
 * (approval or a collector's call), dispute an obligation. The negotiation module judges everything by the same
 * policy as the other channels; a refusal is a 422 policy_refused whose details give each reason.
 */
export function portalNegotiationRoutes(app: App, deps: RouteDeps): void {
  app.post(
    '/portal/api/:token/promises',
    {
      config: PORTAL_ROUTE,
      schema: {
        tags: ['portal'],
        summary: 'Promise to pay an amount on a date',
        params: TokenParams,
        body: z.object({ currency: Currency, amount: DecimalAmount, promised_on: plainDate, idempotency_key: z.string().min(1).max(100).optional() }),
        response: { 201: z.object({ id: z.number().int(), status: z.string(), amount: z.string(), currency: z.string(), promised_on: z.string() }), ...refusals },
      },
    },
    async (request, reply) => {
      const access = await verifiedAccessOf(request, deps);
      const b = request.body;
      const promise = await promiseFromPortal(access, { currency: b.currency, amount: b.amount, promisedOn: b.promised_on, idempotencyKey: b.idempotency_key });
      return reply.code(201).send({ id: promise.id, status: promise.status, amount: promise.amount, currency: promise.currency, promised_on: promise.promisedOn });
    },
  );

  app.get(
    '/portal/api/:token/plan-options',
    { config: PORTAL_ROUTE, schema: { tags: ['portal'], summary: 'Plans and settlement the policy offers today', params: TokenParams, querystring: z.object({ currency: Currency }), response: { 200: PlanOptionsSchema, ...refusals } } },
    async (request) => {
      const access = await verifiedAccessOf(request, deps);
      const listed = await portalPlanOptions(access, request.query.currency);
      const c = listed.currency;
      return {
        currency: c,
        balance: dec(listed.balance, c),
        options: listed.options.map((o) => ({
          key: o.key,
          kind: o.kind,
          frequency: o.frequency,
          installments: o.installments,
          down_payment: dec(o.downPayment, c),
          discount: dec(o.discount, c),
          interest: dec(o.interest, c),
          total: dec(o.total, c),
          schedule: o.schedule.map((s) => ({ seq: s.seq, due_on: s.dueOn, amount: dec(s.amount, c) })),
        })),
      };
    },
  );

  app.post(
    '/portal/api/:token/plans',
    {
      config: PORTAL_ROUTE,
      schema: {
        tags: ['portal'],
        summary: 'Agree to one of the offered plans (by its key)',
        params: TokenParams,
        body: z.object({ currency: Currency, key: z.string().min(1).max(100), language: z.enum(['es-MX', 'en']).optional() }),
        response: { 201: z.object({ id: z.number().int(), status: z.string(), kind: z.string(), total: z.string(), currency: z.string() }), ...refusals },
      },
    },
    async (request, reply) => {
      const access = await verifiedAccessOf(request, deps);
      const plan = await choosePortalPlan(access, { currency: request.body.currency, key: request.body.key, language: request.body.language });
      return reply.code(201).send({ id: plan.id, status: plan.status, kind: plan.kind, total: plan.total, currency: plan.currency });
    },
  );

  app.post(
    '/portal/api/:token/plan-requests',
    {
      config: PORTAL_ROUTE,
      schema: {
        tags: ['portal'],
        summary: 'Ask for a plan the policy does not offer (waits for approval, or a collector calls)',
        params: TokenParams,
        body: z.object({
          currency: Currency,
          installments: z.number().int().min(1).max(600),
          frequency: z.enum(['weekly', 'biweekly', 'monthly']),
          first_installment_on: plainDate,
          down_payment: DecimalAmount.optional(),
          note: z.string().max(1000).optional(),
        }),
        response: { 201: z.object({ plan_id: z.number().int().nullable(), status: z.string().describe('pending_approval, active, or sent_to_collector'), task_id: z.number().int().nullable() }), ...refusals },
      },
    },
    async (request, reply) => {
      const access = await verifiedAccessOf(request, deps);
      const b = request.body;
      const result = await requestPortalPlan(access, { currency: b.currency, installments: b.installments, frequency: b.frequency, firstInstallmentOn: b.first_installment_on, downPayment: b.down_payment, note: b.note });
      return reply.code(201).send({ plan_id: result.plan?.id ?? null, status: result.plan?.status ?? 'sent_to_collector', task_id: result.taskId });
    },
  );

  app.post(
    '/portal/api/:token/disputes',
    {
      config: PORTAL_ROUTE,
      schema: {
        tags: ['portal'],
        summary: 'Dispute one obligation (it leaves collection until a collector resolves it)',
        params: TokenParams,
        body: z.object({ obligation_id: z.number().int().positive(), reason: z.enum(Object.keys(PORTAL_DISPUTE_REASONS) as [string, ...string[]]), note: z.string().max(1000).optional() }),
        response: { 201: z.object({ id: z.number().int(), status: z.string() }), ...refusals },
      },
    },
    async (request, reply) => {
      const access = await verifiedAccessOf(request, deps);
      const d = await disputeFromPortal(access, { obligationId: request.body.obligation_id, reason: request.body.reason, note: request.body.note });
      return reply.code(201).send({ id: d.id, status: d.status });
    },
  );
}
