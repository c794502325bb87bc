import { and, desc, eq, sql } from 'drizzle-orm';
import { consents, payments } from '../../db/schema.ts';
import { interactions } from '../../db/tables/worklists.ts';
import type { Channel } from '../../domain/compliance/index.ts';
import { formatDecimal } from '../../domain/money.ts';
import { can, type Permission } from '../access/permissions.ts';
import { contactRulesResolver, debtorTimeline, HISTORY_DAYS, judgeContact, loadAutomationSettings, loadGateFacts, type TimelineEntry } from '../messaging/index.ts';
import { listPlans, listPromises } from '../negotiation/index.ts';
import { getDebtor, type DebtorDetailView } from '../portfolio/index.ts';
import type { Ctx } from '../shared/context.ts';
import { assignmentHistory, type AssignmentView } from './assignments.ts';
import { interactionView, type InteractionView } from './interaction-view.ts';
import { companyToday, debtorByExternalId } from './lookups.ts';

export interface ContactPoint {
  channel: Channel;
  address: string | null;
  /** granted | denied | unknown */
  consent: string;
  opted_out: boolean;
  /** What the compliance gate says about contacting on this channel right now. */
  gate: { allowed: boolean; rule: string; reason: string; next_allowed_at: string | null };
}

export interface AvailableAction {
  action: 'log_interaction' | 'take_promise' | 'send_message' | 'place_hold' | 'release_hold' | 'place_with_agency' | 'send_to_judicial' | 'write_off' | 'reassign';
  permission: Permission;
  allowed: boolean;
  /** Why not, in Spanish, when not allowed. */
  reason: string | null;
}

export interface Debtor360 {
  debtor: DebtorDetailView;
  as_of: string;
  contacts: ContactPoint[];
  obligations: Array<{ external_id: string; portfolio: string; kind: string; currency: string; amount: string; balance: string; due_on: string; days_past_due: number | null }>;
  payments: Array<{ external_id: string; currency: string; amount: string; unapplied: string; paid_on: string; method: string | null; reversed: boolean }>;
  interactions: InteractionView[];
  /** From negotiation: status pending_approval | open | kept | partially_kept | broken | cancelled | rejected. */
  promises: Array<{ id: number; amount: string; currency: string; date: string; grace_until: string; status: string; paid: string; channel: string; taken_by: string; actor: string; created_at: string }>;
  /** From negotiation, as it shows them. */
  plans: unknown[];
  assignments: AssignmentView[];
  timeline: Array<Omit<TimelineEntry, 'at'> & { at: string }>;
  actions: AvailableAction[];
}

const RECENT = 100;

/**
 * Everything about one debtor in one call: identity and contacts (consent and what the gate says now, per channel),
 * balances per currency, accounts with phase and segments, holds, obligations, payments, interactions, promises,
 * assignments, the whole timeline, and the actions the caller may take.
 */
