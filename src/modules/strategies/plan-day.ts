import { and, eq, inArray } from 'drizzle-orm';
import { contactDecisions, outboxMessages, tasks } from '../../db/schema.ts';
import { dateInZone, parseDate, type PlainDate } from '../../domain/calendar.ts';
import { dueSteps } from '../../domain/strategies/index.ts';
import { contactRulesResolver, emptyGateFacts, HISTORY_DAYS, loadAutomationSettings, loadGateFacts, type GateFacts } from '../messaging/index.ts';
import { AppError } from '../shared/errors.ts';
import type { Ctx } from '../shared/context.ts';
import { activeStrategies, phasesOf, templateLanguage, type ActiveStrategy } from './active-strategies.ts';
import { strategyAccountPages, type StrategyAccount } from './load-accounts.ts';
import { planAccount, startOfLocalDay, type PlanContext, type PlannedItem, type PlannedMessage, type PlannedTask } from './plan-contacts.ts';

export interface PlanDayStrategySummary {
  name: string;
  version: number;
  portfolio: string;
  accounts: number;
  /** Steps due (before the gate). */
  due: number;
  /** Steps whose conditions were not met today. */
  skipped: number;
  /** New outbox rows: pending today, pending on a later day (deferred by the gate), refused for good. */
  messages: { created: number; now: number; deferred: number; refused: number };
  tasks: { created: number; cancelled: number };
  fallbacks: number;
  /** Items that already existed (an earlier run of the same day): nothing was written for them. */
  existing: number;
  /** The portfolio's daily run is older than the date planned: phases and segments are those of that run. */
  staleRun: boolean;
}

export interface PlanDaySummary {
  asOf: PlainDate;
  strategies: PlanDayStrategySummary[];
}

const CHUNK = 500;

/**
 * Turns every active strategy's due steps on `asOf` (default: today in the company's time zone) into outbox messages
 * and tasks. Each contact passes the compliance gate; every new row is written with its idempotency key by
 * `INSERT … ON CONFLICT DO NOTHING`, and its gate decision is logged in the same transaction, so running the same
 * day twice — or after a crash half way — writes nothing twice.
 */
export async function planDay(
  ctx: Ctx,
  options: { asOf?: string | undefined; strategy?: string | undefined; /** Accounts read per page (default 5000). */ pageSize?: number } = {},
): Promise<PlanDaySummary> {
  const settings = await loadAutomationSettings(ctx);
  const now = ctx.clock.now();
  const asOf = options.asOf ? parseDay(options.asOf) : dateInZone(now, settings.timeZone);
  const rulesFor = contactRulesResolver(settings);
  const summaries: PlanDayStrategySummary[] = [];
  for (const strategy of await activeStrategies(ctx, { name: options.strategy })) {
    const summary: PlanDayStrategySummary = {
      name: strategy.name,
      version: strategy.version,
      portfolio: strategy.portfolioName,
      accounts: 0,
      due: 0,
      skipped: 0,
      messages: { created: 0, now: 0, deferred: 0, refused: 0 },
      tasks: { created: 0, cancelled: 0 },
      fallbacks: 0,
      existing: 0,
      staleRun: strategy.portfolioLastRunOn === null || strategy.portfolioLastRunOn < asOf,
    };
    const dayStart = startOfLocalDay(asOf, settings.timeZone);
    const since = new Date(Math.min(now.getTime(), dayStart.getTime()) - HISTORY_DAYS * 86_400_000);
    const at = (a: StrategyAccount) => new Date(Math.max(now.getTime(), startOfLocalDay(asOf, a.timeZone).getTime()));
    const pages = strategyAccountPages(ctx, {
      strategyId: strategy.id,
      portfolioId: strategy.portfolioId,
      phases: phasesOf(strategy.definition),
      asOf,
      windowDays: strategy.definition.catchUpDays,
      ...(options.pageSize ? { pageSize: options.pageSize } : {}),
    });
    for await (const accounts of pages) {
      summary.accounts += accounts.length;
      const withDue = accounts.map((account) => ({ account, result: dueSteps(strategy.definition, account.facts, asOf) })).filter((x) => x.result.due.length || x.result.skipped.length);
      summary.due += withDue.reduce((n, x) => n + x.result.due.length, 0);
      summary.skipped += withDue.reduce((n, x) => n + x.result.skipped.length, 0);
      const gate = await loadGateFacts(
        ctx,
        withDue.filter((x) => x.result.due.length).map((x) => x.account.debtorId),
        { onDate: asOf, since },
      );
      const planContext: PlanContext = {
        strategyId: strategy.id,
        strategyVersionId: strategy.versionId,
        asOf,
        language: templateLanguage(strategy.definition, settings.locale),
        at,
        rulesFor,
        gateFacts: (id) => gate.get(id) ?? setEmpty(gate, id),
      };
      const items = withDue.flatMap(({ account, result }) => planAccount(planContext, account, result.due));
      const written = await writePlan(ctx, strategy, items);
      summary.messages.created += written.messages.created;
      summary.messages.now += written.messages.now;
      summary.messages.deferred += written.messages.deferred;
      summary.messages.refused += written.messages.refused;
      summary.tasks.created += written.tasks.created;
      summary.tasks.cancelled += written.tasks.cancelled;
      summary.fallbacks += written.fallbacks;
      summary.existing += written.existing;
    }
    summaries.push(summary);
  }
  return { asOf, strategies: summaries };
}

