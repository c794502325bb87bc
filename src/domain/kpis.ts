/**
 * Collection KPIs (DOMAIN.md §4) as pure functions.
 *
 * - Money inputs are bigint minor units of ONE currency; KPIs are computed per currency and never mix them.
 * - Every ratio is computed exactly on integers (a rational num/den) and rounded once, at the end, to
 *   KPI_DECIMALS (2) decimals, half-up = half away from zero, on the exact rational. Floats never enter the
 *   arithmetic, so results do not depend on float drift (1.005 rounds to 1.01, not 1.00).
 * - Rates are returned as percentages (0–100, possibly more for money ratios such as roll rates); DSO-style KPIs in days.
 * - An undefined KPI (no sales, denominator ≤ 0, no promises…) has `value: null`, never 0.
 * - Bad input (non-integer counts, days ≤ 0, numerator count above its denominator…) is a programming error and throws
 *   KpiInputError.
 */
import { type Bucket, BUCKET_NAMES, bucketFor } from './aging.ts';
import { addDays, compareDates, daysInMonth, toDayNumber, daysBetween, type PlainDate } from './calendar.ts';
import { t, type Text } from './text.ts';

/** Decimals every KPI value is rounded to (days and percentages). */
export const KPI_DECIMALS = 2;

/** A KPI value with the variant it was computed under and the formula used; store all three together. */
export interface KpiValue {
  /** Rounded to KPI_DECIMALS, half away from zero; null when the KPI is undefined (never 0 for undefined). */
  value: number | null;
  /** Which variant was computed, e.g. 'period', 'countback', 'threshold_30', 'account_tracked', 'assigned'. */
  variant: string;
  /** Human-readable formula and its source, in English and Spanish (codes such as variants and buckets stay as they are). */
  formula: Text;
}

/** Thrown for inputs no KPI can be computed from (a caller bug, not an undefined KPI). */
export class KpiInputError extends Error {
  override name = 'KpiInputError';
}

// ---------------------------------------------------------------------------------------------------------------
// Exact arithmetic helpers

/**
 * Rounds the exact rational num/den to `decimals` decimals, half away from zero ("half-up" as in
 * BigDecimal.ROUND_HALF_UP). den must be non-zero; its sign is honoured.
 */
export function roundRational(num: bigint, den: bigint, decimals: number = KPI_DECIMALS): number {
  if (den === 0n) throw new KpiInputError('cannot round a rational with a zero denominator');
  if (!Number.isSafeInteger(decimals) || decimals < 0) throw new KpiInputError('decimals must be a whole number ≥ 0');
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const scale = 10n ** BigInt(decimals);
  const scaled = num * scale;
  const negative = scaled < 0n;
  const abs = negative ? -scaled : scaled;
  // floor(abs/den + 1/2) computed on integers.
  const q = (2n * abs + den) / (2n * den);
  const units = Number(negative ? -q : q);
  // A correctly rounded division of two exact integers yields the double nearest the decimal, e.g. 4571/100 → 45.71.
  return units / Number(scale) + 0; // `+ 0` turns −0 into 0
}

/** num/den × factor, rounded; null when den ≤ 0. */
function ratio(num: bigint, den: bigint, factor: bigint): number | null {
  if (den <= 0n) return null;
  return roundRational(num * factor, den);
}

function kpi(value: number | null, variant: string, formula: Text): KpiValue {
  return { value, variant, formula };
}

function positiveDays(days: number, what = 'days'): bigint {
  if (!Number.isSafeInteger(days) || days <= 0) throw new KpiInputError(`${what} must be a whole number > 0 (got ${days})`);
  return BigInt(days);
}

function count(n: number, what: string): bigint {
  if (!Number.isSafeInteger(n) || n < 0) throw new KpiInputError(`${what} must be a whole number ≥ 0 (got ${n})`);
  return BigInt(n);
}

function dpdOf(dpd: number): number {
  if (!Number.isSafeInteger(dpd)) throw new KpiInputError(`DPD must be a whole number (got ${dpd})`);
  return dpd;
}

function nonNegative(amount: bigint, what: string): bigint {
  if (amount < 0n) throw new KpiInputError(`${what} must be ≥ 0 (got ${amount})`);
  return amount;
}

