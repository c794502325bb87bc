/**
 * Contact activity for the back-office benchmark, so the dashboard's contact, collector and channel figures run over
 * a realistic volume: over the 90 days up to `now`, `messagesPerDebtor` outbox messages per debtor (SMS, WhatsApp,
 * email; sent, delivered, read, failed or refused, through one paused strategy per portfolio and its steps, a tenth
 * outside any strategy), replies from about 5% of the debtors' SMS and WhatsApp messages within 0–10 days, and one
 * interaction for three debtors in four by the collectors (outcomes of a collections floor; a promise for about one
 * in eight, kept, partially kept, broken or still open as of `now`).
 *
 * Every row is written by one set-based INSERT … SELECT over generate_series, with its "random" choices taken from
 * hashes of the row's position (hashint8), so every run writes the same rows, in time order as the product appends
 * them: 1M messages take seconds.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../src/db/connection.ts';

export interface ActivitySummary {
  messages: number;
  replies: number;
  interactions: number;
  promises: number;
  ms: number;
}

const DAYS = 90;
const STEPS = ['pre-5', 'due-0', 'late-3', 'late-10', 'late-30', 'ext-enter', 'ext-silent', 'jud-silent'];

/** A deterministic number in [0, 2³¹) from an integer SQL expression and a salt (a different salt, an independent draw). */
const draw = (expr: string, salt: number): SQL => sql.raw(`(hashint8((${expr}) * 1009 + ${salt})::bigint & 2147483647)`);

