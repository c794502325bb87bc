/** Read models of promises, plans and disputes, shared by the use cases and the HTTP and CLI layers. */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/connection.ts';
import { disputes, paymentPlanInstallments, paymentPlanObligations, paymentPlans, promises } from '../../db/tables/negotiation.ts';
import { obligations } from '../../db/schema.ts';
import type { Ctx } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { visibleDebtorFilter } from '../access/index.ts';
import { dec } from './shared.ts';

export interface PromiseView {
  id: number;
  debtorId: number;
  currency: string;
  /** Decimal string. */
  amount: string;
  promisedOn: string;
  takenOn: string;
  graceUntil: string;
  channel: string;
  takenBy: string;
  actor: string;
  /** pending_approval | open | kept | partially_kept | broken | cancelled | rejected */
  status: string;
  paid: string;
  resolvedOn: string | null;
  evaluation: Record<string, unknown>;
  note: string | null;
  createdAt: Date;
}

export function promiseView(r: typeof promises.$inferSelect): PromiseView {
  const cur = r.currency.trim();
  return {
    id: r.id,
    debtorId: r.debtorId,
    currency: cur,
    amount: dec(r.amount, cur),
    promisedOn: r.promisedOn,
    takenOn: r.takenOn,
    graceUntil: r.graceUntil,
    channel: r.channel,
    takenBy: r.takenBy,
    actor: r.actor,
    status: r.status,
    paid: dec(r.paid, cur),
    resolvedOn: r.resolvedOn,
    evaluation: r.evaluation,
    note: r.note,
    createdAt: r.createdAt,
  };
}

export async function loadPromise(ctx: Ctx, id: number, db: Db = ctx.database.db): Promise<typeof promises.$inferSelect> {
  const [row] = await db.select().from(promises).where(and(eq(promises.companyId, ctx.companyId), eq(promises.id, id), visibleDebtorFilter(ctx, promises.debtorId)));
  if (!row) throw notFound('promise', id);
  return row;
}

export interface InstallmentView {
  seq: number;
  dueOn: string;
  amount: string;
  principal: string;
  interest: string;
  paid: string;
  paidOn: string | null;
  status: string;
}

export interface PlanView {
  id: number;
  debtorId: number;
  /** plan | settlement */
  kind: string;
  currency: string;
  /** pending_approval | active | completed | broken | cancelled | rejected */
  status: string;
  covered: string;
  discount: string;
  interest: string;
  downPayment: string;
  total: string;
  paid: string;
  frequency: string | null;
  annualInterestBps: number | null;
  graceDays: number;
  channel: string;
  takenBy: string;
  actor: string;
  createdOn: string;
  startedOn: string | null;
  resolvedOn: string | null;
  approverRole: string | null;
  language: string;
  evaluation: Record<string, unknown>;
  note: string | null;
  decidedBy: string | null;
  decisionNote: string | null;
  obligations: Array<{ id: number; externalId: string; balance: string }>;
  installments: InstallmentView[];
}

export async function loadPlanRow(ctx: Ctx, id: number, db: Db = ctx.database.db): Promise<typeof paymentPlans.$inferSelect> {
  const [row] = await db.select().from(paymentPlans).where(and(eq(paymentPlans.companyId, ctx.companyId), eq(paymentPlans.id, id), visibleDebtorFilter(ctx, paymentPlans.debtorId)));
  if (!row) throw notFound('payment plan', id);
  return row;
}

