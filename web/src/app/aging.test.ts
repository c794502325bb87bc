import { describe, expect, it } from 'vitest';
// Test-only import: the bundle never reaches server code, but the two lists must agree.
import { BUCKET_NAMES } from '../../../src/domain/aging.ts';
import { BUCKETS, compareBuckets, nextBucket } from './aging.ts';

describe('aging buckets in the web', () => {
  it("are the server's buckets, in the server's order", () => {
    expect([...BUCKETS]).toEqual([...BUCKET_NAMES]);
  });

  it('sort in aging order, never as text, with settled and unknown names last', () => {
    const names = ['31-60', '181+', 'settled', '121-180', 'current', '1-30', '91-120', 'zzz', '61-90'];
    expect(names.sort(compareBuckets)).toEqual(['current', '1-30', '31-60', '61-90', '91-120', '121-180', '181+', 'settled', 'zzz']);
  });

  it('name the bucket a balance rolls to', () => {
    expect(nextBucket('current')).toBe('1-30');
    expect(nextBucket('121-180')).toBe('181+');
    expect(nextBucket('181+')).toBeNull();
    expect(nextBucket('settled')).toBeNull();
  });
});