export async function seedActivity(database: Database, options: { companyId: number; collectorIds: readonly number[]; messagesPerDebtor: number; now: string }): Promise<ActivitySummary> {
  const started = performance.now();
  const c = options.companyId;
  const now = sql`${options.now}::timestamptz`;
  const tz = sql`(SELECT time_zone FROM companies WHERE id = ${c})`;
  const today = sql`(${now} AT TIME ZONE ${tz})::date`;
  /** An instant on local day `day` (a SQL date) between `fromHour` and `toHour`, never after `now`. */
  const during = (day: SQL, fromHour: number, toHour: number, r: SQL) =>
    sql`least(((${day})::timestamp + make_interval(secs => ${fromHour * 3600} + ${r} % ${(toHour - fromHour) * 3600})) AT TIME ZONE ${tz}, ${now} - interval '1 minute')`;
  const count = async (statement: SQL) => Number((await database.query<{ n: number }>(statement))[0]?.n ?? 0);

  await database.query(sql`
    INSERT INTO strategies (company_id, portfolio_id, name, description, status)
    SELECT ${c}, p.id, 'bench-' || p.name, 'back-office benchmark activity', 'paused' FROM portfolios p WHERE p.company_id = ${c}
    ON CONFLICT (company_id, name) DO NOTHING`);

  const messages = await count(sql`
    WITH home AS (
      SELECT o.debtor_id, min(o.portfolio_id) AS portfolio_id FROM obligations o WHERE o.company_id = ${c} GROUP BY o.debtor_id
    ), x AS (
      SELECT h.debtor_id, h.portfolio_id, d.phone, d.email, g.k, s.id AS strategy_id,
             ${draw('h.debtor_id * 64 + g.k', 1)} % ${DAYS} AS back, ${draw('h.debtor_id * 64 + g.k', 2)} AS r_time,
             ${draw('h.debtor_id * 64 + g.k', 3)} % 100 AS r_channel, ${draw('h.debtor_id * 64 + g.k', 4)} % 1000 AS r_status,
             ${draw('h.debtor_id * 64 + g.k', 5)} % 100 AS r_strategy, ${draw('h.debtor_id * 64 + g.k', 6)} AS r_step
        FROM home h JOIN debtors d ON d.id = h.debtor_id
        LEFT JOIN strategies s ON s.company_id = ${c} AND s.portfolio_id = h.portfolio_id AND s.name LIKE 'bench-%'
        CROSS JOIN generate_series(1, ${options.messagesPerDebtor}) g(k)
    ), y AS (
      SELECT x.*, CASE WHEN r_channel < 55 THEN 'sms' WHEN r_channel < 85 THEN 'whatsapp' ELSE 'email' END AS channel,
             ${during(sql`${today} - x.back::int`, 8, 20, sql`x.r_time`)} AS created
        FROM x
    )
    , ins AS (
      INSERT INTO outbox_messages (company_id, debtor_id, portfolio_id, strategy_id, step_id, channel, template_key, idempotency_key, cause, cause_date,
                                   recipient, scheduled_for, next_attempt_at, status, attempts, provider, provider_message_id, last_error,
                                   sent_at, delivered_at, read_at, failed_at, created_at, updated_at)
      SELECT ${c}, y.debtor_id, y.portfolio_id, CASE WHEN y.r_strategy < 90 THEN y.strategy_id END,
             CASE WHEN y.r_strategy < 90 THEN (${sql.param(STEPS)}::text[])[1 + y.r_step % ${STEPS.length}] END,
             y.channel, 'late_3_days', 'bench:' || y.debtor_id || ':' || y.k, 'obligation:bench', (y.created AT TIME ZONE ${tz})::date,
             CASE WHEN y.channel = 'email' THEN y.email ELSE y.phone END, y.created, y.created,
             CASE WHEN y.r_status < 10 THEN 'refused' WHEN y.r_status < 60 THEN 'failed' WHEN y.r_status < 150 THEN 'sent'
                  WHEN y.r_status >= 600 AND y.channel <> 'sms' THEN 'read' ELSE 'delivered' END,
             CASE WHEN y.r_status < 10 THEN 0 ELSE 1 END, 'bench', CASE WHEN y.r_status >= 35 THEN 'bench-' || y.debtor_id || '-' || y.k END,
             CASE WHEN y.r_status BETWEEN 10 AND 59 THEN 'provider refused the message' END,
             CASE WHEN y.r_status >= 35 THEN y.created + interval '40 seconds' END,
             CASE WHEN y.r_status >= 150 THEN y.created + interval '55 seconds' END,
             CASE WHEN y.r_status >= 600 AND y.channel <> 'sms' THEN least(y.created + make_interval(mins => (y.r_time % 600)::int), ${now}) END,
             CASE WHEN y.r_status BETWEEN 10 AND 59 THEN y.created + interval '2 minutes' END,
             y.created, y.created + interval '2 minutes'
        FROM y ORDER BY y.created
      RETURNING 1
    ) SELECT count(*)::int AS n FROM ins`);

  // Replies on the message's own channel, 0–10 days after sending (so some fall outside the dashboard's 7 days).
  const replies = await count(sql`
    WITH ins AS (
      INSERT INTO inbound_messages (company_id, debtor_id, channel, provider, provider_message_id, from_address, text, received_at, handled_at, created_at)
      SELECT m.company_id, m.debtor_id, m.channel, 'bench', 'bench-in-' || m.id, coalesce(m.recipient, 'desconocido'), 'ok, gracias', r.at, r.at + interval '1 hour', r.at
        FROM outbox_messages m
        CROSS JOIN LATERAL (SELECT m.sent_at + make_interval(secs => ${draw('m.id', 8)} % ${10 * 86_400}) AS at) r
       WHERE m.company_id = ${c} AND m.channel IN ('sms', 'whatsapp') AND m.sent_at IS NOT NULL AND m.provider = 'bench'
         AND ${draw('m.id', 7)} % 100 < 5 AND r.at <= ${now}
      RETURNING 1
    ) SELECT count(*)::int AS n FROM ins`);

  // One interaction for three debtors in four (so no debtor holds two open promises), by the collectors in turn.
  const [work] = await database.query<{ interactions: number; promises: number }>(sql`
    WITH x AS (
      SELECT d.id AS debtor_id, (SELECT min(o.portfolio_id) FROM obligations o WHERE o.debtor_id = d.id) AS portfolio_id,
             (${sql.param(options.collectorIds.map(String))}::bigint[])[1 + ${draw('d.id', 10)} % ${options.collectorIds.length}] AS collector_id,
             ${draw('d.id', 11)} % ${DAYS} AS back, ${draw('d.id', 12)} AS r_time, ${draw('d.id', 13)} % 100 AS r_channel,
             ${draw('d.id', 14)} % 100 AS r_outcome, ${draw('d.id', 15)} AS r_promise
        FROM debtors d WHERE d.company_id = ${c} AND ${draw('d.id', 9)} % 4 < 3
    ), y AS (
      SELECT x.*, ${during(sql`${today} - x.back::int`, 9, 19, sql`x.r_time`)} AS at,
             CASE WHEN r_channel < 85 THEN 'call' WHEN r_channel < 95 THEN 'whatsapp' ELSE 'note' END AS channel,
             CASE WHEN r_outcome < 45 THEN 'no_answer' WHEN r_outcome < 63 THEN 'contacted_debtor' WHEN r_outcome < 70 THEN 'contacted_third_party'
                  WHEN r_outcome < 75 THEN 'wrong_number' WHEN r_outcome < 87 AND r_channel < 95 THEN 'promise' WHEN r_outcome < 92 THEN 'refusal'
                  WHEN r_outcome < 98 THEN 'callback' ELSE 'dispute' END AS outcome
        FROM x
    ), z AS (
      SELECT y.*, (y.at AT TIME ZONE ${tz})::date AS taken_on, (y.at AT TIME ZONE ${tz})::date + (1 + (y.r_promise % 10)::int) AS promised_on,
             (y.r_promise % 451 + 50) * 1000 AS amount, y.r_promise % 100 AS r_outcome2
        FROM y
    ), p AS (
      INSERT INTO promises (company_id, debtor_id, portfolio_id, currency, amount, promised_on, taken_on, grace_until, channel, taken_by, actor, status, paid, resolved_on, created_at, updated_at)
      SELECT ${c}, z.debtor_id, z.portfolio_id, 'MXN', z.amount, z.promised_on, z.taken_on, z.promised_on + 2, 'phone', 'collector', 'user:' || z.collector_id,
             CASE WHEN z.promised_on + 2 >= ${today} THEN 'open' WHEN z.r_outcome2 < 45 THEN 'kept' WHEN z.r_outcome2 < 55 THEN 'partially_kept' ELSE 'broken' END,
             CASE WHEN z.promised_on + 2 >= ${today} THEN 0 WHEN z.r_outcome2 < 45 THEN z.amount WHEN z.r_outcome2 < 55 THEN z.amount / 2 ELSE 0 END,
             CASE WHEN z.promised_on + 2 >= ${today} THEN NULL WHEN z.r_outcome2 < 45 THEN z.promised_on ELSE z.promised_on + 3 END,
             z.at, CASE WHEN z.promised_on + 2 >= ${today} THEN z.at ELSE ((z.promised_on + 3)::timestamp + interval '7 hours') AT TIME ZONE ${tz} END
        FROM z WHERE z.outcome = 'promise'
      RETURNING id, debtor_id
    ), i AS (
      INSERT INTO interactions (company_id, debtor_id, portfolio_id, channel, outcome, notes, collector_id, actor, occurred_at, promise_amount, promise_currency, promise_date, promise_id, created_at)
      SELECT ${c}, z.debtor_id, z.portfolio_id, z.channel, z.outcome, NULL, z.collector_id, 'user:' || z.collector_id, z.at,
             CASE WHEN p.id IS NOT NULL THEN z.amount END, CASE WHEN p.id IS NOT NULL THEN 'MXN' END, CASE WHEN p.id IS NOT NULL THEN z.promised_on END, p.id, z.at
        FROM z LEFT JOIN p ON p.debtor_id = z.debtor_id ORDER BY z.at
      RETURNING promise_id
    ) SELECT count(*)::int AS interactions, count(promise_id)::int AS promises FROM i`);

  return { messages, replies, interactions: Number(work?.interactions ?? 0), promises: Number(work?.promises ?? 0), ms: Math.round(performance.now() - started) };
}
