import { sql } from 'drizzle-orm';
import { dateInZone, parseDate, type PlainDate } from '../../domain/calendar.ts';
import { dueSteps } from '../../domain/strategies/index.ts';
import { storedReason } from '../../domain/compliance/index.ts';
import { contactRulesResolver, emptyGateFacts, HISTORY_DAYS, loadAutomationSettings, loadGateFacts, type GateFacts } from '../messaging/index.ts';
import { invalidInput, t } from '../shared/errors.ts';
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

/** Planned items written per transaction. */
const CHUNK = 2000;

/**
 * Turns every active strategy's due steps on `asOf` (default: today in the company's time zone) into outbox messages
 * and tasks. Each contact passes the compliance gate; every new row is written with its idempotency key by
 * `INSERT … ON CONFLICT DO NOTHING`, and its gate decision is logged in the same transaction, so running the same
 * day twice — or after a crash half way — writes nothing twice.
 */
export async function planDay(
  ctx: Ctx,
  options: { asOf?: string | undefined; strategy?: string | undefined; /** Accounts read per page (default 10,000). */ pageSize?: number } = {},
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
    throw invalidInput(error, 'as_of', t('as-of date', 'fecha de corte'));
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
  const now = ctx.clock.now().toISOString();
  for (const chunk of chunks) {
    await ctx.database.db.transaction(async (tx) => {
      const q = async <T>(statement: ReturnType<typeof sql>) => ((await tx.execute(statement)) as unknown as { rows: T[] }).rows;
      // These inserts are estimated costly enough to be JIT-compiled, which takes longer than writing the rows.
      await tx.execute(sql`SET LOCAL jit = off`);
      const decisions: DecisionRow[] = [];
      for (const [fallbacks, pass] of [[false, chunk.filter((x) => x.fallbackOfKey === null)], [true, chunk.filter((x) => x.fallbackOfKey !== null)]] as const) {
        if (pass.length === 0) continue;
        const messages = pass.filter((x): x is PlannedMessage => x.kind === 'message');
        const taskItems = pass.filter((x): x is PlannedTask => x.kind === 'task');
        if (messages.length) {
          // One statement per pass, the rows travelling as one JSON parameter: building a many-row INSERT value by
          // value costs more CPU than the database spends writing it. A fallback finds its primary's row by key.
          const rows = messages.map((m) => ({
            debtor_id: m.debtorId,
            portfolio_id: m.portfolioId,
            step_id: m.stepId,
            channel: m.channel,
            template_key: m.templateKey,
            language: m.language,
            idempotency_key: m.idempotencyKey,
            cause: m.cause,
            cause_date: m.causeDate,
            recipient: m.recipient,
            scheduled_for: m.scheduledFor.toISOString(),
            status: m.status,
            fallback_channel: m.fallbackChannel,
            fallback_of_key: m.fallbackOfKey,
            variables: m.variables,
            gate_rule: m.decision?.rule ?? null,
            // Why it was refused, as data (reason.ts): written in the reader's language where it is shown.
            last_error: m.status === 'refused' && m.decision ? storedReason(m.decision.reasonCode) : null,
          }));
          const inserted = await q<{ id: string | number; key: string }>(sql`
            INSERT INTO outbox_messages (company_id, debtor_id, portfolio_id, strategy_id, strategy_version_id, step_id, channel, template_key,
                                         language, idempotency_key, cause, cause_date, recipient, scheduled_for, next_attempt_at, status,
                                         max_attempts, fallback_channel, fallback_of, variables, gate_rule, last_error, created_at, updated_at)
            SELECT ${ctx.companyId}, x.debtor_id, x.portfolio_id, ${strategy.id}, ${strategy.versionId}, x.step_id, x.channel, x.template_key,
                   x.language, x.idempotency_key, x.cause, x.cause_date, x.recipient, x.scheduled_for, x.scheduled_for, x.status,
                   ${strategy.definition.maxAttempts}, x.fallback_channel, parent.id, coalesce(x.variables, '{}'::jsonb), x.gate_rule, x.last_error,
                   ${now}::timestamptz, ${now}::timestamptz
              FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(
                     debtor_id bigint, portfolio_id bigint, step_id text, channel text, template_key text, language text, idempotency_key text,
                     cause text, cause_date date, recipient text, scheduled_for timestamptz, status text, fallback_channel text,
                     fallback_of_key text, variables jsonb, gate_rule text, last_error text)
              ${fallbacks ? sql`LEFT JOIN outbox_messages parent ON parent.company_id = ${ctx.companyId} AND parent.idempotency_key = x.fallback_of_key` : sql`LEFT JOIN (SELECT NULL::bigint AS id) parent ON false`}
            ON CONFLICT (company_id, idempotency_key) DO NOTHING
            RETURNING id, idempotency_key AS key`);
          const byKey = new Map(messages.map((m) => [m.idempotencyKey, m]));
          for (const r of inserted) {
            const m = byKey.get(r.key)!;
            out.messages.created++;
            if (m.fallbackOfKey) out.fallbacks++;
            if (m.status === 'refused') out.messages.refused++;
            else if (m.deferred) out.messages.deferred++;
            else out.messages.now++;
            if (m.decision) decisions.push(decisionRow(m, { outboxMessageId: Number(r.id) }));
          }
          out.existing += messages.length - inserted.length;
        }
        if (taskItems.length) {
          const rows = taskItems.map((t) => ({
            debtor_id: t.debtorId,
            portfolio_id: t.portfolioId,
            kind: t.taskKind,
            due_on: t.dueOn,
            status: t.status,
            step_id: t.stepId,
            template_key: t.templateKey,
            cause: t.cause,
            idempotency_key: t.idempotencyKey,
            // Why it was cancelled, or put off to a later day by the gate.
            note: t.decision && !t.decision.allowed ? storedReason(t.decision.reasonCode) : null,
          }));
          const inserted = await q<{ id: string | number; key: string }>(sql`
            INSERT INTO tasks (company_id, debtor_id, portfolio_id, kind, due_on, status, strategy_id, strategy_version_id, step_id, template_key,
                               cause, idempotency_key, note, created_at, updated_at)
            SELECT ${ctx.companyId}, x.debtor_id, x.portfolio_id, x.kind, x.due_on, x.status, ${strategy.id}, ${strategy.versionId}, x.step_id,
                   x.template_key, x.cause, x.idempotency_key, x.note, ${now}::timestamptz, ${now}::timestamptz
              FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(
                     debtor_id bigint, portfolio_id bigint, kind text, due_on date, status text, step_id text, template_key text, cause text,
                     idempotency_key text, note text)
            ON CONFLICT (company_id, idempotency_key) DO NOTHING
            RETURNING id, idempotency_key AS key`);
          const byKey = new Map(taskItems.map((t) => [t.idempotencyKey, t]));
          for (const r of inserted) {
            const t = byKey.get(r.key)!;
            out.tasks.created++;
            if (t.fallbackOfKey) out.fallbacks++;
            if (t.status === 'cancelled') out.tasks.cancelled++;
            if (t.decision) decisions.push(decisionRow(t, { taskId: Number(r.id) }));
          }
          out.existing += taskItems.length - inserted.length;
        }
      }
      if (decisions.length) {
        await tx.execute(sql`
          INSERT INTO contact_decisions (company_id, debtor_id, outbox_message_id, task_id, channel, at, stage, allowed, rule, reason, next_allowed_at, rule_set, created_at)
          SELECT ${ctx.companyId}, x.debtor_id, x.outbox_message_id, x.task_id, x.channel, x.at, 'plan', x.allowed, x.rule, x.reason, x.next_allowed_at, x.rule_set, ${now}::timestamptz
            FROM jsonb_to_recordset(${JSON.stringify(decisions)}::jsonb) AS x(
                   debtor_id bigint, outbox_message_id bigint, task_id bigint, channel text, at timestamptz, allowed boolean, rule text, reason text,
                   next_allowed_at timestamptz, rule_set text)`);
      }
    });
  }
  return out;
}

interface DecisionRow {
  debtor_id: number;
  outbox_message_id: number | null;
  task_id: number | null;
  channel: string;
  at: string;
  allowed: boolean;
  rule: string;
  reason: string;
  next_allowed_at: string | null;
  rule_set: string | null;
}

function decisionRow(item: PlannedItem, ref: { outboxMessageId?: number; taskId?: number }): DecisionRow {
  const d = item.decision!;
  return {
    debtor_id: item.debtorId,
    outbox_message_id: ref.outboxMessageId ?? null,
    task_id: ref.taskId ?? null,
    channel: d.channel,
    at: d.at.toISOString(),
    allowed: d.allowed,
    rule: d.rule,
    reason: storedReason(d.reasonCode),
    next_allowed_at: d.nextAllowedAt?.toISOString() ?? null,
    rule_set: d.ruleSet,
  };
}
