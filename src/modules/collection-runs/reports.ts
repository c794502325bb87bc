import { sql } from 'drizzle-orm';
import { BUCKET_NAMES } from '../../domain/aging.ts';
import { formatDecimal } from '../../domain/money.ts';
import type { PlainDate } from '../../domain/calendar.ts';
import { visibleDebtorFilter } from '../access/visibility.ts';
import { AppError } from '../shared/errors.ts';
import type { Ctx } from '../shared/context.ts';
import { portfolioIdByName } from '../portfolio/queries/list-portfolios.ts';
import { bucketCaseSql, issuedBy, paidAfterPerObligation } from './sql-fragments.ts';
import { parseAsOf } from './run-portfolio.ts';
import { t } from '../../domain/text.ts';

export interface AgingLine {
  portfolio: string;
  currency: string;
  buckets: Array<{ bucket: string; amount: string; count: number }>;
  total: { amount: string; count: number };
}

export interface AgingReport {
  asOf: PlainDate;
  lines: AgingLine[];
}

/**
 * Open balances per portfolio and currency, by aging bucket of each obligation as of the date, with totals.
 * Never sums across currencies. Computed from the obligations and the payments' allocations, so it needs no prior run
 * and any date can be reported, past ones included. An agency's report covers only the debtors placed with it.
 *
 * The balances are those of the date D, not today's:
 * - an obligation counts if it existed on D: issued on or before D, or with no issue date (nothing says it did not);
 * - its balance as of D is its amount minus what the payments paid on or before D allocated to it; a payment paid
 *   after D does not count, and a reversed payment is treated as never applied, whenever it was reversed (the balance
 *   recompute allocates without it: it keeps no allocation, and the payments after it are allocated as if it had
 *   never been made);
 * - its days past due and bucket are those of D (D − due date).
 * The stored balance is the amount minus what every non-reversed payment allocated (recompute-balances.ts is its
 * only writer), so the balance as of D is read as the stored balance plus what the payments paid after D allocated:
 * the same amount, read from the few payments after D; for today (no payment after it, as a rule) it is the stored
 * balance the daily run reads.
 *
 * The allocations are today's (recompute-balances.ts allocates each debtor from scratch with src/domain/allocation.ts).
 * A payment's allocation does not depend on later payments: payments are applied one at a time in the order they were
 * paid (paid date, then external id), each to the balances the payments before it left, so the allocations of the
 * payments up to D are exactly those an allocation of only those payments gives. It does depend on the obligations,
 * every one known today: a payment up to D goes to an obligation issued after D when the payment names it, when that
 * obligation falls due before the open ones that existed on D, or with what was left once everything then owed was
 * paid. That part reduces nothing in D's report (the obligation is absent): on D it reads as unapplied.
 */
export async function agingReport(ctx: Ctx, options: { asOf: string; portfolio?: string | undefined }): Promise<AgingReport> {
  const asOf = parseAsOf(options.asOf);
  // A portfolio name that matches nothing (a typo) is refused, not reported as nothing owed.
  const portfolioId = options.portfolio ? await portfolioIdByName(ctx, options.portfolio, { path: 'query.portfolio' }) : null;
  const d = sql`${asOf}::date`;
  const rows = await ctx.database.query<{ portfolio: string; currency: string; bucket: string; amount: string; n: number }>(sql`
    SELECT p.name AS portfolio, o.currency::text AS currency, ${sql.raw(bucketCaseSql("o.dpd"))} AS bucket,
           sum(o.balance)::text AS amount, count(*)::int AS n
      FROM (SELECT o.portfolio_id, o.currency, (${d} - o.due_on) AS dpd, o.balance + coalesce(later.amount, 0) AS balance
              FROM obligations o
              -- What the payments after D paid: still owed on D.
              LEFT JOIN (${paidAfterPerObligation(ctx.companyId, d)}) later ON later.obligation_id = o.id
             WHERE o.company_id = ${ctx.companyId} AND ${issuedBy('o', d)}
               AND ${visibleDebtorFilter(ctx, sql`o.debtor_id`) ?? sql`TRUE`}) o
      JOIN portfolios p ON p.id = o.portfolio_id
     WHERE o.balance > 0 AND ${portfolioId === null ? sql`true` : sql`p.id = ${portfolioId}`}
     GROUP BY 1, 2, 3
     ORDER BY 1, 2`);
  const lines = new Map<string, { portfolio: string; currency: string; amounts: Map<string, bigint>; counts: Map<string, number> }>();
  for (const r of rows) {
    const key = `${r.portfolio}\u0000${r.currency}`;
    let line = lines.get(key);
    if (!line) lines.set(key, (line = { portfolio: r.portfolio, currency: r.currency, amounts: new Map(), counts: new Map() }));
    line.amounts.set(r.bucket, BigInt(r.amount));
    line.counts.set(r.bucket, Number(r.n));
  }
  return {
    asOf,
    lines: [...lines.values()].map((l) => {
      let total = 0n;
      let count = 0;
      const buckets = BUCKET_NAMES.map((b) => {
        const amount = l.amounts.get(b) ?? 0n;
        const n = l.counts.get(b) ?? 0;
        total += amount;
        count += n;
        return { bucket: b, amount: formatDecimal(amount, l.currency), count: n };
      });
      return { portfolio: l.portfolio, currency: l.currency, buckets, total: { amount: formatDecimal(total, l.currency), count } };
    }),
  };
}

