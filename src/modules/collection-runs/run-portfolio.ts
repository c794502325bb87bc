import { and, DrizzleQueryError, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/connection.ts';
import { portfolios, runs, segments } from '../../db/schema.ts';
import { dateInZone, parseDate, type PlainDate } from '../../domain/calendar.ts';
import { compileRuleToSql, parseRule, type RuleAst } from '../../domain/segment-rules.ts';
import { AppError, invalidInput, notFound, t } from '../shared/errors.ts';
import type { Ctx } from '../shared/context.ts';
import { companyOf } from './company.ts';
import { recordRunningRun, trackRun, type RunStage } from './run-liveness.ts';
import { bucketCaseSql, issuedBy, paidAfterPerObligation, paymentsAfter, portfolioHoldsDocuments, sqlString, thresholdPhaseSql } from './sql-fragments.ts';

/**
 * The portfolio that makes a run as of `asOf` a rewind, as the refusal names it (the CLI's and the API's alike):
 * of those already run for a later date, one holding documents before an empty one (an unused "default" is run
 * along with the others, but is not what the reader rewinds), then the latest run, then by name.
 */
export async function runAhead<P extends { id: number; name: string; lastRunOn: string | null }>(ctx: Ctx, scope: readonly P[], asOf: PlainDate): Promise<P | undefined> {
  const ahead = scope.filter((p) => p.lastRunOn !== null && p.lastRunOn > asOf);
  if (ahead.length <= 1) return ahead[0];
  // One probe per portfolio, however many documents it holds.
  const used = await ctx.database.db
    .select({ id: portfolios.id })
    .from(portfolios)
    .where(and(eq(portfolios.companyId, ctx.companyId), inArray(portfolios.id, ahead.map((p) => p.id)), portfolioHoldsDocuments()));
  const inUse = new Set(used.map((u) => u.id));
  return [...ahead].sort(
    (a, b) => Number(inUse.has(b.id)) - Number(inUse.has(a.id)) || (b.lastRunOn! > a.lastRunOn! ? 1 : b.lastRunOn! < a.lastRunOn! ? -1 : 0) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  )[0];
}

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
 * currency, phase and segments, in a few set-based statements inside one transaction; only what changed is written
 * (ADR 0003). Running the same date again gives the same result; an earlier date than the last run is refused unless
 * forced, and a date after the company's today is always refused ({@link refuseFutureRun}). The run's row records the outcome in that transaction: a run whose process dies changed nothing, and its row,
 * still "running", is found and marked failed (run-liveness.ts). It reports the stage it enters to this process's
 * readers (between statements: nothing is added to them).
 */
export async function runPortfolio(ctx: Ctx, options: { asOf: string; portfolio?: string | undefined; force?: boolean; runId?: number }): Promise<RunSummary> {
  const asOf = parseAsOf(options.asOf);
  const { db } = ctx.database;
  const started = ctx.clock.now();
  // Like an impossible date, a future one is refused before anything is recorded; a run the API recorded (it checked
  // the date before answering) is checked again below and marked failed if the date is refused now.
  let today = options.runId === undefined ? await refuseFutureRun(ctx, asOf) : asOf;
  const runId = options.runId ?? (await createRun(ctx, { asOf, portfolioId: null, forced: !!options.force }));
  const tracker = trackRun(ctx, runId);
  const stage = (entered: RunStage) => tracker.progress({ stage: entered });
  stage('preparing');
  let recorded = false;
  try {
    if (options.runId !== undefined) today = await refuseFutureRun(ctx, asOf);
    const scope = await db
      .select()
      .from(portfolios)
      .where(options.portfolio ? and(eq(portfolios.companyId, ctx.companyId), eq(portfolios.name, options.portfolio)) : eq(portfolios.companyId, ctx.companyId));
    if (options.portfolio && scope.length === 0) throw notFound('portfolio', options.portfolio);
    const p = options.force ? undefined : await runAhead(ctx, scope, asOf);
    if (p) {
      throw new AppError(
        'run_out_of_order',
        t(`portfolio "${p.name}" was already run as of ${p.lastRunOn}; running the earlier date ${asOf} would rewind it. Use --force (API: "force": true) to do it anyway.`, `la cartera "${p.name}" ya se corrió con fecha de corte ${p.lastRunOn}; correr la fecha anterior ${asOf} la haría retroceder. Use --force (API: "force": true) para hacerlo de todos modos.`),
      );
    }
    if (options.portfolio) await db.update(runs).set({ portfolioId: scope[0]!.id }).where(eq(runs.id, runId));
    const portfolioIds = scope.map((p) => p.id);
    const segmentRows = await db.select().from(segments).where(eq(segments.companyId, ctx.companyId)).orderBy(segments.name);
    /** Records the run as succeeded with `executor` (the run's transaction, when there is one) and sums it up. */
    const succeed = async (executor: Db, stats: Pick<RunSummary, 'accounts' | 'phaseChanges' | 'byPhase'>): Promise<RunSummary> => {
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
      await executor
        .update(runs)
        .set({ status: 'succeeded', finishedAt: finished, stats: { accounts: stats.accounts, phaseChanges: stats.phaseChanges, byPhase: stats.byPhase, portfolios: summary.portfolios } })
        .where(eq(runs.id, runId));
      return summary;
    };
    const inTransaction = async () => {
      stage('waiting');
      return db.transaction(async (tx) => {
        // One run per company at a time; the lock is released with the transaction.
        await tx.execute(sql`SELECT pg_advisory_xact_lock(7261002, ${ctx.companyId}::int)`);
        stage('accounts');
        const { newAccounts, ...stats } = await executeRun(tx as unknown as Executor, ctx.companyId, portfolioIds, asOf, asOf < today, segmentRows, stage);
        await tx.update(portfolios).set({ lastRunOn: asOf }).where(inArray(portfolios.id, portfolioIds));
        return { summary: await succeed(tx as unknown as Db, stats), newAccounts };
      });
    };
    const { summary, newAccounts } =
      portfolioIds.length === 0 ? { summary: await succeed(db, { accounts: 0, phaseChanges: 0, byPhase: {} }), newAccounts: 0 } : await inTransaction();
    recorded = true;
    // Planning reads accounts right after the run; without fresh statistics after a run that created many accounts
    // (a portfolio's first run, a large new load) the planner guesses a handful of rows and picks nested loops that
    // grow quadratically with the portfolio. A day that only updated existing accounts leaves row counts as they were,
    // and the statistics stay good enough until autovacuum refreshes them; analysing there cost as much as a fifth
    // of the run. Only the columns queries filter and join on: the JSON and array columns cost most of an ANALYZE.
    // Those columns have a few distinct values (company, portfolio, phase, run dates) or one per account (debtor), so
    // a sample of 3,000 rows describes them as well as the default 30,000, for a quarter of the cost (ADR 0003 note of
    // 2026-11-25); autovacuum analyses with the default sample once a tenth of the rows have changed.
    // The run is recorded by now: statistics that could not be refreshed wait for autovacuum.
    if (newAccounts >= ANALYZE_AFTER_ACCOUNTS) {
      stage('statistics');
      await db
        .transaction(async (tx) => {
          await tx.execute(sql`SELECT set_config('default_statistics_target', ${String(RUN_STATISTICS_TARGET)}, true)`);
          await tx.execute(sql`ANALYZE account_states (company_id, portfolio_id, debtor_id, phase, left_as_of), account_history (portfolio_id, debtor_id, valid_from, valid_to)`);
        })
        .catch(() => undefined);
    }
    return summary;
  } catch (caught) {
    // A statement that failed in the database says why without its SQL (hundreds of lines nobody can act on).
    const error = caught instanceof DrizzleQueryError && caught.cause instanceof Error ? new Error(`the run as of ${asOf} failed and changed nothing: ${caught.cause.message}`, { cause: caught }) : caught;
    if (!recorded) {
      await db
        .update(runs)
        .set({ status: 'failed', finishedAt: ctx.clock.now(), error: error instanceof Error ? error.message : String(error) })
        .where(eq(runs.id, runId));
    }
    throw error;
  } finally {
    await tracker.stop();
  }
}

/** Validates the date early so the API and CLI refuse "2026-02-30" with the same words. */
export function parseAsOf(input: string): PlainDate {
  try {
    return parseDate(input);
  } catch (error) {
    throw invalidInput(error, 'as_of', t('as-of date', 'fecha de corte'));
  }
}

/**
 * Refuses a run as of a date after the company's today: its calendar date in its time zone, by the injected clock.
 * A future date is never a real run (nothing is known yet of what happens until then), and once stored it would make
 * every run of a real day look like a rewind; so no "force" overrides this. Today itself is accepted.
 */
export async function refuseFutureRun(ctx: Ctx, asOf: PlainDate): Promise<PlainDate> {
  const { timeZone } = await companyOf(ctx);
  const today = dateInZone(ctx.clock.now(), timeZone);
  if (asOf <= today) return today;
  const reason = t(
    `it is after today (${today} in ${timeZone}); a run can only be as of today or an earlier date`,
    `es posterior a hoy (${today} en ${timeZone}); una corrida solo puede tener como fecha de corte hoy o una fecha anterior`,
  );
  throw new AppError('run_date_in_future', t(`as-of date ${asOf}: ${reason.en}`, `fecha de corte ${asOf}: ${reason.es}`), [{ path: 'as_of', reason }]);
}

/**
 * Records a run as started, as this process's (run-liveness.ts): {@link runPortfolio} with its id must follow. The API
 * starts runs in the background and reports on this row.
 */
export async function createRun(ctx: Ctx, options: { asOf: PlainDate; portfolioId: number | null; forced: boolean }): Promise<number> {
  const row = await recordRunningRun(ctx.database, async () => {
    const [inserted] = await ctx.database.db
      .insert(runs)
      .values({ companyId: ctx.companyId, portfolioId: options.portfolioId, asOf: options.asOf, status: 'running', forced: options.forced, startedAt: ctx.clock.now(), heartbeatAt: sql`now()` })
      .returning();
    return inserted!;
  });
  return row.id;
}

/** Runs that create at least this many accounts refresh the planner statistics of account_states and account_history. */
const ANALYZE_AFTER_ACCOUNTS = 10_000;
/** The statistics target of that ANALYZE: it samples 300 rows per unit (PostgreSQL's default target is 100). */
const RUN_STATISTICS_TARGET = 10;

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
  /** Whether the date is before the company's today: balances are then read as they stood on it. */
  past: boolean,
  segmentRows: Array<{ name: string; rule: string }>,
  stage: (entered: RunStage) => void,
): Promise<{ accounts: number; phaseChanges: number; byPhase: Record<string, number>; newAccounts: number }> {
  const d = sql`${asOf}::date`;
  const ids = sql.raw(portfolioIds.map((n) => String(Math.trunc(n))).join(','));

  // Aggregations spill to disk under the default work_mem; this transaction is the one big query of the day. The
  // planner has no statistics for the CTEs of the big statement and guesses a few thousand accounts, which makes it
  // look up each account's stored row with an index probe per account; one scan of account_states in a hash join is
  // much cheaper. JIT compilation of this large statement costs more CPU than it saves. Only this transaction is
  // affected (set_config(…, true) is SET LOCAL), and the statements applying the history's changes turn nested loops
  // back on.
  await tx.execute(sql`SELECT set_config('work_mem', '256MB', true), set_config('enable_nestloop', 'off', true), set_config('jit', 'off', true)`);

  // A day after the latest one every portfolio was run for, by a run that was itself that latest day: the history's
  // current rows then hold what account_states holds, so the run compares with account_states alone and writes only
  // what changed. Any other date (the same date again, an earlier one with --force, the first run after such a one)
  // compares with the history rows holding the date itself and keeps the later dates' history as it was.
  // A date before today may have payments dated after it, whose allocations are then still owed on it.
  const [mode] = await rows<{ following: boolean; first: boolean; paid_after: boolean }>(tx, sql`
    SELECT coalesce(bool_and(r.latest IS NULL OR (r.latest = p.last_run_on AND r.latest < ${d})), true) AS following,
           NOT EXISTS (SELECT 1 FROM account_states s WHERE s.portfolio_id IN (${ids})) AS first,
           ${past ? sql`EXISTS (${paymentsAfter(companyId, d)})` : sql`false`} AS paid_after
      FROM portfolios p
      LEFT JOIN LATERAL (SELECT max(x.as_of) AS latest FROM portfolio_run_days x WHERE x.portfolio_id = p.id) r ON true
     WHERE p.id IN (${ids})`);
  const following = mode?.following !== false;
  // No account stored yet (the portfolios' first run): every account is written.
  const first = mode?.first === true;
  const paidAfter = mode?.paid_after === true;

  // The date's phase history is replaced, not duplicated (a following day has none yet).
  if (!following) {
    await tx.execute(sql`
      DELETE FROM phase_changes WHERE company_id = ${companyId} AND as_of = ${d} AND cause IN ('rule','settled','hold','manual')
         AND actor = 'run' AND portfolio_id IN (${ids})`);
  }
  // History rows to close (and, on any date but a following day, to split or replace) and accounts that left are
  // collected here and applied by the statements after the big one: a handful of index probes, which the big
  // statement could only do as full scans. A first placement on a following day has nothing to close.
  const firstPlacement = first && following;
  if (!firstPlacement) await tx.execute(sql`
    CREATE TEMP TABLE run_history_delta (
      portfolio_id bigint NOT NULL, debtor_id bigint NOT NULL, present boolean NOT NULL DEFAULT false,
      phase text, oldest_due_on date, balances jsonb, segments text[],
      cov_from date, cov_to date, cov_phase text, cov_oldest_due_on date, cov_balances jsonb, cov_segments text[], next_day date,
      left_as_of date
    ) ON COMMIT DROP`);

  const [result] = await rows<{ changes: number; fresh: number; closing: number; phases: Array<[string, number]> | string }>(
    tx,
    firstPlacement ? placeFirstAccounts({ companyId, ids, d, paidAfter, segmentRows }) : placeAccounts({ companyId, ids, d, following, first, paidAfter, segmentRows }),
  );

  if (Number(result?.closing ?? 0) > 0) {
    stage('history');
    // A few accounts: each row is found through its primary key.
    await tx.execute(sql`SET LOCAL enable_nestloop = on`);
    await tx.execute(following ? closeHistory(d) : rewriteHistory(companyId, d));
  }

  const phases = (typeof result?.phases === 'string' ? JSON.parse(result.phases) : (result?.phases ?? [])) as Array<[string, number]>;
  const byPhase: Record<string, number> = {};
  let accounts = 0;
  for (const [phase, n] of phases) {
    byPhase[phase] = Number(n);
    accounts += Number(n);
  }
  return { accounts, phaseChanges: Number(result?.changes ?? 0), byPhase, newAccounts: Number(result?.fresh ?? 0) };
}

