import { describe, expect, it } from 'vitest';
import {
  type AllocObligation,
  type AllocPayment,
  type AllocationResult,
  AllocationError,
  allocatePayments,
  summarizeDebtor,
} from './allocation.ts';
import { addDays, type PlainDate } from './calendar.ts';

const d = (s: string) => s as PlainDate;

function ob(id: string, amount: bigint, dueOn: string, extra: Partial<AllocObligation> = {}): AllocObligation {
  return { id, currency: 'MXN', amount, dueOn: d(dueOn), issuedOn: null, externalId: id, ...extra };
}

function pay(id: string, amount: bigint, paidOn: string, extra: Partial<AllocPayment> = {}): AllocPayment {
  return { id, currency: 'MXN', amount, paidOn: d(paidOn), obligationId: null, externalId: id, ...extra };
}

/** Allocations as "payment→obligation:amount" strings, in application order, for compact assertions. */
function flows(result: AllocationResult): string[] {
  return result.allocations.map((a) => `${a.paymentId}→${a.obligationId}:${a.amount}`);
}

/** Small deterministic PRNG (xorshift32) so randomized tests replay exactly from their seed. */
function prng(seed: number): { next: () => number; int: (lo: number, hi: number) => number; pick: <T>(xs: readonly T[]) => T } {
  // Small seeds are spread over all 32 bits and a few outputs discarded: raw xorshift starts near 0 for seeds like 1, 2, 3.
  let s = Math.imul(seed, 0x9e3779b1) >>> 0 || 0x9e3779b9;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x1_0000_0000;
  };
  for (let i = 0; i < 8; i++) next();
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T,>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!;
  return { next, int, pick };
}

function shuffled<T>(xs: readonly T[], rnd: () => number): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Checks the allocation invariants; returns nothing and fails the test through expect. */
function assertInvariants(obligations: AllocObligation[], payments: AllocPayment[], result: AllocationResult, label = ''): void {
  const obById = new Map(obligations.map((o) => [o.id, o]));
  const payById = new Map(payments.map((p) => [p.id, p]));
  const toObligation = new Map<string, bigint>();
  const fromPayment = new Map<string, bigint>();
  const pairs = new Set<string>();
  for (const a of result.allocations) {
    const o = obById.get(a.obligationId);
    const p = payById.get(a.paymentId);
    expect(o, `${label} allocation to unknown obligation`).toBeDefined();
    expect(p, `${label} allocation from unknown payment`).toBeDefined();
    expect(a.amount > 0n, `${label} zero or negative allocation`).toBe(true);
    expect(p!.currency, `${label} allocation crosses currencies`).toBe(o!.currency);
    const pair = `${a.paymentId}|${a.obligationId}`;
    expect(pairs.has(pair), `${label} pair allocated twice`).toBe(false);
    pairs.add(pair);
    toObligation.set(a.obligationId, (toObligation.get(a.obligationId) ?? 0n) + a.amount);
    fromPayment.set(a.paymentId, (fromPayment.get(a.paymentId) ?? 0n) + a.amount);
  }
  expect(result.balances.size, label).toBe(obligations.length);
  expect(result.unapplied.size, label).toBe(payments.length);
  for (const o of obligations) {
    const balance = result.balances.get(o.id);
    expect(balance, `${label} balance of ${o.id}`).toBe(o.amount - (toObligation.get(o.id) ?? 0n));
    expect(balance! >= 0n, `${label} negative balance of ${o.id}`).toBe(true);
  }
  for (const p of payments) {
    const left = result.unapplied.get(p.id);
    expect((fromPayment.get(p.id) ?? 0n) + left!, `${label} payment ${p.id} does not add up`).toBe(p.amount);
    expect(left! >= 0n, `${label} negative unapplied on ${p.id}`).toBe(true);
  }
  // Credit only remains in a currency when nothing of that currency is still owed.
  const openCurrencies = new Set(obligations.filter((o) => result.balances.get(o.id)! > 0n).map((o) => o.currency));
  for (const p of payments) {
    if (result.unapplied.get(p.id)! > 0n) expect(openCurrencies.has(p.currency), `${label} credit left on ${p.id} while ${p.currency} is owed`).toBe(false);
  }
}

/**
 * Straightforward restatement of the rules without the production code's cursor and queues: re-sorts and rescans
 * everything for every payment. Slow but obviously faithful, so the randomized test can compare exact results.
 */
