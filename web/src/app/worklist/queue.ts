/**
 * "Mi día" as data, shared by the worklist page and the debtor page's "Siguiente cuenta": the list's items, the queue
 * a supervisor picked (kept in the address as `?queue=<collector id>`, so the debtor page and Back know it), and which
 * account comes after another.
 */

/** One entry of GET /worklist. */
export interface WorklistItem {
  category: string;
  debtor_external_id: string;
  debtor_name: string;
  reason: string;
  ref: number | null;
  due: string | null;
  phase: string | null;
  days_past_due: number | null;
  currency: string | null;
  balance: string | null;
  expected_recovery: string | null;
  score: number | null;
}

/** A page of GET /worklist. */
export interface Worklist {
  collector_id: number;
  as_of: string;
  items: WorklistItem[];
  next_cursor: string | null;
  counts: Record<string, number>;
}

/** GET /worklist/summary: the whole list in numbers. */
export interface WorklistSummary {
  collector_id: number;
  as_of: string;
  accounts: number;
  attention: number;
  assigned: number;
}

/** Items fetched per page of the list. */
export const WORKLIST_PAGE = 50;

/** The queue named in an address (`?queue=12`): a collector's id, or '' for the signed-in user's own list. */
export function queueOf(params: URLSearchParams): string {
  const q = params.get('queue') ?? '';
  return /^\d{1,15}$/.test(q) ? q : '';
}

/** The worklist page's address for a queue. */
export function worklistHref(queue: string): string {
  return queue ? `/app/worklist?queue=${queue}` : '/app/worklist';
}

/** A debtor's page opened from a queue: the queue travels along, so the page can offer the queue's next account. */
export function debtorHref(externalId: string, queue: string): string {
  return `/app/debtors/${encodeURIComponent(externalId)}${queue ? `?queue=${queue}` : ''}`;
}

/** The accounts of the list in its order: each debtor once, where it first appears (a debtor may have several items). */
export function accountsInOrder(items: readonly WorklistItem[]): Array<{ id: string; name: string }> {
  const seen = new Set<string>();
  const out: Array<{ id: string; name: string }> = [];
  for (const item of items) {
    if (seen.has(item.debtor_external_id)) continue;
    seen.add(item.debtor_external_id);
    out.push({ id: item.debtor_external_id, name: item.debtor_name });
  }
  return out;
}

/**
 * The account after `current` in the list: `{ next }` (null at the end of the whole list), or `'more'` when the pages
 * loaded so far end before the answer is known. A debtor not in the list (opened from elsewhere, or already worked)
 * gets the list's first account.
 */
export function nextAccount(items: readonly WorklistItem[], current: string, complete: boolean): { next: { id: string; name: string } | null } | 'more' {
  const accounts = accountsInOrder(items);
  const at = accounts.findIndex((a) => a.id === current);
  if (at >= 0 && at + 1 < accounts.length) return { next: accounts[at + 1]! };
  if (!complete) return 'more';
  if (at >= 0) return { next: null };
  return { next: accounts.find((a) => a.id !== current) ?? null };
}
