import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { decodeCursor, pageBody } from '../../pagination.ts';
import { ErrorSchema, errorResponses, pageOf, pageQuery, queryText } from '../../schemas.ts';
import { checkRange } from '../../ranges.ts';
import { listAudit } from '../../../modules/access/list-audit.ts';
import { zodText } from '../../../domain/zod-issues.ts';
import { t } from '../../../domain/text.ts';

const instant = z
  .string()
  .refine((v) => /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2}))?$/.test(v) && !Number.isNaN(new Date(v).getTime()), zodText(t('must be YYYY-MM-DD or an ISO instant with its offset', 'debe ser AAAA-MM-DD o un instante ISO con su desfase')))
  .transform((v) => new Date(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v));

const AuditEntrySchema = z
  .object({
    id: z.number().int(),
    at: z.string(),
    actor: z.string().describe("the user's email, api-key:<name>, cli or system"),
    action: z.string(),
    entity: z.string(),
    entity_id: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
  })
  .meta({ id: 'AuditEntry' });

/** GET /audit — the company's audit log, newest first. It has no route that changes it. */
export function listAuditRoute(app: App): void {
  app.get(
    '/audit',
    {
      config: { permission: 'audit:read' },
      schema: {
        tags: ['audit'],
        summary: 'The audit log: who changed what, when, before and after (newest first)',
        querystring: z.strictObject({
          from: instant.optional().describe('entries at or after (a date is midnight UTC)'),
          to: instant.optional().describe('entries before'),
          actor: queryText.optional(),
          action: queryText.optional().describe('exact, or a prefix ending in "." such as "user."'),
          entity: queryText.optional(),
          entity_id: queryText.optional(),
          ...pageQuery,
        }),
        response: { 200: pageOf(AuditEntrySchema), ...errorResponses, 403: ErrorSchema },
      },
    },
    async (request) => {
      const q = request.query;
      checkRange(q, 'from', 'to', t('no entry', 'ninguna entrada'));
      const page = await listAudit(ctxOf(request), { from: q.from, to: q.to, actor: q.actor, action: q.action, entity: q.entity, entityId: q.entity_id, limit: q.limit, cursor: decodeCursor('audit', q.cursor) });
      return pageBody('audit', page);
    },
  );
}
