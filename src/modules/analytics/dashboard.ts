/**
 * The supervision dashboard: portfolio by phase and bucket with trends, recovery by day/week/month, and the KPIs of
 * DOMAIN.md §4 computed with src/domain/kpis.ts from the daily aggregates (refresh-aggregates.ts), per currency. Every
 * KPI carries its variant and formula; an undefined KPI has value null (shown as "—"), never 0.
 *
 * Filters: portfolio, segment, phase, collector and currency narrow the portfolio figures (aggregated along exactly
 * those dimensions); money flows (sales, collections) have no segment or phase of their own and follow portfolio,
 * collector and currency; contact, per-collector and per-channel figures follow portfolio, segment and phase (the
 * accounts the debtor had on the day of the activity, ADR 0011) and collector. What a figure cannot follow is said in
 * `not_filtered`, next to the figure on the page (see unfilteredFigures).
 *
 * Contact, per-collector and per-channel figures come from the activity aggregates (activity-aggregates.ts) for the
 * whole days the last refresh summed, and from the source tables for the days after (today).
 *
 * A principal limited to some debtors (an agency: visibleDebtorFilter) cannot read the aggregates, which sum every
 * account: its dashboard is computed on the fly from the same definitions (refresh-aggregates.ts,
 * activity-aggregates.ts) restricted to its debtors, for the same refreshed days, and so are its contact, collector
 * and channel figures. Collector costs are the company's own and are not shown to it.
 */
import { sql, type SQL } from 'drizzle-orm';
import { BUCKET_NAMES, PHASES } from '../../domain/aging.ts';
import { addDays, addMonths, compareDates, daysBetween, parseDate, type PlainDate } from '../../domain/calendar.ts';
import {
  averageDaysDelinquent,
  bestPossibleDso,
  collectionEffectivenessIndex,
  contactRate,
  costPerPesoRecovered,
  cureRateByAmount,
  delinquencyRatio,
  DELINQUENCY_THRESHOLDS,
  dsoCountback,
  dsoPeriod,
  percent90Plus,
  percentCurrent,
  promiseKeptRate,
  rightPartyContactRate,
  rollRate,
  roundRational,
  CURE_RATE_BY_COUNT,
  type BalanceAtDpd,
  type KpiValue,
  type PromiseOutcome,
} from '../../domain/kpis.ts';
import { formatDecimal } from '../../domain/money.ts';
import { isScopedToPlacements, visibleDebtorFilter } from '../access/index.ts';
import type { Ctx } from '../shared/context.ts';
import { AppError, invalidInput } from '../shared/errors.ts';
import { activitySources, type ActivityFilter, type ActivitySources } from './activity-aggregates.ts';
import { bandFloor } from './bands.ts';
import { portfolioIdByName } from '../portfolio/queries/list-portfolios.ts';
import { checkSegmentName } from '../collection-runs/segments.ts';
import { collectorPeriodCosts } from './collector-costs.ts';
import { flowRowsSql, portfolioRowsSql, transitionRowsSql, TRANSITION_LAG_DAYS, type DebtorScope } from './refresh-aggregates.ts';
import { say, t, type Language, type Text } from '../../domain/text.ts';

export interface DashboardFilters {
  from: string;
  to: string;
  portfolio?: string | undefined;
  segment?: string | undefined;
  phase?: string | undefined;
  collectorId?: number | undefined;
  currency?: string | undefined;
}

/** A KPI as the dashboard shows it: its formula in the dashboard's language. */
export interface ShownKpi {
  value: number | null;
  variant: string;
  formula: string;
}

export interface NamedKpi extends ShownKpi {
  name: string;
  currency: string | null;
}

/** A KPI value with its formula in `language`. */
function shown(v: KpiValue, language: Language): ShownKpi {
  return { value: v.value, variant: v.variant, formula: say(v.formula, language) };
}

export interface Dashboard {
  from: string;
  to: string;
  /** The snapshot date the portfolio figures are from (the last refreshed day ≤ to); null when none. */
  as_of: string | null;
  currencies: string[];
  portfolio: Array<{ currency: string; phase: string; bucket: string; accounts: number; balance: string }>;
  trend: Array<{ as_of: string; currency: string; accounts: number; balance: string; past_due: string }>;
  recovery: Record<'day' | 'week' | 'month', Array<{ period: string; currency: string; collected: string; payments: number }>>;
  kpis: NamedKpi[];
  collectors: CollectorResult[];
  channels: ChannelResult[];
  steps: Array<ChannelResult & { strategy: string | null; step: string | null }>;
  /** The figures that do not follow some of the chosen filters, and why (empty when every figure follows them all). */
  not_filtered: UnfilteredFigures[];
}

