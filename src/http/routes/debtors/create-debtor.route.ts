import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses } from '../../schemas.ts';
import { rowOf, saveOne } from '../../save-one.ts';
import { getDebtor } from '../../../modules/portfolio/queries/index.ts';
import { CreateDebtorBody, DEBTOR_COLUMNS, DebtorDetailSchema, tagsCell } from './schemas.ts';

/**
 * POST /debtors — creates a debtor, or updates the one with this external id (201 vs 200), validated exactly like an
 * imported row. Fields left out keep their stored values; null clears one.
 */
export function createDebtorRoute(app: App): void {
  app.post(
    '/debtors',
    {
      config: { permission: 'portfolio:write' },
      schema: {
        tags: ['debtors'],
        summary: 'Create (or update by external_id) a debtor',
        body: CreateDebtorBody,
        response: { 200: DebtorDetailSchema, 201: DebtorDetailSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(request);
      const body = request.body;
      const row = rowOf(body, DEBTOR_COLUMNS);
      const tags = tagsCell(body.tags);
      if (tags !== undefined) row.tags = tags;
      for (const [key, value] of Object.entries(body.attributes ?? {})) row[key] = value ?? '';
      const saved = await saveOne(ctx, 'debtors', row);
      const debtor = await getDebtor(ctx, { externalId: body.external_id.trim() });
      return reply.code(saved.created ? 201 : 200).send(debtor);
    },
  );
}