/** The columns both run statements write an account's state into, in the order their SELECTs give them. */
const STATE_COLUMNS = sql.raw(`(company_id, portfolio_id, debtor_id, left_as_of, phase, phase_since, previous_phase,
                            previous_phase_since, phase_source, oldest_due_on, balances, overdue, amounts_currency,
                            balance_sum, overdue_sum, segments, on_hold, recorded_phase, updated_at)`);

/** The columns of a history range, as every statement that writes one gives them. */
const HISTORY_COLUMNS = sql.raw('(company_id, portfolio_id, debtor_id, valid_from, valid_to, phase, oldest_due_on, balances, segments)');

/** Records date `d` as a run date of the portfolios `ids` (once). */
function recordRunDay(companyId: number, ids: SQL, d: SQL) {
  return sql`
      INSERT INTO portfolio_run_days (company_id, portfolio_id, as_of)
      SELECT ${companyId}, p.id, ${d} FROM portfolios p WHERE p.id IN (${ids})
      ON CONFLICT DO NOTHING`;
}

/** The accounts of `placed` (a CTE, with its condition) per phase, as `[[phase, n], …]` JSON in phase order. */
function accountsPerPhase(placed: SQL) {
  return sql`(SELECT coalesce(json_agg(json_build_array(phase, n) ORDER BY phase), '[]'::json)
              FROM (SELECT phase, count(*)::int AS n FROM ${placed} GROUP BY phase) per_phase)`;
}

