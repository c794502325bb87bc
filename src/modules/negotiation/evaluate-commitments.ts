/**
 * The daily evaluation of promises and plans as of a date: payments are matched (src/domain/negotiation/matching.ts)
 * and each commitment that reached an outcome is settled in its own transaction, claimed by a conditional update
 * (status still open/active), so a re-run — the same day or a later one — changes nothing twice, and a day missed is
 * caught up with the outcome it would have had.
 *
 * - promise kept → hold released; partially kept or broken → hold released and a collector task `promise_broken`.
 *   The strategy event `promise_broken` is derived from this table by the strategy engine (load-accounts.ts).
 * - plan completed → hold released, and a discount granted is applied: the covered obligations' amounts are reduced
 *   by what is left of them, through the portfolio's own write path, so the account settles.
 * - plan broken (an installment not covered by the end of its grace) → hold released, so normal collection resumes
 *   on the remaining balance, a task `plan_broken`, and the strategy event `plan_broken` (cause `plan:<id>`), also
 *   derived from this table by the strategy engine.
 */
import { and, eq, inArray, lte, sql } from 'drizzle-orm';
import { paymentPlanInstallments, paymentPlanObligations, paymentPlans, promises } from '../../db/tables/negotiation.ts';
import { debtors, obligations, portfolios } from '../../db/schema.ts';
import type { PlainDate } from '../../domain/calendar.ts';
import { matchPlan, matchPromise, type MatchPayment } from '../../domain/negotiation/index.ts';
import { formatDecimal } from '../../domain/money.ts';
import { dayEs, moneyEs } from '../../domain/spanish-text.ts';
import { recordAudit } from '../access/audit.ts';
import { bigintArray } from '../messaging/index.ts';
import { saveRecords } from '../portfolio/index.ts';
import type { Ctx } from '../shared/context.ts';
import { big, companyFacts, holidaysOf, inTx, openTask, releaseHold, todayOf, transaction } from './shared.ts';
import { parseDay } from '../shared/errors.ts';

/** How a promise or a plan ended, in the words of the notes people read. */
const PROMISE_OUTCOME_ES: Readonly<Record<string, string>> = { kept: 'cumplida', partially_kept: 'cumplida en parte', broken: 'incumplida' };
const PLAN_OUTCOME_ES: Readonly<Record<string, string>> = { completed: 'cumplido', broken: 'roto' };

export interface CommitmentsSummary {
  asOf: PlainDate;
  promises: { open: number; kept: number; partiallyKept: number; broken: number };
  plans: { active: number; completed: number; broken: number };
}

interface PaymentRow {
  debtor_id: string | number;
  currency: string;
  paid_on: string;
  amount: string;
  obligation_id: string | number | null;
}

async function paymentsOf(ctx: Ctx, debtorIds: readonly number[], from: PlainDate, asOf: PlainDate): Promise<PaymentRow[]> {
  if (debtorIds.length === 0) return [];
  return ctx.database.query<PaymentRow>(sql`
    SELECT debtor_id, currency::text AS currency, paid_on::text AS paid_on, amount::text AS amount, obligation_id
      FROM payments
     WHERE company_id = ${ctx.companyId} AND debtor_id = ANY(${bigintArray(debtorIds)}) AND reversed_at IS NULL
       AND paid_on BETWEEN ${from}::date AND ${asOf}::date`);
}