export type DashboardFilter = 'portfolio' | 'segment' | 'phase' | 'collector' | 'currency';

/**
 * Figures that do not follow some of the filters chosen, with the reason: `figures` are KPI names (`kpis[].name`,
 * roll rates as `roll_rate`) or parts of the dashboard (`recovery`, `channels`, `steps`, and the collectors' columns
 * `collectors.activity`, `collectors.collected`, `collectors.cost`).
 */
export interface UnfilteredFigures {
  figures: string[];
  filters: DashboardFilter[];
  reason: 'no_currency' | 'messages_have_no_collector' | 'money_by_portfolio_and_collector' | 'rates_by_bucket' | 'cost_of_the_whole_collector';
  explanation: string;
}

export interface CollectorResult {
  collector_id: number;
  name: string | null;
  interactions: number;
  answered: number;
  right_party: number;
  promises: number;
  kept: number;
  broken: number;
  collected: Record<string, string>;
  /** The collector's cost of the period (monthly cost prorated by days); null when none is configured. */
  cost: { amount: string; currency: string } | null;
  /** Cost ÷ recovered in the cost's currency; null ("—") without a cost or without recovery in that currency. */
  cost_per_peso_recovered: ShownKpi & { currency: string | null };
}

export interface ChannelResult {
  channel: string;
  sent: number;
  delivered: number;
  read: number;
  failed: number;
  replied: number;
  paid_within_7_days: number;
}

function day(input: string, path: string): PlainDate {
  try {
    return parseDate(input);
  } catch (error) {
    throw invalidInput(error, path);
  }
}

