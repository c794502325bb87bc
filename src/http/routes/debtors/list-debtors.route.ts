import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { decodeCursor, pageBody } from '../../pagination.ts';
import { errorResponses, pageOf, pageQuery, queryText } from '../../schemas.ts';
import { listDebtors } from '../../../modules/portfolio/queries/index.ts';
import { DebtorSchema } from './schemas.ts';
import { zodText } from '../../../domain/zod-issues.ts';
import { t } from '../../../domain/text.ts';

const Query = z.strictObject({
  external_id: queryText.optional(),
  q: queryText.optional().describe("words that start words of the name (any case, accents optional), or the start of the external id or of the tax id, ignoring case, dots and dashes"),
  country: z.string().regex(/^[A-Za-z]{2}$/, zodText(t('must be a two-letter country code', 'debe ser un código de país de dos letras'))).optional(),
  region: queryText.optional(),
  tag: queryText.optional(),
  sort: z.enum(['external_id', 'name']).default('external_id'),
  ...pageQuery,
});

/** GET /debtors — filtered, keyset-paged list of the company's debtors. */
export function listDebtorsRoute(app: App): void {
  app.get(
    '/debtors',
    {
      config: { permission: 'portfolio:read' },
      schema: {
        tags: ['debtors'],
        summary: 'List debtors',
        querystring: Query,
        response: { 200: pageOf(DebtorSchema), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const list = `debtors.${q.sort}`;
      const page = await listDebtors(ctxOf(request), {
        externalId: q.external_id,
        q: q.q,
        country: q.country,
        region: q.region,
        tag: q.tag,
        sort: q.sort,
        limit: q.limit,
        cursor: decodeCursor(list, q.cursor),
      });
      return pageBody(list, page);
    },
  );
}