/** Evaluates every open promise and active plan as of `asOf` (default: today in the company's time zone). */
export async function evaluateCommitments(ctx: Ctx, options: { asOf?: string | undefined } = {}): Promise<CommitmentsSummary> {
  const company = await companyFacts(ctx);
  const asOf = options.asOf ? parseDay(options.asOf, 'as_of') : todayOf(ctx, company);
  const isHoliday = holidaysOf(company);
  const summary: CommitmentsSummary = { asOf, promises: { open: 0, kept: 0, partiallyKept: 0, broken: 0 }, plans: { active: 0, completed: 0, broken: 0 } };

  // Promises
  const open = await ctx.database.db
    .select()
    .from(promises)
    .where(and(eq(promises.companyId, ctx.companyId), eq(promises.status, 'open'), lte(promises.takenOn, asOf)));
  const promisePayments = await paymentsOf(ctx, [...new Set(open.map((p) => p.debtorId))], open.reduce((m, p) => (p.takenOn < m ? p.takenOn : m), asOf as string) as PlainDate, asOf);
  for (const p of open) {
    const currency = p.currency.trim();
    const pays: MatchPayment[] = promisePayments
      .filter((x) => Number(x.debtor_id) === p.debtorId && x.currency.trim() === currency)
      .map((x) => ({ paidOn: x.paid_on as PlainDate, amount: big(x.amount) }));
    const match = matchPromise({ amount: p.amount, takenOn: p.takenOn as PlainDate, graceUntil: p.graceUntil as PlainDate }, pays, asOf);
    if (match.status === 'open') {
      summary.promises.open++;
      if (match.paid !== p.paid) await ctx.database.db.update(promises).set({ paid: match.paid, updatedAt: ctx.clock.now() }).where(and(eq(promises.id, p.id), eq(promises.status, 'open')));
      continue;
    }
    const settled = await transaction(ctx, async (tx) => {
      const [after] = await tx
        .update(promises)
        .set({ status: match.status, paid: match.paid, resolvedOn: match.resolvedOn, updatedAt: ctx.clock.now() })
        .where(and(eq(promises.id, p.id), eq(promises.status, 'open')))
        .returning();
      if (!after) return false;
      await releaseHold(ctx, tx, p.holdId, `promesa #${p.id}: ${PROMISE_OUTCOME_ES[match.status] ?? match.status}`);
      if (match.status !== 'kept') {
        const note =
          match.status === 'broken'
            ? `Promesa de pago #${p.id} incumplida: ${moneyEs(p.amount, currency)} para el ${dayEs(p.promisedOn)}, sin pagos.`
            : `Promesa de pago #${p.id} cumplida en parte: pagó ${moneyEs(match.paid, currency)} de ${moneyEs(p.amount, currency)}.`;
        await openTask(ctx, tx, { debtorId: p.debtorId, portfolioId: p.portfolioId, kind: 'promise_broken', dueOn: match.resolvedOn!, cause: `promise:${p.id}`, note });
      }
      await recordAudit(ctx, { action: `promise.${match.status}`, entity: 'promise', entityId: p.id, before: p, after }, tx);
      return true;
    });
    if (!settled) continue;
    if (match.status === 'kept') summary.promises.kept++;
    else if (match.status === 'partially_kept') summary.promises.partiallyKept++;
    else summary.promises.broken++;
  }

  // Plans
  const active = await ctx.database.db.select().from(paymentPlans).where(and(eq(paymentPlans.companyId, ctx.companyId), eq(paymentPlans.status, 'active')));
  const started = active.filter((p) => p.startedOn !== null && p.startedOn <= asOf);
  const planIds = started.map((p) => p.id);
  const installments = planIds.length ? await ctx.database.db.select().from(paymentPlanInstallments).where(inArray(paymentPlanInstallments.planId, planIds)) : [];
  const covered = planIds.length ? await ctx.database.db.select().from(paymentPlanObligations).where(inArray(paymentPlanObligations.planId, planIds)) : [];
  const from = started.reduce((m, p) => (p.startedOn! < m ? p.startedOn! : m), asOf as string) as PlainDate;
  const planPayments = await paymentsOf(ctx, [...new Set(started.map((p) => p.debtorId))], from, asOf);
  for (const plan of started) {
    const currency = plan.currency.trim();
    const mine = new Set(covered.filter((c) => c.planId === plan.id).map((c) => c.obligationId));
    if (plan.interestObligationId !== null) mine.add(plan.interestObligationId);
    // A payment the payer named for an obligation outside the plan is not a plan payment.
    const pays: MatchPayment[] = planPayments
      .filter((x) => Number(x.debtor_id) === plan.debtorId && x.currency.trim() === currency && (x.obligation_id === null || mine.has(Number(x.obligation_id))))
      .map((x) => ({ paidOn: x.paid_on as PlainDate, amount: big(x.amount) }));
    const schedule = installments.filter((i) => i.planId === plan.id);
    const match = matchPlan({ installments: schedule.map((i) => ({ seq: i.seq, dueOn: i.dueOn as PlainDate, amount: i.amount })), startedOn: plan.startedOn as PlainDate, graceBusinessDays: plan.graceDays, isHoliday }, pays, asOf);
    const changed = await transaction(ctx, async (tx) => {
      const [after] = await tx
        .update(paymentPlans)
        .set({ status: match.status, paid: match.paid, resolvedOn: match.resolvedOn, updatedAt: ctx.clock.now() })
        .where(and(eq(paymentPlans.id, plan.id), eq(paymentPlans.status, 'active')))
        .returning();
      if (!after) return false;
      for (const m of match.installments) {
        const before = schedule.find((i) => i.seq === m.seq)!;
        if (before.paid !== m.paid || before.status !== m.status || before.paidOn !== m.paidOn) {
          await tx.update(paymentPlanInstallments).set({ paid: m.paid, paidOn: m.paidOn, status: m.status }).where(and(eq(paymentPlanInstallments.planId, plan.id), eq(paymentPlanInstallments.seq, m.seq)));
        }
      }
      if (match.status === 'active') return true;
      await releaseHold(ctx, tx, plan.holdId, `convenio #${plan.id}: ${PLAN_OUTCOME_ES[match.status] ?? match.status}`);
      if (match.status === 'broken') {
        const missed = schedule.find((i) => i.seq === match.missedSeq)!;
        await openTask(ctx, tx, {
          debtorId: plan.debtorId,
          portfolioId: plan.portfolioId,
          kind: 'plan_broken',
          dueOn: match.resolvedOn!,
          cause: `plan:${plan.id}`,
          note: `${plan.kind === 'settlement' ? 'Liquidación' : 'Convenio'} #${plan.id} roto: la cuota ${missed.seq} de ${moneyEs(missed.amount, currency)} del ${dayEs(missed.dueOn)} no se cubrió a tiempo. La cobranza normal se reanuda sobre el saldo.`,
        });
      } else if (plan.discount > 0n) {
        await applyDiscount(ctx, tx, plan.id, plan.debtorId, plan.discount);
      }
      await recordAudit(ctx, { action: `payment_plan.${match.status}`, entity: 'payment_plan', entityId: plan.id, before: plan, after: { ...after, installments: match.installments } }, tx);
      return true;
    });
    if (!changed) continue;
    summary.plans[match.status]++;
  }
  return summary;
}