/** Builds the whole dashboard for a period; its sentences (KPI formulas, what a filter leaves out) in `language`. */
export async function getDashboard(ctx: Ctx, filters: DashboardFilters, language: Language = 'en'): Promise<Dashboard> {
  const from = day(filters.from, 'from');
  const to = day(filters.to, 'to');
  if (compareDates(from, to) > 0) throw new AppError('validation_failed', t(`from (${from}) is after to (${to})`, `from (${from}) es posterior a to (${to})`), [{ path: 'from', reason: t('after to', 'posterior a to') }]);
  if (daysBetween(from, to) > 3 * 366) throw new AppError('validation_failed', t('the period is longer than three years; choose a shorter one', 'el periodo dura más de tres años; elija uno más corto'), [{ path: 'to', reason: t('period too long', 'periodo demasiado largo') }]);
  const c = ctx.companyId;
  // A portfolio or segment name that matches nothing (a typo) is refused, not answered with empty figures.
  const portfolioId = filters.portfolio ? await portfolioIdByName(ctx, filters.portfolio, { path: 'query.portfolio' }) : null;
  if (filters.segment) await checkSegmentName(ctx, filters.segment, 'query.segment');
  const where = (alias: string, opts: { segment?: boolean; phase?: boolean } = {}): SQL => {
    const a = sql.raw(alias);
    return sql.join(
      [
        sql`${a}.company_id = ${c}`,
        portfolioId !== null ? sql`AND ${a}.portfolio_id = ${portfolioId}` : sql``,
        filters.collectorId !== undefined ? sql`AND ${a}.collector_id = ${filters.collectorId}` : sql``,
        filters.currency ? sql`AND ${a}.currency = ${filters.currency}` : sql``,
        opts.segment ? sql`AND ${a}.segment = ${filters.segment ?? ''}` : sql``,
        opts.phase && filters.phase ? sql`AND ${a}.phase = ${filters.phase}` : sql``,
      ],
      sql` `,
    );
  };
  const P = { segment: true, phase: true };
  // Where each figure is read from: the daily aggregates, or the same rows computed for the principal's debtors only.
  const scope: DebtorScope | undefined = isScopedToPlacements(ctx) ? (debtorId) => visibleDebtorFilter(ctx, debtorId) : undefined;
  const refreshedDays = sql`s.as_of IN (SELECT r.as_of FROM kpi_refreshes r WHERE r.company_id = ${c})`;
  const source = {
    portfolio: (days: SQL) => (scope ? sql`(${portfolioRowsSql(c, sql`${days} AND ${refreshedDays}`, scope)})` : sql`kpi_daily_portfolio`),
    flows: (first: PlainDate, last: PlainDate) => (scope ? sql`(${flowRowsSql(c, sql`${first}::date`, sql`${last}::date`, scope)})` : sql`kpi_daily_flows`),
    transitions: (day: PlainDate) => (scope ? sql`(${transitionRowsSql(c, day, TRANSITION_LAG_DAYS, scope)})` : sql`kpi_daily_transitions`),
  };

  const [latest] = await ctx.database.query<{ d: string | null }>(sql`SELECT max(as_of)::text AS d FROM kpi_refreshes WHERE company_id = ${c} AND as_of <= ${to}::date`);
  const asOf = (latest?.d ?? null) as PlainDate | null;
  const [startRow] = await ctx.database.query<{ d: string | null }>(sql`SELECT max(as_of)::text AS d FROM kpi_refreshes WHERE company_id = ${c} AND as_of < ${from}::date`);
  const startOf = (startRow?.d ?? null) as PlainDate | null;

  const [portfolio, trend, bands, startBands, flows, monthlySales, transitions] = await Promise.all([
    asOf
      ? ctx.database.query<{ currency: string; phase: string; bucket: string; accounts: number; balance: string }>(sql`
          SELECT k.currency, k.phase, k.bucket, sum(k.accounts)::int AS accounts, sum(k.balance)::text AS balance
            FROM ${source.portfolio(sql`s.as_of = ${asOf}::date`)} k WHERE ${where('k', P)} AND k.as_of = ${asOf}::date
           GROUP BY 1, 2, 3`)
      : Promise.resolve([]),
    ctx.database.query<{ as_of: string; currency: string; accounts: number; balance: string; past_due: string }>(sql`
      SELECT k.as_of::text, k.currency, sum(k.accounts)::int AS accounts, sum(k.balance)::text AS balance,
             coalesce(sum(k.balance) FILTER (WHERE k.band NOT IN ('current', 'settled')), 0)::text AS past_due
        FROM ${source.portfolio(sql`s.as_of BETWEEN ${from}::date AND ${to}::date`)} k WHERE ${where('k', P)} AND k.as_of BETWEEN ${from}::date AND ${to}::date
       GROUP BY 1, 2 ORDER BY 1, 2`),
    asOf ? bandTotals(ctx, source.portfolio(sql`s.as_of = ${asOf}::date`), where('k', P), asOf) : Promise.resolve([]),
    startOf ? bandTotals(ctx, source.portfolio(sql`s.as_of = ${startOf}::date`), where('k', P), startOf) : Promise.resolve([]),
    ctx.database.query<{ day: string; currency: string; sales: string; collected: string; payments: number }>(sql`
      SELECT f.day::text, f.currency, sum(f.sales)::text AS sales, sum(f.collected)::text AS collected, sum(f.payments)::int AS payments
        FROM ${source.flows(from, to)} f WHERE ${where('f')} AND f.day BETWEEN ${from}::date AND ${to}::date
       GROUP BY 1, 2 ORDER BY 1, 2`),
    // Sales per calendar month back from `to`, for the countback DSO (a year is enough history).
    ctx.database.query<{ month: string; currency: string; sales: string }>(sql`
      SELECT to_char(f.day, 'YYYY-MM') AS month, f.currency, sum(f.sales)::text AS sales
        FROM ${source.flows(addDays(addMonths(to, -12), 1), to)} f WHERE ${where('f')} AND f.day > ${addMonths(to, -12)}::date AND f.day <= ${to}::date
       GROUP BY 1, 2`),
    asOf
      ? ctx.database.query<{ currency: string; from_bucket: string; to_bucket: string; accounts: number; start_balance: string; end_balance: string }>(sql`
          SELECT t.currency, t.from_bucket, t.to_bucket, sum(t.accounts)::int AS accounts, sum(t.start_balance)::text AS start_balance, sum(t.end_balance)::text AS end_balance
            FROM ${source.transitions(asOf)} t WHERE ${where('t', { segment: true })} AND t.as_of = ${asOf}::date AND t.lag_days = ${TRANSITION_LAG_DAYS}
           GROUP BY 1, 2, 3`)
      : Promise.resolve([]),
  ]);

  const currencies = [...new Set([...portfolio.map((p) => p.currency), ...flows.map((f) => f.currency)])].sort();
  const days = daysBetween(from, to) + 1;
  const kpis: NamedKpi[] = [];
  const add = (name: string, currency: string | null, v: KpiValue) => kpis.push({ name, currency, ...shown(v, language) });
  for (const cur of currencies) {
    const mine = bands.filter((b) => b.currency === cur);
    const accounts: BalanceAtDpd[] = mine.filter((b) => bandFloor(b.band) !== null).map((b) => ({ balance: BigInt(b.balance), dpd: bandFloor(b.band)! }));
    const endingAr = accounts.reduce((s, a) => s + a.balance, 0n);
    const currentAr = accounts.filter((a) => a.dpd <= 0).reduce((s, a) => s + a.balance, 0n);
    const sales = flows.filter((f) => f.currency === cur).reduce((s, f) => s + BigInt(f.sales), 0n);
    if (asOf) {
      const dso = dsoPeriod(endingAr, sales, days);
      add('dso', cur, dso);
      add('dso', cur, dsoCountback(endingAr, countbackMonths(monthlySales.filter((m) => m.currency === cur), to)));
      const bp = bestPossibleDso(currentAr, sales, days);
      add('bpdso', cur, bp);
      add('add', cur, averageDaysDelinquent(dso, bp));
    } else {
      // Sales but no run on or before the last day: the ending AR is unknown, not zero (a DSO of 0 would be a lie).
      for (const name of ['dso', 'bpdso', 'add']) {
        const kpi = name.toUpperCase();
        add(name, cur, { value: null, variant: 'no_ending_snapshot', formula: t(`${kpi} needs the AR at the end of the period: no run on or before ${to}`, `el ${kpi} necesita el saldo por cobrar al final del periodo: no hay corrida el ${to} ni antes`) });
      }
    }
    const beginningAr = startBands.filter((b) => b.currency === cur && b.band !== 'settled').reduce((s, b) => s + BigInt(b.balance), 0n);
    add('cei', cur, startOf ? collectionEffectivenessIndex({ beginningAr, creditSales: sales, endingTotalAr: endingAr, endingCurrentAr: currentAr, months: Math.max(1, Math.round(days / 30)) }) : { value: null, variant: 'no_beginning_snapshot', formula: t('CEI needs the AR at the start of the period', 'el CEI necesita el saldo por cobrar al inicio del periodo') });
    for (const t of DELINQUENCY_THRESHOLDS) add('delinquency', cur, delinquencyRatio(accounts, t));
    add('percent_current', cur, percentCurrent(accounts));
    add('percent_90_plus', cur, percent90Plus(accounts));
    const moves = transitions.filter((t) => t.currency === cur);
    for (let i = 0; i < BUCKET_NAMES.length - 1; i++) {
      const b = BUCKET_NAMES[i]!;
      const next = BUCKET_NAMES[i + 1]!;
      const den = moves.filter((m) => m.from_bucket === b).reduce((s, m) => s + BigInt(m.start_balance), 0n);
      const num = moves.filter((m) => m.from_bucket === b && m.to_bucket === next).reduce((s, m) => s + BigInt(m.end_balance), 0n);
      add(`roll_rate_${b}`, cur, rollRate(num, den, 'account_tracked'));
    }
    const delinquent = moves.filter((m) => m.from_bucket !== 'current');
    const cured = delinquent.filter((m) => m.to_bucket === 'current' || m.to_bucket === 'settled');
    add('cure_rate', cur, cureRateByAmount(delinquent.map((m) => ({ startDpd: 1, startBalance: BigInt(m.start_balance), endDpd: cured.includes(m) ? 0 : 1 }))));
    const delinquentCount = delinquent.reduce((s, m) => s + m.accounts, 0);
    const curedCount = cured.reduce((s, m) => s + m.accounts, 0);
    add('cure_rate', cur, {
      value: delinquentCount > 0 ? roundRational(BigInt(curedCount) * 100n, BigInt(delinquentCount)) : null,
      variant: 'count',
      formula: CURE_RATE_BY_COUNT,
    });
  }

  const accountsFilter: ActivityFilter = { portfolioId: portfolioId ?? 0, phase: filters.phase ?? '', segment: filters.segment ?? '' };
  const activity = await activitySources(ctx, from, to, scope, accountsFilter);
  const contact = await contactFigures(ctx, activity, filters.collectorId);
  add('contact_rate', null, contactRate(contact.answered, contact.attempts));
  add('right_party_contact_rate', null, rightPartyContactRate(contact.rightParty, contact.attempts));
  add('promise_to_pay_rate', null, {
    value: contact.rightParty > 0 ? roundRational(BigInt(contact.promises) * 100n, BigInt(contact.rightParty)) : null,
    variant: 'per_right_party_contact',
    formula: t('promise-to-pay rate = promises taken ÷ right-party contacts × 100', 'tasa de promesas = promesas obtenidas ÷ contactos con el titular × 100'),
  });
  add('promise_kept_rate', null, promiseKeptRate(contact.outcomes));

  const money = (amount: string, cur: string) => formatDecimal(BigInt(amount), cur);
  const recovery = { day: [] as Dashboard['recovery']['day'], week: [] as Dashboard['recovery']['day'], month: [] as Dashboard['recovery']['day'] };
  for (const grain of ['day', 'week', 'month'] as const) {
    const sums = new Map<string, { period: string; currency: string; collected: bigint; payments: number }>();
    for (const f of flows) {
      const period = grain === 'day' ? f.day : grain === 'month' ? f.day.slice(0, 7) : isoWeekStart(f.day as PlainDate);
      const key = `${period}|${f.currency}`;
      const s = sums.get(key) ?? { period, currency: f.currency, collected: 0n, payments: 0 };
      s.collected += BigInt(f.collected);
      s.payments += f.payments;
      sums.set(key, s);
    }
    recovery[grain] = [...sums.values()]
      .filter((s) => s.collected !== 0n || s.payments > 0)
      .sort((a, b) => a.period.localeCompare(b.period) || a.currency.localeCompare(b.currency))
      .map((s) => ({ period: s.period, currency: s.currency, collected: formatDecimal(s.collected, s.currency), payments: s.payments }));
  }

  const [collectors, { channels, steps }] = await Promise.all([
    collectorResults(ctx, { from, to, portfolioId, filters, scope, flows: source.flows(from, to), activity, language }),
    channelResults(ctx, activity),
  ]);

  return {
    from,
    to,
    as_of: asOf,
    currencies,
    portfolio: portfolio.sort(byPhaseAndBucket).map((p) => ({ ...p, balance: money(p.balance, p.currency) })),
    trend: trend.map((t) => ({ ...t, balance: money(t.balance, t.currency), past_due: money(t.past_due, t.currency) })),
    recovery,
    kpis,
    collectors,
    channels,
    steps,
    not_filtered: unfilteredFigures(filters, language),
  };
}

