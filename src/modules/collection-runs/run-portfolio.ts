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
    const outcome = portfolioIds.length === 0 ? { accounts: 0, phaseChanges: 0, byPhase: {}, newAccounts: 0 } : await db.transaction(async (tx) => {
      // One run per company at a time; the lock is released with the transaction.
      await tx.execute(sql`SELECT pg_advisory_xact_lock(7261002, ${ctx.companyId}::int)`);
      const result = await executeRun(tx as unknown as Executor, ctx.companyId, portfolioIds, asOf, segmentRows);
      await tx.update(portfolios).set({ lastRunOn: asOf }).where(inArray(portfolios.id, portfolioIds));
      return result;
    });
    const { newAccounts, ...stats } = outcome;
    // Planning reads accounts right after the run; without fresh statistics after a run that created many accounts
    // (a portfolio's first run, a large new load) the planner guesses a handful of rows and picks nested loops that
    // grow quadratically with the portfolio. A day that only updated existing accounts leaves row counts as they were,
    // and the statistics stay good enough until autovacuum refreshes them; analysing there cost as much as a fifth
    // of the run.
    if (newAccounts >= ANALYZE_AFTER_ACCOUNTS) await db.execute(sql`ANALYZE accounts, account_snapshots`);
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

/** Runs that create at least this many accounts refresh the planner statistics of accounts and snapshots. */
const ANALYZE_AFTER_ACCOUNTS = 10_000;

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
): Promise<{ accounts: number; phaseChanges: number; byPhase: Record<string, number>; newAccounts: number }> {
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

  // The date's history is replaced, not duplicated. Every account whose as_of is this date got its snapshot from the
  // run that set it (only runs write as_of, and only a run of the same date deletes that date's snapshots), so when no
  // snapshot of the date existed, no account outside this run's facts can carry the date either.
  await tx.execute(sql`
    DELETE FROM phase_changes WHERE company_id = ${companyId} AND as_of = ${d} AND cause IN ('rule','settled','hold','manual')
       AND actor = 'run' AND portfolio_id IN (${ids})`);
  const [replaced] = await rows<{ n: number }>(tx, sql`
    WITH gone AS (DELETE FROM account_snapshots WHERE company_id = ${companyId} AND as_of = ${d} AND portfolio_id IN (${ids}) RETURNING 1)
    SELECT count(*)::int AS n FROM gone`);
  const rerun = Number(replaced?.n ?? 0) > 0;

  // The planner has no statistics for the CTEs below and guesses a few thousand accounts, which makes it look up each
  // account's previous row with an index probe per account; one scan of accounts in a hash join is much cheaper. JIT
  // compilation of this large statement costs more CPU than it saves: the time goes into writing rows, not into
  // evaluating expressions. Only this transaction is affected (SET LOCAL); nothing in it after the run needs either.
  await tx.execute(sql`SET LOCAL enable_nestloop = off`);
  await tx.execute(sql`SET LOCAL jit = off`);

  // One statement: one scan of the portfolio's obligations aggregated per account (debtor columns are joined only when
  // a segment rule reads them; products and kinds owed are aggregated only when some rule reads them), the phase with
  // its precedence, the upsert of accounts, and the day's snapshots and phase changes written from what the upsert
  // returned. An account almost always owes in one currency, so balances are built from the per-account sums; only
  // accounts with several currencies are aggregated per currency again (the join is empty otherwise, and PostgreSQL
  // then skips its scan).
  const dated = rerun ? sql`dated` : sql`up`;
  const [result] = await rows<{ changes: number; fresh: number; phases: Array<[string, number]> | string }>(tx, sql`
    WITH agg AS (
      SELECT o.portfolio_id, o.debtor_id, min(o.currency) AS currency, max(o.currency) AS last_currency,
             max(${d} - o.due_on) FILTER (WHERE o.balance > 0) AS dpd,
             sum(o.balance) AS balance,
             sum(o.balance) FILTER (WHERE o.due_on < ${d}) AS overdue
        FROM obligations o
       WHERE o.company_id = ${companyId} AND o.portfolio_id IN (${ids})
       GROUP BY o.portfolio_id, o.debtor_id
    ), multi AS (
      SELECT portfolio_id, debtor_id,
             coalesce(jsonb_object_agg(currency, balance::text) FILTER (WHERE balance > 0), '{}'::jsonb) AS balances,
             coalesce(jsonb_object_agg(currency, overdue::text) FILTER (WHERE overdue > 0), '{}'::jsonb) AS overdue
        FROM (SELECT o.portfolio_id, o.debtor_id, o.currency,
                     sum(o.balance) AS balance,
                     sum(o.balance) FILTER (WHERE o.due_on < ${d}) AS overdue
                FROM obligations o
                JOIN agg m ON m.portfolio_id = o.portfolio_id AND m.debtor_id = o.debtor_id AND m.currency <> m.last_currency
               WHERE o.company_id = ${companyId} AND o.portfolio_id IN (${ids})
               GROUP BY o.portfolio_id, o.debtor_id, o.currency) per_currency
       GROUP BY portfolio_id, debtor_id
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
             CASE WHEN a.currency <> a.last_currency THEN m.balances
                  WHEN a.balance > 0 THEN jsonb_build_object(a.currency, a.balance::text) ELSE '{}'::jsonb END AS balances,
             CASE WHEN a.currency <> a.last_currency THEN m.overdue
                  WHEN a.overdue > 0 THEN jsonb_build_object(a.currency, a.overdue::text) ELSE '{}'::jsonb END AS overdue,
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
        FROM agg a
        ${debtorColumns ? sql`JOIN debtors db ON db.id = a.debtor_id` : sql``}
        JOIN portfolios p ON p.id = a.portfolio_id
        LEFT JOIN multi m ON m.portfolio_id = a.portfolio_id AND m.debtor_id = a.debtor_id
        LEFT JOIN owed ow ON ow.portfolio_id = a.portfolio_id AND ow.debtor_id = a.debtor_id
        LEFT JOIN held h ON h.debtor_id = a.debtor_id
        LEFT JOIN accounts prev ON prev.portfolio_id = a.portfolio_id AND prev.debtor_id = a.debtor_id
    ), placed AS (
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
        FROM facts f
    ), up AS (
      INSERT INTO accounts AS acc (company_id, portfolio_id, debtor_id, as_of, phase, phase_since, previous_phase,
                            previous_phase_since, phase_source, days_past_due, bucket, balances, overdue, segments, on_hold, updated_at)
      SELECT ${companyId}, f.portfolio_id, f.debtor_id, ${d}, f.phase,
             CASE WHEN f.phase = f.base_phase THEN f.base_phase_since ELSE ${d} END,
             f.base_phase, f.base_phase_since, f.phase_source, f.days_past_due, f.bucket, f.balances, f.overdue,
             ${sql.raw(segmentsSql)}, f.on_hold, now()
        FROM placed f
       -- In key order, the probes and inserts into the indexes of accounts and account_snapshots touch neighbouring
       -- pages one after another instead of jumping across the whole index for every row.
       ORDER BY f.portfolio_id, f.debtor_id
      ON CONFLICT (portfolio_id, debtor_id) DO UPDATE SET
        as_of = excluded.as_of, phase = excluded.phase, phase_since = excluded.phase_since,
        previous_phase = excluded.previous_phase, previous_phase_since = excluded.previous_phase_since,
        phase_source = excluded.phase_source, days_past_due = excluded.days_past_due, bucket = excluded.bucket,
        balances = excluded.balances, overdue = excluded.overdue, segments = excluded.segments,
        on_hold = excluded.on_hold, updated_at = excluded.updated_at
      RETURNING acc.company_id, acc.as_of, acc.portfolio_id, acc.debtor_id, acc.phase, acc.previous_phase, acc.phase_source,
                acc.days_past_due, acc.bucket, acc.balances, acc.segments, (acc.xmax = 0) AS fresh
    )${rerun
      ? sql`, dated AS (
      -- Every account of the portfolios as of this date: the ones just placed and any that carry the date from its
      -- earlier run but owe nothing here any more.
      SELECT * FROM up
      UNION ALL
      SELECT a.company_id, a.as_of, a.portfolio_id, a.debtor_id, a.phase, a.previous_phase, a.phase_source,
             a.days_past_due, a.bucket, a.balances, a.segments, false
        FROM accounts a
       WHERE a.company_id = ${companyId} AND a.portfolio_id IN (${ids}) AND a.as_of = ${d}
         AND NOT EXISTS (SELECT 1 FROM agg x WHERE x.portfolio_id = a.portfolio_id AND x.debtor_id = a.debtor_id)
    )`
      : sql``}, snapshots AS (
      INSERT INTO account_snapshots (company_id, as_of, portfolio_id, debtor_id, phase, days_past_due, bucket, balances, segments)
      SELECT company_id, as_of, portfolio_id, debtor_id, phase, days_past_due, bucket, balances, segments
        FROM ${dated}
    ), changes AS (
      INSERT INTO phase_changes (company_id, portfolio_id, debtor_id, as_of, from_phase, to_phase, cause, actor)
      SELECT company_id, portfolio_id, debtor_id, as_of, previous_phase, phase, phase_source, 'run'
        FROM ${dated}
       WHERE phase IS DISTINCT FROM previous_phase
      RETURNING 1
    )
    SELECT (SELECT count(*)::int FROM changes) AS changes, (SELECT count(*)::int FROM up WHERE fresh) AS fresh,
           (SELECT coalesce(json_agg(json_build_array(phase, n) ORDER BY phase), '[]'::json)
              FROM (SELECT phase, count(*)::int AS n FROM up GROUP BY phase) per_phase) AS phases`);

  const phases = (typeof result?.phases === 'string' ? JSON.parse(result.phases) : (result?.phases ?? [])) as Array<[string, number]>;
  const byPhase: Record<string, number> = {};
  let accounts = 0;
  for (const [phase, n] of phases) {
    byPhase[phase] = Number(n);
    accounts += Number(n);
  }
  return { accounts, phaseChanges: Number(result?.changes ?? 0), byPhase, newAccounts: Number(result?.fresh ?? 0) };
}
