/**
 * DPD bands: the buckets (aging.ts) cut further at the delinquency thresholds 1, 30, 60 and 90, so the daily aggregate
 * answers both "balance per bucket" and "balance with DPD ≥ T" exactly from sums of bands.
 */
export const BANDS = [
  { name: 'current', from: null, to: 0 },
  { name: '1-29', from: 1, to: 29 },
  { name: '30', from: 30, to: 30 },
  { name: '31-59', from: 31, to: 59 },
  { name: '60', from: 60, to: 60 },
  { name: '61-89', from: 61, to: 89 },
  { name: '90', from: 90, to: 90 },
  { name: '91-120', from: 91, to: 120 },
  { name: '121-180', from: 121, to: 180 },
  { name: '181+', from: 181, to: null },
] as const;

export type Band = (typeof BANDS)[number]['name'];

/** `CASE` giving the band of a DPD expression; null DPD (nothing owed) is 'settled'. */
export function bandCaseSql(dpd: string): string {
  const arms = BANDS.map((b) => {
    const conds: string[] = [];
    if (b.from !== null) conds.push(`${dpd} >= ${b.from}`);
    if (b.to !== null) conds.push(`${dpd} <= ${b.to}`);
    return `WHEN ${conds.join(' AND ')} THEN '${b.name}'`;
  });
  return `(CASE WHEN ${dpd} IS NULL THEN 'settled' ${arms.join(' ')} END)`;
}

/** The lowest DPD of a band (current counts as 0, settled as none). */
export function bandFloor(band: string): number | null {
  if (band === 'settled') return null;
  const b = BANDS.find((x) => x.name === band);
  return b ? (b.from ?? 0) : null;
}