/**
 * What both statements of the run share: the per-account aggregate of the obligations and the CTEs beside it
 * (`aggregates`, for a WITH list), the columns each account is judged on (`columns`, from `agg a` and the `joins`; a
 * segment rule reads them as alias `f`), and the account's balances and overdue as JSON from those columns.
 */
function accountFacts(o: { companyId: number; ids: SQL; d: SQL; segmentRows: Array<{ name: string; rule: string }>; sortOnce: boolean; paidAfter: boolean }) {
  const { companyId, ids, d, segmentRows, sortOnce, paidAfter } = o;
  // The obligations as they stood on the run's date, as the aging report reads them: only those issued by then, each
  // owing what it owes now plus what payments made after the date paid of it. Those payments exist only for a date
  // before today (a missed day caught up, a forced re-run), and are joined only when there are some.
  // In the per-account aggregates: what later payments paid, per obligation, joined once.
  const laterJoin = (x: string) => (paidAfter ? sql`LEFT JOIN later ON later.obligation_id = ${sql.raw(x)}.id` : sql``);
  const balanceOn = (x: string) => (paidAfter ? sql`(${sql.raw(x)}.balance + coalesce(later.amount, 0))` : sql.raw(`${x}.balance`));
  const segmentsSql = segmentRows.length
    ? `array_remove(ARRAY[${segmentRows.map((s) => `CASE WHEN ${compileRuleToSql(parseRule(s.rule), { alias: 'f' })} THEN ${sqlString(s.name)} END`).join(', ')}]::text[], NULL)`
    : `'{}'::text[]`;
  const needs = columnsUsed(segmentRows.map((r) => parseRule(r.rule)));
  const arrays = needs.has('products') || needs.has('kinds');
  const debtorColumns = ['tags', 'region', 'country', 'city', 'postal_code', 'type', 'attributes'].some((c) => needs.has(c));
  // Balances and overdue as JSON are built for every account only when a segment rule reads them; otherwise only for
  // the accounts written, and compared through their sums (see account_states.amounts_currency).
  const moneyRules = needs.has('balances') || needs.has('overdue');
  // An account's amounts per currency as JSON of minor units (currencies with a positive amount only). An account
  // owing in several currencies (rare) gets them from its own obligations, looked up once and only for it (the
  // `multi_` columns of facts); every other account's one currency and sum come from the aggregate.
  const perCurrency = (kind: 'balance' | 'overdue') => sql`(CASE WHEN NOT a.single THEN (
               SELECT coalesce(jsonb_object_agg(y.currency, y.amount::text) FILTER (WHERE y.amount > 0), '{}'::jsonb)
                 FROM (SELECT ob.currency, sum(${paidAfter ? sql`ob.balance + coalesce((
                                 -- Looked up through the debtor's allocations (few), against the later payments hashed once.
                                 SELECT sum(al.amount) FROM payment_allocations al
                                  WHERE al.debtor_id = ob.debtor_id AND al.obligation_id = ob.id AND al.payment_id IN (${paymentsAfter(companyId, d)})), 0)` : sql`ob.balance`})
                              ${kind === 'overdue' ? sql`FILTER (WHERE ob.due_on < ${d})` : sql``} AS amount
                         FROM obligations ob
                        WHERE ob.debtor_id = a.debtor_id AND ob.portfolio_id = a.portfolio_id AND ob.company_id = ${companyId} AND ${issuedBy('ob', d)}
                        GROUP BY ob.currency) y) END)`;
  const amounts = (kind: 'balance' | 'overdue', x: string) => {
    const column = (name: string) => sql.raw(`${x}.${name}`);
    return sql`(CASE WHEN NOT ${column('single')} THEN ${column(`multi_${kind}`)}
             WHEN ${column(`${kind}_sum`)} > 0 THEN jsonb_build_object(${column('currency')}, ${column(`${kind}_sum`)}::text) ELSE '{}'::jsonb END)`;
  };
  // With a segment rule reading them, facts has them for every account; otherwise they are built where written.
  const balancesOf = (x: string) => (moneyRules ? sql.raw(`${x}.balances`) : amounts('balance', x));
  const overdueOf = (x: string) => (moneyRules ? sql.raw(`${x}.overdue`) : amounts('overdue', x));
  return {
    balancesOf,
    overdueOf,
    segments: sql.raw(segmentsSql),
    aggregates: sql`${paidAfter
      ? sql`later AS (${paidAfterPerObligation(companyId, d)}), `
      : sql``}agg AS (
      SELECT o.portfolio_id, o.debtor_id, min(o.currency) AS currency, min(o.currency) = max(o.currency) AS single,
             min(o.due_on) FILTER (WHERE ${balanceOn('o')} > 0) AS oldest_due_on,
             ${d} - min(o.due_on) FILTER (WHERE ${balanceOn('o')} > 0) AS dpd,
             sum(${balanceOn('o')})::bigint AS balance_sum,
             (sum(${balanceOn('o')}) FILTER (WHERE o.due_on < ${d}))::bigint AS overdue_sum
        FROM obligations o ${laterJoin('o')}
       WHERE o.company_id = ${companyId} AND o.portfolio_id IN (${ids}) AND ${issuedBy('o', d)}
       GROUP BY o.portfolio_id, o.debtor_id${sortOnce ? sql` ORDER BY o.portfolio_id, o.debtor_id` : sql``}
    ), ${arrays
      ? sql`owed AS (
      SELECT o.portfolio_id, o.debtor_id,
             coalesce(array_agg(DISTINCT o.product) FILTER (WHERE o.product IS NOT NULL), '{}') AS products,
             array_agg(DISTINCT o.kind) AS kinds
        FROM obligations o ${laterJoin('o')}
       WHERE o.company_id = ${companyId} AND o.portfolio_id IN (${ids}) AND ${issuedBy('o', d)} AND ${balanceOn('o')} > 0
       GROUP BY o.portfolio_id, o.debtor_id
    ), `
      : sql``}held AS (
      SELECT DISTINCT h.debtor_id FROM holds h
       WHERE h.company_id = ${companyId} AND h.released_at IS NULL AND h.starts_on <= ${d}
         AND (h.expires_on IS NULL OR h.expires_on > ${d})
    )`,
    columns: sql`a.oldest_due_on, a.dpd AS days_past_due,
             ${sql.raw(bucketCaseSql('a.dpd'))} AS bucket,
             a.currency, a.single, a.balance_sum, a.overdue_sum,
             ${moneyRules
               ? sql`NULL::jsonb AS multi_balance, NULL::jsonb AS multi_overdue,
             coalesce(${perCurrency('balance')}, CASE WHEN a.balance_sum > 0 THEN jsonb_build_object(a.currency, a.balance_sum::text) ELSE '{}'::jsonb END) AS balances,
             coalesce(${perCurrency('overdue')}, CASE WHEN a.overdue_sum > 0 THEN jsonb_build_object(a.currency, a.overdue_sum::text) ELSE '{}'::jsonb END) AS overdue,`
               : sql`${perCurrency('balance')} AS multi_balance, ${perCurrency('overdue')} AS multi_overdue, NULL::jsonb AS balances, NULL::jsonb AS overdue,`}
             ${arrays ? sql`coalesce(ow.products, '{}'::text[]) AS products, coalesce(ow.kinds, '{}'::text[]) AS kinds,` : sql`'{}'::text[] AS products, '{}'::text[] AS kinds,`}
             ${debtorColumns
               ? sql`db.tags, db.region, db.country::text AS country, db.city, db.postal_code, db.type, db.attributes,`
               : sql`NULL::text[] AS tags, NULL::text AS region, NULL::text AS country, NULL::text AS city, NULL::text AS postal_code, NULL::text AS type, NULL::jsonb AS attributes,`}
             (h.debtor_id IS NOT NULL) AS on_hold`,
    joins: sql`${debtorColumns ? sql`LEFT JOIN debtors db ON db.id = a.debtor_id` : sql``}
        ${arrays ? sql`LEFT JOIN owed ow ON ow.portfolio_id = a.portfolio_id AND ow.debtor_id = a.debtor_id` : sql``}
        LEFT JOIN held h ON h.debtor_id = a.debtor_id`,
  };
}

