import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses } from '../../schemas.ts';
import { ALERT_KINDS, listAlerts, ownAlertsOf } from '../../../modules/worklists/index.ts';

const AlertSchema = z
  .object({
    kind: z.enum(ALERT_KINDS),
    severity: z.enum(['high', 'medium', 'low']),
    title: z.string(),
    count: z.number().int(),
    amounts: z.record(z.string(), z.string()),
    items: z.array(
      z.object({
        debtor_external_id: z.string().nullable(),
        text: z.string().describe('what the item is, in Spanish; an amount ends it as ": 63.36 USD"'),
        ref: z.number().int().nullable(),
        since: z.string().nullable(),
        amount: z.string().nullable().describe('the money the item is about (an unapplied payment), a decimal string in `currency`, to format as the reader expects'),
        currency: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'Alert' });

/** GET /alerts — what needs someone today. Collectors and agencies see the alerts about their own accounts. */
export function alertRoutes(app: App): void {
  app.get(
    '/alerts',
    {
      config: { permission: 'worklist:read' },
      schema: {
        tags: ['alerts'],
        summary: "Alerts: broken promises, unapplied payments, disputes waiting, plans to approve, failing channels, overflowing queues (collectors: their own accounts')",
        querystring: z.strictObject({
          dispute_days: z.coerce.number().int().min(0).max(365).default(5),
          attention_limit: z.coerce.number().int().min(1).max(100_000).default(50),
          items: z.coerce.number().int().min(1).max(500).default(20),
          kind: z.enum(ALERT_KINDS).optional().describe('only this kind of alert'),
          offset: z.coerce.number().int().min(0).max(1_000_000).default(0).describe('items to skip in each alert: with `kind`, the next items after those shown'),
        }),
        response: { 200: z.object({ data: z.array(AlertSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const ctx = ctxOf(request);
      const data = await listAlerts(ctx, { disputeDays: request.query.dispute_days, attentionLimit: request.query.attention_limit, itemLimit: request.query.items, kind: request.query.kind, offset: request.query.offset, collectorId: ownAlertsOf(ctx) });
      return { data };
    },
  );
}