const HUNDRED = 100n;

// ---------------------------------------------------------------------------------------------------------------
// Days sales outstanding

/**
 * DSO, period method (CRF): ending AR ÷ credit sales of the period × days in the period.
 * 15,000 / 10,000 × 30 = 45. Null when sales ≤ 0. A negative AR (net credit balance) gives a negative DSO.
 */
export function dsoPeriod(endingAr: bigint, creditSales: bigint, days: number): KpiValue {
  const d = positiveDays(days);
  return kpi(ratio(endingAr, creditSales, d), 'period', t('DSO = ending AR ÷ credit sales of the period × days (CRF)', 'DSO = saldo por cobrar al cierre ÷ ventas a crédito del periodo × días (CRF)'));
}

/** One month of history for the countback DSO. */
export interface CountbackMonth {
  /** Credit sales of the month, minor units. */
  sales: bigint;
  /** Calendar days in the month (or in the partial period). */
  days: number;
}

/**
 * DSO, countback method (CRF): walking back from the most recent month, subtract each month's sales from AR and
 * add that month's days while AR exceeds the month's sales; for the month that absorbs the rest, add
 * remaining AR ÷ that month's sales × its days. AR 212,000 with sales 100k, 80k, 70k in 30-day months → 73.71.
 * AR exactly equal to a month's remaining sales counts that month whole.
 * `months` is most recent first. Null results, with the reason in the variant:
 * 'countback_insufficient_history' when AR exceeds all sales given (there is no honest day count),
 * 'countback_negative_sales' when a month reached by the walk has negative net sales,
 * 'countback_negative_ar' when AR < 0. AR = 0 gives 0.
 */
export function dsoCountback(endingAr: bigint, months: readonly CountbackMonth[]): KpiValue {
  const formula = t(
    'DSO = Σ days of months fully covered by AR + remaining AR ÷ sales × days of the last month (CRF countback)',
    'DSO = Σ días de los meses que el saldo por cobrar cubre por completo + saldo restante ÷ ventas × días del último mes (CRF, por meses hacia atrás)',
  );
  for (const m of months) positiveDays(m.days, 'countback month days');
  if (endingAr < 0n) return kpi(null, 'countback_negative_ar', formula);
  if (endingAr === 0n) return kpi(0, 'countback', formula);
  let remaining = endingAr;
  let wholeDays = 0n;
  for (const m of months) {
    if (m.sales < 0n) return kpi(null, 'countback_negative_sales', formula);
    const days = BigInt(m.days);
    // remaining > 0 here, so remaining ≤ sales implies sales > 0.
    if (remaining <= m.sales) return kpi(roundRational(wholeDays * m.sales + remaining * days, m.sales), 'countback', formula);
    remaining -= m.sales;
    wholeDays += days;
  }
  return kpi(null, 'countback_insufficient_history', formula);
}

/**
 * Best Possible DSO (CRF): current (not yet due) AR ÷ credit sales of the period × days. Null when sales ≤ 0.
 */
export function bestPossibleDso(currentAr: bigint, creditSales: bigint, days: number): KpiValue {
  const d = positiveDays(days);
  return kpi(ratio(currentAr, creditSales, d), 'period', t('BPDSO = current (not yet due) AR ÷ credit sales of the period × days (CRF)', 'BPDSO = saldo por cobrar al corriente (aún no vencido) ÷ ventas a crédito del periodo × días (CRF)'));
}

/**
 * Average days delinquent (CRF): ADD = DSO − BPDSO. Null if either is null. Both inputs are already rounded to
 * KPI_DECIMALS, so the difference is taken exactly in hundredths (no float drift). The variant names the DSO
 * method, e.g. 'dso_period' or 'dso_countback'.
 */
export function averageDaysDelinquent(dso: KpiValue, bpdso: KpiValue): KpiValue {
  const formula = `ADD = DSO (${dso.variant}) − BPDSO (${bpdso.variant}) (CRF)`;
  const text = t(formula, formula);
  const variant = `dso_${dso.variant}`;
  if (dso.value === null || bpdso.value === null) return kpi(null, variant, text);
  const scale = 10 ** KPI_DECIMALS;
  const units = Math.round(dso.value * scale) - Math.round(bpdso.value * scale);
  return kpi(units / scale + 0, variant, text);
}