function referenceAllocate(obligations: AllocObligation[], payments: AllocPayment[]): string[] {
  const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const balance = new Map(obligations.map((o) => [o.id, o.amount]));
  const out: string[] = [];
  const sortedPayments = [...payments].sort((a, b) => text(a.paidOn, b.paidOn) || text(a.externalId, b.externalId) || text(a.id, b.id));
  for (const p of sortedPayments) {
    let rest = p.amount;
    const take = (o: AllocObligation) => {
      const owed = balance.get(o.id)!;
      const amount = rest < owed ? rest : owed;
      if (amount === 0n) return;
      balance.set(o.id, owed - amount);
      rest -= amount;
      out.push(`${p.id}→${o.id}:${amount}`);
    };
    const named = obligations.find((o) => o.id === p.obligationId);
    if (named && named.currency === p.currency) take(named);
    const candidates = obligations
      .filter((o) => o.currency === p.currency)
      .sort(
        (a, b) =>
          text(a.dueOn, b.dueOn) ||
          (a.issuedOn === b.issuedOn ? 0 : a.issuedOn === null ? 1 : b.issuedOn === null ? -1 : text(a.issuedOn, b.issuedOn)) ||
          text(a.externalId, b.externalId) ||
          text(a.id, b.id),
      );
    for (const o of candidates) take(o);
  }
  return out;
}