/**
 * The run's one big statement: one scan of the portfolios' obligations aggregated per account (debtor columns are
 * joined only when a segment rule reads them; products and kinds owed are aggregated only when some rule reads them),
 * full-joined with the stored accounts of the portfolios, the phase with its precedence and the segments, compared
 * with what is stored: only new and changed accounts are written, and history rows only for accounts whose phase,
 * balances, segments or oldest open due date changed. Days past due and bucket are derived from the oldest open due
 * date, so the passing of a day alone writes nothing.
 */
function placeAccounts(o: { companyId: number; ids: SQL; d: SQL; following: boolean; first: boolean; paidAfter: boolean; segmentRows: Array<{ name: string; rule: string }> }) {
  const { companyId, ids, d, following, first, paidAfter, segmentRows } = o;
  // On a first run every account is written twice (its state and its history's first range), each insert in key
  // order for the indexes' sake: the aggregate, narrow, is sorted once instead (the joins above the writes keep its
  // order), a fifth of a first run. On other days the few rows written are sorted where they are written. (A first
  // run on a following day, the usual one, is {@link placeFirstAccounts}; this one takes a first run of any other date.)
  const sortOnce = first;
  const f = accountFacts({ companyId, ids, d, segmentRows, sortOnce, paidAfter });
  const { balancesOf, overdueOf } = f;

  // The stored account's date, and whether its phase already held before that date. `previous_phase` (the phase before
  // the run of the account's date) is stored only for a phase that changed on that date; otherwise it is the phase
  // itself, derived here and in the accounts view, so the day after a change (or a first placement) rewrites nothing.
  const prevAsOf = sql`coalesce(prev.left_as_of, p.last_run_on)`;
  const heldBefore = sql`(prev.phase_since < ${prevAsOf})`;
  // The phase the account had before this run (the stored one, or its predecessor when this date was run before) and a
  // manual phase still in force; inlined where used, cheaper than one more level of the statement.
  const storedIsBase = sql`(${prevAsOf} < ${d} OR ${heldBefore})`;
  const basePhase = sql`(CASE WHEN ${storedIsBase} THEN prev.phase ELSE prev.previous_phase END)`;
  const manualPhase = sql`(CASE WHEN prev.manual_phase IS NOT NULL AND (prev.manual_phase_until IS NULL OR prev.manual_phase_until >= ${d})
                  THEN prev.manual_phase END)`;
  // Whether the stored sums can stand for the stored JSON (one currency now, and sums stored).
  const bySums = sql`(c.single AND c.prev_amounts_currency IS NOT NULL)`;

  // What the account's history holds for the date before this run: on a following day, what the last run recorded
  // (account_states), unless the account had left the portfolio; otherwise the history row holding the date.
  const history = following
    ? sql`(prev.debtor_id IS NOT NULL AND prev.left_as_of IS NULL) AS covered, NULL::date AS cov_from, NULL::date AS cov_to,
             prev.recorded_phase AS cov_phase, prev.oldest_due_on AS cov_oldest_due_on, prev.balances AS cov_balances, prev.segments AS cov_segments`
    : sql`(cov.valid_from IS NOT NULL) AS covered, cov.valid_from AS cov_from, cov.valid_to AS cov_to,
             cov.phase AS cov_phase, cov.oldest_due_on AS cov_oldest_due_on, cov.balances AS cov_balances, cov.segments AS cov_segments`;
  // On a following day the history's balances are the stored ones, so the sums tell whether they changed.
  const historyBalancesChanged = following
    ? sql`CASE WHEN ${bySums} THEN (c.currency, c.balance_sum) IS DISTINCT FROM (c.prev_amounts_currency, c.prev_balance_sum)
               ELSE ${balancesOf('c')} IS DISTINCT FROM c.cov_balances END`
    : sql`${balancesOf('c')} IS DISTINCT FROM c.cov_balances`;

  return sql`
    WITH ${f.aggregates}, facts AS (
      -- Every account owing in the portfolios now (a) or stored for them (prev), or both.
      SELECT coalesce(a.portfolio_id, prev.portfolio_id) AS portfolio_id, coalesce(a.debtor_id, prev.debtor_id) AS debtor_id,
             (a.debtor_id IS NOT NULL) AS placed_now, ${f.columns},
             -- The account's date before this run: its portfolio's last run, or the last run that placed it.
             ${prevAsOf} AS prev_as_of,
             ${basePhase} AS base_phase,
             CASE WHEN ${storedIsBase} THEN prev.phase_since ELSE prev.previous_phase_since END AS base_phase_since,
             -- Precedence (domain/aging.ts accountPhase): settled > manual > frozen by a hold > thresholds.
             CASE WHEN a.dpd IS NULL THEN 'settled'
                  WHEN ${manualPhase} IS NOT NULL THEN ${manualPhase}
                  WHEN h.debtor_id IS NOT NULL AND ${basePhase} IS NOT NULL AND ${basePhase} <> 'settled' THEN ${basePhase}
                  ELSE ${sql.raw(thresholdPhaseSql('a.dpd', 'p'))} END AS phase,
             CASE WHEN a.dpd IS NULL THEN 'settled'
                  WHEN ${manualPhase} IS NOT NULL THEN 'manual'
                  WHEN h.debtor_id IS NOT NULL AND ${basePhase} IS NOT NULL AND ${basePhase} <> 'settled' THEN 'hold'
                  ELSE 'rule' END AS phase_source,
             p.last_run_on,
             (prev.debtor_id IS NOT NULL) AS known, prev.left_as_of AS prev_left_as_of, prev.phase AS prev_phase,
             prev.phase_since AS prev_phase_since,
             CASE WHEN ${heldBefore} THEN prev.phase ELSE prev.previous_phase END AS prev_previous_phase,
             CASE WHEN ${heldBefore} THEN prev.phase_since ELSE prev.previous_phase_since END AS prev_previous_phase_since,
             prev.phase_source AS prev_phase_source,
             prev.oldest_due_on AS prev_oldest_due_on, prev.balances AS prev_balances, prev.overdue AS prev_overdue,
             prev.amounts_currency AS prev_amounts_currency, prev.balance_sum AS prev_balance_sum, prev.overdue_sum AS prev_overdue_sum,
             prev.segments AS prev_segments, prev.on_hold AS prev_on_hold, prev.recorded_phase AS prev_recorded_phase,
             ${history}
        FROM agg a
        FULL JOIN (SELECT * FROM account_states WHERE company_id = ${companyId} AND portfolio_id IN (${ids})) prev
               ON prev.portfolio_id = a.portfolio_id AND prev.debtor_id = a.debtor_id
        JOIN portfolios p ON p.id = coalesce(a.portfolio_id, prev.portfolio_id)
        ${f.joins}
        ${following
          ? sql``
          : sql`LEFT JOIN account_history cov ON cov.portfolio_id = coalesce(a.portfolio_id, prev.portfolio_id)
              AND cov.debtor_id = coalesce(a.debtor_id, prev.debtor_id) AND cov.valid_from <= ${d} AND (cov.valid_to IS NULL OR cov.valid_to > ${d})`}
      -- OFFSET 0 here and below: each level is computed once per row, not once per reference to it above.
      OFFSET 0
    ), computed AS (
      SELECT f.*, ${f.segments} AS segments,
             CASE WHEN f.phase = f.base_phase THEN f.base_phase_since ELSE ${d} END AS new_phase_since,
             -- Placed by an earlier run of this date, not owing here now: kept as that run left it.
             (NOT f.placed_now AND f.prev_as_of = ${d}) AS kept
        FROM facts f
      -- Segment rules are evaluated once per account, however often the comparisons below read them.
      ${segmentRows.length ? sql`OFFSET 0` : sql``}
    ), judged AS (
      SELECT c.*,
             (c.placed_now AND (NOT c.known OR c.prev_left_as_of IS NOT NULL
               -- The phase before this run is stored only when the phase changes on this date (else derived).
               OR (c.phase, c.new_phase_since, CASE WHEN c.new_phase_since = ${d} THEN c.base_phase END,
                   CASE WHEN c.new_phase_since = ${d} THEN c.base_phase_since END, c.phase_source, c.oldest_due_on, c.segments,
                   c.on_hold, c.phase, CASE WHEN c.single THEN c.currency END, CASE WHEN c.single THEN c.balance_sum END,
                   CASE WHEN c.single THEN c.overdue_sum END)
                  IS DISTINCT FROM (c.prev_phase, c.prev_phase_since, CASE WHEN c.new_phase_since = ${d} THEN c.prev_previous_phase END,
                   CASE WHEN c.new_phase_since = ${d} THEN c.prev_previous_phase_since END,
                   c.prev_phase_source, c.prev_oldest_due_on, c.prev_segments, c.prev_on_hold, c.prev_recorded_phase,
                   c.prev_amounts_currency, c.prev_balance_sum, c.prev_overdue_sum)
               OR (NOT ${bySums} AND (${balancesOf('c')}, ${overdueOf('c')}) IS DISTINCT FROM (c.prev_balances, c.prev_overdue)))) AS state_changed,
             CASE WHEN c.placed_now
                  THEN NOT c.covered OR (c.phase, c.oldest_due_on, c.segments) IS DISTINCT FROM (c.cov_phase, c.cov_oldest_due_on, c.cov_segments)
                       OR ${historyBalancesChanged}
                  ELSE c.covered AND NOT c.kept END AS history_changed,
             -- Stored, not owing here now, not kept: it keeps the date of the last run that placed it.
             CASE WHEN NOT c.placed_now AND c.prev_left_as_of IS NULL AND NOT c.kept THEN c.last_run_on END AS left_as_of
        FROM computed c
      OFFSET 0
    ), outcome AS MATERIALIZED (
      -- What the writes below read, for every account; the values to write only where something is written (most
      -- accounts change nothing on most days, and this keeps the materialized rows narrow).
      SELECT j.portfolio_id, j.debtor_id, j.placed_now, j.kept, j.phase, j.base_phase, j.phase_source, j.covered,
             j.state_changed, j.history_changed, j.left_as_of,
             CASE WHEN j.kept THEN j.prev_phase END AS prev_phase,
             CASE WHEN j.kept THEN j.prev_previous_phase END AS prev_previous_phase,
             CASE WHEN j.kept THEN j.prev_phase_source END AS prev_phase_source,
             CASE WHEN j.state_changed THEN j.new_phase_since END AS new_phase_since,
             CASE WHEN j.state_changed THEN j.base_phase_since END AS base_phase_since,
             CASE WHEN j.state_changed THEN ${overdueOf('j')} END AS overdue,
             CASE WHEN j.state_changed AND j.single THEN j.currency END AS amounts_currency,
             CASE WHEN j.state_changed AND j.single THEN j.balance_sum END AS balance_sum,
             CASE WHEN j.state_changed AND j.single THEN j.overdue_sum END AS overdue_sum,
             CASE WHEN j.state_changed THEN j.on_hold END AS on_hold,
             CASE WHEN j.state_changed OR j.history_changed THEN j.oldest_due_on END AS oldest_due_on,
             CASE WHEN (j.state_changed OR j.history_changed) AND j.placed_now THEN ${balancesOf('j')} END AS balances,
             CASE WHEN j.state_changed OR j.history_changed THEN j.segments END AS segments,
             ${following
               ? sql`NULL::date AS cov_from, NULL::date AS cov_to, NULL::text AS cov_phase, NULL::date AS cov_oldest_due_on,
             NULL::jsonb AS cov_balances, NULL::text[] AS cov_segments`
               : sql`j.cov_from, j.cov_to, j.cov_phase, j.cov_oldest_due_on, j.cov_balances, j.cov_segments`}
        FROM judged j
    ), touched AS ${first ? sql`NOT MATERIALIZED` : sql`MATERIALIZED`} (
      -- The few accounts something is written for (on a first run all of them: no second copy then).
      SELECT * FROM outcome o
       WHERE o.state_changed OR o.history_changed OR o.left_as_of IS NOT NULL OR o.kept
          OR (o.placed_now AND o.phase IS DISTINCT FROM o.base_phase)
    ), written AS (
      INSERT INTO account_states AS s ${STATE_COLUMNS}
      SELECT ${companyId}, o.portfolio_id, o.debtor_id, NULL, o.phase, o.new_phase_since, o.base_phase, o.base_phase_since,
             o.phase_source, o.oldest_due_on, o.balances, o.overdue, o.amounts_currency, o.balance_sum, o.overdue_sum,
             o.segments, o.on_hold, o.phase, now()
        FROM touched o
       WHERE o.state_changed
       ${sortOnce ? sql`` : sql`ORDER BY o.portfolio_id, o.debtor_id`}
      -- A first run stores into an empty set of accounts (and only runs write accounts, one per company at a time):
      -- a plain insert skips the conflict check and speculative insertion per row, a quarter of writing 200k accounts.
      ${first
        ? sql``
        : sql`ON CONFLICT (portfolio_id, debtor_id) DO UPDATE SET
        left_as_of = NULL, phase = excluded.phase, phase_since = excluded.phase_since,
        previous_phase = excluded.previous_phase, previous_phase_since = excluded.previous_phase_since,
        phase_source = excluded.phase_source, oldest_due_on = excluded.oldest_due_on, balances = excluded.balances,
        overdue = excluded.overdue, amounts_currency = excluded.amounts_currency, balance_sum = excluded.balance_sum,
        overdue_sum = excluded.overdue_sum, segments = excluded.segments, on_hold = excluded.on_hold,
        recorded_phase = excluded.recorded_phase, updated_at = excluded.updated_at`}
      RETURNING ${first ? sql`true` : sql`(s.xmax = 0)`} AS fresh
    ), ${following
      ? sql`recorded AS (
      -- A following day: every changed account's new history row starts today; the rows they replace (and the rows
      -- of accounts that left) are closed by the next statement.
      INSERT INTO account_history ${HISTORY_COLUMNS}
      SELECT ${companyId}, o.portfolio_id, o.debtor_id, ${d}, NULL, o.phase, o.oldest_due_on, o.balances, o.segments
        FROM touched o WHERE o.placed_now AND o.history_changed
       ${sortOnce ? sql`` : sql`ORDER BY o.portfolio_id, o.debtor_id`}
    ), delta AS (
      INSERT INTO run_history_delta (portfolio_id, debtor_id, left_as_of)
      SELECT o.portfolio_id, o.debtor_id, o.left_as_of FROM touched o
       WHERE (o.history_changed AND o.covered) OR o.left_as_of IS NOT NULL
      RETURNING 1
    )`
      : sql`next_days AS (
      SELECT portfolio_id, min(as_of) AS next_day FROM portfolio_run_days
       WHERE portfolio_id IN (${ids}) AND as_of > ${d} GROUP BY portfolio_id
    ), delta AS (
      -- Any other date: the accounts whose history for the date changes (placed now or not any more), with the row
      -- holding the date, and the accounts that left.
      INSERT INTO run_history_delta (portfolio_id, debtor_id, present, phase, oldest_due_on, balances, segments,
                                     cov_from, cov_to, cov_phase, cov_oldest_due_on, cov_balances, cov_segments, next_day, left_as_of)
      SELECT o.portfolio_id, o.debtor_id, o.placed_now, o.phase, o.oldest_due_on, o.balances, o.segments,
             o.cov_from, o.cov_to, o.cov_phase, o.cov_oldest_due_on, o.cov_balances, o.cov_segments, n.next_day, o.left_as_of
        FROM touched o LEFT JOIN next_days n ON n.portfolio_id = o.portfolio_id
       WHERE o.history_changed OR o.left_as_of IS NOT NULL
      RETURNING 1
    )`}, changes AS (
      INSERT INTO phase_changes (company_id, portfolio_id, debtor_id, as_of, from_phase, to_phase, cause, actor)
      SELECT ${companyId}::bigint, o.portfolio_id, o.debtor_id, ${d}, o.base_phase, o.phase, o.phase_source, 'run'
        FROM touched o
       -- An account's first placement is not a change: its history's first range records it (ADR 0003).
       WHERE o.placed_now AND o.base_phase IS NOT NULL AND o.phase IS DISTINCT FROM o.base_phase
      UNION ALL
      -- Accounts an earlier run of this date placed that owe nothing here now: their change of the date stays.
      SELECT ${companyId}::bigint, o.portfolio_id, o.debtor_id, ${d}, o.prev_previous_phase, o.prev_phase, o.prev_phase_source, 'run'
        FROM touched o
       WHERE o.kept AND o.prev_previous_phase IS NOT NULL AND o.prev_phase IS DISTINCT FROM o.prev_previous_phase
      RETURNING 1
    ), run_day AS (${recordRunDay(companyId, ids, d)})
    SELECT (SELECT count(*)::int FROM changes) AS changes, (SELECT count(*)::int FROM written WHERE fresh) AS fresh,
           (SELECT count(*)::int FROM delta) AS closing,
           ${accountsPerPhase(sql`outcome WHERE placed_now`)} AS phases`;
}

