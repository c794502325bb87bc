import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses } from '../../schemas.ts';
import { LINK_STATUSES, LINK_TARGETS, listPaymentLinks } from '../../../modules/payments/index.ts';
import { notFound } from '../../../modules/shared/errors.ts';
import { linkJson, PaymentLinkSchema } from './schemas.ts';

const Query = z.strictObject({
  debtor_external_id: z.string().min(1).max(100).optional(),
  target_kind: z.enum(LINK_TARGETS).optional(),
  target_id: z.coerce.number().int().positive().optional(),
  status: z.enum(LINK_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** GET /payment-links — the company's links, newest first, by debtor, target or status. */
export function listPaymentLinksRoute(app: App): void {
  app.get(
    '/payment-links',
    {
      config: { permission: 'payments:read' },
      schema: { tags: ['payments'], summary: 'List payment links', querystring: Query, response: { 200: z.object({ data: z.array(PaymentLinkSchema) }), ...errorResponses } },
    },
    async (request) => {
      const ctx = ctxOf(request);
      const q = request.query;
      let debtorId: number | undefined;
      if (q.debtor_external_id) {
        const rows = await ctx.database.query<{ id: string }>(sql`SELECT id::text AS id FROM debtors WHERE company_id = ${ctx.companyId} AND external_id = ${q.debtor_external_id}`);
        if (!rows[0]) throw notFound('debtor', q.debtor_external_id);
        debtorId = Number(rows[0].id);
      }
      const target = q.target_kind && q.target_id !== undefined ? { kind: q.target_kind, id: q.target_id } : undefined;
      const links = await listPaymentLinks(ctx, { debtorId, target, status: q.status, limit: q.limit });
      return { data: links.map(linkJson) };
    },
  );
}