/** Reduces the covered obligations still owing by the discount granted, newest first, so the account settles. */
async function applyDiscount(ctx: Ctx, tx: Parameters<Parameters<typeof transaction>[1]>[0], planId: number, debtorId: number, discount: bigint): Promise<void> {
  const rows = await tx
    .select({ externalId: obligations.externalId, currency: obligations.currency, amount: obligations.amount, balance: obligations.balance, dueOn: obligations.dueOn, portfolio: portfolios.name, debtor: debtors.externalId })
    .from(paymentPlanObligations)
    .innerJoin(obligations, eq(obligations.id, paymentPlanObligations.obligationId))
    .innerJoin(portfolios, eq(portfolios.id, obligations.portfolioId))
    .innerJoin(debtors, eq(debtors.id, obligations.debtorId))
    .where(and(eq(paymentPlanObligations.planId, planId), eq(obligations.debtorId, debtorId)));
  let left = discount;
  const updates: Array<Record<string, string>> = [];
  for (const o of [...rows].sort((a, b) => (a.dueOn < b.dueOn ? 1 : a.dueOn > b.dueOn ? -1 : 0))) {
    if (left <= 0n || o.balance <= 0n) continue;
    const cut = o.balance < left ? o.balance : left;
    left -= cut;
    const cur = o.currency.trim();
    updates.push({ external_id: o.externalId, debtor_external_id: o.debtor, currency: cur, amount: formatDecimal(o.amount - cut, cur), due_on: o.dueOn, portfolio: o.portfolio });
  }
  if (updates.length === 0) return;
  await saveRecords(inTx(ctx, tx), { entity: 'obligations', rows: updates });
  await recordAudit(ctx, { action: 'payment_plan.discount_applied', entity: 'payment_plan', entityId: planId, after: { obligations: updates, discount } }, tx);
}