function setEmpty(map: Map<number, GateFacts>, id: number): GateFacts {
  const f = emptyGateFacts();
  map.set(id, f);
  return f;
}

function parseDay(input: string): PlainDate {
  try {
    return parseDate(input);
  } catch (error) {
    throw new AppError('validation_failed', `as-of date: ${(error as Error).message}`, [{ path: 'as_of', reason: (error as Error).message }]);
  }
}

type Written = Pick<PlanDayStrategySummary, 'messages' | 'tasks' | 'fallbacks' | 'existing'>;

/**
 * Writes the plan in chunks, one transaction each. A fallback stays in the chunk of its primary and is written after
 * it (it points at the primary's row), so a crash never leaves a refused primary without its fallback.
 */
async function writePlan(ctx: Ctx, strategy: ActiveStrategy, items: readonly PlannedItem[]): Promise<Written> {
  const out: Written = { messages: { created: 0, now: 0, deferred: 0, refused: 0 }, tasks: { created: 0, cancelled: 0 }, fallbacks: 0, existing: 0 };
  const chunks: PlannedItem[][] = [];
  for (const item of items) {
    const last = chunks[chunks.length - 1];
    if (!last || (last.length >= CHUNK && item.fallbackOfKey === null)) chunks.push([item]);
    else last.push(item);
  }
  for (const chunk of chunks) {
    await ctx.database.db.transaction(async (tx) => {
      const decisions: Array<typeof contactDecisions.$inferInsert> = [];
      for (const pass of [chunk.filter((x) => x.fallbackOfKey === null), chunk.filter((x) => x.fallbackOfKey !== null)]) {
        if (pass.length === 0) continue;
        const messages = pass.filter((x): x is PlannedMessage => x.kind === 'message');
        const taskItems = pass.filter((x): x is PlannedTask => x.kind === 'task');
        const parents = new Map<string, number>();
        const parentKeys = [...new Set(pass.map((x) => x.fallbackOfKey).filter((k): k is string => k !== null))];
        if (parentKeys.length) {
          const rows = await tx
            .select({ id: outboxMessages.id, key: outboxMessages.idempotencyKey })
            .from(outboxMessages)
            .where(and(eq(outboxMessages.companyId, ctx.companyId), inArray(outboxMessages.idempotencyKey, parentKeys)));
          for (const r of rows) parents.set(r.key, r.id);
        }
        if (messages.length) {
          const inserted = await tx
            .insert(outboxMessages)
            .values(
              messages.map((m) => ({
                companyId: ctx.companyId,
                debtorId: m.debtorId,
                portfolioId: m.portfolioId,
                strategyId: strategy.id,
                strategyVersionId: strategy.versionId,
                stepId: m.stepId,
                channel: m.channel,
                templateKey: m.templateKey,
                language: m.language,
                idempotencyKey: m.idempotencyKey,
                cause: m.cause,
                causeDate: m.causeDate,
                recipient: m.recipient,
                scheduledFor: m.scheduledFor,
                nextAttemptAt: m.scheduledFor,
                status: m.status,
                maxAttempts: strategy.definition.maxAttempts,
                fallbackChannel: m.fallbackChannel,
                fallbackOf: m.fallbackOfKey ? (parents.get(m.fallbackOfKey) ?? null) : null,
                variables: m.variables as Record<string, unknown>,
                gateRule: m.decision?.rule ?? null,
                lastError: m.status === 'refused' ? (m.decision?.reason ?? null) : null,
                createdAt: ctx.clock.now(),
                updatedAt: ctx.clock.now(),
              })),
            )
            .onConflictDoNothing({ target: [outboxMessages.companyId, outboxMessages.idempotencyKey] })
            .returning({ id: outboxMessages.id, key: outboxMessages.idempotencyKey });
          const byKey = new Map(messages.map((m) => [m.idempotencyKey, m]));
          for (const r of inserted) {
            const m = byKey.get(r.key)!;
            out.messages.created++;
            if (m.fallbackOfKey) out.fallbacks++;
            if (m.status === 'refused') out.messages.refused++;
            else if (m.deferred) out.messages.deferred++;
            else out.messages.now++;
            if (m.decision) decisions.push(decisionRow(ctx, m, { outboxMessageId: r.id }));
          }
          out.existing += messages.length - inserted.length;
        }
        if (taskItems.length) {
          const inserted = await tx
            .insert(tasks)
            .values(
              taskItems.map((t) => ({
                companyId: ctx.companyId,
                debtorId: t.debtorId,
                portfolioId: t.portfolioId,
                kind: t.taskKind,
                dueOn: t.dueOn,
                status: t.status,
                strategyId: strategy.id,
                strategyVersionId: strategy.versionId,
                stepId: t.stepId,
                templateKey: t.templateKey,
                cause: t.cause,
                idempotencyKey: t.idempotencyKey,
                note: t.status === 'cancelled' ? (t.decision?.reason ?? null) : null,
                createdAt: ctx.clock.now(),
                updatedAt: ctx.clock.now(),
              })),
            )
            .onConflictDoNothing({ target: [tasks.companyId, tasks.idempotencyKey] })
            .returning({ id: tasks.id, key: tasks.idempotencyKey });
          const byKey = new Map(taskItems.map((t) => [t.idempotencyKey, t]));
          for (const r of inserted) {
            const t = byKey.get(r.key)!;
            out.tasks.created++;
            if (t.fallbackOfKey) out.fallbacks++;
            if (t.status === 'cancelled') out.tasks.cancelled++;
            if (t.decision) decisions.push(decisionRow(ctx, t, { taskId: r.id }));
          }
          out.existing += taskItems.length - inserted.length;
        }
      }
      if (decisions.length) await tx.insert(contactDecisions).values(decisions);
    });
  }
  return out;
}

function decisionRow(ctx: Ctx, item: PlannedItem, ref: { outboxMessageId?: number; taskId?: number }): typeof contactDecisions.$inferInsert {
  const d = item.decision!;
  return {
    companyId: ctx.companyId,
    debtorId: item.debtorId,
    outboxMessageId: ref.outboxMessageId ?? null,
    taskId: ref.taskId ?? null,
    channel: d.channel,
    at: d.at,
    stage: 'plan',
    allowed: d.allowed,
    rule: d.rule,
    reason: d.reason,
    nextAllowedAt: d.nextAllowedAt,
    ruleSet: d.ruleSet,
    createdAt: ctx.clock.now(),
  };
}
