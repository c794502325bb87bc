/**
 * Assignment of accounts to collectors: by rules (segment / phase / region / portfolio) with round-robin under each
 * collector's capacity, or by hand. Reassigning closes the current assignment and opens the next, so the history of
 * who worked an account on any day is kept; the worklist priority table follows the current collector.
 */
import { and, asc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { accounts, portfolios } from '../../db/schema.ts';
import { regionMeant } from '../../db/regions.ts';
import { assignmentRules, assignments, collectorSettings, worklistScores } from '../../db/tables/worklists.ts';
import { isPhase } from '../../domain/aging.ts';
import { recordAudit } from '../access/audit.ts';
import type { Ctx } from '../shared/context.ts';
import { portfolioIdByName } from '../portfolio/queries/list-portfolios.ts';
import { AppError, notFound, problemsError, t, type Text } from '../shared/errors.ts';
import { bigintArray } from '../messaging/index.ts';
import { debtorByExternalId } from './lookups.ts';

export interface CollectorSettingView {
  collector_id: number;
  capacity: number;
  active: boolean;
  assigned: number;
}

/** Sets a collector's capacity and whether they take new work (a collector on leave keeps their accounts). */
export async function setCollector(ctx: Ctx, input: { collectorId: number; capacity?: number | undefined; active?: boolean | undefined }): Promise<CollectorSettingView> {
  if (!Number.isSafeInteger(input.collectorId) || input.collectorId <= 0) throw new AppError('validation_failed', t('collector_id must be a user id', 'collector_id debe ser el id de un usuario'), [{ path: 'collector_id', reason: t('must be > 0', 'debe ser > 0') }]);
  if (input.capacity !== undefined && (!Number.isSafeInteger(input.capacity) || input.capacity < 0 || input.capacity > 1_000_000)) {
    throw new AppError('validation_failed', t('capacity must be a whole number from 0 to 1,000,000', 'capacity debe ser un número entero de 0 a 1,000,000'), [{ path: 'capacity', reason: t('out of range', 'fuera de rango') }]);
  }
  await assertCollectors(ctx, [input.collectorId]);
  const { db } = ctx.database;
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(collectorSettings)
      .where(and(eq(collectorSettings.companyId, ctx.companyId), eq(collectorSettings.collectorId, input.collectorId)));
    const values = { capacity: input.capacity ?? before?.capacity ?? 500, active: input.active ?? before?.active ?? true, updatedAt: ctx.clock.now() };
    const [after] = await tx
      .insert(collectorSettings)
      .values({ companyId: ctx.companyId, collectorId: input.collectorId, ...values })
      .onConflictDoUpdate({ target: [collectorSettings.companyId, collectorSettings.collectorId], set: values })
      .returning();
    await recordAudit(ctx, { action: 'collector.update', entity: 'collector', entityId: input.collectorId, before: before ?? null, after }, tx);
    const [load] = await tx.select({ n: sql<number>`count(*)::int` }).from(assignments).where(and(eq(assignments.companyId, ctx.companyId), eq(assignments.collectorId, input.collectorId), isNull(assignments.validTo)));
    return { collector_id: after!.collectorId, capacity: after!.capacity, active: after!.active, assigned: Number(load?.n ?? 0) };
  });
}

/** Collectors with settings, with how many accounts each holds now. */
export async function listCollectors(ctx: Ctx): Promise<CollectorSettingView[]> {
  const rows = await ctx.database.query<{ collector_id: string | number; capacity: number; active: boolean; assigned: number }>(sql`
    SELECT s.collector_id, s.capacity, s.active,
           (SELECT count(*)::int FROM assignments a WHERE a.company_id = s.company_id AND a.collector_id = s.collector_id AND a.valid_to IS NULL) AS assigned
      FROM collector_settings s WHERE s.company_id = ${ctx.companyId} ORDER BY s.collector_id`);
  return rows.map((r) => ({ collector_id: Number(r.collector_id), capacity: r.capacity, active: r.active, assigned: Number(r.assigned) }));
}