describe('allocatePayments: application rules', () => {
  it('applies a payment first to the obligation it names, the rest oldest-due first', () => {
    const obligations = [ob('o1', 1000n, '2026-01-10'), ob('o2', 1000n, '2026-02-10'), ob('o3', 1000n, '2026-03-10')];
    const result = allocatePayments(obligations, [pay('p1', 1500n, '2026-03-01', { obligationId: 'o3' })]);
    expect(flows(result)).toEqual(['p1→o3:1000', 'p1→o1:500']);
    expect(result.balances).toEqual(new Map([['o1', 500n], ['o2', 1000n], ['o3', 0n]]));
    expect(result.unapplied.get('p1')).toBe(0n);
  });

  it('skips a named obligation that is already paid and falls through to the waterfall', () => {
    const obligations = [ob('o1', 300n, '2026-01-10'), ob('o2', 300n, '2026-02-10')];
    const result = allocatePayments(obligations, [
      pay('p1', 300n, '2026-01-01', { obligationId: 'o2' }),
      pay('p2', 100n, '2026-01-02', { obligationId: 'o2' }),
    ]);
    expect(flows(result)).toEqual(['p1→o2:300', 'p2→o1:100']);
  });

  it('treats a named obligation that does not exist as naming nothing', () => {
    const result = allocatePayments([ob('o1', 300n, '2026-01-10')], [pay('p1', 100n, '2026-01-01', { obligationId: 'gone' })]);
    expect(flows(result)).toEqual(['p1→o1:100']);
  });

  it('pays the oldest due date first regardless of input order', () => {
    const obligations = [ob('late', 100n, '2026-05-01'), ob('early', 100n, '2026-01-01'), ob('mid', 100n, '2026-03-01')];
    const result = allocatePayments(obligations, [pay('p1', 250n, '2026-06-01')]);
    expect(flows(result)).toEqual(['p1→early:100', 'p1→mid:100', 'p1→late:50']);
  });

  it('breaks a due-date tie by issue date (none last), then by external id', () => {
    const due = '2026-04-01';
    const obligations = [
      ob('noIssueA', 100n, due, { externalId: 'A' }),
      ob('issuedLate', 100n, due, { issuedOn: d('2026-02-01'), externalId: 'A' }),
      ob('issuedEarlyZ', 100n, due, { issuedOn: d('2026-01-01'), externalId: 'Z' }),
      ob('issuedEarlyB', 100n, due, { issuedOn: d('2026-01-01'), externalId: 'B' }),
      ob('noIssueB', 100n, due, { externalId: 'B' }),
    ];
    const result = allocatePayments(obligations, [pay('p1', 500n, '2026-05-01')]);
    expect(result.allocations.map((a) => a.obligationId)).toEqual(['issuedEarlyB', 'issuedEarlyZ', 'issuedLate', 'noIssueA', 'noIssueB']);
  });

  it('applies payments by paid date, then external id', () => {
    const obligations = [ob('o1', 100n, '2026-01-01'), ob('o2', 100n, '2026-02-01'), ob('o3', 100n, '2026-03-01')];
    const payments = [
      pay('third', 100n, '2026-01-05', { externalId: 'X-2' }),
      pay('first', 100n, '2026-01-04', { externalId: 'X-9' }),
      pay('second', 100n, '2026-01-05', { externalId: 'X-1' }),
    ];
    expect(flows(allocatePayments(obligations, payments))).toEqual(['first→o1:100', 'second→o2:100', 'third→o3:100']);
  });

  it('leaves a partly paid obligation open with the exact remainder', () => {
    const result = allocatePayments([ob('o1', 125_050n, '2026-01-10')], [pay('p1', 50_025n, '2026-01-05')]);
    expect(result.balances.get('o1')).toBe(75_025n);
    expect(result.unapplied.get('p1')).toBe(0n);
  });

  it('settles an obligation exactly with nothing left over', () => {
    const result = allocatePayments([ob('o1', 99_999n, '2026-01-10')], [pay('p1', 99_999n, '2026-01-05')]);
    expect(flows(result)).toEqual(['p1→o1:99999']);
    expect(result.balances.get('o1')).toBe(0n);
    expect(result.unapplied.get('p1')).toBe(0n);
  });

  it('keeps an overpayment as unapplied credit', () => {
    const obligations = [ob('o1', 1000n, '2026-01-10'), ob('o2', 500n, '2026-02-10')];
    const result = allocatePayments(obligations, [pay('p1', 2000n, '2026-01-05', { obligationId: 'o2' })]);
    expect(flows(result)).toEqual(['p1→o2:500', 'p1→o1:1000']);
    expect(result.unapplied.get('p1')).toBe(500n);
    expect(summarizeDebtor(result, obligations, [pay('p1', 2000n, '2026-01-05')])).toEqual({
      balances: new Map([['MXN', 0n]]),
      unapplied: new Map([['MXN', 500n]]),
    });
  });

  it('leaves a payment in a currency the debtor does not owe fully unapplied', () => {
    const obligations = [ob('o1', 1000n, '2026-01-10')];
    const result = allocatePayments(obligations, [pay('p1', 700n, '2026-01-05', { currency: 'USD' })]);
    expect(result.allocations).toEqual([]);
    expect(result.unapplied.get('p1')).toBe(700n);
    expect(result.balances.get('o1')).toBe(1000n);
  });

  it('does not apply a payment to a named obligation in another currency; it flows to its own currency', () => {
    const obligations = [ob('usd', 1000n, '2026-01-01', { currency: 'USD' }), ob('mxn', 1000n, '2026-03-01')];
    const result = allocatePayments(obligations, [pay('p1', 400n, '2026-01-05', { obligationId: 'usd' })]);
    expect(flows(result)).toEqual(['p1→mxn:400']);
    expect(result.balances.get('usd')).toBe(1000n);
  });

  it('lets zero amounts through without allocations', () => {
    const obligations = [ob('zero', 0n, '2026-01-01'), ob('o1', 100n, '2026-02-01')];
    const payments = [pay('p0', 0n, '2026-01-01', { obligationId: 'o1' }), pay('p1', 100n, '2026-01-02', { obligationId: 'zero' })];
    const result = allocatePayments(obligations, payments);
    expect(flows(result)).toEqual(['p1→o1:100']);
    expect(result.balances).toEqual(new Map([['zero', 0n], ['o1', 0n]]));
    expect(result.unapplied).toEqual(new Map([['p0', 0n], ['p1', 0n]]));
  });

  it('handles an empty debtor', () => {
    const result = allocatePayments([], []);
    expect(result).toEqual({ allocations: [], balances: new Map(), unapplied: new Map() });
    expect(summarizeDebtor(result, [], [])).toEqual({ balances: new Map(), unapplied: new Map() });
  });

  it('refuses negative amounts and duplicate ids', () => {
    expect(() => allocatePayments([ob('o1', -1n, '2026-01-01')], [])).toThrow(AllocationError);
    expect(() => allocatePayments([], [pay('p1', -1n, '2026-01-01')])).toThrow(AllocationError);
    expect(() => allocatePayments([ob('o1', 1n, '2026-01-01'), ob('o1', 2n, '2026-01-02')], [])).toThrow(/appears twice/);
    expect(() => allocatePayments([], [pay('p1', 1n, '2026-01-01'), pay('p1', 2n, '2026-01-02')])).toThrow(/appears twice/);
  });
});

