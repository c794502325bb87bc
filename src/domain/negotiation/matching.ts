/**
 * Matching payments to commitments, as of a date. Pure and deterministic: the outcome depends only on the
 * commitment, the payments (by their payment date) and the date judged, so re-evaluating a day gives the same answer
 * and a day evaluated late gives the answer it would have given on time.
 *
 * Promise: payments dated from the day it was taken through its grace day count (early payments included, several
 * payments add up). Kept as soon as they reach the amount (less the tolerance); once the grace day has passed, it is
 * partially kept when something was paid and broken when nothing was.
 *
 * Plan: payments from the day the plan started fill the installments in order (a waterfall). The plan breaks on the
 * day after the grace day of the first installment not covered by then; it completes when everything is paid.
 */
import { addDays, type PlainDate } from '../calendar.ts';
import { addBusinessDays, type HolidayTest } from './business-days.ts';

export interface MatchPayment {
  readonly paidOn: PlainDate;
  readonly amount: bigint;
}

export type PromiseStatus = 'open' | 'kept' | 'partially_kept' | 'broken';

export interface PromiseMatch {
  readonly status: PromiseStatus;
  /** Paid towards the promise (capped at nothing: an overpayment shows in full). */
  readonly paid: bigint;
  /** The day the outcome was reached: the payment that completed it, or the day after the grace day. */
  readonly resolvedOn: PlainDate | null;
}

function byDate(payments: readonly MatchPayment[], from: PlainDate, to: PlainDate): MatchPayment[] {
  return payments.filter((p) => p.paidOn >= from && p.paidOn <= to && p.amount > 0n).sort((a, b) => (a.paidOn < b.paidOn ? -1 : a.paidOn > b.paidOn ? 1 : 0));
}

/** Matches a promise's payments as of `asOf`. `tolerance` (minor units, default 0) forgives a small shortfall. */
export function matchPromise(
  promise: { readonly amount: bigint; readonly takenOn: PlainDate; readonly graceUntil: PlainDate },
  payments: readonly MatchPayment[],
  asOf: PlainDate,
  tolerance = 0n,
): PromiseMatch {
  const until = asOf < promise.graceUntil ? asOf : promise.graceUntil;
  const counted = byDate(payments, promise.takenOn, until);
  const paid = counted.reduce((s, p) => s + p.amount, 0n);
  let running = 0n;
  for (const p of counted) {
    running += p.amount;
    if (running >= promise.amount - tolerance) return { status: 'kept', paid, resolvedOn: p.paidOn };
  }
  if (asOf <= promise.graceUntil) return { status: 'open', paid, resolvedOn: null };
  return { status: paid > 0n ? 'partially_kept' : 'broken', paid, resolvedOn: addDays(promise.graceUntil, 1) };
}

export interface PlanInstallmentInput {
  readonly seq: number;
  readonly dueOn: PlainDate;
  readonly amount: bigint;
}

export type InstallmentStatus = 'pending' | 'partial' | 'paid' | 'missed';

export interface InstallmentMatch {
  readonly seq: number;
  readonly paid: bigint;
  /** The day it was fully covered. */
  readonly paidOn: PlainDate | null;
  readonly status: InstallmentStatus;
}

export type PlanStatus = 'active' | 'completed' | 'broken';

export interface PlanMatch {
  readonly status: PlanStatus;
  readonly paid: bigint;
  readonly resolvedOn: PlainDate | null;
  /** The installment whose miss broke the plan. */
  readonly missedSeq: number | null;
  readonly installments: readonly InstallmentMatch[];
}

/** Matches a plan's payments as of `asOf`; installments are taken in `seq` order. */
export function matchPlan(
  plan: { readonly installments: readonly PlanInstallmentInput[]; readonly startedOn: PlainDate; readonly graceBusinessDays: number; readonly isHoliday?: HolidayTest },
  payments: readonly MatchPayment[],
  asOf: PlainDate,
): PlanMatch {
  const installments = [...plan.installments].sort((a, b) => a.seq - b.seq);
  const counted = byDate(payments, plan.startedOn, asOf);
  const paidTotal = counted.reduce((s, p) => s + p.amount, 0n);
  const paidBy = (day: PlainDate) => counted.filter((p) => p.paidOn <= day).reduce((s, p) => s + p.amount, 0n);

  // Waterfall: the day each installment became fully covered, and how much of it is covered now.
  const matches: InstallmentMatch[] = [];
  let cumulativeDue = 0n;
  let broken: { seq: number; on: PlainDate } | null = null;
  for (const inst of installments) {
    const before = cumulativeDue;
    cumulativeDue += inst.amount;
    const coveredNow = paidTotal >= cumulativeDue ? inst.amount : paidTotal > before ? paidTotal - before : 0n;
    let paidOn: PlainDate | null = null;
    let running = 0n;
    for (const p of counted) {
      running += p.amount;
      if (running >= cumulativeDue) {
        paidOn = p.paidOn;
        break;
      }
    }
    const deadline = addBusinessDays(inst.dueOn, plan.graceBusinessDays, plan.isHoliday);
    const missed = asOf > deadline && paidBy(deadline) < cumulativeDue;
    if (missed && !broken) broken = { seq: inst.seq, on: addDays(deadline, 1) };
    const status: InstallmentStatus = coveredNow === inst.amount ? 'paid' : missed ? 'missed' : coveredNow > 0n ? 'partial' : 'pending';
    matches.push({ seq: inst.seq, paid: coveredNow, paidOn, status });
  }
  const completedOn = matches.length && matches.every((m) => m.status === 'paid') ? matches[matches.length - 1]!.paidOn : null;
  if (broken && (completedOn === null || broken.on <= completedOn)) {
    return { status: 'broken', paid: paidTotal, resolvedOn: broken.on, missedSeq: broken.seq, installments: matches };
  }
  if (completedOn) return { status: 'completed', paid: paidTotal, resolvedOn: completedOn, missedSeq: null, installments: matches };
  return { status: 'active', paid: paidTotal, resolvedOn: null, missedSeq: null, installments: matches };
}