/** Settled accounts owe nothing and have no aging bucket: they come after the last one. */
const BUCKET_ORDER: readonly string[] = [...BUCKET_NAMES, 'settled'];

/**
 * Portfolio rows in reading order: by currency, then phase and bucket in the order of the domain (preventive before
 * administrative, 91-120 before 121-180), never alphabetically ("121-180" before "31-60").
 */
export function byPhaseAndBucket(a: { currency: string; phase: string; bucket: string }, b: { currency: string; phase: string; bucket: string }): number {
  const rank = (order: readonly string[], value: string) => (order.includes(value) ? order.indexOf(value) : order.length);
  return (
    a.currency.localeCompare(b.currency) ||
    rank(PHASES, a.phase) - rank(PHASES, b.phase) ||
    rank(BUCKET_ORDER, a.bucket) - rank(BUCKET_ORDER, b.bucket) ||
    a.phase.localeCompare(b.phase) ||
    a.bucket.localeCompare(b.bucket)
  );
}

const SALES_KPIS = ['dso', 'bpdso', 'add', 'cei'];
const CONTACT_KPIS = ['contact_rate', 'right_party_contact_rate', 'promise_to_pay_rate', 'promise_kept_rate'];

/** What the chosen filters leave out of some figures, and why (the page says it next to each figure). */
export function unfilteredFigures(filters: DashboardFilters, language: Language = 'en'): UnfilteredFigures[] {
  const notes: UnfilteredFigures[] = [];
  const add = (figures: string[], chosen: Array<DashboardFilter | false>, reason: UnfilteredFigures['reason'], explanation: Text) => {
    const active = chosen.filter((f): f is DashboardFilter => f !== false);
    if (active.length > 0) notes.push({ figures, filters: active, reason, explanation: say(explanation, language) });
  };
  const segmentOrPhase = [!!filters.segment && 'segment', !!filters.phase && 'phase'] as const;
  add(
    [...CONTACT_KPIS, 'collectors.activity', 'channels', 'steps'],
    [!!filters.currency && 'currency'],
    'no_currency',
    t('contacts and messages have no currency: they count for every currency', 'los contactos y los mensajes no tienen moneda: cuentan para todas las monedas'),
  );
  add(
    ['channels', 'steps'],
    [filters.collectorId !== undefined && 'collector'],
    'messages_have_no_collector',
    t(
      'messages are sent by strategies, not by a collector: channel and step figures count every message',
      'los mensajes los envían las estrategias, no un gestor: las cifras por canal y por acción cuentan todos los mensajes',
    ),
  );
  add(
    [...SALES_KPIS, 'recovery', 'collectors.collected'],
    [...segmentOrPhase],
    'money_by_portfolio_and_collector',
    t(
      'sales and collections are summed per portfolio, collector and currency, not per segment or phase: these figures count every segment and phase (DSO, BPDSO, ADD and CEI divide by the sales of every segment and phase)',
      'las ventas y la recuperación se suman por cartera, gestor y moneda, no por segmento ni fase: estas cifras cuentan todos los segmentos y fases (DSO, BPDSO, ADD y CEI dividen entre las ventas de todos los segmentos y fases)',
    ),
  );
  add(
    ['roll_rate', 'cure_rate'],
    [!!filters.phase && 'phase'],
    'rates_by_bucket',
    t(
      'roll and cure rates follow accounts from bucket to bucket, which already splits them by days past due; they count every phase',
      'las tasas de rodamiento y de cura siguen las cuentas de un tramo a otro, que ya las separa por días de atraso; cuentan todas las fases',
    ),
  );
  add(
    ['collectors.cost'],
    [!!filters.portfolio && 'portfolio', ...segmentOrPhase],
    'cost_of_the_whole_collector',
    t(
      "a collector's cost is not split by portfolio, segment or phase: the cost shown is the whole period's, and the cost per peso recovered is not computed",
      'el costo de un gestor no se reparte por cartera, segmento ni fase: el costo mostrado es el de todo el periodo y el costo por peso recuperado no se calcula',
    ),
  );
  return notes;
}