export interface AssignmentRuleInput {
  name: string;
  priority?: number | undefined;
  portfolio?: string | null | undefined;
  segment?: string | null | undefined;
  phase?: string | null | undefined;
  region?: string | null | undefined;
  collectorIds: number[];
}

export interface AssignmentRuleView {
  id: number;
  name: string;
  priority: number;
  portfolio: string | null;
  segment: string | null;
  phase: string | null;
  region: string | null;
  collector_ids: number[];
  active: boolean;
}

/** Adds or replaces (by name) an assignment rule. */
export async function saveAssignmentRule(ctx: Ctx, input: AssignmentRuleInput): Promise<AssignmentRuleView> {
  const name = input.name.trim();
  const problems: Array<{ path: string; reason: Text }> = [];
  if (!name || name.length > 100) problems.push({ path: 'name', reason: t('required, at most 100 characters', 'obligatorio, como máximo 100 caracteres') });
  if (input.phase && !isPhase(input.phase)) problems.push({ path: 'phase', reason: t(`unknown phase "${input.phase}"`, `fase desconocida "${input.phase}"`) });
  if (input.collectorIds.length === 0) problems.push({ path: 'collector_ids', reason: t('name at least one collector', 'indique al menos un gestor') });
  if (input.priority !== undefined && (!Number.isSafeInteger(input.priority) || input.priority < 0 || input.priority > 100_000)) {
    problems.push({ path: 'priority', reason: t('a whole number from 0 to 100000', 'un número entero de 0 a 100000') });
  }
  if (problems.length) throw problemsError(t('the assignment rule was not saved', 'la regla de asignación no se guardó'), problems);
  await assertCollectors(ctx, input.collectorIds);
  const portfolioId = input.portfolio ? await portfolioIdByName(ctx, input.portfolio) : null;
  const values = {
    priority: input.priority ?? 100,
    portfolioId,
    segment: input.segment || null,
    phase: input.phase || null,
    region: input.region || null,
    collectorIds: [...new Set(input.collectorIds)],
    active: true,
  };
  const row = await ctx.database.db.transaction(async (tx) => {
    const [before] = await tx.select().from(assignmentRules).where(and(eq(assignmentRules.companyId, ctx.companyId), eq(assignmentRules.name, name)));
    const [after] = await tx
      .insert(assignmentRules)
      .values({ companyId: ctx.companyId, name, ...values })
      .onConflictDoUpdate({ target: [assignmentRules.companyId, assignmentRules.name], set: values })
      .returning();
    await recordAudit(ctx, { action: 'assignment_rule.save', entity: 'assignment_rule', entityId: after!.id, before: before ?? null, after }, tx);
    return after!;
  });
  return ruleView(row, input.portfolio ?? null);
}

/** The company's assignment rules in the order they are tried. */
export async function listAssignmentRules(ctx: Ctx): Promise<AssignmentRuleView[]> {
  const rows = await ctx.database.db
    .select({ rule: assignmentRules, portfolio: portfolios.name })
    .from(assignmentRules)
    .leftJoin(portfolios, eq(portfolios.id, assignmentRules.portfolioId))
    .where(eq(assignmentRules.companyId, ctx.companyId))
    .orderBy(asc(assignmentRules.priority), asc(assignmentRules.id));
  return rows.map((r) => ruleView(r.rule, r.portfolio));
}

/** Deletes a rule by name (accounts it assigned stay with their collectors). */
export async function deleteAssignmentRule(ctx: Ctx, name: string): Promise<void> {
  await ctx.database.db.transaction(async (tx) => {
    const [gone] = await tx.delete(assignmentRules).where(and(eq(assignmentRules.companyId, ctx.companyId), eq(assignmentRules.name, name))).returning();
    if (!gone) throw notFound('assignment rule', name);
    await recordAudit(ctx, { action: 'assignment_rule.delete', entity: 'assignment_rule', entityId: gone.id, before: gone }, tx);
  });
}

