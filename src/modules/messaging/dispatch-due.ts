/**
 * Dispatch: sends the outbox rows that are due.
 *
 * 1. Claim with one conditional UPDATE: due pending rows (and rows left in 'sending' past their lease — a worker
 *    died between claim and result) become 'sending' with attempts + 1 and a new lease. Candidates are locked with
 *    FOR UPDATE SKIP LOCKED, so concurrent workers never claim the same row; at most one row per debtor is claimed at
 *    a time (and a debtor with a row in flight is skipped), so the gate's frequency caps see every earlier contact.
 * 2. Re-check the gate at send time (holds, opt-outs and the history may have changed since planning): refused for
 *    good → 'refused' and the fallback; refused for now → back to 'pending' at the next allowed instant (not an
 *    attempt).
 * 3. Render the template and call the channel's provider with the row's idempotency key, so a resend after a crash
 *    is recognisable as the same message.
 * 4. Record the result. Only the worker holding the claim (same status and attempt number) can record it.
 *    A retryable ProviderError → 'pending' after an exponential backoff (or the provider's Retry-After when longer),
 *    up to the row's max attempts; then, or on a permanent error, 'failed' and the fallback channel's row.
 */
import { and, eq, gte, sql } from 'drizzle-orm';
import { contactDecisions, outboxMessages, templates } from '../../db/schema.ts';
import { dateInZone, type PlainDate } from '../../domain/calendar.ts';
import type { Channel as GateChannel } from '../../domain/compliance/index.ts';
import type { Template, TemplateChannel, TemplateLanguage } from '../../domain/templates/index.ts';
import type { Ctx } from '../shared/context.ts';
import { contactRulesResolver, type ResolvedRules } from './contact-rules.ts';
import { emptyGateFacts, HISTORY_DAYS, judgeContactStable, loadGateFacts, type GateFacts } from './gate.ts';
import { createFallback, type FallbackDebtor, type FallbackSource } from './outbox-fallback.ts';
import { ProviderError, type Channel, type ChannelProvider, type OutboundMessage } from './ports.ts';
import { OPT_OUT_CAUSE_PREFIX } from './record-provider-event.ts';
import { renderOutbound, type CompanyTemplates } from './render-message.ts';
import { loadAutomationSettings, type AutomationSettings } from './settings.ts';
import { bigintArray, textArray } from './sql.ts';

/** The provider for each channel; channels without one are not dispatched (their rows wait). */
export type ProviderRegistry = Partial<Record<Channel, ChannelProvider>>;

export interface DispatchOptions {
  providers: ProviderRegistry;
  /** Most rows claimed in this call (default 100). */
  limit?: number;
  /** How long a claim lasts before another worker may take the row over (default 5 minutes). */
  leaseMs?: number;
  /** First retry delay; doubled at each attempt (default 30 s). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Provider calls in flight at once (default 8). */
  concurrency?: number;
}

export interface DispatchSummary {
  claimed: number;
  sent: number;
  /** Rescheduled after a retryable provider error. */
  retried: number;
  failed: number;
  /** Refused for good by the gate at send time. */
  refused: number;
  /** Moved by the gate to a later instant. */
  deferred: number;
  fallbacks: number;
  /** Claimed rows whose result another worker recorded first (their lease had expired). */
  lost: number;
}

interface ClaimedRow extends FallbackSource {
  readonly channel: string;
  readonly recipient: string | null;
  readonly attempts: number;
}

interface DebtorRow extends FallbackDebtor {
  readonly id: number;
  readonly externalId: string;
  readonly country: string;
  /** Postal address, one line each (for letters). */
  readonly addressLines: readonly string[];
}

type Raw = Record<string, unknown>;

