/**
 * Aging buckets as the API names them, in aging order (the server's list is BUCKETS in src/domain/aging.ts, which the
 * web cannot import; aging.test.ts checks both agree). Accounts that owe nothing are `settled`, after every bucket.
 */
export const BUCKETS = ['current', '1-30', '31-60', '61-90', '91-120', '121-180', '181+'] as const;

const ORDER: readonly string[] = [...BUCKETS, 'settled'];

/** Compares two bucket names in aging order ("31-60" before "121-180"); names it does not know go last, by text. */
export function compareBuckets(a: string, b: string): number {
  const rank = (name: string) => (ORDER.includes(name) ? ORDER.indexOf(name) : ORDER.length);
  return rank(a) - rank(b) || (rank(a) === ORDER.length ? a.localeCompare(b) : 0);
}

/** The bucket after `bucket` in aging order (where its balance rolls to), or null for the last one. */
export function nextBucket(bucket: string): string | null {
  const i = (BUCKETS as readonly string[]).indexOf(bucket);
  return i >= 0 && i < BUCKETS.length - 1 ? BUCKETS[i + 1]! : null;
}
