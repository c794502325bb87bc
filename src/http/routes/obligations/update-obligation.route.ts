import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses, externalIdParams } from '../../schemas.ts';
import { rowOf, saveOne } from '../../save-one.ts';
import { getObligation } from '../../../modules/portfolio/queries/index.ts';
import { OBLIGATION_COLUMNS, ObligationSchema, PatchObligationBody } from './schemas.ts';

/**
 * PATCH /obligations/:external_id — merges the body into the stored obligation and saves it through the import's
 * validation; a changed amount re-runs allocation, so the balance stays amount − payments applied.
 */
export function updateObligationRoute(app: App): void {
  app.patch(
    '/obligations/:external_id',
    {
      config: { permission: 'portfolio:write' },
      schema: {
        tags: ['obligations'],
        summary: 'Change some fields of an obligation',
        params: externalIdParams,
        body: PatchObligationBody,
        response: { 200: ObligationSchema, ...errorResponses },
      },
    },
    async (request) => {
      const ctx = ctxOf(request);
      const externalId = request.params.external_id;
      const stored = await getObligation(ctx, { externalId });
      const row = { ...rowOf(stored as unknown as Record<string, unknown>, OBLIGATION_COLUMNS), ...rowOf(request.body, OBLIGATION_COLUMNS), external_id: stored.external_id };
      await saveOne(ctx, 'obligations', row, stored);
      return getObligation(ctx, { externalId });
    },
  );
}