const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Claims and sends up to `limit` due messages; returns what happened to them. */
export async function dispatchDue(ctx: Ctx, options: DispatchOptions): Promise<DispatchSummary> {
  const summary: DispatchSummary = { claimed: 0, sent: 0, retried: 0, failed: 0, refused: 0, deferred: 0, fallbacks: 0, lost: 0 };
  const channels = (Object.keys(options.providers) as Channel[]).filter((c) => options.providers[c]);
  if (channels.length === 0) return summary;
  const now = ctx.clock.now();
  const claimed = await claim(ctx, { channels, now, limit: options.limit ?? 100, leaseMs: options.leaseMs ?? 300_000 });
  summary.claimed = claimed.length;
  if (claimed.length === 0) return summary;

  const settings = await loadAutomationSettings(ctx);
  const today = dateInZone(now, settings.timeZone);
  const rulesFor = contactRulesResolver(settings);
  const debtorIds = [...new Set(claimed.map((r) => r.debtorId))];
  const debtors = await loadDebtors(ctx, debtorIds);
  const gate = await loadGateFacts(ctx, debtorIds, { onDate: today, since: new Date(now.getTime() - HISTORY_DAYS * 86_400_000) });
  const companyTemplates = await loadCompanyTemplates(ctx);
  const env: Env = { ctx, options, settings, today, rulesFor, debtors, gate, companyTemplates, summary };

  const queue = [...claimed];
  const workers = Array.from({ length: Math.min(options.concurrency ?? 8, queue.length) }, async () => {
    for (let row = queue.shift(); row; row = queue.shift()) await processRow(env, row);
  });
  await Promise.all(workers);
  return summary;
}

interface Env {
  ctx: Ctx;
  options: DispatchOptions;
  settings: AutomationSettings;
  today: PlainDate;
  rulesFor: (country: string) => ResolvedRules;
  debtors: Map<number, DebtorRow>;
  gate: Map<number, GateFacts>;
  companyTemplates: CompanyTemplates;
  summary: DispatchSummary;
}

async function claim(ctx: Ctx, o: { channels: Channel[]; now: Date; limit: number; leaseMs: number }): Promise<ClaimedRow[]> {
  const now = o.now.toISOString();
  const leaseUntil = new Date(o.now.getTime() + o.leaseMs).toISOString();
  const rows = await ctx.database.query<Raw>(sql`
    WITH cand AS (
      SELECT o.id, o.debtor_id, o.next_attempt_at FROM outbox_messages o
       WHERE o.company_id = ${ctx.companyId} AND o.channel = ANY(${textArray(o.channels)})
         AND ((o.status = 'pending' AND o.next_attempt_at <= ${now}::timestamptz)
           OR (o.status = 'sending' AND o.lease_until < ${now}::timestamptz))
       ORDER BY o.next_attempt_at, o.id
       LIMIT ${o.limit * 4}
       FOR UPDATE SKIP LOCKED
    ), one_per_debtor AS (
      SELECT DISTINCT ON (c.debtor_id) c.id, c.next_attempt_at FROM cand c
       WHERE NOT EXISTS (SELECT 1 FROM outbox_messages x
                          WHERE x.debtor_id = c.debtor_id AND x.id <> c.id AND x.status = 'sending' AND x.lease_until >= ${now}::timestamptz)
         AND pg_try_advisory_xact_lock(7261004, (c.debtor_id % 2147483647)::int)
       ORDER BY c.debtor_id, c.next_attempt_at, c.id
    ), pick AS (
      SELECT id FROM one_per_debtor ORDER BY next_attempt_at, id LIMIT ${o.limit}
    )
    UPDATE outbox_messages m
       SET status = 'sending', attempts = m.attempts + 1, lease_until = ${leaseUntil}::timestamptz, updated_at = ${now}::timestamptz
      FROM pick WHERE m.id = pick.id
    RETURNING m.id, m.debtor_id, m.portfolio_id, m.strategy_id, m.strategy_version_id, m.step_id, m.channel, m.template_key,
              m.language, m.idempotency_key, m.cause, m.cause_date::text AS cause_date, m.recipient, m.attempts, m.max_attempts,
              m.fallback_channel, m.fallback_of, m.variables`);
  return rows.map((r) => ({
    id: num(r.id),
    debtorId: num(r.debtor_id),
    portfolioId: numOrNull(r.portfolio_id),
    strategyId: numOrNull(r.strategy_id),
    strategyVersionId: numOrNull(r.strategy_version_id),
    stepId: (r.step_id as string | null) ?? null,
    channel: r.channel as string,
    templateKey: r.template_key as string,
    language: r.language as string,
    idempotencyKey: r.idempotency_key as string,
    cause: r.cause as string,
    causeDate: r.cause_date as string,
    recipient: (r.recipient as string | null) ?? null,
    attempts: num(r.attempts),
    maxAttempts: num(r.max_attempts),
    fallbackChannel: (r.fallback_channel as string | null) ?? null,
    fallbackOf: numOrNull(r.fallback_of),
    variables: (r.variables as Record<string, unknown>) ?? {},
  }));
}