function ruleView(r: typeof assignmentRules.$inferSelect, portfolio: string | null): AssignmentRuleView {
  return { id: r.id, name: r.name, priority: r.priority, portfolio, segment: r.segment, phase: r.phase, region: r.region, collector_ids: r.collectorIds, active: r.active };
}

export interface AutoAssignSummary {
  assigned: number;
  byRule: Record<string, number>;
  /** Open accounts left without a collector (no rule matched, or every collector was full). */
  unassigned: number;
}

/** Whether the debtor has credit now, for a new assignment's `has_credit` (the balance recompute keeps it after). */
function hasCredit(ctx: Ctx, debtor: SQL): SQL {
  return sql`EXISTS (SELECT 1 FROM payments p WHERE p.company_id = ${ctx.companyId} AND p.debtor_id = ${debtor} AND p.unapplied > 0 AND p.reversed_at IS NULL)`;
}

/**
 * Assigns every open, unassigned account: rules in priority order, each giving its matching accounts to its
 * collectors round-robin under capacity; then what is left goes round-robin to every active collector with room.
 * Set-based: collectors' free slots are numbered 1st slot of each collector, then 2nd slot of each, … (least loaded
 * first), and the k-th account takes the k-th slot, so a rerun assigns nothing twice (the unique current-assignment
 * index guarantees it even when two runs race).
 */
