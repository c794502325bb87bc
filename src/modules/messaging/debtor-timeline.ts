import { sql, type SQL } from 'drizzle-orm';
import { queryPrepared } from '../../db/prepared.ts';
import { dayIn, moneyIn } from '../../domain/reader-text.ts';
import { phaseName } from '../../domain/aging.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { visibleDebtorFilter } from '../access/index.ts';
import { bigintText, cursorText, int32 } from '../portfolio/queries/page.ts';
import { CHANNEL_LABELS, OUTCOME_LABELS } from '../worklists/interaction-codes.ts';
import type { Ctx } from '../shared/context.ts';
import { say, t, type Language, type Text } from '../../domain/text.ts';
import { parseStoredReason, storedReasonText } from '../../domain/compliance/index.ts';

/** The kinds of {@link TimelineEntry}. */
export const TIMELINE_KINDS = ['message', 'delivery', 'reply', 'refusal', 'task', 'phase', 'payment', 'hold', 'hold_released', 'portal', 'interaction', 'promise'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export interface TimelineEntry {
  at: Date;
  kind: TimelineKind;
  channel: string | null;
  /** What happened, for people, in the language asked for (English by default). */
  summary: string;
  /** The row behind the entry: outbox message, inbound message, decision, task, payment, hold, phase change or audit entry id. */
  ref: number;
  details: Record<string, unknown>;
}

type Raw = { at: string | Date; kind: TimelineKind; channel: string | null; ref: string | number; details: Record<string, unknown> };

/**
 * Everything that happened with a debtor, oldest first: every message (with its status), delivery statuses, replies,
 * refusals by the compliance gate, tasks, phase changes, payments, holds, and promises to pay approved, rejected or
 * cancelled. Events carry their instant; dated facts
 * (phase changes by date of run, payments by payment date, holds by start date) sit at the start of that day.
 */
export async function debtorTimeline(ctx: Ctx, options: { debtorExternalId: string; limit?: number | undefined; language?: Language | undefined }): Promise<TimelineEntry[]> {
  const { id, tz } = await timelineDebtor(ctx, options.debtorExternalId);
  const limit = Math.min(Math.max(options.limit ?? 1000, 1), 10_000);
  const rows = await ctx.database.query<Raw>(sql`
    SELECT * FROM (${timelineEvents(ctx.companyId, id, tz)}) x
    -- At one instant: each message before what the gate said about it, in the order the messages were written.
    ORDER BY at, seq, ${KIND_RANK}, ref
    LIMIT ${limit}`);
  return rows.map((r) => toEntry(r, options.language ?? 'en'));
}

/** A page of a debtor's timeline: entries oldest first, and the cursor for the entries before them (null at the start). */
export interface TimelinePage {
  entries: TimelineEntry[];
  before: string | null;
}

/**
 * The latest `limit` entries of a debtor's timeline (before `before`, a cursor from an earlier page, when given),
 * oldest first. Ties at one instant keep the order of {@link debtorTimeline}.
 */
export async function debtorTimelinePage(ctx: Ctx, options: { debtorId: number; timeZone: string; limit: number; before?: string | null | undefined; language?: Language | undefined }): Promise<TimelinePage> {
  const rows = await queryPrepared<TimelinePageRow>(ctx.database, timelinePageSql(ctx.companyId, options.debtorId, options.timeZone, options.limit, options.before));
  return timelinePageFrom(rows, options.limit, options.language);
}

/** A row of {@link timelinePageSql}. */
export type TimelinePageRow = Raw & { at_us: string | number; seq: string | number; kind_rank: number };

/**
 * The statement behind {@link debtorTimelinePage}: the debtor's entries newest first, one more than `limit` (so the
 * caller knows whether older ones exist). `debtorId` and `timeZone` may be SQL, for a read model that embeds it in a
 * larger statement; `limit` is written into the text (bounded), so a prepared statement keeps one plan.
 */
export function timelinePageSql(c: number, debtorId: number | SQL, timeZone: string | SQL, limit: number, before?: string | null): SQL {
  const n = Math.min(Math.max(Math.trunc(limit), 1), 10_000);
  const cursor = before ? decodeTimelineCursor(before) : null;
  return sql`
    SELECT * FROM (
      SELECT x.*, (extract(epoch FROM x.at) * 1000000)::bigint AS at_us, ${KIND_RANK} AS kind_rank
        FROM (${timelineEvents(c, debtorId, timeZone)}) x
    ) y
    ${cursor ? sql`WHERE (at_us, seq, kind_rank, ref, kind) < (${cursor[0]}::bigint, ${cursor[1]}::bigint, ${cursor[2]}::int, ${cursor[3]}::bigint, ${cursor[4]}::text)` : sql``}
    ORDER BY ${TIMELINE_PAGE_ORDER}
    LIMIT ${sql.raw(String(n + 1))}`;
}

/** Newest first: the order of {@link timelinePageSql}'s rows, for a caller aggregating them. */
export const TIMELINE_PAGE_ORDER = sql`at_us DESC, seq DESC, kind_rank DESC, ref DESC, kind DESC`;

/** The page from the rows of {@link timelinePageSql} (newest first, up to `limit` + 1), its summaries in `language`. */
export function timelinePageFrom(rows: readonly TimelinePageRow[], limit: number, language: Language = 'en'): TimelinePage {
  const page = rows.slice(0, Math.max(Math.trunc(limit), 1));
  const oldest = page[page.length - 1];
  return {
    entries: page.reverse().map((r) => toEntry(r, language)),
    before: rows.length > page.length && oldest ? encodeTimelineCursor([String(oldest.at_us), String(oldest.seq), oldest.kind_rank, String(oldest.ref), oldest.kind]) : null,
  };
}

/** The debtor's id (or not_found, also for a debtor the context may not see) and the company's time zone. */
export async function timelineDebtor(ctx: Ctx, debtorExternalId: string): Promise<{ id: number; tz: string }> {
  const [debtor] = await ctx.database.query<{ id: string | number; tz: string }>(sql`
    SELECT d.id, c.time_zone AS tz FROM debtors d JOIN companies c ON c.id = d.company_id
     WHERE d.company_id = ${ctx.companyId} AND d.external_id = ${debtorExternalId}
       AND ${visibleDebtorFilter(ctx, sql`d.id`) ?? sql`true`}`);
  if (!debtor) throw notFound('debtor', debtorExternalId);
  return { id: Number(debtor.id), tz: debtor.tz };
}

// At one instant: each message before what the gate said about it, in the order the messages were written.
const KIND_RANK = sql`CASE kind WHEN 'phase' THEN 0 WHEN 'payment' THEN 1 WHEN 'hold' THEN 2 WHEN 'hold_released' THEN 3 WHEN 'reply' THEN 4
                       WHEN 'message' THEN 5 WHEN 'refusal' THEN 6 WHEN 'delivery' THEN 7 ELSE 8 END`;

/**
 * Every event of the debtor as (at, kind, channel, ref, seq, details). Dated facts (a run's phase, a payment, a hold)
 * are placed at the start of their day in the company's zone `tz`.
 */
function timelineEvents(c: number, id: number | SQL, tz: string | SQL): SQL {
  return sql`
      SELECT m.created_at AS at, 'message' AS kind, m.channel, m.id AS ref, m.id AS seq,
             jsonb_build_object('status', m.status, 'template', m.template_key, 'step', m.step_id, 'scheduled_for', m.scheduled_for,
                                'sent_at', m.sent_at, 'rule', m.gate_rule, 'error', m.last_error, 'fallback_of', m.fallback_of) AS details
        FROM outbox_messages m WHERE m.company_id = ${c} AND m.debtor_id = ${id}
      UNION ALL
      SELECT e.at, 'delivery', m.channel, e.id, m.id, jsonb_build_object('status', e.status, 'message', m.id, 'detail', e.detail)
        FROM message_events e JOIN outbox_messages m ON m.id = e.outbox_message_id
       WHERE e.company_id = ${c} AND m.debtor_id = ${id}
      UNION ALL
      SELECT i.received_at, 'reply', i.channel, i.id, 0, jsonb_build_object('text', i.text, 'from', i.from_address, 'handled_at', i.handled_at)
        FROM inbound_messages i WHERE i.company_id = ${c} AND i.debtor_id = ${id}
      UNION ALL
      SELECT d.created_at, 'refusal', d.channel, d.id, coalesce(d.outbox_message_id, 0),
             jsonb_build_object('rule', d.rule, 'reason', d.reason, 'next_allowed_at', d.next_allowed_at, 'stage', d.stage, 'message', d.outbox_message_id)
        FROM contact_decisions d WHERE d.company_id = ${c} AND d.debtor_id = ${id} AND NOT d.allowed
      UNION ALL
      SELECT t.created_at, 'task', t.kind, t.id, 0, jsonb_build_object('status', t.status, 'due_on', t.due_on, 'step', t.step_id, 'note', t.note)
        FROM tasks t WHERE t.company_id = ${c} AND t.debtor_id = ${id}
      UNION ALL
      SELECT (pc.as_of::timestamp AT TIME ZONE ${tz}), 'phase', NULL, pc.id, 0, jsonb_build_object('from', pc.from_phase, 'to', pc.to_phase, 'as_of', pc.as_of, 'cause', pc.cause)
        FROM phase_changes pc WHERE pc.company_id = ${c} AND pc.debtor_id = ${id}
      UNION ALL
      -- An account's first placement is not a phase change: it is the first range of the account's history (ADR 0003).
      -- Its ref is the portfolio's id negated, which no phase change id can equal.
      SELECT (fh.valid_from::timestamp AT TIME ZONE ${tz}), 'phase', NULL, -pf.id, 0,
             jsonb_build_object('from', NULL, 'to', fh.phase, 'as_of', fh.valid_from, 'cause', 'placed')
        FROM portfolios pf
        CROSS JOIN LATERAL (SELECT h.valid_from, h.phase FROM account_history h
                             WHERE h.portfolio_id = pf.id AND h.debtor_id = ${id} ORDER BY h.valid_from LIMIT 1) fh
       WHERE pf.company_id = ${c}
      UNION ALL
      SELECT (p.paid_on::timestamp AT TIME ZONE ${tz}), 'payment', NULL, p.id, 0,
             jsonb_build_object('amount', p.amount::text, 'currency', p.currency, 'paid_on', p.paid_on, 'reversed_at', p.reversed_at)
        FROM payments p WHERE p.company_id = ${c} AND p.debtor_id = ${id}
      UNION ALL
      SELECT (h.starts_on::timestamp AT TIME ZONE ${tz}), 'hold', NULL, h.id, 0, jsonb_build_object('reason', h.reason, 'starts_on', h.starts_on, 'expires_on', h.expires_on, 'note', h.note)
        FROM holds h WHERE h.company_id = ${c} AND h.debtor_id = ${id}
      UNION ALL
      SELECT h.released_at, 'hold_released', NULL, h.id, 0, jsonb_build_object('reason', h.reason, 'note', h.release_note)
        FROM holds h WHERE h.company_id = ${c} AND h.debtor_id = ${id} AND h.released_at IS NOT NULL
      UNION ALL
      -- What the debtor did in the self-service portal (src/modules/portal): details.event names it.
      SELECT pe.at, 'portal', 'portal', pe.id, 0, pe.details || jsonb_build_object('event', pe.kind)
        FROM portal_events pe WHERE pe.company_id = ${c} AND pe.debtor_id = ${id}
      UNION ALL
      -- A promise to pay approved, rejected or cancelled (src/modules/negotiation), from the audit entry each decision
      -- writes in its transaction: the promise keeps only its last decision, the log each one with its instant.
      SELECT au.at, 'promise', NULL, au.id, 0,
             jsonb_build_object('event', split_part(au.action, '.', 2), 'promise', pr.id, 'amount', pr.amount::text, 'currency', rtrim(pr.currency),
                                'promised_on', pr.promised_on, 'note', au.after->>'decisionNote', 'actor', au.actor)
        FROM promises pr
        JOIN audit_log au ON au.company_id = ${c} AND au.entity = 'promise' AND au.entity_id = pr.id::text
                         AND au.action IN ('promise.approve', 'promise.reject', 'promise.cancel')
       WHERE pr.company_id = ${c} AND pr.debtor_id = ${id}
      UNION ALL
      -- Gestiones logged by collectors (src/modules/worklists): calls, visits, notes with their outcome.
      SELECT it.occurred_at, 'interaction', it.channel, it.id, 0,
             jsonb_build_object('outcome', it.outcome, 'notes', it.notes, 'next_action_on', it.next_action_on, 'collector_id', it.collector_id,
                                'actor', it.actor, 'promise_id', it.promise_id, 'promise_amount', it.promise_amount::text,
                                'promise_currency', it.promise_currency, 'promise_date', it.promise_date)
        FROM interactions it WHERE it.company_id = ${c} AND it.debtor_id = ${id}
`;
}

type Cursor = [string, string, number, string, string];

function encodeTimelineCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeTimelineCursor(text: string): Cursor {
  try {
    const v = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    // Each value as SQL casts it (bigint, int, text), so a forged one is this 400, not a value the database refuses.
    if (Array.isArray(v) && v.length === 5 && bigintText(v[0]) && bigintText(v[1]) && int32(v[2]) && bigintText(v[3]) && typeof v[4] === 'string' && v[4].length <= 40 && cursorText(v[4])) return v as Cursor;
  } catch {
    // fall through to the error below
  }
  throw new AppError('validation_failed', t('the timeline cursor is not one this server issued; start again without it', 'el cursor de la línea de tiempo no lo emitió este servidor; vuelva a empezar sin él'), [{ path: 'query.before', reason: t('unreadable cursor', 'cursor ilegible') }]);
}

function toEntry(r: Raw, language: Language): TimelineEntry {
  const entry = { ...r, details: readDetails(r, language) };
  return { at: new Date(r.at), kind: r.kind, channel: r.channel, ref: Number(r.ref), details: entry.details, summary: summarize(entry, language) };
}

/** The detail of each kind that may hold a gate's reason: a refusal's reason, a refused message's error, a task's note. */
const REASON_FIELD: Partial<Record<string, string>> = { refusal: 'reason', message: 'error', task: 'note' };

/**
 * An entry's details with the gate's reason in `language`: the gate's reason is stored as data (a code and its facts,
 * reason.ts) in a refusal's reason, a refused message's error and the note of a task the gate put off or cancelled,
 * and given here as that field's sentence and `<field>_code`. Anything else there (a provider's error, a note written
 * by hand, a reason logged as a Spanish sentence before reasons were data) is shown as it is, with a null code.
 */
function readDetails(r: Raw, language: Language): Record<string, unknown> {
  const field = REASON_FIELD[r.kind];
  if (!field) return r.details;
  const stored = r.details[field];
  if (typeof stored !== 'string') return { ...r.details, [`${field}_code`]: null };
  return { ...r.details, [field]: storedReasonText(stored, language), [`${field}_code`]: parseStoredReason(stored)?.code ?? null };
}

const STATUS: Record<string, Text> = {
  pending: t('scheduled', 'programado'),
  sending: t('sending', 'enviándose'),
  sent: t('sent', 'enviado'),
  delivered: t('delivered', 'entregado'),
  read: t('read', 'leído'),
  failed: t('failed', 'fallido'),
  refused: t('refused by compliance', 'rechazado por cumplimiento'),
  cancelled: t('cancelled', 'cancelado'),
  bounced: t('bounced', 'rebotado'),
};

/** What a portal event says on the timeline (the portal module records the events). */
const PORTAL_EVENT: Record<string, Text> = {
  identity_passed: t('the debtor confirmed their identity', 'el deudor confirmó su identidad'),
  identity_failed: t('wrong answer in the identity check', 'respuesta incorrecta en la verificación de identidad'),
  identity_locked: t('identity check locked after failed attempts', 'verificación de identidad bloqueada por intentos fallidos'),
  payment_started: t('the debtor started a payment', 'el deudor inició un pago'),
  promise: t('the debtor promised a payment date', 'el deudor prometió una fecha de pago'),
  plan: t('the debtor chose a payment plan', 'el deudor eligió un plan de pagos'),
  plan_request: t('the debtor asked for a plan outside the policy', 'el deudor solicitó un plan fuera de política'),
  dispute: t('the debtor disputed a document', 'el deudor disputó un documento'),
  contact_updated: t('the debtor updated their contact details', 'el deudor actualizó sus datos de contacto'),
  opt_out: t('the debtor opted out of a channel', 'el deudor se dio de baja de un canal'),
  letter: t('the debtor downloaded their settlement letter', 'el deudor descargó su carta finiquito'),
  agreement: t('the debtor downloaded their payment agreement', 'el deudor descargó su convenio de pago'),
};

/** Task kinds; kinds added later read "Task (kind)" until named here. */
const TASK_NAMES: Record<string, Text> = {
  call: t('Call task', 'Tarea de llamada'),
  plan_approval: t('Approval pending', 'Aprobación pendiente'),
  promise_broken: t('Broken promise', 'Promesa incumplida'),
  plan_broken: t('Broken payment plan', 'Convenio incumplido'),
  agency_referral: t('Referral to an agency', 'Envío a agencia'),
  advisor: t('The debtor asked to speak with an advisor', 'El deudor pidió hablar con un asesor'),
  reply: t('Debtor message to attend to', 'Mensaje del deudor por atender'),
  hardship: t('Payment hardship to review', 'Dificultad de pago por revisar'),
  dispute: t('Dispute to resolve', 'Disputa por resolver'),
};

/** What happened to a promise to pay, as its timeline entry ends. */
const PROMISE_EVENT: Record<string, Text> = { approve: t('approved', 'aprobada'), reject: t('rejected', 'rechazada'), cancel: t('cancelled', 'cancelada') };

const TASK_STATUS: Record<string, Text> = { open: t('open', 'pendiente'), done: t('done', 'hecha'), cancelled: t('cancelled', 'cancelada') };

/** Hold reasons as people say them (phases: phaseName, the words the back office and exports use). */
const HOLD_REASON: Record<string, Text> = {
  dispute: t('dispute', 'disputa'),
  promise: t('promise to pay', 'promesa de pago'),
  agreement: t('payment agreement', 'convenio'),
  deceased: t('death', 'fallecimiento'),
  bankruptcy: t('bankruptcy', 'concurso mercantil'),
  legal: t('legal reason', 'motivo legal'),
  customer_request: t('customer request', 'solicitud del cliente'),
};

/** What happened, in `language`: one sentence per entry. */
function summarize(r: Raw, language: Language): string {
  const d = r.details;
  const s = (k: string) => (d[k] === null || d[k] === undefined ? '' : String(d[k]));
  /** A code's word from `table`, or the code itself when the table does not name it. */
  const word = (table: Record<string, Text>, code: string) => (table[code] ? say(table[code], language) : code);
  const on = (k: string) => dayIn(s(k), language);
  const money = (amount: string, currency: string) => moneyIn(s(amount), s(currency), language);
  const es = language === 'es';
  switch (r.kind) {
    case 'message':
      return es ? `Mensaje por ${r.channel} (${s('template')}): ${word(STATUS, s('status'))}` : `Message by ${r.channel} (${s('template')}): ${word(STATUS, s('status'))}`;
    case 'delivery':
      return es ? `Estado del mensaje por ${r.channel}: ${word(STATUS, s('status'))}` : `Status of the message by ${r.channel}: ${word(STATUS, s('status'))}`;
    case 'reply':
      return es ? `Respuesta del deudor por ${r.channel}: "${s('text')}"` : `Reply from the debtor by ${r.channel}: "${s('text')}"`;
    case 'refusal':
      return es ? `Contacto por ${r.channel} no permitido (${s('rule')}): ${s('reason')}` : `Contact by ${r.channel} not allowed (${s('rule')}): ${s('reason')}`;
    case 'task': {
      const name = TASK_NAMES[r.channel ?? ''] ? say(TASK_NAMES[r.channel ?? '']!, language) : `${es ? 'Tarea' : 'Task'} (${r.channel})`;
      return `${name} ${es ? 'para el' : 'due'} ${on('due_on')} (${word(TASK_STATUS, s('status'))})${d.note ? `: ${s('note')}` : ''}`;
    }
    case 'phase': {
      const phase = (k: string) => phaseName(s(k), language);
      if (s('from')) return `${es ? 'Cambio de fase' : 'Phase change'}: ${phase('from')} → ${phase('to')} (${on('as_of')})`;
      return es ? `Ingreso a la cartera en fase ${phase('to')} (${on('as_of')})` : `Placed in the portfolio in phase ${phase('to')} (${on('as_of')})`;
    }
    case 'payment':
      return es
        ? `Pago de ${money('amount', 'currency')} del ${on('paid_on')}${d.reversed_at ? ' (revertido)' : ''}`
        : `Payment of ${money('amount', 'currency')} on ${on('paid_on')}${d.reversed_at ? ' (reversed)' : ''}`;
    case 'hold':
      return es
        ? `Suspensión por ${word(HOLD_REASON, s('reason'))} desde el ${on('starts_on')}${d.expires_on ? ` hasta el ${on('expires_on')}` : ''}`
        : `Hold for ${word(HOLD_REASON, s('reason'))} from ${on('starts_on')}${d.expires_on ? ` until ${on('expires_on')}` : ''}`;
    case 'hold_released':
      return es ? `Suspensión por ${word(HOLD_REASON, s('reason'))} levantada` : `Hold for ${word(HOLD_REASON, s('reason'))} released`;
    case 'portal':
      return `Portal: ${word(PORTAL_EVENT, s('event'))}`;
    case 'promise':
      return `${es ? 'Promesa de pago de' : 'Promise to pay'} ${money('amount', 'currency')} ${es ? 'para el' : 'by'} ${on('promised_on')} ${word(PROMISE_EVENT, s('event'))}${d.note ? `: ${s('note')}` : ''}`;
    case 'interaction': {
      const promise = d.promise_amount ? ` (${es ? 'promesa de' : 'promise of'} ${money('promise_amount', 'promise_currency')} ${es ? 'para el' : 'by'} ${on('promise_date')})` : '';
      return `${es ? 'Gestión por' : 'Contact by'} ${word(CHANNEL_LABELS, r.channel ?? '')}: ${word(OUTCOME_LABELS, s('outcome'))}${promise}${d.notes ? `: ${s('notes')}` : ''}`;
    }
  }
}
