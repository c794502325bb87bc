/**
 * Payment allocation for one debtor: which payment pays which obligation, and what is left on each side.
 *
 * Balances are a pure function of the debtor's obligations and its non-reversed payments. Callers recompute the
 * whole allocation from scratch whenever either changes, so reversing or deleting a payment is simply "recompute
 * without it" and restores exactly what it had applied; there is no incremental bookkeeping that could drift.
 * Amounts are bigint minor units, each in its own currency, and nothing is ever converted across currencies.
 */
import type { PlainDate } from './calendar.ts';

/** An obligation (instalment, invoice) as the allocator needs it; `amount` is the original amount owed, ≥ 0. */
export interface AllocObligation {
  id: string;
  currency: string;
  amount: bigint;
  dueOn: PlainDate;
  issuedOn: PlainDate | null;
  externalId: string;
}

/** A non-reversed payment; `obligationId` is the obligation the payer named, if any. `amount` ≥ 0. */
export interface AllocPayment {
  id: string;
  currency: string;
  amount: bigint;
  paidOn: PlainDate;
  obligationId: string | null;
  externalId: string;
}

/** Part of one payment applied to one obligation (always the same currency, never zero). */
export interface Allocation {
  paymentId: string;
  obligationId: string;
  amount: bigint;
}

/**
 * Outcome of {@link allocatePayments}. Allocations are listed in application order; both maps are keyed in a
 * canonical order (obligations by waterfall order, payments by application order) so the whole result, iteration
 * order included, does not depend on the order of the inputs.
 */
export interface AllocationResult {
  /** Only non-zero entries. */
  allocations: Allocation[];
  /** obligationId → remaining balance; every obligation is present. */
  balances: Map<string, bigint>;
  /** paymentId → amount left unapplied (credit on the debtor); every payment is present. */
  unapplied: Map<string, bigint>;
}

/** Per-currency totals of a debtor's remaining balances and unapplied credit. */
export interface DebtorSummary {
  balances: Map<string, bigint>;
  unapplied: Map<string, bigint>;
}

/** Thrown for inputs that are programming errors (negative amounts, duplicate ids, mismatched result). */
export class AllocationError extends Error {
  override name = 'AllocationError';
}

/** Mutable working state of one obligation during a run; later components (fees, interest) would live here too. */
interface OpenObligation {
  readonly source: AllocObligation;
  balance: bigint;
}

/**
 * The open obligations of one currency in waterfall order. Invariant: every item before `cursor` has balance 0.
 * Balances only ever decrease, so the cursor never has to move back, which keeps a run linear in the number of
 * obligations plus payments instead of rescanning paid-off obligations for every payment.
 */
interface CurrencyQueue {
  readonly items: OpenObligation[];
  cursor: number;
}

// Plain code-unit comparison, not localeCompare: the order must not depend on the runtime's locale data.
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// The id is the last tie-breaker so that even duplicate external ids give one deterministic order.
function compareObligations(a: AllocObligation, b: AllocObligation): number {
  return (
    compareText(a.dueOn, b.dueOn) ||
    compareIssueDates(a.issuedOn, b.issuedOn) ||
    compareText(a.externalId, b.externalId) ||
    compareText(a.id, b.id)
  );
}

// A missing issue date sorts after every known one.
function compareIssueDates(a: PlainDate | null, b: PlainDate | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return compareText(a, b);
}

function comparePayments(a: AllocPayment, b: AllocPayment): number {
  return compareText(a.paidOn, b.paidOn) || compareText(a.externalId, b.externalId) || compareText(a.id, b.id);
}

function checkInputs(obligations: readonly AllocObligation[], payments: readonly AllocPayment[]): void {
  const seen = new Set<string>();
  for (const o of obligations) {
    if (o.amount < 0n) throw new AllocationError(`obligation ${o.id} has a negative amount`);
    if (seen.has(o.id)) throw new AllocationError(`obligation id ${o.id} appears twice`);
    seen.add(o.id);
  }
  seen.clear();
  for (const p of payments) {
    if (p.amount < 0n) throw new AllocationError(`payment ${p.id} has a negative amount`);
    if (seen.has(p.id)) throw new AllocationError(`payment id ${p.id} appears twice`);
    seen.add(p.id);
  }
}

/**
 * Applies up to `available` to one obligation and returns how much it took (0 ≤ taken ≤ available).
 * This is the single place that decides how money lands inside an obligation, so splitting it into
 * fees → interest → principal later changes only this function and {@link OpenObligation}.
 */
