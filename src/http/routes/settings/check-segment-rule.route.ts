import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses } from '../../schemas.ts';
import { compileRuleToSql, parseRule, RuleError } from '../../../domain/segment-rules.ts';
import type { Ctx } from '../../../modules/shared/context.ts';
import { say } from '../../../domain/text.ts';
import { answerLanguage } from '../../language.ts';

const Body = z.strictObject({ rule: z.string().max(4000).describe('a segment rule as typed so far') });

const Answer = z
  .object({
    valid: z.boolean(),
    error: z
      .object({
        reason: z.string().describe('what is wrong, without the location (in the Accept-Language: Spanish or English)'),
        message: z.string().describe('the reason with its line and column'),
        position: z.number().int().describe('0-based character offset in the rule'),
        line: z.number().int(),
        column: z.number().int(),
      })
      .nullable(),
    matches: z.number().int().nullable().describe('accounts the rule matches as of their last run; null when the rule is invalid'),
    accounts: z.number().int().describe('accounts the company has (as of their last run)'),
  })
  .meta({ id: 'SegmentRuleCheck' });

/**
 * Counts the accounts a rule matches over the facts kept by the last run (phase, bucket, DPD, balances, holds) and
 * the debtors' current data, with the products and kinds still owed. It reads the same column names the daily run's
 * facts relation has, so the compiled rule means the same here; the figure is a preview, the run decides.
 */
async function countMatches(ctx: Ctx, condition: string): Promise<{ matches: number; accounts: number }> {
  const result = (await ctx.database.db.execute(sql`
    SELECT count(*) FILTER (WHERE ${sql.raw(condition)})::int AS matches, count(*)::int AS accounts
      FROM (SELECT a.phase, a.bucket, a.days_past_due, a.balances, a.overdue, a.on_hold,
                   d.tags, d.region, d.country::text AS country, d.city, d.postal_code, d.type, d.attributes,
                   coalesce(ow.products, '{}'::text[]) AS products, coalesce(ow.kinds, '{}'::text[]) AS kinds
              FROM accounts a
              JOIN debtors d ON d.id = a.debtor_id
              LEFT JOIN LATERAL (
                SELECT coalesce(array_agg(DISTINCT o.product) FILTER (WHERE o.product IS NOT NULL), '{}') AS products,
                       array_agg(DISTINCT o.kind) AS kinds
                  FROM obligations o
                 WHERE o.company_id = a.company_id AND o.portfolio_id = a.portfolio_id AND o.debtor_id = a.debtor_id AND o.balance > 0
              ) ow ON true
             WHERE a.company_id = ${ctx.companyId}) f`)) as { rows: Array<{ matches: number; accounts: number }> };
  const row = result.rows[0];
  return { matches: Number(row?.matches ?? 0), accounts: Number(row?.accounts ?? 0) };
}

/**
 * POST /settings/segments/check — checks a rule as it is typed: whether it parses (with the position of the first
 * problem) and how many accounts it would match. Nothing is saved; an invalid rule is an answer, not an error.
 * It needs the permission that saving a segment needs: the count covers every account of the company, which an
 * agency (portfolio:read, but only its placed accounts) must not learn.
 */
export function checkSegmentRuleRoute(app: App): void {
  app.post(
    '/settings/segments/check',
    {
      config: { permission: 'settings:write' },
      schema: { tags: ['segments'], summary: 'Check a segment rule and count the accounts it matches (nothing is saved)', body: Body, response: { 200: Answer, ...errorResponses } },
    },
    async (request, reply) => {
      const ctx = ctxOf(request);
      const language = answerLanguage(request, reply);
      let condition: string;
      try {
        condition = compileRuleToSql(parseRule(request.body.rule), { alias: 'f' });
      } catch (error) {
        if (!(error instanceof RuleError)) throw error;
        const { accounts } = await countMatches(ctx, 'FALSE');
        return {
          valid: false,
          error: { reason: say(error.reasonText, language), message: say(error.text, language), position: error.position, line: error.line, column: error.column },
          matches: null,
          accounts,
        };
      }
      return { valid: true, error: null, ...(await countMatches(ctx, condition)) };
    },
  );
}