describe('allocatePayments: currencies', () => {
  it('allocates a multi-currency debtor per currency and totals each currency separately', () => {
    const obligations = [
      ob('mxn1', 150_000n, '2026-01-15'),
      ob('mxn2', 150_000n, '2026-02-15'),
      ob('usd1', 20_000n, '2026-01-31', { currency: 'USD' }),
      ob('usd2', 20_000n, '2026-02-28', { currency: 'USD' }),
    ];
    const payments = [
      pay('pm1', 200_000n, '2026-02-01'),
      pay('pu1', 25_000n, '2026-02-02', { currency: 'USD', obligationId: 'usd2' }),
      pay('pu2', 30_000n, '2026-02-20', { currency: 'USD' }),
    ];
    const result = allocatePayments(obligations, payments);
    expect(flows(result)).toEqual(['pm1→mxn1:150000', 'pm1→mxn2:50000', 'pu1→usd2:20000', 'pu1→usd1:5000', 'pu2→usd1:15000']);
    assertInvariants(obligations, payments, result);
    const summary = summarizeDebtor(result, obligations, payments);
    expect(summary.balances).toEqual(new Map([['MXN', 100_000n], ['USD', 0n]]));
    expect(summary.unapplied).toEqual(new Map([['MXN', 0n], ['USD', 15_000n]]));
    expect([...summary.balances.keys()]).toEqual(['MXN', 'USD']);
  });

  it('works in CLP, which has no decimals', () => {
    const obligations = [ob('c1', 450_000n, '2026-01-05', { currency: 'CLP' }), ob('c2', 450_000n, '2026-02-05', { currency: 'CLP' })];
    const payments = [pay('p1', 600_001n, '2026-01-20', { currency: 'CLP' })];
    const result = allocatePayments(obligations, payments);
    expect(flows(result)).toEqual(['p1→c1:450000', 'p1→c2:150001']);
    expect(summarizeDebtor(result, obligations, payments).balances).toEqual(new Map([['CLP', 299_999n]]));
  });

  it('summarizeDebtor refuses a result computed for other inputs', () => {
    const result = allocatePayments([ob('o1', 1n, '2026-01-01')], []);
    expect(() => summarizeDebtor(result, [ob('o2', 1n, '2026-01-01')], [])).toThrow(AllocationError);
    expect(() => summarizeDebtor(result, [], [pay('p9', 1n, '2026-01-01')])).toThrow(AllocationError);
  });
});

describe('allocatePayments: recomputation and determinism', () => {
  const obligations = [
    ob('o1', 10_000n, '2026-01-10', { issuedOn: d('2025-12-01') }),
    ob('o2', 10_000n, '2026-01-10', { issuedOn: null }),
    ob('o3', 10_000n, '2026-02-10', { issuedOn: d('2025-12-01') }),
    ob('o4', 5_000n, '2026-03-10', { currency: 'USD' }),
  ];
  const payments = [
    pay('p1', 7_000n, '2026-01-05'),
    pay('p2', 9_000n, '2026-01-20', { obligationId: 'o3' }),
    pay('p3', 8_000n, '2026-02-01'),
    pay('p4', 6_000n, '2026-02-01', { currency: 'USD' }),
  ];

  it('restores balances exactly when a payment is reversed (removed and recomputed)', () => {
    const before = allocatePayments(obligations, payments.filter((p) => p.id !== 'p2'));
    const withP2 = allocatePayments(obligations, payments);
    expect(withP2.balances).not.toEqual(before.balances);
    const reversed = allocatePayments(obligations, payments.filter((p) => p.id !== 'p2'));
    expect(reversed).toEqual(before);
    // With every payment reversed, each obligation is owed in full again.
    const none = allocatePayments(obligations, []);
    for (const o of obligations) expect(none.balances.get(o.id)).toBe(o.amount);
  });

  it('reversing an earlier payment re-routes later payments as if it never existed', () => {
    const withAll = allocatePayments(obligations, payments);
    expect(flows(withAll)).toEqual(['p1→o1:7000', 'p2→o3:9000', 'p3→o1:3000', 'p3→o2:5000', 'p4→o4:5000']);
    const withoutP1 = allocatePayments(obligations, payments.filter((p) => p.id !== 'p1'));
    expect(flows(withoutP1)).toEqual(['p2→o3:9000', 'p3→o1:8000', 'p4→o4:5000']);
    expect(withoutP1.unapplied.get('p4')).toBe(1_000n);
  });

  it('gives the same result, map order included, for any input order', () => {
    const expected = allocatePayments(obligations, payments);
    const rnd = prng(42);
    for (let i = 0; i < 50; i++) {
      const result = allocatePayments(shuffled(obligations, rnd.next), shuffled(payments, rnd.next));
      expect(result).toEqual(expected);
      expect([...result.balances]).toEqual([...expected.balances]);
      expect([...result.unapplied]).toEqual([...expected.unapplied]);
    }
  });

  it('does not mutate its inputs', () => {
    const obs = obligations.map((o) => ({ ...o }));
    const pays = payments.map((p) => ({ ...p }));
    allocatePayments(obs, pays);
    expect(obs).toEqual(obligations);
    expect(pays).toEqual(payments);
  });
});

