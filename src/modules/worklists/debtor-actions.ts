/**
 * Actions on a debtor from the back office beyond logging an interaction: send a message now (through the compliance
 * gate), place with an agency, send to judicial, write off. Each is audited in the transaction that makes it.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { accounts, contactDecisions, outboxMessages, portfolios } from '../../db/schema.ts';
import { reasonText, storedReason, type Channel } from '../../domain/compliance/index.ts';
import { DEFAULT_TEMPLATE_KEYS } from '../../domain/templates/index.ts';
import { formatDecimal } from '../../domain/money.ts';
import { placeWithAgency, recordAudit } from '../access/index.ts';
import { overridePhase } from '../collection-runs/index.ts';
import { contactRulesResolver, HISTORY_DAYS, judgeContactStable, loadAutomationSettings, loadGateFacts } from '../messaging/index.ts';
import type { Ctx } from '../shared/context.ts';
import { AppError } from '../shared/errors.ts';
import { companyToday, debtorByExternalId } from './lookups.ts';
import { inTransaction } from './transaction.ts';
import { say, t, type Language } from '../../domain/text.ts';

export const SEND_NOW_CHANNELS = ['email', 'sms', 'whatsapp'] as const;
export type SendNowChannel = (typeof SEND_NOW_CHANNELS)[number];

export interface SendNowResult {
  /** queued: written to the outbox, dispatched within the minute; scheduled: at the gate's next allowed instant; refused: nothing written. */
  status: 'queued' | 'scheduled' | 'refused';
  message_id: number | null;
  rule: string;
  /** The gate's reason in the reader's language. */
  reason: string;
  /** The kind of the gate's reason (allowed, hours, cap, hold, …: src/domain/compliance/reason.ts); null for a replay. */
  reason_code: string | null;
  next_allowed_at: string | null;
}

/**
 * Sends a template to the debtor now, through the same gate and outbox as the strategies: the gate judges the instant
 * (holds, consent, opt-outs, hours, caps); allowed → an outbox row due now; refused for now → nothing, unless
 * `scheduleIfRefused`, which queues it at the next allowed instant; refused for good → nothing. The decision is logged
 * like every other. An idempotency key makes a double click one message. The reason is written in `language` (English
 * when not given), as the compliance log's reasons are read.
 */
