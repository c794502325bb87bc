/**
 * Collector costs: what each collector costs the company a month, in one currency (exact minor units), effective-dated.
 * A cost applies from its date until the day before the collector's next one; the first also covers the days before
 * it, and a cost carried over from before costs had dates applies since always (`from: null`). Setting a cost from a
 * date keeps the others (the same date replaces that one). The dashboard charges a period each day's cost, prorated
 * per month by days (prorateDatedMonthlyCosts), and divides it by what the collector recovered in the same currency:
 * the cost per peso recovered. Every change is audited.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import { collectorCosts } from '../../db/tables/worklists.ts';
import type { PlainDate } from '../../domain/calendar.ts';
import { costInForce, prorateDatedMonthlyCosts } from '../../domain/kpis.ts';
import { formatDecimal, MoneyError, parseCurrency, parseDecimal } from '../../domain/money.ts';
import { recordAudit } from '../access/audit.ts';
import { textArray } from '../messaging/index.ts';
import type { Ctx } from '../shared/context.ts';
import { AppError, invalidInput, parseDay, t } from '../shared/errors.ts';
import { companyToday } from '../worklists/index.ts';

/** Roles whose users work accounts (log interactions), and so may carry a cost. */
const WORKING_ROLES = ['admin', 'supervisor', 'collector', 'agency'] as const;

/** How PostgreSQL writes the beginning of time: the date of a cost carried over from before costs had dates. */
const SINCE_ALWAYS = '-infinity';

/** One cost of a collector's history. */
export interface CollectorCostEntry {
  /** The first day it applies (YYYY-MM-DD); null: since always (a cost saved before costs had dates). */
  from: string | null;
  monthly: string;
  currency: string;
  /** When and by whom it was last set. */
  set_at: string;
  set_by: string;
}

export interface CollectorCostView {
  collector_id: number;
  name: string;
  email: string;
  role: string;
  active: boolean;
  /** The cost in force today in the company's time zone; null when none is configured. */
  cost: { monthly: string; currency: string } | null;
  /** Every cost, oldest first; each applies until the next one's `from`. */
  history: CollectorCostEntry[];
}

type CostRow = typeof collectorCosts.$inferSelect;

const fromOf = (row: CostRow): PlainDate | null => (row.effectiveFrom === SINCE_ALWAYS ? null : (row.effectiveFrom as PlainDate));
/** A row as an entry of the domain's effective-dated history, carrying the row along. */
const datedOf = (row: CostRow) => ({ from: fromOf(row), monthly: row.monthlyCost, row });
const auditOf = (row: CostRow) => ({ from: fromOf(row), currency: row.currency.trim(), monthly_cost: formatDecimal(row.monthlyCost, row.currency.trim()) });

/** Every cost row of the company (or of one collector), oldest first, by collector. */
async function costRows(ctx: Ctx, collectorId?: number): Promise<Map<number, CostRow[]>> {
  const rows = await ctx.database.db
    .select()
    .from(collectorCosts)
    .where(and(eq(collectorCosts.companyId, ctx.companyId), collectorId === undefined ? undefined : eq(collectorCosts.collectorId, collectorId)))
    .orderBy(asc(collectorCosts.collectorId), asc(collectorCosts.effectiveFrom));
  const byCollector = new Map<number, CostRow[]>();
  for (const r of rows) {
    const list = byCollector.get(r.collectorId);
    if (list) list.push(r);
    else byCollector.set(r.collectorId, [r]);
  }
  return byCollector;
}

/**
 * Every user who can work accounts (and anyone else with a cost), with their cost today and its history; `today` is
 * the company's date, a new cost's default `from`.
 */
export async function listCollectorCosts(ctx: Ctx, collectorId?: number): Promise<{ today: PlainDate; data: CollectorCostView[] }> {
  const users = await ctx.database.query<{ id: string | number; name: string; email: string; role: string; active: boolean }>(sql`
    SELECT u.id, u.name, u.email, u.role, u.active
      FROM users u
     WHERE u.company_id = ${ctx.companyId} ${collectorId === undefined ? sql`` : sql`AND u.id = ${collectorId}`}
       AND (u.role = ANY(${textArray(WORKING_ROLES)}) OR EXISTS (SELECT 1 FROM collector_costs k WHERE k.company_id = u.company_id AND k.collector_id = u.id))
     ORDER BY u.active DESC, u.name, u.id`);
  const costs = await costRows(ctx, collectorId);
  const today = await companyToday(ctx);
  const data = users.map((u) => {
    const rows = costs.get(Number(u.id)) ?? [];
    const now = costInForce(rows.map(datedOf), today)?.row;
    return {
      collector_id: Number(u.id),
      name: u.name,
      email: u.email,
      role: u.role,
      active: u.active,
      cost: now ? { monthly: formatDecimal(now.monthlyCost, now.currency.trim()), currency: now.currency.trim() } : null,
      history: rows.map((r) => ({ from: fromOf(r), monthly: formatDecimal(r.monthlyCost, r.currency.trim()), currency: r.currency.trim(), set_at: r.updatedAt.toISOString(), set_by: r.updatedBy })),
    };
  });
  return { today, data };
}

/**
 * Each collector's cost of [from, to] (both included), in minor units of its currency: every day charged the monthly
 * cost in force that day, prorated per month by days (DOMAIN.md §4, prorateDatedMonthlyCosts). Collectors without a
 * cost are absent. This is the dashboard's cost lookup.
 */