async function bandTotals(ctx: Ctx, source: SQL, where: SQL, asOf: PlainDate) {
  return ctx.database.query<{ currency: string; band: string; balance: string }>(sql`
    SELECT k.currency, k.band, sum(k.balance)::text AS balance FROM ${source} k
     WHERE ${where} AND k.as_of = ${asOf}::date GROUP BY 1, 2`);
}

/** Months for the countback walk, most recent first: the month of `to` up to `to`, then whole months before it. */
function countbackMonths(rows: Array<{ month: string; sales: string }>, to: PlainDate): Array<{ sales: bigint; days: number }> {
  const out: Array<{ sales: bigint; days: number }> = [];
  let end = to;
  for (let i = 0; i < 12; i++) {
    const month = end.slice(0, 7);
    const first = `${month}-01` as PlainDate;
    const sales = BigInt(rows.find((r) => r.month === month)?.sales ?? '0');
    out.push({ sales, days: daysBetween(first, end) + 1 });
    end = addDays(first, -1);
  }
  return out;
}

function isoWeekStart(d: PlainDate): string {
  const weekday = new Date(`${d}T00:00:00Z`).getUTCDay() || 7;
  return addDays(d, 1 - weekday);
}

async function contactFigures(ctx: Ctx, activity: ActivitySources, collectorId: number | undefined) {
  // Attempts leave out notes; promises resolved in the period (negotiation's daily evaluation) count as kept or not:
  // partially kept is not kept (DOMAIN.md §4).
  const [row] = await ctx.database.query<{ attempts: number; answered: number; right_party: number; promises: number; kept: number; broken: number }>(sql`
    SELECT i.*, o.*
      FROM (SELECT coalesce(sum(k.interactions) FILTER (WHERE k.channel <> 'note'), 0)::int AS attempts,
                   coalesce(sum(k.answered) FILTER (WHERE k.channel <> 'note'), 0)::int AS answered,
                   coalesce(sum(k.right_party) FILTER (WHERE k.channel <> 'note'), 0)::int AS right_party,
                   coalesce(sum(k.promises), 0)::int AS promises
              FROM ${activity.interactions} k ${collectorId !== undefined ? sql`WHERE k.collector_id = ${collectorId}` : sql``}) i,
           -- One pass over the outcomes (today's part is read live).
           (SELECT coalesce(sum(o.kept), 0)::int AS kept, coalesce(sum(o.partially_kept + o.broken), 0)::int AS broken
              FROM ${activity.promiseOutcomes} o WHERE o.collector_id = ${collectorId ?? 0}) o`);
  const outcomes: PromiseOutcome[] = [...Array<PromiseOutcome>(row?.kept ?? 0).fill('kept'), ...Array<PromiseOutcome>(row?.broken ?? 0).fill('broken')];
  return { attempts: row?.attempts ?? 0, answered: row?.answered ?? 0, rightParty: row?.right_party ?? 0, promises: row?.promises ?? 0, outcomes };
}