async function loadDebtors(ctx: Ctx, ids: number[]): Promise<Map<number, DebtorRow>> {
  const rows = await ctx.database.query<Raw>(sql`
    SELECT id, external_id, name, country::text AS country, time_zone, email, phone, whatsapp, region, city, postal_code, attributes FROM debtors
     WHERE company_id = ${ctx.companyId} AND id = ANY(${bigintArray(ids)})`);
  return new Map(
    rows.map((r) => [
      num(r.id),
      {
        id: num(r.id),
        externalId: r.external_id as string,
        name: r.name as string,
        country: r.country as string,
        timeZone: r.time_zone as string,
        email: (r.email as string | null) ?? null,
        phone: (r.phone as string | null) ?? null,
        whatsapp: (r.whatsapp as string | null) ?? null,
        addressLines: postalAddressLines(r),
      },
    ]),
  );
}

/** Attribute keys (from the portfolio file) that hold the street part of a postal address, first found wins. */
const STREET_ATTRIBUTES = ['address', 'direccion', 'domicilio', 'calle', 'street'];
const DISTRICT_ATTRIBUTES = ['colonia', 'barrio', 'comuna', 'district'];

/** The debtor's postal address as printed on a letter: street, district, "postal code city", region. */
function postalAddressLines(r: Raw): string[] {
  const attributes = (r.attributes as Record<string, string> | null) ?? {};
  const pick = (keys: string[]) => keys.map((k) => attributes[k]?.trim()).find((v) => v);
  const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  const cityLine = [text(r.postal_code), text(r.city)].filter(Boolean).join(' ');
  return [pick(STREET_ATTRIBUTES), pick(DISTRICT_ATTRIBUTES), cityLine || undefined, text(r.region)].filter((l): l is string => l !== undefined);
}

async function loadCompanyTemplates(ctx: Ctx): Promise<CompanyTemplates> {
  const rows = await ctx.database.db.select().from(templates).where(eq(templates.companyId, ctx.companyId));
  const byKey = new Map(rows.map((t) => [`${t.key}|${t.channel}|${t.language}`, { key: t.key, channel: t.channel, language: t.language, content: t.content } as unknown as Template]));
  return (key: string, channel: TemplateChannel, language: TemplateLanguage) => byKey.get(`${key}|${channel}|${language}`);
}

/** Extends this worker's claim on a row; false when the lease already ran out or another worker took the row. */
async function renewLease(env: Env, row: ClaimedRow): Promise<boolean> {
  const now = env.ctx.clock.now();
  const renewed = await env.ctx.database.db
    .update(outboxMessages)
    .set({ leaseUntil: new Date(now.getTime() + (env.options.leaseMs ?? 300_000)), updatedAt: now })
    .where(
      and(
        eq(outboxMessages.id, row.id),
        eq(outboxMessages.status, 'sending'),
        eq(outboxMessages.attempts, row.attempts),
        gte(outboxMessages.leaseUntil, now),
      ),
    )
    .returning({ id: outboxMessages.id });
  return renewed.length > 0;
}

/** Records the outcome of a claimed row, only if this worker still holds the claim. */
async function settle(env: Env, row: ClaimedRow, set: Partial<typeof outboxMessages.$inferInsert>): Promise<boolean> {
  const updated = await env.ctx.database.db
    .update(outboxMessages)
    .set({ ...set, leaseUntil: null, updatedAt: env.ctx.clock.now() })
    .where(and(eq(outboxMessages.id, row.id), eq(outboxMessages.status, 'sending'), eq(outboxMessages.attempts, row.attempts)))
    .returning({ id: outboxMessages.id });
  if (updated.length === 0) env.summary.lost++;
  return updated.length > 0;
}

async function logDecision(env: Env, row: ClaimedRow, d: { allowed: boolean; rule: string; reason: string; nextAllowedAt: Date | null; ruleSet: string | null }): Promise<void> {
  const now = env.ctx.clock.now();
  await env.ctx.database.db.insert(contactDecisions).values({
    companyId: env.ctx.companyId,
    debtorId: row.debtorId,
    outboxMessageId: row.id,
    channel: row.channel,
    at: now,
    stage: 'dispatch',
    allowed: d.allowed,
    rule: d.rule,
    reason: d.reason,
    nextAllowedAt: d.nextAllowedAt,
    ruleSet: d.ruleSet,
    createdAt: now,
  });
}