export async function collectorPeriodCosts(ctx: Ctx, from: PlainDate, to: PlainDate): Promise<Map<number, { amount: bigint; currency: string }>> {
  const costs = new Map<number, { amount: bigint; currency: string }>();
  for (const [collectorId, rows] of await costRows(ctx)) {
    const amount = prorateDatedMonthlyCosts(rows.map(datedOf), from, to);
    if (amount !== null) costs.set(collectorId, { amount, currency: rows[0]!.currency.trim() });
  }
  return costs;
}

async function workingUser(ctx: Ctx, collectorId: number): Promise<void> {
  if (!Number.isSafeInteger(collectorId) || collectorId <= 0) throw new AppError('validation_failed', t('collector_id must be a user id', 'collector_id debe ser el id de un usuario'), [{ path: 'collector_id', reason: t('must be > 0', 'debe ser > 0') }]);
  const [u] = await ctx.database.query<{ role: string }>(sql`SELECT role FROM users WHERE company_id = ${ctx.companyId} AND id = ${collectorId}`);
  if (!u) throw new AppError('not_found', t(`user ${collectorId} does not exist in this company`, `el usuario ${collectorId} no existe en esta empresa`));
  if (!(WORKING_ROLES as readonly string[]).includes(u.role)) {
    throw new AppError('validation_failed', t(`user ${collectorId} is a ${u.role} and works no accounts; costs are for ${WORKING_ROLES.join(', ')} users`, `el usuario ${collectorId} es ${u.role} y no trabaja cuentas; los costos son para usuarios ${WORKING_ROLES.join(', ')}`), [{ path: 'collector_id', reason: t('not a collector', 'no es gestor') }]);
  }
}


/**
 * Sets a collector's monthly cost from a date (default: today in the company's time zone): an exact decimal amount
 * ("15000.00") in a currency ("MXN"). It applies until the collector's next cost; earlier and later ones are kept, and
 * a cost from the same date is replaced. A collector's costs share one currency.
 */
export async function setCollectorCost(ctx: Ctx, input: { collectorId: number; currency: string; monthlyCost: string; from?: string | undefined }): Promise<CollectorCostView> {
  let currency: string;
  let monthly: bigint;
  try {
    currency = parseCurrency(input.currency);
  } catch (error) {
    if (error instanceof MoneyError) throw invalidInput(error, 'currency');
    throw error;
  }
  try {
    monthly = parseDecimal(input.monthlyCost, currency);
  } catch (error) {
    if (error instanceof MoneyError) throw invalidInput(error, 'monthly_cost');
    throw error;
  }
  const from = input.from === undefined ? await companyToday(ctx) : parseDay(input.from, 'from');
  await workingUser(ctx, input.collectorId);
  await ctx.database.db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(collectorCosts)
      .where(and(eq(collectorCosts.companyId, ctx.companyId), eq(collectorCosts.collectorId, input.collectorId)))
      .for('update');
    const before = rows.find((r) => r.effectiveFrom === from);
    const other = rows.find((r) => r !== before && r.currency.trim() !== currency);
    if (other) {
      const reason = t(
        `this collector's other costs are in ${other.currency.trim()}; a period's cost is charged in one currency`,
        `los demás costos de este gestor están en ${other.currency.trim()}; el costo de un periodo se carga en una sola moneda`,
      );
      throw new AppError('conflict', t(`currency: ${reason.en} (remove the collector's costs first to change it)`, `currency: ${reason.es} (elimine primero los costos del gestor para cambiarla)`), [{ path: 'currency', reason }]);
    }
    const values = { currency, monthlyCost: monthly, updatedAt: ctx.clock.now(), updatedBy: ctx.actor };
    await tx
      .insert(collectorCosts)
      .values({ companyId: ctx.companyId, collectorId: input.collectorId, effectiveFrom: from, ...values })
      .onConflictDoUpdate({ target: [collectorCosts.companyId, collectorCosts.collectorId, collectorCosts.effectiveFrom], set: values });
    await recordAudit(
      ctx,
      { action: 'collector_cost.set', entity: 'collector', entityId: input.collectorId, before: before ? auditOf(before) : null, after: { from, currency, monthly_cost: formatDecimal(monthly, currency) } },
      tx,
    );
  });
  return (await listCollectorCosts(ctx, input.collectorId)).data[0]!;
}

/**
 * Removes a collector's cost from one date (`from`), after which the previous one applies again; without `from`, every
 * cost of the collector, whose cost per peso becomes undefined.
 */
export async function deleteCollectorCost(ctx: Ctx, collectorId: number, from?: string): Promise<void> {
  const day = from === undefined ? undefined : parseDay(from, 'from');
  await ctx.database.db.transaction(async (tx) => {
    const removed = await tx
      .delete(collectorCosts)
      .where(and(eq(collectorCosts.companyId, ctx.companyId), eq(collectorCosts.collectorId, collectorId), day === undefined ? undefined : eq(collectorCosts.effectiveFrom, day)))
      .returning();
    if (removed.length === 0) throw new AppError('not_found', t(day === undefined ? `user ${collectorId} has no cost configured` : `user ${collectorId} has no cost from ${day}`, day === undefined ? `el usuario ${collectorId} no tiene un costo configurado` : `el usuario ${collectorId} no tiene un costo desde el ${day}`));
    // Oldest first: '-infinity' sorts before any YYYY-MM-DD.
    removed.sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1));
    await recordAudit(ctx, { action: 'collector_cost.delete', entity: 'collector', entityId: collectorId, before: day === undefined ? removed.map(auditOf) : auditOf(removed[0]!), after: null }, tx);
  });
}