/**
 * A first placement on a following day (no account stored for the portfolios, none of them run for this date or a later
 * one): what {@link placeAccounts} does with nothing stored to compare with, without the comparison. Every account owing
 * (or owed, and settled) in the portfolios is new: it has no manual phase and no phase for a hold to freeze (both live
 * on the stored account), so its phase comes from settlement and the thresholds alone, its phase holds from this date,
 * with no phase before it, and it gets its state and its history's first range, open; no phase change is recorded
 * (a first placement is not one) and no history row is closed. The aggregate is sorted once, and both inserts take
 * its order. The general statement would carry some forty columns of the (absent) stored account and its comparison
 * through every level for every account (ADR 0003, sixth revision).
 */
function placeFirstAccounts(o: { companyId: number; ids: SQL; d: SQL; paidAfter: boolean; segmentRows: Array<{ name: string; rule: string }> }) {
  const { companyId, ids, d, paidAfter, segmentRows } = o;
  const f = accountFacts({ companyId, ids, d, segmentRows, sortOnce: true, paidAfter });
  return sql`
    WITH ${f.aggregates}, facts AS (
      SELECT a.portfolio_id, a.debtor_id, ${f.columns},
             CASE WHEN a.dpd IS NULL THEN 'settled' ELSE ${sql.raw(thresholdPhaseSql('a.dpd', 'p'))} END AS phase,
             CASE WHEN a.dpd IS NULL THEN 'settled' ELSE 'rule' END AS phase_source
        FROM agg a
        JOIN portfolios p ON p.id = a.portfolio_id
        ${f.joins}
      OFFSET 0
    ), placed AS MATERIALIZED (
      -- Segment rules are evaluated once per account; the JSON amounts are built once for both inserts.
      SELECT f.portfolio_id, f.debtor_id, f.phase, f.phase_source, f.oldest_due_on, f.on_hold, ${f.segments} AS segments,
             ${f.balancesOf('f')} AS balances, ${f.overdueOf('f')} AS overdue,
             CASE WHEN f.single THEN f.currency END AS amounts_currency, CASE WHEN f.single THEN f.balance_sum END AS balance_sum,
             CASE WHEN f.single THEN f.overdue_sum END AS overdue_sum
        FROM facts f
    ), written AS (
      INSERT INTO account_states ${STATE_COLUMNS}
      SELECT ${companyId}, o.portfolio_id, o.debtor_id, NULL, o.phase, ${d}, NULL, NULL, o.phase_source, o.oldest_due_on,
             o.balances, o.overdue, o.amounts_currency, o.balance_sum, o.overdue_sum, o.segments, o.on_hold, o.phase, now()
        FROM placed o
    ), recorded AS (
      INSERT INTO account_history ${HISTORY_COLUMNS}
      SELECT ${companyId}, o.portfolio_id, o.debtor_id, ${d}, NULL, o.phase, o.oldest_due_on, o.balances, o.segments
        FROM placed o
    ), run_day AS (${recordRunDay(companyId, ids, d)})
    -- Every account placed is inserted (a plain insert: it is stored, or the statement fails).
    SELECT 0 AS changes, (SELECT count(*)::int FROM placed) AS fresh, 0 AS closing,
           ${accountsPerPhase(sql`placed`)} AS phases`;
}

