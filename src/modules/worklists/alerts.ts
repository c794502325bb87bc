/**
 * Alerts: what someone must look at today. Computed from the live tables when asked (no alert state to keep in step):
 * broken promises, payments that could not be applied, disputes waiting too long, plans waiting for approval, a
 * channel whose messages are failing, and collectors whose queue overflows.
 */
import { sql, type SQL } from 'drizzle-orm';
import { formatDecimal } from '../../domain/money.ts';
import type { Ctx } from '../shared/context.ts';
import { queueSizes } from './get-worklist.ts';
import { isScopedToPlacements, visibleDebtorFilter } from '../access/index.ts';
import { actingUserId } from './lookups.ts';

export const ALERT_KINDS = ['promise_broken', 'unapplied_payment', 'dispute_waiting', 'plan_approval', 'channel_failing', 'queue_overflow'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export interface AlertItem {
  debtor_external_id: string | null;
  /** Spanish, for people; an amount, when the item has one, ends it as ": 63.36 USD". */
  text: string;
  ref: number | null;
  since: string | null;
  /** The money the item is about (an unapplied payment's credit) as a decimal string in `currency`, for formatting; null otherwise. */
  amount: string | null;
  currency: string | null;
}

export interface Alert {
  kind: AlertKind;
  severity: 'high' | 'medium' | 'low';
  /** Spanish headline. */
  title: string;
  count: number;
  /** Totals per currency where the alert is about money. */
  amounts: Record<string, string>;
  /** The first items (at most `itemLimit`, from `offset`). */
  items: AlertItem[];
}

export interface AlertOptions {
  /** Disputes open longer than this many days alert (default 5). */
  disputeDays?: number | undefined;
  /** A channel alerts when at least this share of its messages in the last 24 hours failed (default 0.2) … */
  failureRate?: number | undefined;
  /** … and at least this many failed (default 5). */
  minFailures?: number | undefined;
  /** A collector's queue overflows past this many items needing a person (default 50), or past their capacity. */
  attentionLimit?: number | undefined;
  /** Only alerts about this collector's accounts (collectors see their own). */
  collectorId?: number | null | undefined;
  itemLimit?: number | undefined;
  /** Only this kind: with `offset`, the items after those already shown. */
  kind?: AlertKind | undefined;
  /** Items skipped before the first returned (default 0). */
  offset?: number | undefined;
}

type ItemRow = { external_id: string | null; text: string; ref: string | number | null; since: string | Date | null; total: number; currency?: string | null; amount?: string | null };

/**
 * Whose accounts' alerts a principal sees: a collector's or an agency's own (their user id; -1 for an API key of such
 * a role, which owns no accounts), everybody else's every alert (null).
 */
export function ownAlertsOf(ctx: Ctx): number | null {
  const role = ctx.principal?.role;
  return role === 'collector' || role === 'agency' ? (actingUserId(ctx) ?? -1) : null;
}

/**
 * Every alert with a count above zero, most severe first. Alerts about the whole company (failing channels,
 * overflowing queues) are left out when asking for one collector's accounts, and for a principal limited to some
 * debtors (an agency), whose debtor-bound alerts count and sum only those debtors.
 */
export async function listAlerts(ctx: Ctx, options: AlertOptions = {}): Promise<Alert[]> {
  const c = ctx.companyId;
  const limit = Math.min(Math.max(options.itemLimit ?? 20, 1), 500);
  const offset = Math.max(Math.trunc(options.offset ?? 0), 0);
  const wanted = (kind: AlertKind) => options.kind === undefined || options.kind === kind;
  const none: ItemRow[] = [];
  const disputeDays = options.disputeDays ?? 5;
  const now = ctx.clock.now();
  // Every debtor-bound alert is also limited to what the principal may see (an agency: its placed debtors).
  const mine = (alias: string): SQL => {
    const visible = visibleDebtorFilter(ctx, sql.raw(`${alias}.debtor_id`));
    return sql`${options.collectorId
      ? sql`AND EXISTS (SELECT 1 FROM assignments s WHERE s.debtor_id = ${sql.raw(alias)}.debtor_id AND s.company_id = ${c} AND s.collector_id = ${options.collectorId} AND s.valid_to IS NULL)`
      : sql``} ${visible ? sql`AND ${visible}` : sql``}`;
  };
  const taskAlert = async (kind: AlertKind, taskKind: string, extra: SQL, text: SQL) =>
    wanted(kind)
      ? ctx.database.query<ItemRow>(sql`
      SELECT d.external_id, ${text} AS text, t.id AS ref, t.created_at AS since, count(*) OVER ()::int AS total
        FROM tasks t JOIN debtors d ON d.id = t.debtor_id
       WHERE t.company_id = ${c} AND t.kind = ${taskKind} AND t.status = 'open' ${extra} ${mine('t')}
       ORDER BY t.created_at, t.id LIMIT ${limit} OFFSET ${offset}`)
      : none;
  const withNote = (label: string) => sql`${label} || coalesce(': ' || t.note, '')`;

  const cutoff = new Date(now.getTime() - disputeDays * 86_400_000).toISOString();
  const [broken, disputes, plans, unapplied, unappliedTotals] = await Promise.all([
    taskAlert('promise_broken', 'promise_broken', sql``, withNote('Promesa incumplida')),
    taskAlert('dispute_waiting', 'dispute', sql`AND t.created_at < ${cutoff}::timestamptz`, withNote(`Disputa abierta hace más de ${disputeDays} días`)),
    // Promises and plans outside the policy both wait here; the note the negotiation module wrote says which it is.
    taskAlert('plan_approval', 'plan_approval', sql``, sql`coalesce(t.note, CASE WHEN t.cause LIKE 'promise:%' THEN 'Promesa de pago por aprobar' ELSE 'Plan de pagos por aprobar' END)`),
    wanted('unapplied_payment')
      ? ctx.database.query<ItemRow>(sql`
      SELECT d.external_id, 'Pago ' || p.external_id || ' sin aplicar' AS text, p.id AS ref,
             p.paid_on::text AS since, count(*) OVER ()::int AS total, p.currency, p.unapplied::text AS amount
        FROM payments p JOIN debtors d ON d.id = p.debtor_id
       WHERE p.company_id = ${c} AND p.unapplied > 0 AND p.reversed_at IS NULL ${mine('p')}
       ORDER BY p.paid_on, p.id LIMIT ${limit} OFFSET ${offset}`)
      : none,
    wanted('unapplied_payment')
      ? ctx.database.query<{ currency: string; amount: string }>(sql`
      SELECT p.currency, sum(p.unapplied)::text AS amount FROM payments p
       WHERE p.company_id = ${c} AND p.unapplied > 0 AND p.reversed_at IS NULL ${mine('p')} GROUP BY p.currency ORDER BY p.currency`)
      : [],
  ]);

  const alerts: Alert[] = [];
  // Lists built here (channels, queues) are whole: `offset` and `limit` apply as they do in SQL.
  const push = (kind: AlertKind, severity: Alert['severity'], title: string, rows: ItemRow[], amounts: Record<string, string> = {}) => {
    const count = rows[0]?.total ?? 0;
    if (!count || !wanted(kind)) return;
    alerts.push({
      kind,
      severity,
      title,
      count,
      amounts,
      items: rows.map((r) => {
        const currency = r.currency ? r.currency.trim() : null;
        const amount = currency && r.amount ? formatDecimal(BigInt(r.amount), currency) : null;
        return {
          debtor_external_id: r.external_id,
          text: amount ? `${r.text}: ${amount} ${currency}` : r.text,
          ref: r.ref === null ? null : Number(r.ref),
          since: r.since === null ? null : r.since instanceof Date ? r.since.toISOString() : String(r.since),
          amount,
          currency: amount ? currency : null,
        };
      }),
    });
  };
  push('promise_broken', 'high', 'Promesas de pago incumplidas', broken);
  push('unapplied_payment', 'high', 'Pagos sin aplicar (tesorería)', unapplied, Object.fromEntries(unappliedTotals.map((u) => [u.currency, formatDecimal(BigInt(u.amount), u.currency)])));
  push('dispute_waiting', 'medium', `Disputas esperando más de ${disputeDays} días`, disputes);
  push('plan_approval', 'medium', 'Promesas y planes de pago esperando aprobación', plans);

  if (!options.collectorId && !isScopedToPlacements(ctx) && (wanted('channel_failing') || wanted('queue_overflow'))) {
    const since = new Date(now.getTime() - 86_400_000).toISOString();
    const channels = await ctx.database.query<{ channel: string; failed: number; total: number }>(sql`
      SELECT channel, count(*) FILTER (WHERE status = 'failed')::int AS failed, count(*)::int AS total
        FROM outbox_messages
       WHERE company_id = ${c} AND status IN ('sent', 'delivered', 'read', 'failed') AND updated_at >= ${since}::timestamptz
       GROUP BY channel ORDER BY channel`);
    const failing = channels.filter((ch) => ch.failed >= (options.minFailures ?? 5) && ch.failed / ch.total >= (options.failureRate ?? 0.2));
    push(
      'channel_failing',
      'high',
      'Canales con mensajes fallando (últimas 24 horas)',
      failing.map((ch) => ({ external_id: null, text: `${ch.channel}: ${ch.failed} de ${ch.total} mensajes fallaron`, ref: null, since, total: failing.length })).slice(offset, offset + limit),
    );
    const attentionLimit = options.attentionLimit ?? 50;
    const queues = (await queueSizes(ctx)).filter((q) => q.attention > attentionLimit || (q.capacity !== null && q.accounts > q.capacity));
    push(
      'queue_overflow',
      'medium',
      'Colas de gestores desbordadas',
      queues.map((q) => ({
        external_id: null,
        text: `Gestor ${q.collector_id}: ${q.attention} pendientes de atención, ${q.accounts} cuentas${q.capacity !== null ? ` (capacidad ${q.capacity})` : ''}`,
        ref: q.collector_id,
        since: null,
        total: queues.length,
      })).slice(offset, offset + limit),
    );
  }
  const rank = { high: 0, medium: 1, low: 2 } as const;
  return alerts.sort((a, b) => rank[a.severity] - rank[b.severity] || ALERT_KINDS.indexOf(a.kind) - ALERT_KINDS.indexOf(b.kind));
}