/** Why a collector's cost per peso recovered has no value. */
const COST_NOT_SPLIT = t(
  "cost per peso recovered needs the collector's whole recovery: their cost is not split by portfolio, segment or phase",
  'el costo por peso recuperado necesita toda la recuperación del gestor: su costo no se reparte por cartera, segmento ni fase',
);
const NO_COST_CONFIGURED = t(
  "cost per peso recovered needs the collector's monthly cost (Settings › Collector costs)",
  'el costo por peso recuperado necesita el costo mensual del gestor (Costos de gestores)',
);
const COSTS_NOT_SHOWN = t('collector costs are not shown to agencies', 'los costos de los gestores no se muestran a los despachos');

async function collectorResults(
  ctx: Ctx,
  input: { from: PlainDate; to: PlainDate; portfolioId: number | null; filters: DashboardFilters; scope: DebtorScope | undefined; flows: SQL; activity: ActivitySources; language: Language },
): Promise<CollectorResult[]> {
  const { from, to, portfolioId, filters, scope, flows, activity, language } = input;
  const c = ctx.companyId;
  const rows = await ctx.database.query<{ collector_id: string | number; name: string | null; interactions: number; answered: number; right_party: number; promises: number; kept: number; broken: number; collected: Record<string, string> | string | null }>(sql`
    WITH work AS (
      SELECT k.collector_id, sum(k.interactions)::int AS interactions, sum(k.answered)::int AS answered, sum(k.right_party)::int AS right_party,
             sum(k.promises)::int AS promises, sum(k.kept)::int AS kept, sum(k.partially_kept + k.broken)::int AS broken
        FROM ${activity.interactions} k WHERE k.collector_id <> 0
       GROUP BY k.collector_id
    ), money AS (
      SELECT f.collector_id, jsonb_object_agg(f.currency, f.collected::text) AS collected
        FROM (SELECT collector_id, currency, sum(collected) AS collected FROM ${flows} f
               WHERE company_id = ${c} AND collector_id <> 0 AND day BETWEEN ${from}::date AND ${to}::date
                 ${portfolioId !== null ? sql`AND portfolio_id = ${portfolioId}` : sql``} ${filters.currency ? sql`AND currency = ${filters.currency}` : sql``}
               GROUP BY 1, 2) f
       GROUP BY f.collector_id
    ), costed AS (
      -- Collectors with a cost show even in a period they did nothing (their cost per peso is undefined then).
      SELECT DISTINCT k.collector_id FROM collector_costs k WHERE k.company_id = ${c} AND ${scope ? sql`FALSE` : sql`TRUE`}
    ), results AS (
      SELECT coalesce(w.collector_id, m.collector_id, k.collector_id) AS collector_id, coalesce(w.interactions, 0) AS interactions, coalesce(w.answered, 0) AS answered,
             coalesce(w.right_party, 0) AS right_party, coalesce(w.promises, 0) AS promises, coalesce(w.kept, 0) AS kept, coalesce(w.broken, 0) AS broken, m.collected
        FROM work w FULL JOIN money m ON m.collector_id = w.collector_id
        FULL JOIN costed k ON k.collector_id = coalesce(w.collector_id, m.collector_id)
    )
    SELECT r.*, u.name FROM results r LEFT JOIN users u ON u.id = r.collector_id AND u.company_id = ${c}
     ${filters.collectorId !== undefined ? sql`WHERE r.collector_id = ${filters.collectorId}` : sql``}
     ORDER BY 1`);
  const costs = scope ? null : await collectorPeriodCosts(ctx, from, to);
  // A collector's cost covers all their work: against the recovery of part of it, the ratio would overstate it.
  const partial = portfolioId !== null || !!filters.segment || !!filters.phase;
  return rows.map((r) => {
    const collected = (typeof r.collected === 'string' ? JSON.parse(r.collected) : (r.collected ?? {})) as Record<string, string>;
    const id = Number(r.collector_id);
    const cost = costs?.get(id);
    const periodCost = cost ? cost.amount : null;
    return {
      collector_id: id,
      name: r.name,
      interactions: r.interactions,
      answered: r.answered,
      right_party: r.right_party,
      promises: r.promises,
      kept: r.kept,
      broken: r.broken,
      collected: Object.fromEntries(Object.entries(collected).map(([cur, v]) => [cur, formatDecimal(BigInt(v), cur)])),
      cost: cost && periodCost !== null ? { amount: formatDecimal(periodCost, cost.currency), currency: cost.currency } : null,
      cost_per_peso_recovered: cost && periodCost !== null && partial
        ? { currency: cost.currency, ...shown({ value: null, variant: 'cost_not_split', formula: COST_NOT_SPLIT }, language) }
        : cost && periodCost !== null
        ? { currency: cost.currency, ...shown(costPerPesoRecovered(periodCost, BigInt(collected[cost.currency] ?? '0')), language) }
        : { currency: null, ...shown(costs ? { value: null, variant: 'no_cost_configured', formula: NO_COST_CONFIGURED } : { value: null, variant: 'costs_not_shown', formula: COSTS_NOT_SHOWN }, language) },
    };
  });
}