/** The accounts collected in run_history_delta with a `left_as_of` keep that date (they owe nothing here any more). */
const markLeft = sql`
    UPDATE account_states s SET left_as_of = k.left_as_of, updated_at = now()
      FROM run_history_delta k
     WHERE k.left_as_of IS NOT NULL AND s.portfolio_id = k.portfolio_id AND s.debtor_id = k.debtor_id`;

/** A following day: the current history rows of the accounts collected in run_history_delta end at date `d`; the accounts that left keep their date. */
function closeHistory(d: SQL) {
  return sql`
    WITH closed AS (
      UPDATE account_history h SET valid_to = ${d}
        FROM run_history_delta k
       WHERE h.portfolio_id = k.portfolio_id AND h.debtor_id = k.debtor_id AND h.valid_to IS NULL AND h.valid_from < ${d}
    )
    ${markLeft}`;
}

/**
 * Any other date: the history row holding date `d` (the "cov" columns) is cut at `d`, or replaced when it starts on
 * `d`; its part from the portfolio's next run date on is kept as it was; the account's new row holds from `d` to that
 * next run date (open when there is none). Rows start and end on run dates, so none starts between the two. The
 * accounts that left keep their date.
 */
function rewriteHistory(companyId: number, d: SQL) {
  return sql`
    WITH cut AS (
      UPDATE account_history h
         SET valid_to = CASE WHEN k.cov_from < ${d} THEN ${d} ELSE least(k.cov_to, k.next_day) END,
             phase = CASE WHEN k.cov_from < ${d} THEN h.phase ELSE k.phase END,
             oldest_due_on = CASE WHEN k.cov_from < ${d} THEN h.oldest_due_on ELSE k.oldest_due_on END,
             balances = CASE WHEN k.cov_from < ${d} THEN h.balances ELSE k.balances END,
             segments = CASE WHEN k.cov_from < ${d} THEN h.segments ELSE k.segments END
        FROM run_history_delta k
       WHERE h.portfolio_id = k.portfolio_id AND h.debtor_id = k.debtor_id AND h.valid_from = k.cov_from
         AND (k.cov_from < ${d} OR k.present)
    ), gone AS (
      DELETE FROM account_history h USING run_history_delta k
       WHERE h.portfolio_id = k.portfolio_id AND h.debtor_id = k.debtor_id AND h.valid_from = k.cov_from
         AND k.cov_from = ${d} AND NOT k.present
    ), tail AS (
      INSERT INTO account_history ${HISTORY_COLUMNS}
      SELECT ${companyId}, k.portfolio_id, k.debtor_id, k.next_day, k.cov_to, k.cov_phase, k.cov_oldest_due_on, k.cov_balances, k.cov_segments
        FROM run_history_delta k
       WHERE k.cov_from IS NOT NULL AND k.next_day IS NOT NULL AND (k.cov_to IS NULL OR k.cov_to > k.next_day)
    ), placed AS (
      INSERT INTO account_history ${HISTORY_COLUMNS}
      SELECT ${companyId}, k.portfolio_id, k.debtor_id, ${d}, k.next_day, k.phase, k.oldest_due_on, k.balances, k.segments
        FROM run_history_delta k
       WHERE k.present AND (k.cov_from IS NULL OR k.cov_from < ${d})
    )
    ${markLeft}`;
}
