import { sql } from 'drizzle-orm';
import { exponentOf } from '../../domain/money.ts';
import type { Ctx } from '../shared/context.ts';
import { bigintArray, textArray } from '../messaging/index.ts';
import { RIGHT_PARTY_OUTCOMES } from './interaction-codes.ts';
import { companyFacts, companyToday } from './lookups.ts';
import { expectedRecovery, rankKey, ruleBasedModel, type AccountFeatures, type ScoringModel } from './scoring.ts';

export interface RefreshScoresSummary {
  accounts: number;
  model: string;
  durationMs: number;
}

type FeatureRow = {
  portfolio_id: string | number;
  debtor_id: string | number;
  dpd: number | null;
  on_hold: boolean;
  currency: string;
  balance: string;
  broken: number;
  promises: number;
  rpc30: number;
  wrong: boolean | null;
  reachable: boolean;
  collector_id: string | number | null;
};

/**
 * Scores every open account of the company with `model` and stores the priority the worklist reads. Accounts are
 * read in key order, a page at a time, features computed in SQL; accounts that no longer owe anything leave the table.
 * Safe to rerun at any time (each account's row is replaced).
 */
export async function refreshWorklistScores(ctx: Ctx, options: { model?: ScoringModel; pageSize?: number } = {}): Promise<RefreshScoresSummary> {
  const started = performance.now();
  const model = options.model ?? ruleBasedModel;
  const pageSize = options.pageSize ?? 5000;
  const company = await companyFacts(ctx);
  const asOf = await companyToday(ctx);
  const since = new Date(ctx.clock.now().getTime() - 30 * 86_400_000).toISOString();
  const c = ctx.companyId;
  let after: [number, number] = [0, 0];
  let total = 0;
  for (;;) {
    const rows = await ctx.database.query<FeatureRow>(sql`
      SELECT a.portfolio_id, a.debtor_id, a.days_past_due AS dpd, a.on_hold, main.currency, main.balance,
             (SELECT count(*)::int FROM tasks t WHERE t.company_id = ${c} AND t.debtor_id = a.debtor_id AND t.kind = 'promise_broken') AS broken,
             (SELECT count(*)::int FROM interactions i WHERE i.debtor_id = a.debtor_id AND i.outcome = 'promise') AS promises,
             (SELECT count(*)::int FROM interactions i WHERE i.debtor_id = a.debtor_id AND i.outcome = ANY(${textArray(RIGHT_PARTY_OUTCOMES)})
                 AND i.occurred_at >= ${since}::timestamptz) AS rpc30,
             (SELECT i.outcome = 'wrong_number' FROM interactions i WHERE i.debtor_id = a.debtor_id AND i.channel = 'call'
               ORDER BY i.occurred_at DESC LIMIT 1) AS wrong,
             ((d.email IS NOT NULL AND NOT EXISTS (SELECT 1 FROM consents k WHERE k.debtor_id = d.id AND k.channel = 'email' AND (k.opted_out_at IS NOT NULL OR k.status = 'denied')))
               OR (d.phone IS NOT NULL AND NOT EXISTS (SELECT 1 FROM consents k WHERE k.debtor_id = d.id AND k.channel = 'call' AND (k.opted_out_at IS NOT NULL OR k.status = 'denied')))
               OR (d.whatsapp IS NOT NULL AND NOT EXISTS (SELECT 1 FROM consents k WHERE k.debtor_id = d.id AND k.channel = 'whatsapp' AND (k.opted_out_at IS NOT NULL OR k.status = 'denied')))) AS reachable,
             (SELECT s.collector_id FROM assignments s WHERE s.portfolio_id = a.portfolio_id AND s.debtor_id = a.debtor_id AND s.valid_to IS NULL) AS collector_id
        FROM accounts a
        JOIN debtors d ON d.id = a.debtor_id
        CROSS JOIN LATERAL (
          SELECT b.key AS currency, b.value AS balance FROM jsonb_each_text(a.balances) b
           ORDER BY (b.key = ${company.defaultCurrency}) DESC, b.value::numeric DESC LIMIT 1) main
       WHERE a.company_id = ${c} AND a.phase <> 'settled' AND (a.portfolio_id, a.debtor_id) > (${after[0]}::bigint, ${after[1]}::bigint)
       ORDER BY a.portfolio_id, a.debtor_id
       LIMIT ${pageSize}`);
    if (rows.length === 0) break;
    const cols = { p: [] as number[], d: [] as number[], col: [] as Array<string | null>, cur: [] as string[], bal: [] as string[], score: [] as number[], exp: [] as string[], rank: [] as number[], feat: [] as string[] };
    for (const r of rows) {
      let exponent = 2;
      try {
        exponent = exponentOf(r.currency);
      } catch {
        // An unknown currency still gets a score; only the balance damping uses the exponent.
      }
      const features: AccountFeatures = {
        dpd: r.dpd,
        balance: BigInt(r.balance),
        currency: r.currency,
        exponent,
        brokenPromises: Number(r.broken),
        promisesTaken: Number(r.promises),
        reachable: r.reachable,
        rightPartyContacts30d: Number(r.rpc30),
        wrongNumber: r.wrong === true,
        onHold: r.on_hold,
      };
      const score = Math.min(1, Math.max(0, model.score(features)));
      const expected = expectedRecovery(features.balance, score);
      cols.p.push(Number(r.portfolio_id));
      cols.d.push(Number(r.debtor_id));
      cols.col.push(r.collector_id === null ? null : String(r.collector_id));
      cols.cur.push(r.currency);
      cols.bal.push(r.balance);
      cols.score.push(score);
      cols.exp.push(expected.toString());
      cols.rank.push(rankKey(expected, r.currency === company.defaultCurrency));
      cols.feat.push(JSON.stringify({ ...features, balance: r.balance }));
    }
    await ctx.database.db.execute(sql`
      INSERT INTO worklist_scores (company_id, portfolio_id, debtor_id, collector_id, currency, balance, score, expected_recovery, rank_key, model, features, as_of)
      SELECT ${c}, u.p, u.d, u.col, u.cur, u.bal, u.score, u.exp, u.rank, ${model.name}, u.feat::jsonb, ${asOf}::date
        FROM unnest(${bigintArray(cols.p)}, ${bigintArray(cols.d)}, ${sql.param(cols.col)}::bigint[], ${textArray(cols.cur)}, ${sql.param(cols.bal)}::bigint[],
                    ${sql.param(cols.score)}::real[], ${sql.param(cols.exp)}::bigint[], ${sql.param(cols.rank.map(String))}::bigint[], ${textArray(cols.feat)})
             AS u(p, d, col, cur, bal, score, exp, rank, feat)
      ON CONFLICT (portfolio_id, debtor_id) DO UPDATE SET
        collector_id = excluded.collector_id, currency = excluded.currency, balance = excluded.balance, score = excluded.score,
        expected_recovery = excluded.expected_recovery, rank_key = excluded.rank_key, model = excluded.model,
        features = excluded.features, as_of = excluded.as_of`);
    total += rows.length;
    const last = rows[rows.length - 1]!;
    after = [Number(last.portfolio_id), Number(last.debtor_id)];
    if (rows.length < pageSize) break;
  }
  // Whatever was not rewritten now owes nothing (settled) or left the portfolio.
  await ctx.database.db.execute(sql`DELETE FROM worklist_scores WHERE company_id = ${c} AND as_of <> ${asOf}::date`);
  return { accounts: total, model: model.name, durationMs: Math.round(performance.now() - started) };
}