/** Plans with their covered obligations and schedule. */
export async function planViews(ctx: Ctx, rows: ReadonlyArray<typeof paymentPlans.$inferSelect>, db: Db = ctx.database.db): Promise<PlanView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const insts = await db.select().from(paymentPlanInstallments).where(inArray(paymentPlanInstallments.planId, ids)).orderBy(asc(paymentPlanInstallments.planId), asc(paymentPlanInstallments.seq));
  const obs = await db
    .select({ planId: paymentPlanObligations.planId, id: obligations.id, externalId: obligations.externalId, balance: paymentPlanObligations.balance })
    .from(paymentPlanObligations)
    .innerJoin(obligations, eq(obligations.id, paymentPlanObligations.obligationId))
    .where(inArray(paymentPlanObligations.planId, ids))
    .orderBy(asc(obligations.dueOn), asc(obligations.id));
  return rows.map((r) => {
    const cur = r.currency.trim();
    return {
      id: r.id,
      debtorId: r.debtorId,
      kind: r.kind,
      currency: cur,
      status: r.status,
      covered: dec(r.covered, cur),
      discount: dec(r.discount, cur),
      interest: dec(r.interest, cur),
      downPayment: dec(r.downPayment, cur),
      total: dec(r.total, cur),
      paid: dec(r.paid, cur),
      frequency: r.frequency,
      annualInterestBps: r.annualInterestBps,
      graceDays: r.graceDays,
      channel: r.channel,
      takenBy: r.takenBy,
      actor: r.actor,
      createdOn: r.createdOn,
      startedOn: r.startedOn,
      resolvedOn: r.resolvedOn,
      approverRole: r.approverRole,
      language: r.language,
      evaluation: r.evaluation,
      note: r.note,
      decidedBy: r.decidedBy,
      decisionNote: r.decisionNote,
      obligations: obs.filter((o) => o.planId === r.id).map((o) => ({ id: o.id, externalId: o.externalId, balance: dec(o.balance, cur) })),
      installments: insts
        .filter((i) => i.planId === r.id)
        .map((i) => ({ seq: i.seq, dueOn: i.dueOn, amount: dec(i.amount, cur), principal: dec(i.principal, cur), interest: dec(i.interest, cur), paid: dec(i.paid, cur), paidOn: i.paidOn, status: i.status })),
    };
  });
}

export async function getPlan(ctx: Ctx, input: { planId: number }): Promise<PlanView> {
  return (await planViews(ctx, [await loadPlanRow(ctx, input.planId)]))[0]!;
}

export interface DisputeView {
  id: number;
  debtorId: number;
  obligationId: number;
  obligationExternalId: string;
  status: string;
  reason: string;
  channel: string;
  openedBy: string;
  actor: string;
  openedOn: string;
  resolution: string | null;
  adjustedAmount: string | null;
  previousAmount: string | null;
  debtorNotice: string | null;
  resolvedBy: string | null;
  resolvedAt: Date | null;
}

export async function disputeViews(ctx: Ctx, where: { debtorId?: number; id?: number }, db: Db = ctx.database.db): Promise<DisputeView[]> {
  const rows = await db
    .select({ d: disputes, externalId: obligations.externalId, currency: obligations.currency })
    .from(disputes)
    .innerJoin(obligations, eq(obligations.id, disputes.obligationId))
    .where(and(eq(disputes.companyId, ctx.companyId), where.debtorId !== undefined ? eq(disputes.debtorId, where.debtorId) : undefined, where.id !== undefined ? eq(disputes.id, where.id) : undefined))
    .orderBy(asc(disputes.id));
  return rows.map(({ d, externalId, currency }) => ({
    id: d.id,
    debtorId: d.debtorId,
    obligationId: d.obligationId,
    obligationExternalId: externalId,
    status: d.status,
    reason: d.reason,
    channel: d.channel,
    openedBy: d.openedBy,
    actor: d.actor,
    openedOn: d.openedOn,
    resolution: d.resolution,
    adjustedAmount: d.adjustedAmount === null ? null : dec(d.adjustedAmount, currency.trim()),
    previousAmount: d.previousAmount === null ? null : dec(d.previousAmount, currency.trim()),
    debtorNotice: d.debtorNotice,
    resolvedBy: d.resolvedBy,
    resolvedAt: d.resolvedAt,
  }));
}
