/**
 * Collector costs: what each collector costs the company a month, in one currency (exact minor units). The dashboard
 * charges a period the monthly cost prorated by days (prorateMonthlyCost) and divides it by what the collector
 * recovered in the same currency: the cost per peso recovered. Every change is audited.
 */
import { and, eq, sql } from 'drizzle-orm';
import { collectorCosts } from '../../db/tables/worklists.ts';
import { formatDecimal, MoneyError, parseCurrency, parseDecimal } from '../../domain/money.ts';
import { recordAudit } from '../access/audit.ts';
import { textArray } from '../messaging/index.ts';
import type { Ctx } from '../shared/context.ts';
import { AppError } from '../shared/errors.ts';

/** Roles whose users work accounts (log interactions), and so may carry a cost. */
const WORKING_ROLES = ['admin', 'supervisor', 'collector', 'agency'] as const;

export interface CollectorCostView {
  collector_id: number;
  name: string;
  email: string;
  role: string;
  active: boolean;
  /** null when no cost is configured for the user. */
  cost: { monthly: string; currency: string } | null;
}

/** Every user who can work accounts, with their monthly cost when one is configured. */
export async function listCollectorCosts(ctx: Ctx): Promise<CollectorCostView[]> {
  const rows = await ctx.database.query<{ id: string | number; name: string; email: string; role: string; active: boolean; currency: string | null; monthly_cost: string | null }>(sql`
    SELECT u.id, u.name, u.email, u.role, u.active, k.currency, k.monthly_cost::text AS monthly_cost
      FROM users u LEFT JOIN collector_costs k ON k.company_id = u.company_id AND k.collector_id = u.id
     WHERE u.company_id = ${ctx.companyId} AND (u.role = ANY(${textArray(WORKING_ROLES)}) OR k.collector_id IS NOT NULL)
     ORDER BY u.active DESC, u.name, u.id`);
  return rows.map((r) => ({
    collector_id: Number(r.id),
    name: r.name,
    email: r.email,
    role: r.role,
    active: r.active,
    cost: r.currency && r.monthly_cost !== null ? { monthly: formatDecimal(BigInt(r.monthly_cost), r.currency.trim()), currency: r.currency.trim() } : null,
  }));
}

/** Monthly costs by collector id, in minor units (for the dashboard). */
export async function collectorCostsById(ctx: Ctx): Promise<Map<number, { monthly: bigint; currency: string }>> {
  const rows = await ctx.database.db.select().from(collectorCosts).where(eq(collectorCosts.companyId, ctx.companyId));
  return new Map(rows.map((r) => [r.collectorId, { monthly: r.monthlyCost, currency: r.currency.trim() }]));
}

async function workingUser(ctx: Ctx, collectorId: number): Promise<void> {
  if (!Number.isSafeInteger(collectorId) || collectorId <= 0) throw new AppError('validation_failed', 'collector_id must be a user id', [{ path: 'collector_id', reason: 'must be > 0' }]);
  const [u] = await ctx.database.query<{ role: string }>(sql`SELECT role FROM users WHERE company_id = ${ctx.companyId} AND id = ${collectorId}`);
  if (!u) throw new AppError('not_found', `user ${collectorId} does not exist in this company`);
  if (!(WORKING_ROLES as readonly string[]).includes(u.role)) {
    throw new AppError('validation_failed', `user ${collectorId} is a ${u.role} and works no accounts; costs are for ${WORKING_ROLES.join(', ')} users`, [{ path: 'collector_id', reason: 'not a collector' }]);
  }
}

/** Sets (or replaces) a collector's monthly cost: an exact decimal amount ("15000.00") in a currency ("MXN"). */
export async function setCollectorCost(ctx: Ctx, input: { collectorId: number; currency: string; monthlyCost: string }): Promise<CollectorCostView> {
  let currency: string;
  let monthly: bigint;
  try {
    currency = parseCurrency(input.currency);
  } catch (error) {
    if (error instanceof MoneyError) throw new AppError('validation_failed', `currency: ${error.message}`, [{ path: 'currency', reason: error.message }]);
    throw error;
  }
  try {
    monthly = parseDecimal(input.monthlyCost, currency);
  } catch (error) {
    if (error instanceof MoneyError) throw new AppError('validation_failed', `monthly_cost: ${error.message}`, [{ path: 'monthly_cost', reason: error.message }]);
    throw error;
  }
  await workingUser(ctx, input.collectorId);
  await ctx.database.db.transaction(async (tx) => {
    const [before] = await tx.select().from(collectorCosts).where(and(eq(collectorCosts.companyId, ctx.companyId), eq(collectorCosts.collectorId, input.collectorId)));
    const values = { currency, monthlyCost: monthly, updatedAt: ctx.clock.now(), updatedBy: ctx.actor };
    await tx
      .insert(collectorCosts)
      .values({ companyId: ctx.companyId, collectorId: input.collectorId, ...values })
      .onConflictDoUpdate({ target: [collectorCosts.companyId, collectorCosts.collectorId], set: values });
    await recordAudit(
      ctx,
      {
        action: 'collector_cost.set',
        entity: 'collector',
        entityId: input.collectorId,
        before: before ? { currency: before.currency.trim(), monthly_cost: formatDecimal(before.monthlyCost, before.currency.trim()) } : null,
        after: { currency, monthly_cost: formatDecimal(monthly, currency) },
      },
      tx,
    );
  });
  return (await listCollectorCosts(ctx)).find((c) => c.collector_id === input.collectorId)!;
}

/** Removes a collector's cost: their cost per peso becomes undefined. */
export async function deleteCollectorCost(ctx: Ctx, collectorId: number): Promise<void> {
  await ctx.database.db.transaction(async (tx) => {
    const [before] = await tx
      .delete(collectorCosts)
      .where(and(eq(collectorCosts.companyId, ctx.companyId), eq(collectorCosts.collectorId, collectorId)))
      .returning();
    if (!before) throw new AppError('not_found', `user ${collectorId} has no cost configured`);
    await recordAudit(ctx, { action: 'collector_cost.delete', entity: 'collector', entityId: collectorId, before: { currency: before.currency.trim(), monthly_cost: formatDecimal(before.monthlyCost, before.currency.trim()) }, after: null }, tx);
  });
}
