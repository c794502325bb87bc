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
 * 3. Render the template (and generate the files the row names, see attachments.ts: an email's attachments, a
 *    WhatsApp document) and call the channel's provider with the row's idempotency key, so a resend after a crash
 *    is recognisable as the same message. Rows go out in waves of `concurrency`: one statement renews the wave's
 *    leases right before its provider calls (a row this worker no longer holds is skipped), one records the wave's
 *    results, one logs its gate decisions — a few round trips per wave instead of several per message.
 *    A row with an earlier attempt, whose outcome may be unknown (its worker died, or the call timed out, after the
 *    request may have left), is first looked up at the provider when it can list what it accepted (`findAccepted`): a
 *    match no other row has recorded is recorded as this row's send, and nothing is sent again. First attempts make
 *    no lookup.
 * 4. Record the result. Only the worker holding the claim (same status and attempt number) can record it.
 *    A retryable ProviderError → 'pending' after an exponential backoff (or the provider's Retry-After when longer),
 *    up to the row's max attempts; then, or on a permanent error, 'failed' and the fallback channel's row.
 */
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { contactDecisions, outboxMessages } from '../../db/schema.ts';
import { dateInZone, type PlainDate } from '../../domain/calendar.ts';
import { reasonText, storedReason, type Channel as GateChannel, type ContactReason } from '../../domain/compliance/index.ts';
import type { Ctx } from '../shared/context.ts';
import { loadCompanyTemplates } from './company-templates.ts';
import { contactRulesResolver, type ResolvedRules } from './contact-rules.ts';
import { emptyGateFacts, factsForCause, HISTORY_DAYS, judgeContactStable, loadGateFacts, type GateFacts } from './gate.ts';
import { createFallback, type FallbackDebtor, type FallbackSource } from './outbox-fallback.ts';
import { FREE_FORM_CAUSE_PREFIX, judgeFreeFormReply, windowOf } from './free-form-reply.ts';
import { ProviderError, type AcceptedMessage, type Channel, type ChannelProvider, type OutboundMessage, type SendResult } from './ports.ts';
import { OPT_OUT_CAUSE_PREFIX, recordProviderEvent } from './record-provider-event.ts';
import { renderOutbound, type CompanyTemplates } from './render-message.ts';
import { withAttachments } from './attachments.ts';
import { portalLinkForRow } from './portal-link.ts';
import { loadAutomationSettings, type AutomationSettings } from './settings.ts';
import { bigintArray, intArray, textArray } from './sql.ts';

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
  /** Provider calls in flight at once: rows are sent in waves of this size (default 16). */
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
  /**
   * Of `sent`: rows whose earlier attempt had an unknown outcome, found already accepted by the provider and recorded
   * without sending again.
   */
  recovered: number;
}

/** A summary with every count at zero, to add rounds into. */
export function emptyDispatchSummary(): DispatchSummary {
  return { claimed: 0, sent: 0, retried: 0, failed: 0, refused: 0, deferred: 0, fallbacks: 0, lost: 0, recovered: 0 };
}

interface ClaimedRow extends FallbackSource {
  readonly channel: string;
  readonly recipient: string | null;
  readonly attempts: number;
  /** When the row was first due: no attempt of it can have reached the provider earlier. */
  readonly scheduledFor: Date;
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
  const summary = emptyDispatchSummary();
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

