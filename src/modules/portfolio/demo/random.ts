/**
 * A small seeded PRNG for the demo's behaviour. Each debtor draws from its own stream derived from (seed, index), so
 * the debtors, obligations and payments files can be produced independently, in any order, and still agree.
 */

/** murmur3's 32-bit finaliser: spreads nearby inputs (seed 1, 2, 3…) into unrelated states. */
function mix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Deterministic pseudo-random numbers (sfc32: fast, 128-bit state, good enough for test data, not for secrets). */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** A stream for the given key parts, e.g. `new Random(seed, debtorIndex, STREAM_PLAN)`. */
  constructor(...key: number[]) {
    let h = 0x9e3779b9;
    for (const k of key) h = mix32(h ^ mix32(k | 0) ^ Math.imul(h, 31));
    this.a = mix32(h ^ 0x1b873593);
    this.b = mix32(h ^ 0xcc9e2d51);
    this.c = mix32(h ^ 0xe6546b64);
    this.d = 1;
    // The first outputs of sfc32 still echo the seed; discard them.
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
}

/** A precomputed weighted choice: O(log n) per draw, so large tables (cities, states) stay cheap at bench scale. */
export class WeightedTable<T> {
  private readonly items: readonly T[];
  private readonly cumulative: number[];
  private readonly total: number;

  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    if (entries.length === 0) throw new Error('a weighted table needs at least one entry');
    this.items = entries.map(([item]) => item);
    let sum = 0;
    this.cumulative = entries.map(([, weight]) => (sum += weight));
    this.total = sum;
  }

  draw(random: Random): T {
    const x = random.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo]!;
  }
}