describe('allocatePayments: randomized properties', () => {
  const CURRENCIES = ['MXN', 'USD', 'CLP'] as const;
  const base = d('2026-01-01');

  function randomDebtor(seed: number): { obligations: AllocObligation[]; payments: AllocPayment[]; rnd: ReturnType<typeof prng> } {
    const rnd = prng(seed);
    // A narrow date range and few external ids force plenty of ties in both orderings.
    const obligations: AllocObligation[] = Array.from({ length: rnd.int(0, 12) }, (_, i) => ({
      id: `o${i}`,
      currency: rnd.pick(CURRENCIES),
      amount: rnd.next() < 0.1 ? 0n : BigInt(rnd.int(1, 5_000)),
      dueOn: addDays(base, rnd.int(0, 10)),
      issuedOn: rnd.next() < 0.3 ? null : addDays(base, rnd.int(-10, 0)),
      externalId: `E${rnd.int(0, 4)}`,
    }));
    const payments: AllocPayment[] = Array.from({ length: rnd.int(0, 12) }, (_, i) => {
      const r = rnd.next();
      const obligationId = r < 0.4 || obligations.length === 0 ? null : r < 0.9 ? rnd.pick(obligations).id : 'missing';
      return {
        id: `p${i}`,
        currency: rnd.pick(CURRENCIES),
        amount: rnd.next() < 0.1 ? 0n : BigInt(rnd.int(1, 8_000)),
        paidOn: addDays(base, rnd.int(0, 6)),
        obligationId,
        externalId: `X${rnd.int(0, 3)}`,
      };
    });
    return { obligations, payments, rnd };
  }

  it('keeps every invariant, matches the reference rules and ignores input order over 500 random debtors', () => {
    let allocationsSeen = 0;
    for (let seed = 1; seed <= 500; seed++) {
      const { obligations, payments, rnd } = randomDebtor(seed);
      const label = `seed ${seed}:`;
      const result = allocatePayments(obligations, payments);
      assertInvariants(obligations, payments, result, label);
      expect(flows(result), `${label} differs from the reference`).toEqual(referenceAllocate(obligations, payments));
      expect(allocatePayments(shuffled(obligations, rnd.next), shuffled(payments, rnd.next)), `${label} order-dependent`).toEqual(result);

      const summary = summarizeDebtor(result, obligations, payments);
      for (const currency of CURRENCIES) {
        const owed = obligations.filter((o) => o.currency === currency).reduce((s, o) => s + o.amount, 0n);
        const paid = payments.filter((p) => p.currency === currency).reduce((s, p) => s + p.amount, 0n);
        // Per currency, money is conserved: what was owed minus what was applied is what is still owed.
        const applied = paid - (summary.unapplied.get(currency) ?? 0n);
        expect(owed - applied, `${label} ${currency} not conserved`).toBe(summary.balances.get(currency) ?? 0n);
      }
      allocationsSeen += result.allocations.length;
    }
    // Guards against a generator that silently stops producing interesting cases.
    expect(allocationsSeen).toBeGreaterThan(1_000);
  });
});

describe('allocatePayments: performance', () => {
  it('allocates 5,000 obligations and 2,000 payments for one debtor well under a second', () => {
    const rnd = prng(2026);
    const obligations: AllocObligation[] = Array.from({ length: 5_000 }, (_, i) => ({
      id: `o${i}`,
      currency: i % 10 === 0 ? 'USD' : 'MXN',
      amount: BigInt(rnd.int(1_000, 500_000)),
      dueOn: addDays(d('2020-01-01'), rnd.int(0, 2_000)),
      issuedOn: rnd.next() < 0.2 ? null : addDays(d('2019-06-01'), rnd.int(0, 2_000)),
      externalId: `EXT-${rnd.int(0, 999_999)}`,
    }));
    const payments: AllocPayment[] = Array.from({ length: 2_000 }, (_, i) => ({
      id: `p${i}`,
      currency: i % 10 === 0 ? 'USD' : 'MXN',
      amount: BigInt(rnd.int(1_000, 1_000_000)),
      paidOn: addDays(d('2020-01-01'), rnd.int(0, 2_000)),
      obligationId: rnd.next() < 0.5 ? `o${rnd.int(0, 4_999)}` : null,
      externalId: `PAY-${rnd.int(0, 999_999)}`,
    }));
    const start = performance.now();
    const result = allocatePayments(obligations, payments);
    const elapsed = performance.now() - start;
    expect(elapsed).toBeLessThan(500);
    assertInvariants(obligations, payments, result);
  });
});