/**
 * Messages created in the period per channel and per strategy step: sent, delivered, read, failed, replied (a reply
 * from the debtor on the same channel within 7 days of sending) and paid within 7 days (a payment dated within 7 days
 * of the sending day); both groupings in one pass over the aggregates.
 */
async function channelResults(ctx: Ctx, activity: ActivitySources): Promise<{ channels: ChannelResult[]; steps: Dashboard['steps'] }> {
  type Row = ChannelResult & { per_step: boolean; strategy: string | null; step: string | null };
  // Today's messages, read live, cost one reply and one payment lookup each, which the planner prices past its JIT
  // threshold: compiling took longer than running (190 of 250 ms for 11,000 messages), so this statement runs without.
  const rows = await ctx.database.db.transaction(async (tx) => {
    await tx.execute(sql`SELECT set_config('jit', 'off', true)`);
    const result = await tx.execute(sql`
      SELECT grouping(s.name, k.step_id) = 0 AS per_step, k.channel, s.name AS strategy, nullif(k.step_id, '') AS step,
             sum(k.sent)::int AS sent, sum(k.delivered)::int AS delivered, sum(k.read)::int AS read, sum(k.failed)::int AS failed,
             sum(k.replied)::int AS replied, sum(k.paid_within_7_days)::int AS paid_within_7_days
        FROM ${activity.messages} k LEFT JOIN strategies s ON s.id = k.strategy_id
       GROUP BY GROUPING SETS ((k.channel), (k.channel, s.name, k.step_id))
       ORDER BY 1, 3, 4, 2`);
    return (result as unknown as { rows: Row[] }).rows;
  });
  const figures = (r: ChannelResult): Omit<ChannelResult, 'channel'> => ({ sent: r.sent, delivered: r.delivered, read: r.read, failed: r.failed, replied: r.replied, paid_within_7_days: r.paid_within_7_days });
  return {
    channels: rows.filter((r) => !r.per_step).map((r) => ({ channel: r.channel, ...figures(r) })),
    steps: rows.filter((r) => r.per_step).map((r) => ({ channel: r.channel, strategy: r.strategy, step: r.step, ...figures(r) })),
  };
}