function applyToObligation(target: OpenObligation, available: bigint): bigint {
  const taken = available < target.balance ? available : target.balance;
  target.balance -= taken;
  return taken;
}

/** Sends what is left of a payment down its currency's waterfall; returns what could not be applied. */
function applyWaterfall(queue: CurrencyQueue, payment: AllocPayment, available: bigint, allocations: Allocation[]): bigint {
  const { items } = queue;
  let rest = available;
  let i = queue.cursor;
  for (; i < items.length && rest > 0n; i++) {
    const target = items[i]!;
    if (target.balance === 0n) continue;
    const taken = applyToObligation(target, rest);
    allocations.push({ paymentId: payment.id, obligationId: target.source.id, amount: taken });
    rest -= taken;
    // Still owing means the payment ran out here; the cursor must stay on this partly paid obligation.
    if (target.balance > 0n) break;
  }
  queue.cursor = i;
  return rest;
}

/**
 * Allocates a debtor's payments to its obligations, from scratch.
 *
 * Payments are applied in order of paidOn, then externalId. Each goes first to the obligation it names, up to that
 * obligation's balance, then to the other open obligations of the same currency: oldest due date first, then oldest
 * issue date (no issue date last), then externalId. Whatever remains, including any payment in a currency the
 * debtor owes nothing in, stays unapplied as credit.
 *
 * A payment that names an obligation in another currency is treated as naming nothing: converting would need an
 * exchange rate this domain does not have, and refusing the payment outright would hide money the debtor did pay,
 * so it simply flows down the waterfall of its own currency (or stays unapplied).
 *
 * The result depends only on the contents of the inputs, not on their order. Throws {@link AllocationError} for
 * negative amounts or duplicate ids.
 */
export function allocatePayments(obligations: readonly AllocObligation[], payments: readonly AllocPayment[]): AllocationResult {
  checkInputs(obligations, payments);

  const ordered = [...obligations].sort(compareObligations);
  const byId = new Map<string, OpenObligation>();
  const queues = new Map<string, CurrencyQueue>();
  for (const source of ordered) {
    const open: OpenObligation = { source, balance: source.amount };
    byId.set(source.id, open);
    // Zero-amount obligations stay out of the queues: they can never take money.
    if (open.balance === 0n) continue;
    let queue = queues.get(source.currency);
    if (!queue) queues.set(source.currency, (queue = { items: [], cursor: 0 }));
    queue.items.push(open);
  }

  const allocations: Allocation[] = [];
  const unapplied = new Map<string, bigint>();
  for (const payment of [...payments].sort(comparePayments)) {
    let rest = payment.amount;
    const named = payment.obligationId === null ? undefined : byId.get(payment.obligationId);
    if (named && named.source.currency === payment.currency && named.balance > 0n && rest > 0n) {
      const taken = applyToObligation(named, rest);
      allocations.push({ paymentId: payment.id, obligationId: named.source.id, amount: taken });
      rest -= taken;
    }
    const queue = queues.get(payment.currency);
    if (queue && rest > 0n) rest = applyWaterfall(queue, payment, rest, allocations);
    unapplied.set(payment.id, rest);
  }

  const balances = new Map<string, bigint>();
  for (const open of byId.values()) balances.set(open.source.id, open.balance);
  return { allocations, balances, unapplied };
}

/**
 * Totals a debtor's remaining balances (by obligation currency) and unapplied credit (by payment currency).
 * Every currency that appears among the obligations, respectively the payments, has an entry, even when it is zero,
 * and keys are in currency-code order. Throws {@link AllocationError} if `result` is missing one of the ids.
 */
export function summarizeDebtor(
  result: AllocationResult,
  obligations: readonly AllocObligation[],
  payments: readonly AllocPayment[],
): DebtorSummary {
  const balances = new Map<string, bigint>();
  for (const o of [...obligations].sort((a, b) => compareText(a.currency, b.currency))) {
    const balance = result.balances.get(o.id);
    if (balance === undefined) throw new AllocationError(`the allocation has no balance for obligation ${o.id}`);
    balances.set(o.currency, (balances.get(o.currency) ?? 0n) + balance);
  }
  const unapplied = new Map<string, bigint>();
  for (const p of [...payments].sort((a, b) => compareText(a.currency, b.currency))) {
    const left = result.unapplied.get(p.id);
    if (left === undefined) throw new AllocationError(`the allocation has no unapplied amount for payment ${p.id}`);
    unapplied.set(p.currency, (unapplied.get(p.currency) ?? 0n) + left);
  }
  return { balances, unapplied };
}