export interface AccountReportRow {
  debtor_external_id: string;
  name: string;
  portfolio: string;
  phase: string;
  days_past_due: number | null;
  bucket: string | null;
  balances: Record<string, string>;
  segments: string[];
  unapplied: Record<string, string>;
  on_hold: boolean;
}

function decimals(json: Record<string, string> | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [cur, v] of Object.entries(json ?? {}).sort(([a], [b]) => a.localeCompare(b))) out[cur] = formatDecimal(BigInt(v), cur);
  return out;
}

/**
 * One row per account (debtor within a portfolio) as the run of that date left it. Reads the day's snapshot, so any
 * date that was run can be reported; a date that was never run is refused rather than guessed. A debtor's unapplied
 * credit belongs to the debtor, not to one of its accounts: it is on the debtor's first row (its first portfolio in the
 * report), and the debtor's other rows show none, so summing the column counts it once.
 */
export async function* accountsReport(ctx: Ctx, options: { asOf: string; portfolio?: string | undefined; batchSize?: number }): AsyncGenerator<AccountReportRow> {
  const asOf = parseAsOf(options.asOf);
  // A portfolio name that matches nothing (a typo) or was not run that day is refused, not reported as no accounts.
  const portfolioId = options.portfolio ? await portfolioIdByName(ctx, options.portfolio) : null;
  const probe = await ctx.database.query(
    sql`SELECT 1 FROM account_snapshots WHERE company_id = ${ctx.companyId} AND as_of = ${asOf}::date AND ${portfolioId === null ? sql`true` : sql`portfolio_id = ${portfolioId}`} LIMIT 1`,
  );
  if (probe.length === 0) {
    throw new AppError(
      'not_found',
      t(portfolioId === null
        ? `there is no daily run as of ${asOf}; run "cobranza run --as-of ${asOf}" first`
        : `portfolio "${options.portfolio}" has no daily run as of ${asOf}; run "cobranza run --as-of ${asOf} --portfolio ${options.portfolio}" first`, portfolioId === null ? `no hay una corrida diaria con fecha de corte ${asOf}; ejecute primero "cobranza run --as-of ${asOf}"` : `la cartera "${options.portfolio}" no tiene una corrida diaria con fecha de corte ${asOf}; ejecute primero "cobranza run --as-of ${asOf} --portfolio ${options.portfolio}"`),
    );
  }
  const batch = options.batchSize ?? 5000;
  // Debtors whose credit a row already carried (only those with credit: few).
  const credited = new Set<number>();
  let after = { portfolioId: 0, debtorId: 0 };
  for (;;) {
    const rows = await ctx.database.query<{
      portfolio_id: number; debtor_id: number; external_id: string; name: string; portfolio: string; phase: string; days_past_due: number | null;
      bucket: string | null; balances: Record<string, string>; segments: string[]; unapplied: Record<string, string> | null; on_hold: boolean;
    }>(sql`
      SELECT s.portfolio_id, s.debtor_id, d.external_id, d.name, p.name AS portfolio, s.phase, s.days_past_due, s.bucket, s.balances, s.segments,
             (SELECT jsonb_object_agg(c.currency, c.amount::text) FROM (
                SELECT py.currency::text AS currency, sum(py.unapplied) AS amount FROM payments py
                 WHERE py.debtor_id = s.debtor_id AND py.reversed_at IS NULL AND py.unapplied > 0 GROUP BY py.currency) c) AS unapplied,
             coalesce(a.on_hold, false) AS on_hold
        FROM account_snapshots s
        JOIN debtors d ON d.id = s.debtor_id
        JOIN portfolios p ON p.id = s.portfolio_id
        LEFT JOIN accounts a ON a.portfolio_id = s.portfolio_id AND a.debtor_id = s.debtor_id AND a.as_of = s.as_of
       WHERE s.company_id = ${ctx.companyId} AND s.as_of = ${asOf}::date
         AND ${options.portfolio ? sql`p.name = ${options.portfolio}` : sql`true`}
         AND (s.portfolio_id, s.debtor_id) > (${after.portfolioId}::bigint, ${after.debtorId}::bigint)
       ORDER BY s.portfolio_id, s.debtor_id
       LIMIT ${batch}`);
    for (const r of rows) {
      const debtorId = Number(r.debtor_id);
      const unapplied = credited.has(debtorId) ? {} : decimals(r.unapplied);
      if (Object.keys(unapplied).length > 0) credited.add(debtorId);
      yield {
        debtor_external_id: r.external_id,
        name: r.name,
        portfolio: r.portfolio,
        phase: r.phase,
        days_past_due: r.days_past_due === null ? null : Number(r.days_past_due),
        bucket: r.bucket,
        balances: decimals(r.balances),
        segments: r.segments,
        unapplied,
        on_hold: r.on_hold,
      };
    }
    if (rows.length < batch) return;
    const last = rows[rows.length - 1]!;
    after = { portfolioId: Number(last.portfolio_id), debtorId: Number(last.debtor_id) };
  }
}
