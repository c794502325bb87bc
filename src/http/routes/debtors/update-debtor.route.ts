import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses, externalIdParams } from '../../schemas.ts';
import { rowOf, saveOne, type Row } from '../../save-one.ts';
import { getDebtor } from '../../../modules/portfolio/queries/index.ts';
import { DEBTOR_COLUMNS, DebtorDetailSchema, PatchDebtorBody, tagsCell } from './schemas.ts';

/**
 * PATCH /debtors/:external_id — merges the body into the stored debtor and saves the whole record through the
 * import's validation, so a patch can never leave a debtor that an import would refuse.
 */
export function updateDebtorRoute(app: App): void {
  app.patch(
    '/debtors/:external_id',
    {
      config: { permission: 'portfolio:write' },
      schema: {
        tags: ['debtors'],
        summary: 'Change some fields of a debtor (null clears a field)',
        params: externalIdParams,
        body: PatchDebtorBody,
        response: { 200: DebtorDetailSchema, ...errorResponses },
      },
    },
    async (request) => {
      const ctx = ctxOf(request);
      const externalId = request.params.external_id;
      // Also the tenant check: another company's debtor is not_found here, before anything is written.
      const stored = await getDebtor(ctx, { externalId });
      const body = request.body;
      const row: Row = { ...rowOf(stored as unknown as Record<string, unknown>, DEBTOR_COLUMNS), tags: stored.tags.join(';'), ...rowOf(body, DEBTOR_COLUMNS) };
      row.external_id = stored.external_id;
      // The stored time zone was derived from the old place; a move re-derives it unless the patch names one.
      if ((body.country !== undefined || body.region !== undefined) && body.time_zone === undefined) row.time_zone = '';
      const tags = tagsCell(body.tags);
      if (tags !== undefined) row.tags = tags;
      // Attributes merge key by key: those not named stay, null removes one (a blank cell is dropped on save).
      for (const [key, value] of Object.entries({ ...stored.attributes, ...body.attributes })) row[key] = value ?? '';
      await saveOne(ctx, 'debtors', row, stored);
      return getDebtor(ctx, { externalId });
    },
  );
}
