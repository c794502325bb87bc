/**
 * Days past due as a collector reads them: a number once the account is late, "Vence hoy" on the due date and
 * "Vence en 3 días" before it (the API sends those as 0 and -3). Lists still sort by the number.
 */
export function daysPastDueText(dpd: number | null, t: (key: string, params?: Record<string, string | number>) => string): string {
  if (dpd === null) return '—';
  if (dpd > 0) return String(dpd);
  if (dpd === 0) return t('worklist.dpd.dueToday');
  return t('worklist.dpd.dueIn', { count: -dpd });
}