async function fail(env: Env, row: ClaimedRow, debtor: DebtorRow | undefined, facts: GateFacts, reason: string): Promise<void> {
  if (!(await settle(env, row, { status: 'failed', failedAt: env.ctx.clock.now(), lastError: reason }))) return;
  env.summary.failed++;
  if (debtor && (await createFallback(env.ctx, row, debtor, env.rulesFor(debtor.country), facts, env.today))) env.summary.fallbacks++;
}

async function processRow(env: Env, row: ClaimedRow): Promise<void> {
  const now = env.ctx.clock.now();
  const debtor = env.debtors.get(row.debtorId);
  const facts = env.gate.get(row.debtorId) ?? emptyGateFacts();
  if (!debtor) {
    await fail(env, row, undefined, facts, 'the debtor no longer exists');
    return;
  }
  const rules = env.rulesFor(debtor.country);
  // Confirming an opt-out is not a collection contact and must reach the debtor on the channel they just left.
  const judged = row.cause.startsWith(OPT_OUT_CAUSE_PREFIX)
    ? { allowed: true, nextAllowedAt: null, rule: 'optout.confirmation', reason: 'Confirmación de baja solicitada por el deudor; no es un contacto de cobranza.', ruleSet: null }
    : judgeContactStable(rules, debtor, facts, row.channel as GateChannel, now, row.id);
  if (!judged.allowed) {
    if (judged.nextAllowedAt === null) {
      if (!(await settle(env, row, { status: 'refused', gateRule: judged.rule, lastError: judged.reason }))) return;
      env.summary.refused++;
      await logDecision(env, row, judged);
      if (await createFallback(env.ctx, row, debtor, rules, facts, env.today)) env.summary.fallbacks++;
      return;
    }
    // Not an attempt: the provider was never called.
    if (!(await settle(env, row, { status: 'pending', nextAttemptAt: judged.nextAllowedAt, attempts: row.attempts - 1, gateRule: judged.rule }))) return;
    env.summary.deferred++;
    await logDecision(env, row, judged);
    return;
  }

  const rendered = renderOutbound(row, { settings: env.settings, companyTemplates: env.companyTemplates, debtorExternalId: debtor.externalId, today: env.today, debtorAddressLines: debtor.addressLines });
  if (!rendered.ok) {
    await fail(env, row, debtor, facts, rendered.reason);
    return;
  }
  const provider = env.options.providers[row.channel as Channel]!;
  // A batch can outlive its lease (slow database, large batch); another worker may then have reclaimed the row.
  // Renewing the lease just before the provider call, only if this worker still holds it, keeps two live workers
  // from both sending: the one that lost the claim stops here.
  if (!(await renewLease(env, row))) {
    env.summary.lost++;
    return;
  }
  try {
    const result = await provider.send(rendered.message);
    const recorded = await settle(env, row, {
      status: 'sent',
      provider: provider.name,
      providerMessageId: result.providerMessageId,
      sentAt: env.ctx.clock.now(),
      payload: payloadOf(rendered.message),
      gateRule: judged.rule,
      lastError: null,
    });
    if (!recorded) return;
    env.summary.sent++;
    facts.history.push({ outboxId: row.id, channel: row.channel as GateChannel, at: now, outcome: 'attempt' });
    await logDecision(env, row, judged);
  } catch (error) {
    const retryable = error instanceof ProviderError ? error.retryable : true;
    const message = error instanceof Error ? error.message : String(error);
    if (retryable && row.attempts < row.maxAttempts) {
      const base = env.options.backoffMs ?? 30_000;
      const cap = env.options.maxBackoffMs ?? 3_600_000;
      let delay = Math.min(cap, base * 2 ** (row.attempts - 1));
      if (error instanceof ProviderError && error.retryAfterMs !== null) delay = Math.max(delay, error.retryAfterMs);
      if (await settle(env, row, { status: 'pending', nextAttemptAt: new Date(env.ctx.clock.now().getTime() + delay), lastError: message, provider: provider.name })) env.summary.retried++;
      return;
    }
    await fail(env, row, debtor, facts, `${provider.name}: ${message}`);
  }
}

/** What was handed to the provider, kept for the timeline (attachments are left out). */
function payloadOf(message: OutboundMessage): Record<string, unknown> {
  if (message.channel === 'email') {
    const { attachments, ...rest } = message;
    return { ...rest, ...(attachments ? { attachments: attachments.map((a) => ({ filename: a.filename, contentType: a.contentType })) } : {}) };
  }
  return { ...message };
}
