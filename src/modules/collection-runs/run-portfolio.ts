import { and, eq, inArray } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import { portfolios, runs, segments } from '../../db/schema.ts';
import { parseDate, type PlainDate } from '../../domain/calendar.ts';
import { compileRuleToSql, parseRule, type RuleAst } from '../../domain/segment-rules.ts';
import { AppError } from '../shared/errors.ts';
import type { Ctx } from '../shared/context.ts';
import { bucketCaseSql, sqlString, thresholdPhaseSql } from './sql-fragments.ts';

export interface RunSummary {
  id: number;
  asOf: PlainDate;
  status: 'succeeded' | 'failed' | 'running';
  portfolios: string[];
  accounts: number;
  phaseChanges: number;
  byPhase: Record<string, number>;
  durationMs: number;
  forced: boolean;
  error?: string;
}

/**
 * The daily run: as of a date, every account (debtor within a portfolio) gets its days past due, bucket, balances per
 * currency, phase and segments, in a few set-based statements inside one transaction. Running the same date again
 * gives the same result; an earlier date than the last run is refused unless forced.
 */
export async function runPortfolio(ctx: Ctx, options: { asOf: string; portfolio?: string | undefined; force?: boolean; runId?: number }): Promise<RunSummary> {
  const asOf = parseAsOf(options.asOf);
  const { db } = ctx.database;
  const started = ctx.clock.now();
  const runId = options.runId ?? (await createRun(ctx, { asOf, portfolioId: null, forced: !!options.force }));
  try {
    const scope = await db
      .select()
      .from(portfolios)
      .where(options.portfolio ? and(eq(portfolios.companyId, ctx.companyId), eq(portfolios.name, options.portfolio)) : eq(portfolios.companyId, ctx.companyId));
    if (options.portfolio && scope.length === 0) throw new AppError('not_found', `portfolio "${options.portfolio}" does not exist`);
    const ahead = scope.filter((p) => p.lastRunOn && p.lastRunOn > asOf);
    if (ahead.length > 0 && !options.force) {
      const p = ahead[0]!;
      throw new AppError(
        'run_out_of_order',
        `portfolio "${p.name}" was already run as of ${p.lastRunOn}; running the earlier date ${asOf} would rewind it. Use --force (API: "force": true) to do it anyway.`,
      );
    }
    if (options.portfolio) await db.update(runs).set({ portfolioId: scope[0]!.id }).where(eq(runs.id, runId));
    const portfolioIds = scope.map((p) => p.id);
    const segmentRows = await db.select().from(segments).where(eq(segments.companyId, ctx.companyId)).orderBy(segments.name);
    const stats = portfolioIds.length === 0 ? { accounts: 0, phaseChanges: 0, byPhase: {} } : await db.transaction(async (tx) => {
      // One run per company at a time; the lock is released with the transaction.
      await tx.execute(sql`SELECT pg_advisory_xact_lock(7261002, ${ctx.companyId}::int)`);
      const result = await executeRun(tx as unknown as Executor, ctx.companyId, portfolioIds, asOf, segmentRows);
      await tx.update(portfolios).set({ lastRunOn: asOf }).where(inArray(portfolios.id, portfolioIds));
      return result;
    });
    const finished = ctx.clock.now();
    const summary: RunSummary = {
      id: runId,
      asOf,
      status: 'succeeded',
      portfolios: scope.map((p) => p.name),
      ...stats,
      durationMs: finished.getTime() - started.getTime(),
      forced: !!options.force,
    };
    await db
      .update(runs)
      .set({ status: 'succeeded', finishedAt: finished, stats: { accounts: stats.accounts, phaseChanges: stats.phaseChanges, byPhase: stats.byPhase, portfolios: summary.portfolios } })
      .where(eq(runs.id, runId));
    return summary;
  } catch (error) {
    await db
      .update(runs)
      .set({ status: 'failed', finishedAt: ctx.clock.now(), error: error instanceof Error ? error.message : String(error) })
      .where(eq(runs.id, runId));
    throw error;
  }
}

/** Validates the date early so the API and CLI refuse "2026-02-30" with the same words. */
export function parseAsOf(input: string): PlainDate {
  try {
    return parseDate(input);
  } catch (error) {
    throw new AppError('validation_failed', `as-of date: ${(error as Error).message}`, [{ path: 'as_of', reason: (error as Error).message }]);
  }
}

/** Records a run as started; the API starts runs in the background and reports on this row. */
export async function createRun(ctx: Ctx, options: { asOf: PlainDate; portfolioId: number | null; forced: boolean }): Promise<number> {
  const [row] = await ctx.database.db
    .insert(runs)
    .values({ companyId: ctx.companyId, portfolioId: options.portfolioId, asOf: options.asOf, status: 'running', forced: options.forced, startedAt: ctx.clock.now() })
    .returning({ id: runs.id });
  return row!.id;
}