export async function sendMessageNow(
  ctx: Ctx,
  input: { debtorExternalId: string; channel: string; templateKey: string; scheduleIfRefused?: boolean | undefined; idempotencyKey?: string | undefined; language?: Language | undefined },
): Promise<SendNowResult> {
  if (!(SEND_NOW_CHANNELS as readonly string[]).includes(input.channel)) {
    throw new AppError('validation_failed', t(`channel must be one of ${SEND_NOW_CHANNELS.join(', ')}`, `el canal debe ser uno de ${SEND_NOW_CHANNELS.join(', ')}`), [{ path: 'channel', reason: t(`got "${input.channel}"`, `se recibió "${input.channel}"`) }]);
  }
  const channel = input.channel as SendNowChannel;
  const language = input.language ?? 'en';
  const debtor = await debtorByExternalId(ctx, input.debtorExternalId);
  const known = (DEFAULT_TEMPLATE_KEYS as readonly string[]).includes(input.templateKey);
  if (!known) {
    const [own] = await ctx.database.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM templates WHERE company_id = ${ctx.companyId} AND key = ${input.templateKey} AND channel = ${channel}`);
    if (!own?.n) throw new AppError('validation_failed', t(`there is no template "${input.templateKey}" for ${channel}`, `no hay una plantilla "${input.templateKey}" para ${channel}`), [{ path: 'template', reason: t('unknown template', 'plantilla desconocida') }]);
  }
  const recipient = channel === 'email' ? debtor.email : channel === 'sms' ? debtor.phone : (debtor.whatsapp ?? debtor.phone);
  if (!recipient) throw new AppError('validation_failed', t(`debtor "${debtor.externalId}" has no address for ${channel}`, `el deudor "${debtor.externalId}" no tiene dirección para ${channel}`), [{ path: 'channel', reason: t('no address', 'sin dirección') }]);

  const key = `manual:${input.idempotencyKey ?? randomUUID()}`;
  const [existing] = await ctx.database.db
    .select()
    .from(outboxMessages)
    .where(and(eq(outboxMessages.companyId, ctx.companyId), eq(outboxMessages.idempotencyKey, key)));
  if (existing) return { status: existing.status === 'pending' && existing.nextAttemptAt > ctx.clock.now() ? 'scheduled' : 'queued', message_id: existing.id, rule: existing.gateRule ?? 'allowed', reason: say(t('already sent', 'ya enviado'), language), reason_code: null, next_allowed_at: null };

  const now = ctx.clock.now();
  const today = await companyToday(ctx);
  const settings = await loadAutomationSettings(ctx);
  const facts = (await loadGateFacts(ctx, [debtor.id], { onDate: today, since: new Date(now.getTime() - HISTORY_DAYS * 86_400_000) })).get(debtor.id)!;
  const judged = judgeContactStable(contactRulesResolver(settings)(debtor.country), { timeZone: debtor.timeZone }, facts, channel as Channel, now);
  const when = judged.allowed ? now : judged.nextAllowedAt;
  const willSend = judged.allowed || (input.scheduleIfRefused === true && when !== null);
  // Read before the transaction: the embedded database serves one transaction at a time, so a read outside it from
  // inside would wait forever.
  const variables = willSend ? await messageVariables(ctx, debtor.id, debtor.name, today) : null;

  return ctx.database.db.transaction(async (tx) => {
    let messageId: number | null = null;
    if (willSend) {
      const [row] = await tx
        .insert(outboxMessages)
        .values({
          companyId: ctx.companyId,
          debtorId: debtor.id,
          channel,
          templateKey: input.templateKey,
          idempotencyKey: key,
          cause: `manual:${ctx.actor}`,
          causeDate: today,
          recipient,
          scheduledFor: when!,
          nextAttemptAt: when!,
          variables: variables ?? {},
          gateRule: judged.rule,
        })
        .returning({ id: outboxMessages.id });
      messageId = row!.id;
    }
    await tx.insert(contactDecisions).values({
      companyId: ctx.companyId,
      debtorId: debtor.id,
      outboxMessageId: messageId,
      channel,
      at: now,
      stage: 'plan',
      allowed: judged.allowed,
      rule: judged.rule,
      reason: storedReason(judged.reasonCode),
      nextAllowedAt: judged.nextAllowedAt,
      ruleSet: judged.ruleSet,
    });
    await recordAudit(ctx, { action: 'message.send_now', entity: 'debtor', entityId: debtor.externalId, after: { channel, template: input.templateKey, message_id: messageId, allowed: judged.allowed, rule: judged.rule } }, tx);
    return {
      status: judged.allowed ? 'queued' : messageId !== null ? 'scheduled' : 'refused',
      message_id: messageId,
      rule: judged.rule,
      reason: reasonText(judged.reasonCode, language),
      reason_code: judged.reasonCode.code,
      next_allowed_at: judged.nextAllowedAt?.toISOString() ?? null,
    };
  });
}

/** What the templates render from, like the strategies' variables: name, balances and overdue per currency, oldest due date. */
async function messageVariables(ctx: Ctx, debtorId: number, name: string, today: string): Promise<Record<string, unknown>> {
  const owed = await ctx.database.query<{ currency: string; total: string; overdue: string; oldest: string | null; contract: string | null }>(sql`
    SELECT currency, sum(balance)::text AS total, coalesce(sum(balance) FILTER (WHERE due_on < ${today}::date), 0)::text AS overdue,
           min(due_on)::text AS oldest, (array_agg(external_id ORDER BY due_on))[1] AS contract
      FROM obligations WHERE company_id = ${ctx.companyId} AND debtor_id = ${debtorId} AND balance > 0 GROUP BY currency ORDER BY currency`);
  const total: Record<string, string> = {};
  const overdue: Record<string, string> = {};
  for (const o of owed) {
    total[o.currency] = formatDecimal(BigInt(o.total), o.currency);
    if (BigInt(o.overdue) > 0n) overdue[o.currency] = formatDecimal(BigInt(o.overdue), o.currency);
  }
  const oldest = owed.map((o) => o.oldest).filter((d): d is string => d !== null).sort()[0];
  const contract = owed.find((o) => o.oldest === oldest)?.contract;
  return {
    debtor: { name, first_name: name.trim().split(/\s+/)[0] ?? name },
    amount: { total, overdue, minimum: overdue },
    ...(oldest ? { due_date: oldest, days_past_due: Math.round((Date.parse(today) - Date.parse(oldest)) / 86_400_000) } : {}),
    ...(contract ? { contract } : {}),
  };
}

async function debtorPortfolios(ctx: Ctx, debtorId: number, portfolio: string | undefined): Promise<string[]> {
  const rows = await ctx.database.db
    .select({ name: portfolios.name })
    .from(accounts)
    .innerJoin(portfolios, eq(portfolios.id, accounts.portfolioId))
    .where(and(eq(accounts.companyId, ctx.companyId), eq(accounts.debtorId, debtorId), portfolio ? eq(portfolios.name, portfolio) : sql`accounts.phase <> 'settled'`));
  if (rows.length === 0) throw new AppError('conflict', t(portfolio ? `the debtor has no account in portfolio "${portfolio}"` : 'the debtor has no open account; run the daily run first', portfolio ? `el deudor no tiene cuenta en la cartera "${portfolio}"` : 'el deudor no tiene una cuenta abierta; ejecute primero la corrida diaria'));
  return rows.map((r) => r.name);
}

function requireReason(reason: string): string {
  const r = reason.trim();
  if (!r) throw new AppError('validation_failed', t('a reason is required', 'se requiere un motivo'), [{ path: 'reason', reason: t('required', 'obligatorio') }]);
  if (r.length > 2000) throw new AppError('validation_failed', t('the reason is longer than 2000 characters', 'el motivo tiene más de 2000 caracteres'), [{ path: 'reason', reason: t('too long', 'demasiado largo') }]);
  return r;
}

/** Moves the debtor's open accounts (or one portfolio's) to a phase by hand, with the reason, audited together. */
async function movePhase(ctx: Ctx, input: { debtorExternalId: string; portfolio?: string | undefined; reason: string }, phase: 'judicial' | 'written_off' | 'extrajudicial', action: string, extra: Record<string, unknown> = {}) {
  const reason = requireReason(input.reason);
  const debtor = await debtorByExternalId(ctx, input.debtorExternalId);
  const names = await debtorPortfolios(ctx, debtor.id, input.portfolio);
  return inTransaction(ctx, async (txCtx, tx) => {
    for (const portfolio of names) await overridePhase(txCtx, { debtorExternalId: debtor.externalId, portfolio, phase, reason });
    await recordAudit(ctx, { action, entity: 'debtor', entityId: debtor.externalId, after: { phase, portfolios: names, reason, ...extra } }, tx);
    return { phase, portfolios: names };
  });
}

/** Sends the debtor to the judicial phase (lawsuit), by hand with a reason. */
export function sendToJudicial(ctx: Ctx, input: { debtorExternalId: string; portfolio?: string | undefined; reason: string }) {
  return movePhase(ctx, input, 'judicial', 'debtor.send_to_judicial');
}

/** Writes the debtor's accounts off (castigo), by hand with a reason; the permission accounts:write_off guards it. */
export function writeOff(ctx: Ctx, input: { debtorExternalId: string; portfolio?: string | undefined; reason: string }) {
  return movePhase(ctx, input, 'written_off', 'debtor.write_off');
}

/**
 * Places the debtor with an external agency (despacho; created if new): the access module's placement (one open at a
 * time) and the extrajudicial phase by hand, with the reason, in one transaction.
 */
export async function placeDebtorWithAgency(ctx: Ctx, input: { debtorExternalId: string; agency: string; portfolio?: string | undefined; reason: string }) {
  const reason = requireReason(input.reason);
  const agency = input.agency.trim();
  if (!agency || agency.length > 200) throw new AppError('validation_failed', t('name the agency (at most 200 characters)', 'indique el despacho (como máximo 200 caracteres)'), [{ path: 'agency', reason: t('required', 'obligatorio') }]);
  const debtor = await debtorByExternalId(ctx, input.debtorExternalId);
  const names = await debtorPortfolios(ctx, debtor.id, input.portfolio);
  return inTransaction(ctx, async (txCtx, tx) => {
    const placement = await placeWithAgency(txCtx, { debtorExternalId: debtor.externalId, agency, note: reason });
    for (const portfolio of names) await overridePhase(txCtx, { debtorExternalId: debtor.externalId, portfolio, phase: 'extrajudicial', reason: `Despacho ${agency}: ${reason}` });
    await recordAudit(ctx, { action: 'debtor.place_with_agency', entity: 'debtor', entityId: debtor.externalId, after: { agency, reason, portfolios: names } }, tx);
    return { agency: placement.agency, placed_at: placement.placed_at, phase: 'extrajudicial' as const, portfolios: names };
  });
}