export async function getDebtor360(ctx: Ctx, options: { externalId: string; timelineLimit?: number | undefined }): Promise<Debtor360> {
  const row = await debtorByExternalId(ctx, options.externalId);
  const today = await companyToday(ctx);
  const { db } = ctx.database;
  const c = ctx.companyId;
  const [detail, consentRows, obligationRows, paymentRows, interactionRows, history, timeline, settings, promiseRows, planRows] = await Promise.all([
    getDebtor(ctx, { externalId: options.externalId }),
    db.select().from(consents).where(and(eq(consents.companyId, c), eq(consents.debtorId, row.id))),
    ctx.database.query<{ external_id: string; portfolio: string; kind: string; currency: string; amount: string; balance: string; due_on: string }>(sql`
      SELECT o.external_id, p.name AS portfolio, o.kind, o.currency, o.amount::text, o.balance::text, o.due_on::text
        FROM obligations o JOIN portfolios p ON p.id = o.portfolio_id
       WHERE o.company_id = ${c} AND o.debtor_id = ${row.id}
       ORDER BY (o.balance = 0), o.due_on, o.id LIMIT ${RECENT}`),
    db
      .select()
      .from(payments)
      .where(and(eq(payments.companyId, c), eq(payments.debtorId, row.id)))
      .orderBy(desc(payments.paidOn), desc(payments.id))
      .limit(RECENT),
    db
      .select()
      .from(interactions)
      .where(and(eq(interactions.companyId, c), eq(interactions.debtorId, row.id)))
      .orderBy(desc(interactions.occurredAt), desc(interactions.id))
      .limit(RECENT),
    assignmentHistory(ctx, row.id),
    debtorTimeline(ctx, { debtorExternalId: options.externalId, limit: options.timelineLimit ?? 1000 }),
    loadAutomationSettings(ctx),
    listPromises(ctx, { debtorId: row.id }),
    listPlans(ctx, { debtorId: row.id }),
  ]);

  const now = ctx.clock.now();
  const facts = (await loadGateFacts(ctx, [row.id], { onDate: today, since: new Date(now.getTime() - HISTORY_DAYS * 86_400_000) })).get(row.id)!;
  const rules = contactRulesResolver(settings)(row.country);
  const addresses: Array<[Channel, string | null]> = [
    ['email', row.email],
    ['sms', row.phone],
    ['call', row.phone],
    ['whatsapp', row.whatsapp ?? row.phone],
    ['letter', [row.city, row.region, row.postalCode].filter(Boolean).join(', ') || null],
  ];
  const contacts: ContactPoint[] = addresses.map(([channel, address]) => {
    const consent = consentRows.find((k) => k.channel === channel);
    const j = judgeContact(rules, { timeZone: row.timeZone }, facts, channel, now);
    return {
      channel,
      address,
      consent: consent?.status ?? 'unknown',
      opted_out: consent?.optedOutAt != null,
      gate: { allowed: j.allowed && address !== null, rule: address === null ? 'no_address' : j.rule, reason: address === null ? 'Sin dato de contacto para este canal' : j.reason, next_allowed_at: j.nextAllowedAt?.toISOString() ?? null },
    };
  });

  const promises: Debtor360['promises'] = promiseRows.map((p) => ({
    id: p.id,
    amount: p.amount,
    currency: p.currency,
    date: p.promisedOn,
    grace_until: p.graceUntil,
    status: p.status,
    paid: p.paid,
    channel: p.channel,
    taken_by: p.takenBy,
    actor: p.actor,
    created_at: p.createdAt.toISOString(),
  }));

  const phases = detail.accounts.map((a) => a.phase);
  const owes = Object.keys(detail.balances).length > 0;
  const role = ctx.principal?.role ?? 'admin';
  const action = (name: AvailableAction['action'], permission: Permission, blocked: string | null): AvailableAction => {
    const permitted = can(role, permission);
    return { action: name, permission, allowed: permitted && blocked === null, reason: permitted ? blocked : 'Su rol no permite esta acción' };
  };
  const anyContact = contacts.some((k) => k.gate.allowed && k.channel !== 'call');
  const actions: AvailableAction[] = [
    action('log_interaction', 'interactions:write', null),
    action('take_promise', 'interactions:write', owes ? null : 'El deudor no tiene saldo pendiente'),
    action('send_message', 'messages:send', anyContact ? null : 'Ningún canal permite contactar ahora'),
    action('place_hold', 'portfolio:write', null),
    action('release_hold', 'portfolio:write', detail.holds.length ? null : 'No hay suspensiones activas'),
    action('place_with_agency', 'worklist:assign', owes ? null : 'El deudor no tiene saldo pendiente'),
    action('send_to_judicial', 'worklist:assign', !owes ? 'El deudor no tiene saldo pendiente' : phases.every((p) => p === 'judicial') ? 'Ya está en fase judicial' : null),
    action('write_off', 'accounts:write_off', !owes ? 'El deudor no tiene saldo pendiente' : phases.every((p) => p === 'written_off') ? 'Ya está castigado' : null),
    action('reassign', 'worklist:assign', detail.accounts.length ? null : 'Sin cuentas: ejecute la corrida diaria'),
  ];

  return {
    debtor: detail,
    as_of: today,
    contacts,
    obligations: obligationRows.map((o) => ({
      external_id: o.external_id,
      portfolio: o.portfolio,
      kind: o.kind,
      currency: o.currency,
      amount: formatDecimal(BigInt(o.amount), o.currency),
      balance: formatDecimal(BigInt(o.balance), o.currency),
      due_on: o.due_on,
      days_past_due: BigInt(o.balance) > 0n ? Math.round((Date.parse(today) - Date.parse(o.due_on)) / 86_400_000) : null,
    })),
    payments: paymentRows.map((p) => ({
      external_id: p.externalId,
      currency: p.currency,
      amount: formatDecimal(p.amount, p.currency),
      unapplied: formatDecimal(p.unapplied, p.currency),
      paid_on: p.paidOn,
      method: p.method,
      reversed: p.reversedAt !== null,
    })),
    interactions: interactionRows.map((i) => interactionView(i, row.externalId)),
    promises,
    plans: planRows,
    assignments: history,
    timeline: timeline.map((e) => ({ ...e, at: e.at.toISOString() })),
    actions,
  };
}