  await processBatch(env, claimed);
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
    -- Two index walks that stop after a batch (outbox_pending_idx, outbox_sending_idx), rather than sorting every due
    -- row: due rows oldest first, and rows whose claim ran out (a worker died between claim and result).
    WITH due AS (
      SELECT o.id, o.debtor_id, o.next_attempt_at FROM outbox_messages o
       WHERE o.company_id = ${ctx.companyId} AND o.status = 'pending' AND o.next_attempt_at <= ${now}::timestamptz
         AND o.channel = ANY(${textArray(o.channels)})
       ORDER BY o.next_attempt_at, o.id
       LIMIT ${o.limit * 4}
       FOR UPDATE SKIP LOCKED
    ), lapsed AS (
      SELECT o.id, o.debtor_id, o.next_attempt_at FROM outbox_messages o
       WHERE o.company_id = ${ctx.companyId} AND o.status = 'sending' AND o.lease_until < ${now}::timestamptz
         AND o.channel = ANY(${textArray(o.channels)})
       ORDER BY o.lease_until
       LIMIT ${o.limit}
       FOR UPDATE SKIP LOCKED
    ), cand AS (
      SELECT * FROM due UNION ALL SELECT * FROM lapsed
    ), busy AS (
      -- Debtors with a message in flight (claimed, lease running): read once from the small outbox_sending_idx. A
      -- candidate is never in it (it is pending, or its lease ran out).
      SELECT x.debtor_id FROM outbox_messages x
       WHERE x.company_id = ${ctx.companyId} AND x.status = 'sending' AND x.lease_until >= ${now}::timestamptz
    ), one_per_debtor AS (
      SELECT DISTINCT ON (c.debtor_id) c.id, c.next_attempt_at FROM cand c
       WHERE c.debtor_id NOT IN (SELECT debtor_id FROM busy)
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
              m.fallback_channel, m.fallback_of, m.variables, m.scheduled_for`);
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
    scheduledFor: new Date(r.scheduled_for as string | Date),
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

/**
 * "The row is still in 'sending' with this attempt number", the condition that this worker still holds its claim,
 * written so that no index on `status` can serve it: the row is reached by its primary key. An index on status is
 * full of dead entries while dispatch churns (every claim and result moves a row), and statistics taken while few
 * rows are in flight make the planner prefer it, scanning thousands of entries to update one row.
 */
function stillSending(table: SQL, attempts: SQL | number): SQL {
  return sql`(CASE WHEN ${table}.status = 'sending' THEN ${table}.attempts END) = ${attempts}`;
}

/** Records the outcome of a claimed row, only if this worker still holds the claim. */
async function settle(env: Env, row: ClaimedRow, set: Partial<typeof outboxMessages.$inferInsert>): Promise<boolean> {
  const updated = await env.ctx.database.db
    .update(outboxMessages)
    .set({ ...set, leaseUntil: null, updatedAt: env.ctx.clock.now() })
    .where(and(eq(outboxMessages.id, row.id), stillSending(sql`${outboxMessages}`, row.attempts)))
    .returning({ id: outboxMessages.id });
  if (updated.length === 0) env.summary.lost++;
  return updated.length > 0;
}

/** A send-time gate decision: the contact gate's, a free-form reply's, or an opt-out confirmation's. */
type Judged = { allowed: boolean; rule: string; reasonCode: ContactReason; reason: string; nextAllowedAt: Date | null; ruleSet: string | null };

/** Confirming an opt-out is not a collection contact: allowed as such. */
const OPT_OUT_CONFIRMATION: ContactReason = { code: 'optout_confirmation' };

/** Logs the send-time gate decisions of rows, in one insert (reasons as data: reason.ts). */
async function logDecisions(env: Env, items: ReadonlyArray<{ row: ClaimedRow; judged: Judged }>): Promise<void> {
  if (items.length === 0) return;
  const now = env.ctx.clock.now();
  await env.ctx.database.db.insert(contactDecisions).values(
    items.map(({ row, judged: d }) => ({
      companyId: env.ctx.companyId,
      debtorId: row.debtorId,
      outboxMessageId: row.id,
      channel: row.channel,
      at: now,
      stage: 'dispatch',
      allowed: d.allowed,
      rule: d.rule,
      reason: storedReason(d.reasonCode),
      nextAllowedAt: d.nextAllowedAt,
      ruleSet: d.ruleSet,
      createdAt: now,
    })),
  );
}

async function fail(env: Env, row: ClaimedRow, debtor: DebtorRow | undefined, facts: GateFacts, reason: string): Promise<void> {
  if (!(await settle(env, row, { status: 'failed', failedAt: env.ctx.clock.now(), lastError: reason }))) return;
  env.summary.failed++;
  if (debtor && (await createFallback(env.ctx, row, debtor, env.rulesFor(debtor.country), facts, env.today))) env.summary.fallbacks++;
}

/** A claimed row judged and rendered, ready for the provider. */
interface Ready {
  readonly row: ClaimedRow;
  readonly debtor: DebtorRow;
  readonly facts: GateFacts;
  readonly judged: Judged;
  readonly message: OutboundMessage;
}

/**
 * Judges and renders every claimed row (no I/O), settles the rows that are not sent (refused, deferred, not
 * renderable), then sends the rest in waves of `concurrency`: each wave's leases are renewed in one statement right
 * before its provider calls start (a row whose claim this worker lost is not sent), and the wave's results are
 * recorded in one statement, with their gate decisions in one insert.
 */
async function processBatch(env: Env, claimed: readonly ClaimedRow[]): Promise<void> {
  const now = env.ctx.clock.now();
  const ready: Ready[] = [];
  for (const row of claimed) {
    const debtor = env.debtors.get(row.debtorId);
    const facts = env.gate.get(row.debtorId) ?? emptyGateFacts();
    if (!debtor) {
      await fail(env, row, undefined, facts, 'the debtor no longer exists');
      continue;
    }
    const rules = env.rulesFor(debtor.country);
    // Confirming an opt-out is not a collection contact and must reach the debtor on the channel they just left.
    // A free-form reply answers the debtor inside the window their message opened: judged by its own gate.
    // Anything else is judged with the holds that apply to its cause (a plan's obligations, a notice: gate.ts).
    const judged = row.cause.startsWith(OPT_OUT_CAUSE_PREFIX)
      ? { allowed: true, nextAllowedAt: null, rule: 'optout.confirmation', reasonCode: OPT_OUT_CONFIRMATION, reason: reasonText(OPT_OUT_CONFIRMATION, 'es'), ruleSet: null }
      : row.cause.startsWith(FREE_FORM_CAUSE_PREFIX)
        ? judgeFreeFormReply(facts, row.channel, windowOf(row.variables), now)
        : judgeContactStable(rules, debtor, factsForCause(facts, row.cause), row.channel as GateChannel, now, row.id);
    if (!judged.allowed) {
      if (judged.nextAllowedAt === null) {
        if (!(await settle(env, row, { status: 'refused', gateRule: judged.rule, lastError: storedReason(judged.reasonCode) }))) continue;
        env.summary.refused++;
        await logDecisions(env, [{ row, judged }]);
        if (await createFallback(env.ctx, row, debtor, rules, facts, env.today)) env.summary.fallbacks++;
        continue;
      }
      // Not an attempt: the provider was never called.
      if (!(await settle(env, row, { status: 'pending', nextAttemptAt: judged.nextAllowedAt, attempts: row.attempts - 1, gateRule: judged.rule }))) continue;
      env.summary.deferred++;
      await logDecisions(env, [{ row, judged }]);
      continue;
    }
    const portalLink = await portalLinkForRow(env.ctx, row, env.settings, env.companyTemplates);
    const rendered = renderOutbound(row, { settings: env.settings, companyTemplates: env.companyTemplates, debtorExternalId: debtor.externalId, today: env.today, debtorAddressLines: debtor.addressLines, portalLink });
    // Files named by the row (e.g. the written agreement) are generated now, from the data as it is at sending.
    const attached = rendered.ok ? await withAttachments(env.ctx, row, rendered) : rendered;
    if (!attached.ok) {
      await fail(env, row, debtor, facts, attached.reason);
      continue;
    }
    ready.push({ row, debtor, facts, judged, message: attached.message });
  }
  const size = Math.max(1, env.options.concurrency ?? 16);
  const waves: Ready[][] = [];
  for (let i = 0; i < ready.length; i += size) waves.push(ready.slice(i, i + size));
  if (waves.length === 0) return;
  // A batch can outlive its lease (slow database, large batch); another worker may then have reclaimed a row.
  // Each wave's leases are renewed just before its provider calls, only where this worker still holds them, so two
  // live workers never both send: the one that lost a claim skips that row. The renewal of the next wave travels in
  // the same statement that records the results of the previous one: one round trip (one commit) per wave.
  let held = (await recordAndRenew(env, [], waves[0]!)).renewed;
  for (let i = 0; i < waves.length; i++) {
    const wave = waves[i]!;
    const live = wave.filter((r) => held.has(r.row.id));
    env.summary.lost += wave.length - live.length;
    const outcomes = await Promise.all(
      live.map(async (r) => {
        const provider = env.options.providers[r.row.channel as Channel]!;
        try {
          return { r, provider, ...(await deliver(env, r, provider)), error: null };
        } catch (error) {
          return { r, provider, result: null, found: null, error };
        }
      }),
    );
    const sent = outcomes
      .filter((o) => o.result !== null)
      .map((o) => ({ ready: o.r, provider: o.provider.name, providerMessageId: o.result!.providerMessageId, acceptedAt: o.found?.acceptedAt ?? null }));
    const { recorded, renewed, at } = await recordAndRenew(env, sent, waves[i + 1] ?? []);
    held = renewed;
    // A row whose result another worker recorded first (its lease had run out) is not counted as sent here.
    env.summary.lost += sent.length - recorded.size;
    env.summary.sent += recorded.size;
    for (const o of sent) if (recorded.has(o.ready.row.id)) o.ready.facts.history.push({ outboxId: o.ready.row.id, channel: o.ready.row.channel as GateChannel, at: o.acceptedAt ?? at, outcome: 'attempt' });
    for (const o of outcomes) {
      if (o.error !== null) await providerFailed(env, o.r, o.provider.name, o.error);
      else if (o.found && recorded.has(o.r.row.id)) {
        env.summary.recovered++;
        if (o.found.delivery) await recordProviderEvent(env.ctx, { event: o.found.delivery, provider: o.provider.name });
      }
    }
  }
}

/**
 * Sends a ready row, unless an earlier attempt of it, whose outcome is unknown, was already accepted by the provider:
 * then that message is this row's send and nothing goes out. Only rows with an earlier attempt are looked up (and
 * only at providers that can), so a first attempt is one provider call.
 */
async function deliver(env: Env, r: Ready, provider: ChannelProvider): Promise<{ result: SendResult; found: AcceptedMessage | null }> {
  if (r.row.attempts > 1 && provider.findAccepted) {
    const found = await unrecordedMatch(env, r.row, await provider.findAccepted(r.message, { since: r.row.scheduledFor }));
    if (found) return { result: found, found };
  }
  return { result: await provider.send(r.message), found: null };
}

/** The oldest match that no other outbox row has recorded (one with the same content may have been sent for another row). */
async function unrecordedMatch(env: Env, row: ClaimedRow, matches: readonly AcceptedMessage[]): Promise<AcceptedMessage | null> {
  if (matches.length === 0) return null;
  // By id alone, whichever company recorded it: a provider's message ids are unique.
  const taken = await env.ctx.database.query<{ id: string }>(sql`
    SELECT provider_message_id AS id FROM outbox_messages
     WHERE provider_message_id = ANY(${textArray(matches.map((m) => m.providerMessageId))}) AND channel = ${row.channel} AND id <> ${row.id}`);
  const ids = new Set(taken.map((t) => t.id));
  return matches.find((m) => !ids.has(m.providerMessageId)) ?? null;
}

interface SentRow {
  readonly ready: Ready;
  readonly provider: string;
  readonly providerMessageId: string;
  /** When the provider accepted a message found by a lookup; the send is recorded at that instant. */
  readonly acceptedAt: Date | null;
}

/**
 * One statement: records the sent rows this worker still holds (status, provider id, payload) with their send-time
 * gate decisions, and renews the leases of the next wave's rows this worker still holds. Returns both sets of ids.
 */
async function recordAndRenew(env: Env, sent: readonly SentRow[], next: readonly Ready[]): Promise<{ recorded: Set<number>; renewed: Set<number>; at: Date }> {
  const now = env.ctx.clock.now();
  const at = now.toISOString();
  const until = new Date(now.getTime() + (env.options.leaseMs ?? 300_000)).toISOString();
  if (sent.length === 0 && next.length === 0) return { recorded: new Set(), renewed: new Set(), at: now };
  const rows = await env.ctx.database.query<{ kind: string; id: string | number }>(sql`
    WITH v AS (
      SELECT * FROM unnest(${bigintArray(sent.map((o) => o.ready.row.id))}, ${intArray(sent.map((o) => o.ready.row.attempts))},
                           ${textArray(sent.map((o) => o.provider))}, ${textArray(sent.map((o) => o.providerMessageId))},
                           ${textArray(sent.map((o) => JSON.stringify(payloadOf(o.ready.message))))}, ${textArray(sent.map((o) => o.ready.judged.rule))},
                           ${textArray(sent.map((o) => storedReason(o.ready.judged.reasonCode)))}, ${textArray(sent.map((o) => o.ready.judged.ruleSet ?? ''))},
                           ${textArray(sent.map((o) => o.acceptedAt?.toISOString() ?? ''))})
             AS v(id, attempts, provider, provider_message_id, payload, rule, reason, rule_set, accepted_at)
    ), sent AS (
      UPDATE outbox_messages m
         SET status = 'sent', provider = v.provider, provider_message_id = v.provider_message_id,
             sent_at = coalesce(nullif(v.accepted_at, '')::timestamptz, ${at}::timestamptz),
             payload = v.payload::jsonb, gate_rule = v.rule, last_error = NULL, lease_until = NULL, updated_at = ${at}::timestamptz
        FROM v WHERE m.id = v.id AND ${stillSending(sql`m`, sql`v.attempts`)}
      RETURNING m.id, m.debtor_id, m.channel, v.rule, v.reason, v.rule_set
    ), logged AS (
      INSERT INTO contact_decisions (company_id, debtor_id, outbox_message_id, channel, at, stage, allowed, rule, reason, next_allowed_at, rule_set, created_at)
      SELECT ${env.ctx.companyId}, s.debtor_id, s.id, s.channel, ${at}::timestamptz, 'dispatch', true, s.rule, s.reason, ${at}::timestamptz,
             nullif(s.rule_set, ''), ${at}::timestamptz
        FROM sent s
    ), renewed AS (
      UPDATE outbox_messages m SET lease_until = ${until}::timestamptz, updated_at = ${at}::timestamptz
        FROM unnest(${bigintArray(next.map((r) => r.row.id))}, ${intArray(next.map((r) => r.row.attempts))}) AS n(id, attempts)
       WHERE m.id = n.id AND ${stillSending(sql`m`, sql`n.attempts`)} AND m.lease_until >= ${at}::timestamptz
      RETURNING m.id
    )
    SELECT 'sent' AS kind, id FROM sent UNION ALL SELECT 'renewed', id FROM renewed`);
  const recorded = new Set<number>();
  const renewed = new Set<number>();
  for (const r of rows) (r.kind === 'sent' ? recorded : renewed).add(Number(r.id));
  return { recorded, renewed, at: now };
}

/** A provider error: retried after a backoff while attempts remain and it is retryable; otherwise failed, with its fallback. */
async function providerFailed(env: Env, r: Ready, providerName: string, error: unknown): Promise<void> {
  const { row, debtor, facts } = r;
  const retryable = error instanceof ProviderError ? error.retryable : true;
  const message = error instanceof Error ? error.message : String(error);
  if (retryable && row.attempts < row.maxAttempts) {
    const base = env.options.backoffMs ?? 30_000;
    const cap = env.options.maxBackoffMs ?? 3_600_000;
    let delay = Math.min(cap, base * 2 ** (row.attempts - 1));
    if (error instanceof ProviderError && error.retryAfterMs !== null) delay = Math.max(delay, error.retryAfterMs);
    if (await settle(env, row, { status: 'pending', nextAttemptAt: new Date(env.ctx.clock.now().getTime() + delay), lastError: message, provider: providerName })) env.summary.retried++;
    return;
  }
  await fail(env, row, debtor, facts, `${providerName}: ${message}`);
}

/** What was handed to the provider, kept for the timeline (files are named, their bytes left out). */
function payloadOf(message: OutboundMessage): Record<string, unknown> {
  const named = ({ filename, contentType }: { filename: string; contentType: string }) => ({ filename, contentType });
  if (message.channel === 'email') {
    const { attachments, ...rest } = message;
    return { ...rest, ...(attachments ? { attachments: attachments.map(named) } : {}) };
  }
  if (message.channel === 'whatsapp') {
    const { template, document, ...rest } = message;
    const { headerDocument, ...approved } = template ?? {};
    return {
      ...rest,
      ...(template ? { template: { ...approved, ...(headerDocument ? { headerDocument: named(headerDocument) } : {}) } } : {}),
      ...(document ? { document: { ...named(document), ...(document.caption !== undefined ? { caption: document.caption } : {}) } } : {}),
    };
  }
  return { ...message };
}
