import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses, queryText } from '../../schemas.ts';
import { can } from '../../../modules/access/index.ts';
import type { Ctx } from '../../../modules/shared/context.ts';
import { AppError } from '../../../modules/shared/errors.ts';
import {
  actingUserId,
  assignByHand,
  autoAssign,
  deleteAssignmentRule,
  getWorklist,
  worklistSummary,
  listAssignmentRules,
  listCollectors,
  queueSizes,
  refreshWorklistScores,
  saveAssignmentRule,
  setCollector,
  WORKLIST_CATEGORIES,
} from '../../../modules/worklists/index.ts';
import { t } from '../../../domain/text.ts';
import { answerLanguage } from '../../language.ts';

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

const ItemSchema = z.object({
  category: z.enum(WORKLIST_CATEGORIES),
  debtor_external_id: z.string(),
  debtor_name: z.string(),
  reason: z.string().describe("why the account is here, in the Accept-Language's language (a note or reply quoted in it stays as written)"),
  ref: z.number().int().nullable().describe('task, inbound message or payment id behind the item'),
  due: z.string().nullable(),
  phase: z.string().nullable(),
  days_past_due: z.number().int().nullable(),
  currency: z.string().nullable(),
  balance: z.string().nullable(),
  expected_recovery: z.string().nullable(),
  score: z.number().nullable(),
});

const WorklistSchema = z
  .object({
    collector_id: z.number().int(),
    as_of: z.string(),
    items: z.array(ItemSchema),
    next_cursor: z.string().nullable(),
    counts: z.record(z.string(), z.number().int()),
  })
  .meta({ id: 'Worklist' });

/**
 * Whose worklist: a user's own by default; another collector's needs worklist:assign (supervisors). An API key has no
 * worklist of its own and must name the collector.
 */
export function worklistOwner(ctx: Ctx, requested: number | undefined): number {
  const me = actingUserId(ctx);
  if (requested === undefined || requested === me) {
    if (me === null) throw new AppError('validation_failed', t('name the collector: ?collector_id=<user id>', 'indique el gestor: ?collector_id=<id de usuario>'), [{ path: 'query.collector_id', reason: t('required for API keys', 'obligatorio para claves de API') }]);
    return me;
  }
  if (!can(ctx.principal?.role ?? 'admin', 'worklist:assign')) throw new AppError('forbidden', t("only supervisors can see another collector's worklist", 'solo los supervisores pueden ver la lista de trabajo de otro gestor'));
  return requested;
}