export async function autoAssign(ctx: Ctx, options: { portfolio?: string | undefined } = {}): Promise<AutoAssignSummary> {
  const rules = await ctx.database.db
    .select()
    .from(assignmentRules)
    .where(and(eq(assignmentRules.companyId, ctx.companyId), eq(assignmentRules.active, true)))
    .orderBy(asc(assignmentRules.priority), asc(assignmentRules.id));
  const portfolioId = options.portfolio ? await portfolioIdByName(ctx, options.portfolio) : null;
  const byRule: Record<string, number> = {};
  let assigned = 0;
  const now = ctx.clock.now();
  await ctx.database.db.transaction(async (tx) => {
    const run = async (rule: typeof assignmentRules.$inferSelect | null): Promise<number> => {
      const pool = rule ? sql`AND s.collector_id = ANY(${bigintArray(rule.collectorIds)})` : sql``;
      const conditions = [
        portfolioId !== null ? sql`AND a.portfolio_id = ${portfolioId}` : sql``,
        rule?.portfolioId ? sql`AND a.portfolio_id = ${rule.portfolioId}` : sql``,
        rule?.phase ? sql`AND a.phase = ${rule.phase}` : sql``,
        rule?.segment ? sql`AND ${rule.segment} = ANY(a.segments)` : sql``,
        // A region's name or code is read for each debtor's country, as the import stored it ("CDMX" is CMX).
        rule?.region ? sql`AND d.region = ${regionMeant(sql`d.country`, rule.region)}` : sql``,
      ];
      const result = await tx.execute(sql`
        WITH load AS (
          SELECT collector_id, count(*)::int AS n FROM assignments
           WHERE company_id = ${ctx.companyId} AND valid_to IS NULL GROUP BY collector_id
        ), free AS (
          SELECT s.collector_id, s.capacity - coalesce(l.n, 0) AS room, coalesce(l.n, 0) AS n
            FROM collector_settings s LEFT JOIN load l ON l.collector_id = s.collector_id
           WHERE s.company_id = ${ctx.companyId} AND s.active ${pool} AND s.capacity > coalesce(l.n, 0)
        ), slots AS (
          SELECT f.collector_id, row_number() OVER (ORDER BY g.i, f.n, f.collector_id) AS k
            FROM free f CROSS JOIN LATERAL generate_series(1, f.room) AS g(i)
        ), todo AS (
          SELECT a.portfolio_id, a.debtor_id, row_number() OVER (ORDER BY a.portfolio_id, a.debtor_id) AS k
            FROM accounts a JOIN debtors d ON d.id = a.debtor_id
           WHERE a.company_id = ${ctx.companyId} AND a.phase <> 'settled'
             AND NOT EXISTS (SELECT 1 FROM assignments x WHERE x.portfolio_id = a.portfolio_id AND x.debtor_id = a.debtor_id AND x.valid_to IS NULL)
             ${sql.join(conditions, sql` `)}
        ), placed AS (
          INSERT INTO assignments (company_id, portfolio_id, debtor_id, collector_id, valid_from, source, rule_id, assigned_by, has_credit)
          SELECT ${ctx.companyId}, t.portfolio_id, t.debtor_id, s.collector_id, ${now.toISOString()}::timestamptz,
                 ${rule ? 'rule' : 'round_robin'}, ${rule?.id ?? null}::bigint, ${ctx.actor}, ${hasCredit(ctx, sql`t.debtor_id`)}
            FROM todo t JOIN slots s ON s.k = t.k
          ON CONFLICT DO NOTHING
          RETURNING portfolio_id, debtor_id, collector_id
        ), scored AS (
          UPDATE worklist_scores w SET collector_id = p.collector_id FROM placed p
           WHERE w.portfolio_id = p.portfolio_id AND w.debtor_id = p.debtor_id
          RETURNING 1
        )
        SELECT (SELECT count(*)::int FROM placed) AS n, (SELECT count(*) FROM scored) AS s`);
      return Number((result as unknown as { rows: Array<{ n: number }> }).rows[0]?.n ?? 0);
    };
    for (const rule of rules) {
      const n = await run(rule);
      byRule[rule.name] = n;
      assigned += n;
    }
    const rest = await run(null);
    if (rest) byRule['(round-robin)'] = rest;
    assigned += rest;
    if (assigned) await recordAudit(ctx, { action: 'assignment.auto', entity: 'assignment', after: { assigned, byRule } }, tx);
  });
  const [left] = await ctx.database.query<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM accounts a
     WHERE a.company_id = ${ctx.companyId} AND a.phase <> 'settled' ${portfolioId !== null ? sql`AND a.portfolio_id = ${portfolioId}` : sql``}
       AND NOT EXISTS (SELECT 1 FROM assignments x WHERE x.portfolio_id = a.portfolio_id AND x.debtor_id = a.debtor_id AND x.valid_to IS NULL)`);
  return { assigned, byRule, unassigned: Number(left?.n ?? 0) };
}

export interface AssignmentView {
  portfolio: string;
  collector_id: number;
  valid_from: string;
  valid_to: string | null;
  source: string;
  reason: string | null;
  assigned_by: string;
}

/**
 * Gives a debtor's accounts (all portfolios, or one) to a collector by hand, closing the current assignments: the
 * supervisor's "move work". Capacity is not enforced by hand; the reason is kept in the history.
 */
export async function assignByHand(
  ctx: Ctx,
  input: { debtorExternalIds: string[]; collectorId: number; portfolio?: string | undefined; reason?: string | null | undefined },
): Promise<{ moved: number }> {
  if (input.debtorExternalIds.length === 0) throw new AppError('validation_failed', t('name at least one debtor', 'indique al menos un deudor'), [{ path: 'debtors', reason: t('empty', 'vacío') }]);
  if (input.debtorExternalIds.length > 10_000) throw new AppError('validation_failed', t('at most 10,000 debtors per move', 'como máximo 10,000 deudores por movimiento'), [{ path: 'debtors', reason: t('too many', 'demasiados') }]);
  await assertCollectors(ctx, [input.collectorId]);
  const ids: number[] = [];
  for (const ext of input.debtorExternalIds) ids.push((await debtorByExternalId(ctx, ext)).id);
  const now = ctx.clock.now();
  const { db } = ctx.database;
  return db.transaction(async (tx) => {
    const where = [eq(accounts.companyId, ctx.companyId), inArray(accounts.debtorId, ids)];
    if (input.portfolio) where.push(eq(accounts.portfolioId, await portfolioIdByName(ctx, input.portfolio, { db: tx })));
    const targets = await tx.select({ portfolioId: accounts.portfolioId, debtorId: accounts.debtorId }).from(accounts).where(and(...where));
    if (targets.length === 0) throw new AppError('conflict', t('none of these debtors has an account yet; run the daily run first', 'ninguno de estos deudores tiene cuenta todavía; ejecute primero la corrida diaria'));
    let moved = 0;
    for (const t of targets) {
      // Lock the account's current assignment so two supervisors moving it at once cannot both open one.
      const [current] = await tx.execute(sql`
        SELECT id, collector_id FROM assignments WHERE portfolio_id = ${t.portfolioId} AND debtor_id = ${t.debtorId} AND valid_to IS NULL FOR UPDATE`).then((r) => (r as unknown as { rows: Array<{ id: string | number; collector_id: string | number }> }).rows);
      if (current && Number(current.collector_id) === input.collectorId) continue;
      if (current) await tx.update(assignments).set({ validTo: now }).where(eq(assignments.id, Number(current.id)));
      await tx.insert(assignments).values({
        companyId: ctx.companyId,
        portfolioId: t.portfolioId,
        debtorId: t.debtorId,
        collectorId: input.collectorId,
        validFrom: now,
        source: current ? 'moved' : 'manual',
        reason: input.reason?.trim() || null,
        assignedBy: ctx.actor,
        hasCredit: hasCredit(ctx, sql`${t.debtorId}::bigint`),
      });
      await tx
        .update(worklistScores)
        .set({ collectorId: input.collectorId })
        .where(and(eq(worklistScores.portfolioId, t.portfolioId), eq(worklistScores.debtorId, t.debtorId)));
      await recordAudit(
        ctx,
        { action: 'assignment.move', entity: 'account', entityId: `${t.portfolioId}:${t.debtorId}`, before: current ? { collector_id: Number(current.collector_id) } : null, after: { collector_id: input.collectorId, reason: input.reason ?? null } },
        tx,
      );
      moved++;
    }
    return { moved };
  });
}

/** A debtor's assignment history, newest first. */
export async function assignmentHistory(ctx: Ctx, debtorId: number): Promise<AssignmentView[]> {
  const rows = await ctx.database.db
    .select({ a: assignments, portfolio: portfolios.name })
    .from(assignments)
    .innerJoin(portfolios, eq(portfolios.id, assignments.portfolioId))
    .where(and(eq(assignments.companyId, ctx.companyId), eq(assignments.debtorId, debtorId)))
    .orderBy(sql`${assignments.validFrom} DESC, ${assignments.id} DESC`);
  return rows.map(({ a, portfolio }) => assignmentView(a, portfolio));
}

/** One assignment as the API shows it. */
export function assignmentView(a: typeof assignments.$inferSelect, portfolio: string): AssignmentView {
  return {
    portfolio,
    collector_id: a.collectorId,
    valid_from: a.validFrom.toISOString(),
    valid_to: a.validTo?.toISOString() ?? null,
    source: a.source,
    reason: a.reason,
    assigned_by: a.assignedBy,
  };
}

/** Collectors must be active users of this company who can work accounts (collector, agency, supervisor or admin). */
async function assertCollectors(ctx: Ctx, ids: readonly number[]): Promise<void> {
  const found = await ctx.database.query<{ id: string | number }>(sql`
    SELECT id FROM users WHERE company_id = ${ctx.companyId} AND id = ANY(${bigintArray(ids)})
       AND active AND role IN ('collector', 'agency', 'supervisor', 'admin')`);
  const ok = new Set(found.map((f) => Number(f.id)));
  const missing = ids.filter((i) => !ok.has(i));
  if (missing.length) throw new AppError('validation_failed', t(`not a collector of this company: user ${missing.join(', ')}`, `no son gestores de esta empresa: usuario ${missing.join(', ')}`), missing.map((m) => ({ path: 'collector_id', reason: t(`user ${m} is not a collector here`, `el usuario ${m} no es gestor aquí`) })));
}
