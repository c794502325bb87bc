/**
 * The fallback of a message that was refused for good or finally failed at dispatch: one new row on the step's
 * fallback channel (or a task for call_task / agency_referral), with its own idempotency key, judged by the gate
 * like any contact. Written with ON CONFLICT DO NOTHING, so a retried dispatch never creates it twice.
 */
import { contactDecisions, outboxMessages, tasks } from '../../db/schema.ts';
import type { PlainDate } from '../../domain/calendar.ts';
import { reasonText, storedReason, type Channel, type ContactReason } from '../../domain/compliance/index.ts';
import type { Ctx } from '../shared/context.ts';
import type { ResolvedRules } from './contact-rules.ts';
import { factsForCause, judgeContactStable, type GateFacts } from './gate.ts';

export interface FallbackSource {
  readonly id: number;
  readonly debtorId: number;
  readonly portfolioId: number | null;
  readonly strategyId: number | null;
  readonly strategyVersionId: number | null;
  readonly stepId: string | null;
  readonly templateKey: string;
  readonly language: string;
  readonly idempotencyKey: string;
  readonly cause: string;
  readonly causeDate: string;
  readonly maxAttempts: number;
  readonly fallbackChannel: string | null;
  readonly fallbackOf: number | null;
  readonly variables: Record<string, unknown>;
}

export interface FallbackDebtor {
  readonly timeZone: string;
  readonly name: string;
  readonly email: string | null;
  readonly phone: string | null;
  readonly whatsapp: string | null;
}

function address(d: FallbackDebtor, channel: string): string | null {
  if (channel === 'email') return d.email;
  if (channel === 'sms') return d.phone;
  if (channel === 'whatsapp') return d.whatsapp ?? d.phone;
  if (channel === 'letter') return d.name;
  return null;
}

/** Creates the fallback of `row` if it has one (a fallback has none of its own). Returns whether a row was created. */
export async function createFallback(
  ctx: Ctx,
  row: FallbackSource,
  debtor: FallbackDebtor,
  rules: ResolvedRules,
  debtorFacts: GateFacts,
  today: PlainDate,
): Promise<boolean> {
  // Judged with the holds that apply to the row's cause (a payment plan holds only what it covers).
  const facts = factsForCause(debtorFacts, row.cause);
  const channel = row.fallbackChannel;
  if (!channel || row.fallbackOf !== null) return false;
  const key = `${row.idempotencyKey}:fallback:${channel}`;
  const now = ctx.clock.now();
  const { db } = ctx.database;
  if (channel === 'call_task' || channel === 'agency_referral') {
    const held = facts.holds.length > 0;
    const judged = held ? judgeContactStable(rules, debtor, facts, 'call', now) : null;
    const inserted = await db
      .insert(tasks)
      .values({
        companyId: ctx.companyId,
        debtorId: row.debtorId,
        portfolioId: row.portfolioId,
        kind: channel === 'call_task' ? 'call' : 'agency_referral',
        dueOn: today,
        status: held ? 'cancelled' : 'open',
        strategyId: row.strategyId,
        strategyVersionId: row.strategyVersionId,
        stepId: row.stepId,
        templateKey: row.templateKey,
        cause: row.cause,
        idempotencyKey: key,
        // Why, as data (reason.ts), written in the reader's language where the task is shown.
        note: judged ? storedReason(judged.reasonCode) : null,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing({ target: [tasks.companyId, tasks.idempotencyKey] })
      .returning({ id: tasks.id });
    if (inserted[0] && judged) {
      await db.insert(contactDecisions).values({
        companyId: ctx.companyId,
        debtorId: row.debtorId,
        taskId: inserted[0].id,
        channel: 'call',
        at: now,
        stage: 'dispatch',
        allowed: false,
        rule: judged.rule,
        reason: storedReason(judged.reasonCode),
        nextAllowedAt: judged.nextAllowedAt,
        ruleSet: judged.ruleSet,
        createdAt: now,
      });
    }
    return inserted.length > 0;
  }
  const recipient = address(debtor, channel);
  const judged = recipient
    ? judgeContactStable(rules, debtor, facts, channel as Channel, now)
    : addressMissing(channel);
  const refused = !judged.allowed && judged.nextAllowedAt === null;
  const when = judged.allowed ? now : (judged.nextAllowedAt ?? now);
  const inserted = await db
    .insert(outboxMessages)
    .values({
      companyId: ctx.companyId,
      debtorId: row.debtorId,
      portfolioId: row.portfolioId,
      strategyId: row.strategyId,
      strategyVersionId: row.strategyVersionId,
      stepId: row.stepId,
      channel,
      templateKey: row.templateKey,
      language: row.language,
      idempotencyKey: key,
      cause: row.cause,
      causeDate: row.causeDate,
      recipient,
      scheduledFor: when,
      nextAttemptAt: when,
      status: refused ? 'refused' : 'pending',
      maxAttempts: row.maxAttempts,
      fallbackOf: row.id,
      variables: row.variables,
      gateRule: judged.rule,
      lastError: refused ? storedReason(judged.reasonCode) : null,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing({ target: [outboxMessages.companyId, outboxMessages.idempotencyKey] })
    .returning({ id: outboxMessages.id });
  if (!inserted[0]) return false;
  await db.insert(contactDecisions).values({
    companyId: ctx.companyId,
    debtorId: row.debtorId,
    outboxMessageId: inserted[0].id,
    channel,
    at: now,
    stage: 'dispatch',
    allowed: judged.allowed,
    rule: judged.rule,
    reason: storedReason(judged.reasonCode),
    nextAllowedAt: judged.nextAllowedAt,
    ruleSet: judged.ruleSet,
    createdAt: now,
  });
  if (!refused) facts.history.push({ outboxId: inserted[0].id, channel: channel as Channel, at: when, outcome: 'attempt' });
  return true;
}

/** The decision for a fallback channel the debtor has no address for: refused for good. */
function addressMissing(channel: string) {
  const reasonCode: ContactReason = { code: 'address_missing', channel };
  return { allowed: false, nextAllowedAt: null, rule: `address.missing.${channel}`, reasonCode, reason: reasonText(reasonCode, 'es'), ruleSet: null };
}
