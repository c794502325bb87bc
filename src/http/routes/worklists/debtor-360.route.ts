import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses, externalIdParams, queryText } from '../../schemas.ts';
import { answerLanguage } from '../../language.ts';
import { getDebtor360, placeDebtorWithAgency, sendMessageNow, sendToJudicial, SEND_NOW_CHANNELS, TIMELINE_PAGE, writeOff } from '../../../modules/worklists/index.ts';

const Json = z.looseObject({});
const Reason = z.strictObject({ reason: z.string().min(1).max(2000), portfolio: queryText.optional() });
const PhaseResult = z.object({ phase: z.string(), portfolios: z.array(z.string()) });

/** Debtor 360 and the actions taken from it that are not interactions. */
export function debtor360Routes(app: App): void {
  app.get(
    '/debtors/:external_id/360',
    {
      config: { permission: 'portfolio:read' },
      schema: {
        tags: ['worklists'],
        summary: 'Everything about a debtor in one call: identity, contacts with consent and what the gate allows now, balances per currency, accounts, holds, obligations, payments, interactions, promises, plans, assignments (the latest 100 of each), the latest timeline entries with a cursor for older ones (timeline_before) and the actions allowed',
        params: externalIdParams,
        querystring: z.strictObject({ timeline_limit: z.coerce.number().int().min(1).max(500).default(TIMELINE_PAGE).describe('latest timeline entries shown; older ones through GET /debtors/{external_id}/timeline?before=<timeline_before>') }),
        response: { 200: Json.meta({ id: 'Debtor360' }), ...errorResponses },
      },
    },
    async (request, reply) =>
      (await getDebtor360(ctxOf(request), { externalId: request.params.external_id, timelineLimit: request.query.timeline_limit, language: answerLanguage(request, reply) })) as unknown as Record<string, unknown>,
  );

  app.post(
    '/debtors/:external_id/messages',
    {
      config: { permission: 'messages:send' },
      schema: {
        tags: ['worklists'],
        summary: 'Send a template to the debtor now, through the compliance gate (refused: nothing is sent unless schedule_if_refused)',
        params: externalIdParams,
        body: z.strictObject({
          channel: z.enum(SEND_NOW_CHANNELS),
          template: z.string().min(1).max(100),
          schedule_if_refused: z.boolean().optional().describe('queue it at the next instant the gate allows'),
          idempotency_key: z.string().min(1).max(200).optional(),
        }),
        response: {
          200: z.object({
            status: z.enum(['queued', 'scheduled', 'refused']),
            message_id: z.number().int().nullable(),
            rule: z.string(),
            reason: z.string().describe("the gate's reason, in the Accept-Language's language"),
            reason_code: z.string().nullable().describe('the kind of reason (allowed, hours, holiday, cap, hold, optout, …); null when the message was already sent'),
            next_allowed_at: z.string().nullable(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) =>
      sendMessageNow(ctxOf(request), {
        debtorExternalId: request.params.external_id,
        channel: request.body.channel,
        templateKey: request.body.template,
        scheduleIfRefused: request.body.schedule_if_refused,
        idempotencyKey: request.body.idempotency_key,
        language: answerLanguage(request, reply),
      }),
  );

  app.post(
    '/debtors/:external_id/judicial',
    { config: { permission: 'worklist:assign' }, schema: { tags: ['worklists'], summary: 'Send the debtor to the judicial phase (by hand, with a reason)', params: externalIdParams, body: Reason, response: { 200: PhaseResult, ...errorResponses } } },
    async (request) => sendToJudicial(ctxOf(request), { debtorExternalId: request.params.external_id, reason: request.body.reason, portfolio: request.body.portfolio }),
  );

  app.post(
    '/debtors/:external_id/write-off',
    { config: { permission: 'accounts:write_off' }, schema: { tags: ['worklists'], summary: "Write off the debtor's accounts (castigo), with a reason", params: externalIdParams, body: Reason, response: { 200: PhaseResult, ...errorResponses } } },
    async (request) => writeOff(ctxOf(request), { debtorExternalId: request.params.external_id, reason: request.body.reason, portfolio: request.body.portfolio }),
  );

  app.post(
    '/debtors/:external_id/agency',
    {
      config: { permission: 'worklist:assign' },
      schema: {
        tags: ['worklists'],
        summary: 'Place the debtor with a collection agency (despacho): extrajudicial phase, with a reason',
        params: externalIdParams,
        body: Reason.extend({ agency: z.string().min(1).max(200) }),
        response: { 200: PhaseResult.extend({ agency: z.string(), placed_at: z.string() }), ...errorResponses },
      },
    },
    async (request) => placeDebtorWithAgency(ctxOf(request), { debtorExternalId: request.params.external_id, agency: request.body.agency, reason: request.body.reason, portfolio: request.body.portfolio }),
  );
}
