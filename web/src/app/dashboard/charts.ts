/**
 * The data of the dashboard's charts. A bar's height is a number (charts draw numbers); what a person reads in a
 * tooltip is formatted from the exact decimal string the API sent, kept beside it. Amounts of different currencies
 * are never in one series, one stack or one axis: every chart is of one currency.
 */

/** Key suffixes of a chart row: the exact amount of a series and its number of accounts. */
export const EXACT = '$';
export const COUNT = '#';

/** One row of GET /dashboard `portfolio`. */
export interface PortfolioRow {
  currency: string;
  phase: string;
  bucket: string;
  accounts: number;
  balance: string;
}

/** One row of GET /dashboard `recovery`. */
export interface RecoveryRow {
  period: string;
  currency: string;
  collected: string;
  payments: number;
}

/** A chart of one currency's recovery: a bar per period. */
export interface RecoveryChart {
  currency: string;
  points: Array<{ period: string; collected: number; exact: string; payments: number }>;
}

/** Only sizes a bar: the exact amount is kept beside it for what is read. */
function barHeight(amount: string): number {
  return Number(amount);
}

/**
 * One row per phase (in the order given) of one currency's portfolio rows: per bucket its balance as a bar height
 * (`<bucket>`), its exact balance (`<bucket>$`) and its accounts (`<bucket>#`).
 */
export function phaseChartData(rows: readonly PortfolioRow[], currency: string, phaseLabel: (phase: string) => string): Array<Record<string, string | number>> {
  const byPhase = new Map<string, Record<string, string | number>>();
  for (const r of rows) {
    if (r.currency !== currency) continue;
    const entry = byPhase.get(r.phase) ?? { phase: phaseLabel(r.phase) };
    entry[r.bucket] = barHeight(r.balance);
    entry[`${r.bucket}${EXACT}`] = r.balance;
    entry[`${r.bucket}${COUNT}`] = r.accounts;
    byPhase.set(r.phase, entry);
  }
  return [...byPhase.values()];
}

/** One chart per currency, in the order the currencies first appear, each with its periods in the order given. */
export function recoveryCharts(rows: readonly RecoveryRow[]): RecoveryChart[] {
  const charts = new Map<string, RecoveryChart>();
  for (const r of rows) {
    const chart = charts.get(r.currency) ?? { currency: r.currency, points: [] };
    chart.points.push({ period: r.period, collected: barHeight(r.collected), exact: r.collected, payments: r.payments });
    charts.set(r.currency, chart);
  }
  return [...charts.values()];
}