// ---------------------------------------------------------------------------------------------------------------
// Collection effectiveness index

export interface CeiInput {
  beginningAr: bigint;
  /** Credit sales of the whole period. */
  creditSales: bigint;
  endingTotalAr: bigint;
  /** Ending AR not yet due. */
  endingCurrentAr: bigint;
  /** N: months in the period (1 for a monthly CEI, 3 for a quarter…). */
  months: number;
}

/**
 * CEI (CRF) = (beginning AR + sales/N − ending total AR) ÷ (beginning AR + sales/N − ending current AR) × 100,
 * N = months in the period. Computed exactly by multiplying both terms by N. Null when the denominator ≤ 0.
 * Variant 'months_N'.
 */
export function collectionEffectivenessIndex(input: CeiInput): KpiValue {
  const n = positiveDays(input.months, 'months');
  const base = n * input.beginningAr + input.creditSales;
  const num = base - n * input.endingTotalAr;
  const den = base - n * input.endingCurrentAr;
  return kpi(
    ratio(num, den, HUNDRED),
    `months_${input.months}`,
    t(
      'CEI = (beginning AR + sales/N − ending total AR) ÷ (beginning AR + sales/N − ending current AR) × 100 (CRF)',
      'CEI = (saldo por cobrar al inicio + ventas/N − saldo total al cierre) ÷ (saldo por cobrar al inicio + ventas/N − saldo al corriente al cierre) × 100 (CRF)',
    ),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Portfolio quality

/** An account's balance and its DPD (DPD ≤ 0 is current, see DOMAIN.md §1). */
export interface BalanceAtDpd {
  balance: bigint;
  dpd: number;
}

/** Allowed past-due thresholds for the delinquency ratio: DPD ≥ threshold counts as past due. */
export const DELINQUENCY_THRESHOLDS = [1, 30, 60, 90] as const;
export type DelinquencyThreshold = (typeof DELINQUENCY_THRESHOLDS)[number];

/** Mexico IMORA adjustments: last 12 months of write-offs and of settlement discounts (quitas, condonaciones). */
export interface ImoraAdjustments {
  writeOffs12m: bigint;
  settlementDiscounts12m: bigint;
}

function sumBalances(accounts: readonly BalanceAtDpd[], include: (dpd: number) => boolean): { part: bigint; total: bigint } {
  let part = 0n;
  let total = 0n;
  for (const a of accounts) {
    total += a.balance;
    if (include(dpdOf(a.dpd))) part += a.balance;
  }
  return { part, total };
}

/**
 * Delinquency ratio (morosidad) = Σ balance with DPD ≥ threshold ÷ Σ balance × 100, variant 'threshold_T'.
 * With `imora` (Mexico, CNBV IMORA) the last 12 months of write-offs and settlement discounts are added to both
 * terms, variant 'imora_threshold_T'. Null when the denominator ≤ 0.
 */
export function delinquencyRatio(accounts: readonly BalanceAtDpd[], threshold: DelinquencyThreshold, imora?: ImoraAdjustments): KpiValue {
  if (!(DELINQUENCY_THRESHOLDS as readonly number[]).includes(threshold)) {
    throw new KpiInputError(`threshold must be one of ${DELINQUENCY_THRESHOLDS.join(', ')} (got ${threshold})`);
  }
  const { part, total } = sumBalances(accounts, (dpd) => dpd >= threshold);
  if (!imora) {
    return kpi(ratio(part, total, HUNDRED), `threshold_${threshold}`, t(`morosidad = balance with DPD ≥ ${threshold} ÷ total balance × 100`, `morosidad = saldo con ${threshold} o más días de atraso ÷ saldo total × 100`));
  }
  const extra = nonNegative(imora.writeOffs12m, 'writeOffs12m') + nonNegative(imora.settlementDiscounts12m, 'settlementDiscounts12m');
  return kpi(
    ratio(part + extra, total + extra, HUNDRED),
    `imora_threshold_${threshold}`,
    t(
      `IMORA = (balance with DPD ≥ ${threshold} + write-offs 12m + settlement discounts 12m) ÷ (total balance + write-offs 12m + settlement discounts 12m) × 100 (CNBV)`,
      `IMORA = (saldo con ${threshold} o más días de atraso + castigos de 12 meses + quitas de 12 meses) ÷ (saldo total + castigos de 12 meses + quitas de 12 meses) × 100 (CNBV)`,
    ),
  );
}

/** Percent current = Σ balance with DPD ≤ 0 (not yet due) ÷ Σ balance × 100. Null when the total ≤ 0. */
export function percentCurrent(accounts: readonly BalanceAtDpd[]): KpiValue {
  const { part, total } = sumBalances(accounts, (dpd) => dpd <= 0);
  return kpi(ratio(part, total, HUNDRED), 'balance', t('percent current = balance with DPD ≤ 0 ÷ total balance × 100 (CRF)', 'cartera al corriente = saldo con 0 días de atraso o menos ÷ saldo total × 100 (CRF)'));
}

/** Percent 90+ = Σ balance with DPD ≥ 90 ÷ Σ balance × 100 (CRF: 90 days and over). Null when the total ≤ 0. */
export function percent90Plus(accounts: readonly BalanceAtDpd[]): KpiValue {
  const { part, total } = sumBalances(accounts, (dpd) => dpd >= 90);
  return kpi(ratio(part, total, HUNDRED), 'balance', t('percent 90+ = balance with DPD ≥ 90 ÷ total balance × 100 (CRF)', 'cartera 90+ = saldo con 90 o más días de atraso ÷ saldo total × 100 (CRF)'));
}

// ---------------------------------------------------------------------------------------------------------------
// Roll and cure rates

export type RollRateVariant = 'account_tracked' | 'aggregate';

function checkRollVariant(variant: RollRateVariant): void {
  if (variant !== 'account_tracked' && variant !== 'aggregate') throw new KpiInputError(`unknown roll rate variant "${variant}"`);
}

/**
 * Roll rate = balance in bucket n+1 at t ÷ balance in bucket n at t−1 × 100 (lag = bucket width, chosen by the
 * caller when taking the snapshots). The caller says whether the numerator only follows the accounts that were in
 * bucket n ('account_tracked') or is the whole bucket n+1 ('aggregate'). Null when the denominator ≤ 0.
 */
export function rollRate(balanceNextBucketAtT: bigint, balanceBucketAtPrev: bigint, variant: RollRateVariant): KpiValue {
  checkRollVariant(variant);
  return kpi(ratio(balanceNextBucketAtT, balanceBucketAtPrev, HUNDRED), variant, t('roll rate = balance in bucket n+1 at t ÷ balance in bucket n at t−1 × 100', 'tasa de rodamiento = saldo en el tramo n+1 en t ÷ saldo en el tramo n en t−1 × 100'));
}

/** One account at the start (t−1) and end (t) of a roll/cure window. */
export interface AccountTransition {
  startDpd: number;
  startBalance: bigint;
  /** DPD at the end; an account written off in between keeps the DPD it had (> 0), it is not current. */
  endDpd: number;
  endBalance: bigint;
}

/**
 * Roll rate from bucket `from` (aging.ts buckets) to the next one, from per-account snapshots:
 * 'account_tracked' = Σ end balance of accounts in `from` at start and in the next bucket at end ÷ Σ start balance in
 * `from`; 'aggregate' = Σ end balance of every account in the next bucket at end ÷ Σ start balance in `from`.
 * Null when the denominator ≤ 0. Throws for the last bucket (there is no n+1).
 */
export function rollRateFromAccounts(accounts: readonly AccountTransition[], from: Bucket, variant: RollRateVariant): KpiValue {
  checkRollVariant(variant);
  const i = BUCKET_NAMES.indexOf(from);
  const next = BUCKET_NAMES[i + 1];
  if (i < 0 || next === undefined) throw new KpiInputError(`bucket "${from}" has no next bucket to roll into`);
  let num = 0n;
  let den = 0n;
  for (const a of accounts) {
    const wasInFrom = bucketFor(dpdOf(a.startDpd)) === from;
    if (wasInFrom) den += a.startBalance;
    if (bucketFor(dpdOf(a.endDpd)) === next && (variant === 'aggregate' || wasInFrom)) num += a.endBalance;
  }
  return kpi(ratio(num, den, HUNDRED), variant, t(`roll rate ${from} → ${next} = balance in ${next} at t ÷ balance in ${from} at t−1 × 100`, `tasa de rodamiento ${from} → ${next} = saldo en ${next} en t ÷ saldo en ${from} en t−1 × 100`));
}

/** Start/end DPD and start balance of an account for cure rates. */
export interface CureInput {
  startDpd: number;
  startBalance: bigint;
  /** DPD at the end; a partial payment that leaves DPD > 0 is not a cure; a written-off account keeps its DPD > 0. */
  endDpd: number;
}

function cureSplit(accounts: readonly CureInput[]) {
  let delinquent = 0n;
  let cured = 0n;
  let delinquentAmount = 0n;
  let curedAmount = 0n;
  for (const a of accounts) {
    if (dpdOf(a.startDpd) < 1) continue;
    delinquent += 1n;
    delinquentAmount += a.startBalance;
    if (dpdOf(a.endDpd) <= 0) {
      cured += 1n;
      curedAmount += a.startBalance;
    }
  }
  return { delinquent, cured, delinquentAmount, curedAmount };
}

/** The formula of the cure rate by count (the dashboard counts cured accounts from its aggregates with it too). */
export const CURE_RATE_BY_COUNT = t(
  'cure rate = accounts delinquent at start and current at end ÷ accounts delinquent at start × 100',
  'tasa de cura = cuentas con atraso al inicio y al corriente al final ÷ cuentas con atraso al inicio × 100',
);

/**
 * Cure rate by count = accounts delinquent at start (DPD ≥ 1) that are current at end (DPD ≤ 0) ÷ accounts
 * delinquent at start × 100. Null when none were delinquent.
 */
export function cureRateByCount(accounts: readonly CureInput[]): KpiValue {
  const s = cureSplit(accounts);
  return kpi(ratio(s.cured, s.delinquent, HUNDRED), 'count', CURE_RATE_BY_COUNT);
}

/**
 * Cure rate by amount = start balance of accounts delinquent at start (DPD ≥ 1) that are current at end (DPD ≤ 0) ÷
 * start balance of accounts delinquent at start × 100. Null when that balance ≤ 0.
 */
export function cureRateByAmount(accounts: readonly CureInput[]): KpiValue {
  const s = cureSplit(accounts);
  return kpi(
    ratio(s.curedAmount, s.delinquentAmount, HUNDRED),
    'amount',
    t(
      'cure rate = start balance of accounts delinquent at start and current at end ÷ start balance of accounts delinquent at start × 100',
      'tasa de cura = saldo inicial de las cuentas con atraso al inicio y al corriente al final ÷ saldo inicial de las cuentas con atraso al inicio × 100',
    ),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Promises to pay

export interface PromiseToPay {
  /** Promised amount, minor units, > 0. */
  amount: bigint;
  /** The date the debtor promised to pay by. */
  promisedFor: PlainDate;
  /** When the promise was made; payments dated before it do not count towards it. */
  madeOn?: PlainDate;
  cancelled?: boolean;
}

export interface PaymentOnDate {
  amount: bigint;
  paidOn: PlainDate;
}

export type PromiseOutcome = 'kept' | 'broken' | 'pending' | 'cancelled';

/** Business day: Monday to Friday and not one of `holidays`. */
function isBusinessDay(date: PlainDate, holidays: ReadonlySet<string>): boolean {
  const weekday = (((toDayNumber(date) + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
  return weekday !== 0 && weekday !== 6 && !holidays.has(date);
}

/**
 * Last day a payment counts towards a promise: the promise date moved forward by `graceBusinessDays` business days
 * (Mon–Fri, not holidays). With 0 grace it is the promise date itself. A Friday promise with 1 day of grace ends on
 * Monday (Tuesday if Monday is a holiday).
 */
export function promiseDeadline(promisedFor: PlainDate, graceBusinessDays = 1, holidays: readonly PlainDate[] = []): PlainDate {
  count(graceBusinessDays, 'graceBusinessDays');
  const set = new Set<string>(holidays);
  let d = promisedFor;
  for (let i = 0; i < graceBusinessDays; i++) {
    do {
      d = addDays(d, 1);
    } while (!isBusinessDay(d, set));
  }
  return d;
}

/**
 * Outcome of a promise as of `asOf` (DOMAIN.md §4): kept when the payments dated from `madeOn` (if given) through the
 * deadline (promise date + grace business days) and not after `asOf` add up to ≥ promised amount − tolerance;
 * broken when that has not happened and `asOf` is past the deadline; pending otherwise; cancelled promises are
 * 'cancelled'. Tolerance is in minor units (default 0).
 */
export function promiseOutcome(
  promise: PromiseToPay,
  payments: readonly PaymentOnDate[],
  asOf: PlainDate,
  graceBusinessDays = 1,
  tolerance = 0n,
  holidays: readonly PlainDate[] = [],
): PromiseOutcome {
  if (promise.amount <= 0n) throw new KpiInputError('a promise must be for an amount > 0');
  nonNegative(tolerance, 'tolerance');
  if (promise.cancelled) return 'cancelled';
  const deadline = promiseDeadline(promise.promisedFor, graceBusinessDays, holidays);
  const countUntil = compareDates(asOf, deadline) < 0 ? asOf : deadline;
  let paid = 0n;
  for (const p of payments) {
    if (promise.madeOn !== undefined && compareDates(p.paidOn, promise.madeOn) < 0) continue;
    if (compareDates(p.paidOn, countUntil) <= 0) paid += p.amount;
  }
  if (paid >= promise.amount - tolerance) return 'kept';
  return compareDates(asOf, deadline) > 0 ? 'broken' : 'pending';
}

/** Promise kept rate = kept ÷ (kept + broken) × 100; pending and cancelled are excluded. Null with no kept or broken. */
export function promiseKeptRate(outcomes: Iterable<PromiseOutcome>): KpiValue {
  let kept = 0n;
  let broken = 0n;
  for (const o of outcomes) {
    if (o === 'kept') kept += 1n;
    else if (o === 'broken') broken += 1n;
  }
  return kpi(ratio(kept, kept + broken, HUNDRED), 'count', t('promise kept rate = kept ÷ (kept + broken) × 100; pending and cancelled excluded', 'promesas cumplidas = cumplidas ÷ (cumplidas + incumplidas) × 100; sin contar pendientes ni canceladas'));
}

// ---------------------------------------------------------------------------------------------------------------
// Recovery, cost and contact

export type RecoveryBase = 'assigned' | 'due';

/**
 * Recovery rate = collected ÷ amount assigned (variant 'assigned') or amount due (variant 'due') in the period × 100.
 * Null when the base ≤ 0.
 */
export function recoveryRate(collected: bigint, base: bigint, variant: RecoveryBase): KpiValue {
  if (variant !== 'assigned' && variant !== 'due') throw new KpiInputError(`unknown recovery rate variant "${variant}"`);
  return kpi(ratio(collected, base, HUNDRED), variant, t(`recovery rate = collected ÷ amount ${variant} × 100`, `tasa de recuperación = recuperado ÷ monto ${variant === 'assigned' ? 'asignado' : 'exigible'} × 100`));
}

/** Cost to collect = collection costs ÷ collected × 100 (cost per 100 collected). Null when collected ≤ 0. */
export function costToCollect(costs: bigint, collected: bigint): KpiValue {
  return kpi(ratio(nonNegative(costs, 'costs'), collected, HUNDRED), 'percent_of_collected', t('cost to collect = costs ÷ collected × 100', 'costo de cobranza = costos ÷ recuperado × 100'));
}

/** Decimals of the cost per peso recovered: a cost of a few cents per peso needs more than KPI_DECIMALS. */
export const COST_PER_PESO_DECIMALS = 4;

/**
 * A monthly cost prorated to the days of [from, to] (both included): for each calendar month the period touches,
 * monthly × days of the period in that month ÷ days of that month, summed exactly and rounded once to whole minor
 * units, half up. 1–31 March of a 3,100.00 monthly cost is 3,100.00; 2–31 March is 3,000.00; 16 March–15 April is
 * 1,600.00 + 1,550.00 = 3,150.00. `from` after `to` is a caller bug.
 */
export function prorateMonthlyCost(monthly: bigint, from: PlainDate, to: PlainDate): bigint {
  nonNegative(monthly, 'monthly cost');
  if (compareDates(from, to) > 0) throw new KpiInputError(`the period starts (${from}) after it ends (${to})`);
  return roundProrated(proratedShare(monthly, from, to));
}

/** 377,580 is the least common multiple of 28, 29, 30 and 31: every month's share is a whole multiple of 1/377,580. */
const PRORATE_DEN = 377_580n;

/** monthly × days of [from, to] in each month ÷ days of that month, summed, in 1/PRORATE_DEN minor units (exact). */
function proratedShare(monthly: bigint, from: PlainDate, to: PlainDate): bigint {
  let num = 0n;
  let start = from;
  while (compareDates(start, to) <= 0) {
    const [y, m] = start.split('-').map(Number) as [number, number];
    const monthDays = daysInMonth(y, m);
    const monthEnd = `${start.slice(0, 8)}${String(monthDays).padStart(2, '0')}` as PlainDate;
    const end = compareDates(monthEnd, to) < 0 ? monthEnd : to;
    num += monthly * BigInt(daysBetween(start, end) + 1) * (PRORATE_DEN / BigInt(monthDays));
    start = addDays(end, 1);
  }
  return num;
}

/** Whole minor units, half up. */
function roundProrated(num: bigint): bigint {
  return (2n * num + PRORATE_DEN) / (2n * PRORATE_DEN);
}

/** One entry of an effective-dated cost history: `monthly` applies from `from` (null: since always) until the next entry. */
export interface DatedMonthlyCost {
  from: PlainDate | null;
  monthly: bigint;
}

/**
 * The entry of an effective-dated history in force on `day`: the one with the latest `from` on or before it; before
 * the first entry, the first entry. Undefined for an empty history.
 */
export function costInForce<T extends DatedMonthlyCost>(history: readonly T[], day: PlainDate): T | undefined {
  const sorted = [...history].sort(byFrom);
  return sorted.findLast((entry) => entry.from === null || compareDates(entry.from, day) <= 0) ?? sorted[0];
}

/** Oldest first; "since always" (null) before any date. */
function byFrom(a: DatedMonthlyCost, b: DatedMonthlyCost): number {
  return a.from === null ? -1 : b.from === null ? 1 : compareDates(a.from, b.from);
}

/**
 * The cost of [from, to] under an effective-dated history of monthly costs: each day is charged the monthly cost in
 * force that day (costInForce: the entry with the latest `from` on or before it; before the first, the first) — with
 * prorateMonthlyCost's rule applied to each part (per calendar month, by days), the parts summed exactly and rounded
 * once, half up. 3,100.00 until 15 March and 6,200.00 from 16 March charge 1–31 March 1,500.00 + 3,200.00 = 4,700.00.
 * Null for an empty history. Two entries from the same day, or `from` after `to`, are a caller bug.
 */
export function prorateDatedMonthlyCosts(history: readonly DatedMonthlyCost[], from: PlainDate, to: PlainDate): bigint | null {
  if (compareDates(from, to) > 0) throw new KpiInputError(`the period starts (${from}) after it ends (${to})`);
  if (history.length === 0) return null;
  const sorted = [...history].sort(byFrom);
  let num = 0n;
  sorted.forEach((entry, i) => {
    nonNegative(entry.monthly, 'monthly cost');
    const next = sorted[i + 1]?.from;
    if (next === null || (next !== undefined && entry.from !== null && compareDates(next, entry.from) <= 0)) throw new KpiInputError(`two costs apply from ${entry.from ?? 'always'}`);
    const start = i === 0 || entry.from === null || compareDates(entry.from, from) < 0 ? from : entry.from;
    const end = next === undefined || compareDates(addDays(next, -1), to) > 0 ? to : addDays(next, -1);
    if (compareDates(start, end) <= 0) num += proratedShare(entry.monthly, start, end);
  });
  return roundProrated(num);
}

/**
 * Cost per peso recovered = collection costs of the period ÷ amount recovered in the period, both in minor units of
 * the SAME currency (so the ratio is per unit of that currency: per peso for MXN). Rounded to COST_PER_PESO_DECIMALS.
 * Null when nothing was recovered (collected ≤ 0). `variant` names how the costs were counted.
 */
export function costPerPesoRecovered(costs: bigint, collected: bigint, variant = 'monthly_cost_prorated'): KpiValue {
  nonNegative(costs, 'costs');
  return kpi(collected > 0n ? roundRational(costs, collected, COST_PER_PESO_DECIMALS) : null, variant, t('cost per peso recovered = collector cost of the period ÷ amount recovered in the same currency', 'costo por peso recuperado = costo del gestor en el periodo ÷ monto recuperado en la misma moneda'));
}

function countRate(hits: number, attempts: number, what: string): number | null {
  const h = count(hits, what);
  const a = count(attempts, 'attempts');
  if (h > a) throw new KpiInputError(`${what} (${hits}) cannot exceed attempts (${attempts})`);
  return ratio(h, a, HUNDRED);
}

/** Contact rate = answered ÷ attempts × 100. Null with no attempts. */
export function contactRate(answered: number, attempts: number): KpiValue {
  return kpi(countRate(answered, attempts, 'answered'), 'answered', t('contact rate = answered ÷ attempts × 100', 'tasa de contacto = contestados ÷ intentos × 100'));
}

/**
 * Right-party contact rate = right-party contacts (reached the debtor, a co-obligor or a guarantor) ÷ attempts × 100.
 * Null with no attempts.
 */
export function rightPartyContactRate(rightPartyContacts: number, attempts: number): KpiValue {
  return kpi(
    countRate(rightPartyContacts, attempts, 'rightPartyContacts'),
    'right_party',
    t('right-party contact rate = contacts with debtor, co-obligor or guarantor ÷ attempts × 100', 'contacto con el titular = contactos con el deudor, un codeudor o un aval ÷ intentos × 100'),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Average days to pay

export interface PaidItem {
  /** Amount paid, minor units, ≥ 0. */
  amount: bigint;
  /** Due date of what was paid (needed for basis 'due'). */
  dueOn?: PlainDate;
  /** Invoice / issue date of what was paid (needed for basis 'invoice'). */
  issuedOn?: PlainDate;
  paidOn: PlainDate;
}

export type DaysToPayBasis = 'due' | 'invoice';

/**
 * Average days to pay, amount-weighted = Σ(amount × days from start date to payment) ÷ Σ amount. The start date is
 * the due date (basis 'due', default, variant 'from_due'; early payments count negative) or the invoice date (basis
 * 'invoice', variant 'from_invoice'). Null when Σ amount ≤ 0.
 */
export function averageDaysToPay(items: readonly PaidItem[], basis: DaysToPayBasis = 'due'): KpiValue {
  if (basis !== 'due' && basis !== 'invoice') throw new KpiInputError(`unknown days-to-pay basis "${basis}"`);
  let weighted = 0n;
  let total = 0n;
  for (const item of items) {
    const start = basis === 'due' ? item.dueOn : item.issuedOn;
    if (start === undefined) throw new KpiInputError(`a paid item has no ${basis === 'due' ? 'dueOn' : 'issuedOn'} date`);
    const amount = nonNegative(item.amount, 'paid amount');
    weighted += amount * BigInt(daysBetween(start, item.paidOn));
    total += amount;
  }
  return kpi(
    ratio(weighted, total, 1n),
    `from_${basis}`,
    t(
      `average days to pay = Σ(amount × days from ${basis === 'due' ? 'due' : 'invoice'} date to payment) ÷ Σ amount`,
      `días promedio de pago = Σ(monto × días desde la fecha de ${basis === 'due' ? 'vencimiento' : 'factura'} hasta el pago) ÷ Σ monto`,
    ),
  );
}
