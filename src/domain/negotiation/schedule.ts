/**
 * Installment schedules. Exact integer money: principal is split in equal parts in minor units and the remainder of
 * the division goes to the LAST installment, so the parts always sum to the financed amount (CLP, with no decimals,
 * gets whole pesos; MXN whole centavos).
 *
 * Dates: weekly and biweekly add 7 and 14 days; monthly adds calendar months to the FIRST date (not to the previous
 * installment), clamping to the month's end, so a plan starting on 31 January falls due on 28/29 February, 31 March,
 * 30 April, … and never drifts to the 28th for good.
 *
 * Interest (optional): simple interest on the outstanding principal for the days of each period
 * (outstanding × annual rate × days / 365, rounded half up to the minor unit), with equal principal parts, so
 * installments decrease as the balance does. The agreed total is Σ installments = financed + Σ interest.
 */
import { addDays, addMonths, daysBetween, type PlainDate } from '../calendar.ts';

export const FREQUENCIES = ['weekly', 'biweekly', 'monthly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

export interface ScheduledInstallment {
  /** 0 = down payment; 1… the installments. */
  readonly seq: number;
  readonly dueOn: PlainDate;
  readonly amount: bigint;
  readonly principal: bigint;
  readonly interest: bigint;
}

export interface ScheduleInput {
  /** Principal to spread over the installments (after down payment and discount), minor units, > 0. */
  readonly financed: bigint;
  readonly count: number;
  readonly frequency: Frequency;
  readonly firstDueOn: PlainDate;
  /** Where interest starts to run (the plan's start: today or the down payment's date). */
  readonly startOn: PlainDate;
  /** Annual simple interest in basis points; null or 0 for none. */
  readonly annualInterestBps?: number | null | undefined;
  /** A down payment, listed as seq 0. */
  readonly downPayment?: { readonly amount: bigint; readonly dueOn: PlainDate } | null | undefined;
}

/** The date of installment `index` (0-based) of a schedule starting on `first`. */
export function installmentDate(first: PlainDate, frequency: Frequency, index: number): PlainDate {
  switch (frequency) {
    case 'weekly':
      return addDays(first, 7 * index);
    case 'biweekly':
      return addDays(first, 14 * index);
    case 'monthly':
      return addMonths(first, index);
  }
}

/** a × b / c rounded half up, for non-negative integers. */
export function mulDivRound(a: bigint, b: bigint, c: bigint): bigint {
  return (a * b * 2n + c) / (2n * c);
}

/** Builds the schedule; throws RangeError on input the evaluation should have refused first. */
export function buildSchedule(input: ScheduleInput): ScheduledInstallment[] {
  if (!Number.isInteger(input.count) || input.count < 1) throw new RangeError('a schedule needs at least one installment');
  if (input.financed <= 0n) throw new RangeError('the financed amount must be positive');
  const out: ScheduledInstallment[] = [];
  if (input.downPayment && input.downPayment.amount > 0n) {
    out.push({ seq: 0, dueOn: input.downPayment.dueOn, amount: input.downPayment.amount, principal: input.downPayment.amount, interest: 0n });
  }
  const n = BigInt(input.count);
  const part = input.financed / n;
  const bps = BigInt(input.annualInterestBps ?? 0);
  let outstanding = input.financed;
  let from = input.startOn;
  for (let i = 0; i < input.count; i++) {
    const dueOn = installmentDate(input.firstDueOn, input.frequency, i);
    const principal = i === input.count - 1 ? outstanding : part;
    const days = BigInt(Math.max(0, daysBetween(from, dueOn)));
    const interest = bps > 0n ? mulDivRound(outstanding, bps * days, 10_000n * 365n) : 0n;
    out.push({ seq: i + 1, dueOn, amount: principal + interest, principal, interest });
    outstanding -= principal;
    from = dueOn;
  }
  return out;
}

/** Σ amounts of a schedule. */
export function scheduleTotal(schedule: readonly ScheduledInstallment[]): bigint {
  return schedule.reduce((s, x) => s + x.amount, 0n);
}