/** The facts columns the segment rules read, so the run aggregates only what is needed. */
function columnsUsed(rules: RuleAst[]): Set<string> {
  const used = new Set<string>();
  const walk = (node: RuleAst): void => {
    if (node.kind === 'and' || node.kind === 'or') node.operands.forEach(walk);
    else if (node.kind === 'not') walk(node.operand);
    else if (node.kind !== 'constant') used.add(node.field.kind === 'column' ? node.field.column : node.field.kind === 'money' ? node.field.column : 'attributes');
  };
  rules.forEach(walk);
  return used;
}

interface Executor {
  execute(statement: ReturnType<typeof sql>): Promise<unknown>;
}

async function rows<T>(tx: Executor, statement: ReturnType<typeof sql>): Promise<T[]> {
  return ((await tx.execute(statement)) as { rows: T[] }).rows;
}

async function executeRun(
  tx: Executor,
  companyId: number,
  portfolioIds: number[],
  asOf: PlainDate,
  segmentRows: Array<{ name: string; rule: string }>,
): Promise<{ accounts: number; phaseChanges: number; byPhase: Record<string, number> }> {
  const d = sql`${asOf}::date`;
  const ids = sql.raw(portfolioIds.map((n) => String(Math.trunc(n))).join(','));
  const segmentsSql = segmentRows.length
    ? `array_remove(ARRAY[${segmentRows.map((s) => `CASE WHEN ${compileRuleToSql(parseRule(s.rule), { alias: 'f' })} THEN ${sqlString(s.name)} END`).join(', ')}]::text[], NULL)`
    : `'{}'::text[]`;

  const needs = columnsUsed(segmentRows.map((r) => parseRule(r.rule)));
  const arrays = needs.has('products') || needs.has('kinds');
  const debtorColumns = ['tags', 'region', 'country', 'city', 'postal_code', 'type', 'attributes'].some((c) => needs.has(c));

  // Aggregations spill to disk under the default work_mem; this transaction is the one big query of the day.
  await tx.execute(sql`SET LOCAL work_mem = '256MB'`);
  await tx.execute(sql`DROP TABLE IF EXISTS run_facts`);
  // One scan of the portfolio's obligations (debtor columns are joined only when a segment rule reads them): per currency first (balance, overdue, worst DPD of the open ones),
  // then per account. Products and kinds owed are aggregated only when some segment rule reads them.
  await tx.execute(sql`
    CREATE TEMP TABLE run_facts ON COMMIT DROP AS
    WITH per_currency AS (
      SELECT o.portfolio_id, o.debtor_id, o.currency,
             max(${d} - o.due_on) FILTER (WHERE o.balance > 0) AS dpd,
             sum(o.balance) AS balance,
             sum(o.balance) FILTER (WHERE o.due_on < ${d}) AS overdue
        FROM obligations o
       WHERE o.company_id = ${companyId} AND o.portfolio_id IN (${ids})
       GROUP BY o.portfolio_id, o.debtor_id, o.currency
    ), per_account AS (
      SELECT portfolio_id, debtor_id, max(dpd) AS dpd,
             coalesce(jsonb_object_agg(currency, balance::text) FILTER (WHERE balance > 0), '{}'::jsonb) AS balances,
             coalesce(jsonb_object_agg(currency, overdue::text) FILTER (WHERE overdue > 0), '{}'::jsonb) AS overdue
        FROM per_currency GROUP BY portfolio_id, debtor_id
    ), owed AS (
      ${arrays
        ? sql`SELECT o.portfolio_id, o.debtor_id,
             coalesce(array_agg(DISTINCT o.product) FILTER (WHERE o.product IS NOT NULL), '{}') AS products,
             array_agg(DISTINCT o.kind) AS kinds
        FROM obligations o
       WHERE o.company_id = ${companyId} AND o.portfolio_id IN (${ids}) AND o.balance > 0
       GROUP BY o.portfolio_id, o.debtor_id`
        : sql`SELECT NULL::bigint AS portfolio_id, NULL::bigint AS debtor_id, NULL::text[] AS products, NULL::text[] AS kinds WHERE false`}
    ), held AS (
      SELECT DISTINCT h.debtor_id FROM holds h
       WHERE h.company_id = ${companyId} AND h.released_at IS NULL AND h.starts_on <= ${d}
         AND (h.expires_on IS NULL OR h.expires_on > ${d})
    ), facts AS (
      SELECT a.portfolio_id, a.debtor_id, a.dpd AS days_past_due,
             ${sql.raw(bucketCaseSql('a.dpd'))} AS bucket,
             a.balances, a.overdue,
             coalesce(ow.products, '{}'::text[]) AS products, coalesce(ow.kinds, '{}'::text[]) AS kinds,
             ${debtorColumns
               ? sql`db.tags, db.region, db.country::text AS country, db.city, db.postal_code, db.type, db.attributes,`
               : sql`NULL::text[] AS tags, NULL::text AS region, NULL::text AS country, NULL::text AS city, NULL::text AS postal_code, NULL::text AS type, NULL::jsonb AS attributes,`}
             (h.debtor_id IS NOT NULL) AS on_hold,
             CASE WHEN prev.as_of < ${d} THEN prev.phase ELSE prev.previous_phase END AS base_phase,
             CASE WHEN prev.as_of < ${d} THEN prev.phase_since ELSE prev.previous_phase_since END AS base_phase_since,
             CASE WHEN prev.manual_phase IS NOT NULL AND (prev.manual_phase_until IS NULL OR prev.manual_phase_until >= ${d})
                  THEN prev.manual_phase END AS manual_phase,
             ${sql.raw(thresholdPhaseSql('a.dpd', 'p'))} AS rule_phase
        FROM per_account a
        ${debtorColumns ? sql`JOIN debtors db ON db.id = a.debtor_id` : sql``}
        JOIN portfolios p ON p.id = a.portfolio_id
        LEFT JOIN owed ow ON ow.portfolio_id = a.portfolio_id AND ow.debtor_id = a.debtor_id
        LEFT JOIN held h ON h.debtor_id = a.debtor_id
        LEFT JOIN accounts prev ON prev.portfolio_id = a.portfolio_id AND prev.debtor_id = a.debtor_id
    )
    -- Precedence (domain/aging.ts accountPhase): settled > manual > frozen by a hold > thresholds.
    SELECT f.*,
           CASE WHEN f.days_past_due IS NULL THEN 'settled'
                WHEN f.manual_phase IS NOT NULL THEN f.manual_phase
                WHEN f.on_hold AND f.base_phase IS NOT NULL AND f.base_phase <> 'settled' THEN f.base_phase
                ELSE f.rule_phase END AS phase,
           CASE WHEN f.days_past_due IS NULL THEN 'settled'
                WHEN f.manual_phase IS NOT NULL THEN 'manual'
                WHEN f.on_hold AND f.base_phase IS NOT NULL AND f.base_phase <> 'settled' THEN 'hold'
                ELSE 'rule' END AS phase_source
      FROM facts f`);

  const upserted = await rows<{ n: number }>(tx, sql`
    WITH up AS (
      INSERT INTO accounts AS acc (company_id, portfolio_id, debtor_id, as_of, phase, phase_since, previous_phase,
                            previous_phase_since, phase_source, days_past_due, bucket, balances, overdue, segments, on_hold, updated_at)
      SELECT ${companyId}, f.portfolio_id, f.debtor_id, ${d}, f.phase,
             CASE WHEN f.phase = f.base_phase THEN f.base_phase_since ELSE ${d} END,
             f.base_phase, f.base_phase_since, f.phase_source, f.days_past_due, f.bucket, f.balances, f.overdue,
             ${sql.raw(segmentsSql)}, f.on_hold, now()
        FROM run_facts f
      ON CONFLICT (portfolio_id, debtor_id) DO UPDATE SET
        as_of = excluded.as_of, phase = excluded.phase, phase_since = excluded.phase_since,
        previous_phase = excluded.previous_phase, previous_phase_since = excluded.previous_phase_since,
        phase_source = excluded.phase_source, days_past_due = excluded.days_past_due, bucket = excluded.bucket,
        balances = excluded.balances, overdue = excluded.overdue, segments = excluded.segments,
        on_hold = excluded.on_hold, updated_at = excluded.updated_at
      RETURNING 1)
    SELECT count(*)::int AS n FROM up`);

  await tx.execute(sql`
    DELETE FROM phase_changes WHERE company_id = ${companyId} AND as_of = ${d} AND cause IN ('rule','settled','hold','manual')
       AND actor = 'run' AND portfolio_id IN (${ids})`);
  const changed = await rows<{ n: number }>(tx, sql`
    WITH ins AS (
      INSERT INTO phase_changes (company_id, portfolio_id, debtor_id, as_of, from_phase, to_phase, cause, actor)
      SELECT company_id, portfolio_id, debtor_id, as_of, previous_phase, phase, phase_source, 'run'
        FROM accounts
       WHERE company_id = ${companyId} AND portfolio_id IN (${ids}) AND as_of = ${d}
         AND phase IS DISTINCT FROM previous_phase
      RETURNING 1)
    SELECT count(*)::int AS n FROM ins`);

  await tx.execute(sql`DELETE FROM account_snapshots WHERE company_id = ${companyId} AND as_of = ${d} AND portfolio_id IN (${ids})`);
  await tx.execute(sql`
    INSERT INTO account_snapshots (company_id, as_of, portfolio_id, debtor_id, phase, days_past_due, bucket, balances, segments)
    SELECT company_id, as_of, portfolio_id, debtor_id, phase, days_past_due, bucket, balances, segments
      FROM accounts WHERE company_id = ${companyId} AND portfolio_id IN (${ids}) AND as_of = ${d}`);

  const phaseCounts = await rows<{ phase: string; n: number }>(tx, sql`
    SELECT phase, count(*)::int AS n FROM run_facts GROUP BY phase ORDER BY phase`);
  const byPhase: Record<string, number> = {};
  for (const r of phaseCounts) byPhase[r.phase] = Number(r.n);
  return { accounts: Number(upserted[0]?.n ?? 0), phaseChanges: Number(changed[0]?.n ?? 0), byPhase };
}
