import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { decodeCursor, pageBody } from '../../pagination.ts';
import { accountFields, errorResponses, pageOf, pageQuery, queryBoolean, queryText } from '../../schemas.ts';
import { checkRange } from '../../ranges.ts';
import { BUCKET_NAMES, PHASES } from '../../../domain/aging.ts';
import { accountsCursorList, listAccounts } from '../../../modules/collection-runs/list-accounts.ts';
import { t } from '../../../domain/text.ts';
import { zodText } from '../../../domain/zod-issues.ts';

const dpd = z.coerce.number().int().min(-100_000).max(100_000);
const decimal = z.string().regex(/^-?\d{1,20}(\.\d{1,8})?$/, zodText(t('must be a decimal number such as 1250.50', 'debe ser un número decimal como 1250.50')));

/** The list's filters and order; the export takes the same. */
export const AccountFilterQuery = {
  q: queryText.optional().describe("words that start words of the debtor's name (any case, accents optional), or the debtor's exact external id"),
  portfolio: queryText.optional(),
  phase: z.enum(PHASES).optional(),
  bucket: z.enum(BUCKET_NAMES as [string, ...string[]]).optional(),
  segment: queryText.optional(),
  dpd_min: dpd.optional(),
  dpd_max: dpd.optional(),
  balance_min: decimal.optional().describe('in `currency`'),
  balance_max: decimal.optional().describe('in `currency`'),
  currency: z.string().regex(/^[A-Za-z]{2,3}$/, zodText(t('must be a currency code such as MXN', 'debe ser un código de moneda como MXN'))).optional().describe('needed by balance_min, balance_max and sort=balance'),
  on_hold: queryBoolean.optional(),
  sort: z.enum(['days_past_due', 'balance', 'name']).default('days_past_due'),
  order: z.enum(['asc', 'desc']).optional().describe('default: desc for days_past_due and balance, asc for name'),
};

const Query = z.strictObject({ ...AccountFilterQuery, ...pageQuery });

type FilterQuery = z.output<ReturnType<typeof z.object<typeof AccountFilterQuery>>>;

/** The use case's filters from the query string; an empty range (its min above its max) is refused, not answered with nothing. */
export function accountFilters(q: FilterQuery) {
  checkRange(q, 'dpd_min', 'dpd_max', t('no account', 'ninguna cuenta'));
  checkRange(q, 'balance_min', 'balance_max', t('no account', 'ninguna cuenta'));
  return {
    search: q.q,
    portfolio: q.portfolio,
    phase: q.phase,
    bucket: q.bucket,
    segment: q.segment,
    dpdMin: q.dpd_min,
    dpdMax: q.dpd_max,
    balanceMin: q.balance_min,
    balanceMax: q.balance_max,
    currency: q.currency,
    onHold: q.on_hold,
    sort: q.sort,
    order: q.order,
  };
}

const AccountSchema = z
  .object({
    debtor_external_id: z.string(),
    name: z.string(),
    ...accountFields,
    as_of: accountFields.as_of.describe('date of the daily run that computed this row'),
  })
  .meta({ id: 'Account' });

/** GET /accounts — the worklist source: accounts as the last daily run left them. */
export function listAccountsRoute(app: App): void {
  app.get(
    '/accounts',
    {
      config: { permission: 'portfolio:read' },
      schema: {
        tags: ['accounts'],
        summary: 'List accounts (debtor within a portfolio) with phase, DPD, bucket and segments',
        querystring: Query,
        response: { 200: pageOf(AccountSchema), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const filters = accountFilters(q);
      const list = accountsCursorList(filters);
      const page = await listAccounts(ctxOf(request), { ...filters, limit: q.limit, cursor: decodeCursor(list, q.cursor) });
      return pageBody(list, page);
    },
  );
}