/** "Mi día", queues, assignment rules, collectors' capacity, and moving work. */
export function worklistRoutes(app: App): void {
  app.get(
    '/worklist',
    {
      config: { permission: 'worklist:read' },
      schema: {
        tags: ['worklists'],
        summary: '"Mi día": what a collector works today, in priority order (tasks, broken promises, replies, disputes, plans, unapplied payments, then the portfolio by expected recovery)',
        querystring: z.strictObject({
          collector_id: id.optional().describe("another collector's list (supervisors)"),
          limit: z.coerce.number().int().min(1).max(500).default(50).describe('portfolio items per page'),
          cursor: z.string().max(400).optional(),
        }),
        response: { 200: WorklistSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(request);
      return getWorklist(ctx, { collectorId: worklistOwner(ctx, request.query.collector_id), limit: request.query.limit, cursor: request.query.cursor, language: answerLanguage(request, reply) });
    },
  );

  app.get(
    '/worklist/summary',
    {
      config: { permission: 'worklist:read' },
      schema: {
        tags: ['worklists'],
        summary: '"Mi día" in numbers: accounts in the list today, items needing a person (they come first), accounts assigned',
        querystring: z.strictObject({ collector_id: id.optional().describe("another collector's list (supervisors)") }),
        response: {
          200: z
            .object({
              collector_id: z.number().int(),
              as_of: z.string(),
              accounts: z.number().int().describe('accounts (debtors) in the list today, over every page'),
              attention: z.number().int().describe('items needing a person today: tasks, broken promises, replies, disputes, approvals, unapplied payments'),
              assigned: z.number().int().describe("accounts assigned to the collector, also those not in today's list (worked today, waiting for a next-action date, nothing to recover)"),
            })
            .meta({ id: 'WorklistSummary' }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const ctx = ctxOf(request);
      return worklistSummary(ctx, { collectorId: worklistOwner(ctx, request.query.collector_id) });
    },
  );

  app.get(
    '/worklist/queues',
    {
      config: { permission: 'worklist:assign' },
      schema: {
        tags: ['worklists'],
        summary: "Every collector's queue: accounts held, items needing a person today, capacity",
        response: {
          200: z.object({
            data: z.array(
              z.object({ collector_id: z.number().int(), name: z.string().nullable(), email: z.string().nullable(), capacity: z.number().int().nullable(), accounts: z.number().int(), attention: z.number().int() }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => ({ data: await queueSizes(ctxOf(request)) }),
  );

  app.post(
    '/worklist/assignments',
    {
      config: { permission: 'worklist:assign' },
      schema: {
        tags: ['worklists'],
        summary: "Move debtors' accounts to a collector by hand (the history is kept)",
        body: z.strictObject({ debtors: z.array(z.string().min(1).max(200)).min(1).max(10_000), collector_id: id, portfolio: queryText.optional(), reason: z.string().max(2000).nullable().optional() }),
        response: { 200: z.object({ moved: z.number().int() }), ...errorResponses },
      },
    },
    async (request) => assignByHand(ctxOf(request), { debtorExternalIds: request.body.debtors, collectorId: request.body.collector_id, portfolio: request.body.portfolio, reason: request.body.reason }),
  );

  app.post(
    '/worklist/auto-assign',
    {
      config: { permission: 'worklist:assign' },
      schema: {
        tags: ['worklists'],
        summary: 'Assign every open, unassigned account by the rules, then round-robin under capacity',
        body: z.strictObject({ portfolio: queryText.optional() }).optional(),
        response: { 200: z.object({ assigned: z.number().int(), byRule: z.record(z.string(), z.number().int()), unassigned: z.number().int() }), ...errorResponses },
      },
    },
    async (request) => autoAssign(ctxOf(request), { portfolio: request.body?.portfolio }),
  );

  app.post(
    '/worklist/scores',
    {
      config: { permission: 'worklist:assign' },
      schema: {
        tags: ['worklists'],
        summary: 'Score every open account again now (the daily run does it on its own)',
        response: { 200: z.object({ accounts: z.number().int(), model: z.string(), durationMs: z.number().int() }), ...errorResponses },
      },
    },
    async (request) => refreshWorklistScores(ctxOf(request)),
  );

  const CollectorSchema = z.object({ collector_id: z.number().int(), capacity: z.number().int(), active: z.boolean(), assigned: z.number().int() });
  app.get(
    '/collectors',
    { config: { permission: 'worklist:read', wholeCompany: true }, schema: { tags: ['worklists'], summary: "Collectors' capacity and load", response: { 200: z.object({ data: z.array(CollectorSchema) }), ...errorResponses } } },
    async (request) => ({ data: await listCollectors(ctxOf(request)) }),
  );
  app.put(
    '/collectors/:collector_id',
    {
      config: { permission: 'worklist:assign' },
      schema: {
        tags: ['worklists'],
        summary: "Set a collector's capacity and whether they take new accounts",
        params: z.strictObject({ collector_id: id }),
        body: z.strictObject({ capacity: z.number().int().min(0).max(1_000_000).optional(), active: z.boolean().optional() }),
        response: { 200: CollectorSchema, ...errorResponses },
      },
    },
    async (request) => setCollector(ctxOf(request), { collectorId: request.params.collector_id, capacity: request.body.capacity, active: request.body.active }),
  );

  const RuleSchema = z.object({
    id: z.number().int(),
    name: z.string(),
    priority: z.number().int(),
    portfolio: z.string().nullable(),
    segment: z.string().nullable(),
    phase: z.string().nullable(),
    region: z.string().nullable(),
    collector_ids: z.array(z.number().int()),
    active: z.boolean(),
  });
  app.get(
    '/assignment-rules',
    { config: { permission: 'worklist:read' }, schema: { tags: ['worklists'], summary: 'Assignment rules in the order they are tried', response: { 200: z.object({ data: z.array(RuleSchema) }), ...errorResponses } } },
    async (request) => ({ data: await listAssignmentRules(ctxOf(request)) }),
  );
  app.put(
    '/assignment-rules/:name',
    {
      config: { permission: 'worklist:assign' },
      schema: {
        tags: ['worklists'],
        summary: 'Create or replace an assignment rule: accounts matching every condition go round-robin to its collectors',
        params: z.strictObject({ name: z.string().min(1).max(100) }),
        body: z.strictObject({
          priority: z.number().int().min(0).max(100_000).optional(),
          portfolio: z.string().max(200).nullable().optional(),
          segment: z.string().max(200).nullable().optional(),
          phase: z.string().max(40).nullable().optional(),
          region: z.string().max(200).nullable().optional(),
          collector_ids: z.array(id).min(1).max(1000),
        }),
        response: { 200: RuleSchema, ...errorResponses },
      },
    },
    async (request) => saveAssignmentRule(ctxOf(request), { name: request.params.name, ...request.body, collectorIds: request.body.collector_ids }),
  );
  app.delete(
    '/assignment-rules/:name',
    { config: { permission: 'worklist:assign' }, schema: { tags: ['worklists'], summary: 'Delete an assignment rule', params: z.strictObject({ name: z.string().min(1).max(100) }), response: { 204: z.null(), ...errorResponses } } },
    async (request, reply) => {
      await deleteAssignmentRule(ctxOf(request), request.params.name);
      return reply.code(204).send(null);
    },
  );
}
