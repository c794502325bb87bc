import { sql, type SQL } from 'drizzle-orm';
import { parseJsonExact, rowFromJson, rowsFromJson } from '../../db/json-rows.ts';
import { queryPrepared } from '../../db/prepared.ts';
import { accounts, automationSettings, companies, consents, debtors, holds, payments } from '../../db/schema.ts';
import { paymentPlans, promises } from '../../db/tables/negotiation.ts';
import { assignments, interactions } from '../../db/tables/worklists.ts';
import type { PlainDate } from '../../domain/calendar.ts';
import { say, t, type Language, type Text } from '../../domain/text.ts';
import { reasonText, type Channel } from '../../domain/compliance/index.ts';
import { formatDecimal } from '../../domain/money.ts';
import { visibleDebtorFilter } from '../access/index.ts';
import { can, type Permission } from '../access/permissions.ts';
import {
  addGateConsents,
  addGateHistory,
  addGateHolds,
  automationSettingsOf,
  contactRulesResolver,
  emptyGateFacts,
  gateFactsSql,
  HISTORY_DAYS,
  judgeContact,
  loadPlanAgreements,
  TIMELINE_PAGE_ORDER,
  timelinePageFrom,
  timelinePageSql,
  type GateConsentRow,
  type GateHistoryRow,
  type GateHoldRow,
  type TimelineEntry,
  type TimelinePageRow,
} from '../messaging/index.ts';
import { planViews, promiseView } from '../negotiation/views.ts';
import { debtorDetailView, type DebtorDetailView } from '../portfolio/index.ts';
import type { Ctx } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { assignmentView, type AssignmentView } from './assignments.ts';
import { interactionView, type InteractionView } from './interaction-view.ts';

export interface ContactPoint {
  channel: Channel;
  address: string | null;
  /** granted | denied | unknown */
  consent: string;
  opted_out: boolean;
  /**
   * What the compliance gate says about contacting on this channel right now: the reason in the reader's language,
   * its kind as `reason_code` (src/domain/compliance/reason.ts; `address_missing` without an address).
   */
  gate: { allowed: boolean; rule: string; reason: string; reason_code: string; next_allowed_at: string | null };
}

export interface AvailableAction {
  action: 'log_interaction' | 'take_promise' | 'send_message' | 'place_hold' | 'release_hold' | 'place_with_agency' | 'send_to_judicial' | 'write_off' | 'reassign';
  permission: Permission;
  allowed: boolean;
  /** Why not, in the reader's language, when not allowed. */
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
  promises: Array<{ id: number; amount: string; currency: string; date: string; grace_until: string; status: string; paid: string; channel: string; taken_by: string; actor: string; created_at: string; approver_role: string | null }>;
  /** From negotiation, as it shows them. */
  plans: unknown[];
  assignments: AssignmentView[];
  /** The latest timeline entries, oldest first. */
  timeline: Array<Omit<TimelineEntry, 'at'> & { at: string }>;
  /** Cursor for the entries before these (GET /debtors/:id/timeline?before=…); null when these are all. */
  timeline_before: string | null;
  actions: AvailableAction[];
}

/** Why a channel without an address cannot be used. */
const NO_ADDRESS = t('No contact detail for this channel', 'Sin dato de contacto para este canal');

/** Why an action is not available. */
const BLOCKED = {
  role: t('Your role does not allow this action', 'Su rol no permite esta acción'),
  nothingOwed: t('The debtor owes nothing', 'El deudor no tiene saldo pendiente'),
  noChannel: t('No channel allows contact now', 'Ningún canal permite contactar ahora'),
  noHolds: t('There are no active holds', 'No hay suspensiones activas'),
  judicial: t('Already in the judicial phase', 'Ya está en fase judicial'),
  writtenOff: t('Already written off', 'Ya está castigado'),
  noAccounts: t('No accounts: run the daily run', 'Sin cuentas: ejecute la corrida diaria'),
} satisfies Record<string, Text>;

/** Most rows of each list the page shows (newest first); the timeline is paged by its own cursor. */
const RECENT = 100;
/** Timeline entries on the page unless the caller asks for another number. */
export const TIMELINE_PAGE = 50;

/** What one statement reads for the page (see {@link loadDebtor360Rows}). */
interface Rows360 {
  today: string;
  timeZone: string;
  debtor: typeof debtors.$inferSelect;
  owed: Array<{ currency: string; amount: string }>;
  credit: Array<{ currency: string; amount: string }>;
  accounts: Array<{ account: typeof accounts.$inferSelect; portfolio: string }>;
  holds: Array<typeof holds.$inferSelect>;
  consents: Array<typeof consents.$inferSelect>;
  obligations: Array<{ external_id: string; portfolio: string; kind: string; currency: string; amount: string; balance: string; due_on: string }>;
  payments: Array<typeof payments.$inferSelect>;
  interactions: Array<typeof interactions.$inferSelect>;
  promises: Array<typeof promises.$inferSelect>;
  plans: Array<typeof paymentPlans.$inferSelect>;
  assignments: Array<{ assignment: typeof assignments.$inferSelect; portfolio: string }>;
  timeline: TimelinePageRow[];
  gateHolds: GateHoldRow[];
  gateConsents: GateConsentRow[];
  gateHistory: GateHistoryRow[];
  company: typeof companies.$inferSelect;
  automation: typeof automationSettings.$inferSelect | null;
}

/**
 * Everything about one debtor in one call: identity and contacts (consent and what the gate says now, per channel),
 * balances per currency, accounts with phase and segments, holds, obligations, payments, interactions, promises,
 * plans, assignments (each list its latest RECENT rows), the latest page of the timeline with the cursor for older
 * entries, and the actions the caller may take.
 *
 * One prepared statement reads the debtor, the company's day and settings, every list, the timeline page and the
 * compliance gate's facts (with the gate's own queries); only a payment plan's details and coverage need more.
 */
export async function getDebtor360(ctx: Ctx, options: { externalId: string; timelineLimit?: number | undefined; language?: Language | undefined }): Promise<Debtor360> {
  const language = options.language ?? 'en';
  const timelineLimit = Math.min(Math.max(options.timelineLimit ?? TIMELINE_PAGE, 1), 500);
  const loaded = await loadDebtor360Rows(ctx, options.externalId, timelineLimit);
  const row = loaded.debtor;
  const today = loaded.today as PlainDate;
  const now = ctx.clock.now();
  // The gate's facts as loadGateFacts gathers them, from the rows the statement read with its queries.
  const gateFacts = new Map([[row.id, emptyGateFacts()]]);
  addGateConsents(gateFacts, loaded.gateConsents);
  addGateHistory(gateFacts, loaded.gateHistory);
  const [, planRows] = await Promise.all([loadPlanAgreements(ctx, gateFacts, addGateHolds(gateFacts, loaded.gateHolds)), planViews(ctx, loaded.plans)]);
  const timeline = timelinePageFrom(loaded.timeline, timelineLimit, language);
  const settings = automationSettingsOf(loaded.company, loaded.automation);
  const detail = debtorDetailView(row, loaded);
  const consentRows = loaded.consents;
  const obligationRows = loaded.obligations;
  const paymentRows = loaded.payments;
  const interactionRows = loaded.interactions;
  const history = loaded.assignments.map(({ assignment, portfolio }) => assignmentView(assignment, portfolio));
  const promiseRows = loaded.promises.map(promiseView);

  const facts = gateFacts.get(row.id)!;
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
      gate: {
        allowed: j.allowed && address !== null,
        rule: address === null ? 'no_address' : j.rule,
        reason: address === null ? say(NO_ADDRESS, language) : reasonText(j.reasonCode, language),
        reason_code: address === null ? 'address_missing' : j.reasonCode.code,
        next_allowed_at: j.nextAllowedAt?.toISOString() ?? null,
      },
    };
  });

  const promiseList: Debtor360['promises'] = promiseRows.map((p) => ({
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
    // Who may decide on a promise waiting for approval (the policy's approver when it was taken).
    approver_role: p.status === 'pending_approval' ? ((p.evaluation as { approver_role?: string | null } | null)?.approver_role ?? null) : null,
  }));

  const phases = detail.accounts.map((a) => a.phase);
  const owes = Object.keys(detail.balances).length > 0;
  const role = ctx.principal?.role ?? 'admin';
  const action = (name: AvailableAction['action'], permission: Permission, blocked: Text | null): AvailableAction => {
    const permitted = can(role, permission);
    const why = permitted ? blocked : BLOCKED.role;
    return { action: name, permission, allowed: permitted && blocked === null, reason: why === null ? null : say(why, language) };
  };
  const anyContact = contacts.some((k) => k.gate.allowed && k.channel !== 'call');
  const actions: AvailableAction[] = [
    action('log_interaction', 'interactions:write', null),
    action('take_promise', 'interactions:write', owes ? null : BLOCKED.nothingOwed),
    action('send_message', 'messages:send', anyContact ? null : BLOCKED.noChannel),
    action('place_hold', 'portfolio:write', null),
    action('release_hold', 'portfolio:write', detail.holds.length ? null : BLOCKED.noHolds),
    action('place_with_agency', 'worklist:assign', owes ? null : BLOCKED.nothingOwed),
    action('send_to_judicial', 'worklist:assign', !owes ? BLOCKED.nothingOwed : phases.every((p) => p === 'judicial') ? BLOCKED.judicial : null),
    action('write_off', 'accounts:write_off', !owes ? BLOCKED.nothingOwed : phases.every((p) => p === 'written_off') ? BLOCKED.writtenOff : null),
    action('reassign', 'worklist:assign', detail.accounts.length ? null : BLOCKED.noAccounts),
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
    promises: promiseList,
    plans: planRows,
    assignments: history,
    timeline: timeline.entries.map((e) => ({ ...e, at: e.at.toISOString() })),
    timeline_before: timeline.before,
    actions,
  };
}

/**
 * The debtor (not_found also for one the context may not see), the company's day and zone, and the latest rows of
 * every list, in one prepared statement; each table's rows come back as Drizzle reads them.
 */
async function loadDebtor360Rows(ctx: Ctx, externalId: string, timelineLimit: number): Promise<Rows360> {
  const c = ctx.companyId;
  const debtorIds = sql`ARRAY[d360.id]`;
  const since = new Date(ctx.clock.now().getTime() - HISTORY_DAYS * 86_400_000).toISOString();
  const recent = (from: SQL, order: string) =>
    sql`(SELECT coalesce(json_agg(to_json(x) ORDER BY ${sql.raw(order)}), '[]'::json) FROM (SELECT * FROM ${from} ORDER BY ${sql.raw(order)} LIMIT ${RECENT}) x)`;
  const [found] = await queryPrepared<{ today: string; time_zone: string; doc: string | null }>(ctx.database, sql`
    WITH d360 AS (
      SELECT * FROM debtors WHERE company_id = ${c} AND external_id = ${externalId} AND ${visibleDebtorFilter(ctx, sql`debtors.id`) ?? sql`TRUE`}
    ), co AS (
      SELECT time_zone, (${ctx.clock.now().toISOString()}::timestamptz AT TIME ZONE time_zone)::date AS today FROM companies WHERE id = ${c}
    )
    SELECT (SELECT today::text FROM co) AS today, (SELECT time_zone FROM co) AS time_zone, (SELECT json_build_object(
      'debtor', to_json(d360),
      'company', (SELECT to_json(cp) FROM companies cp WHERE cp.id = ${c}),
      'automation', (SELECT to_json(au) FROM automation_settings au WHERE au.company_id = ${c}),
      'owed', (SELECT coalesce(json_agg(json_build_object('currency', currency, 'amount', amount::text)), '[]'::json)
                 FROM (SELECT currency, sum(balance) AS amount FROM obligations WHERE company_id = ${c} AND debtor_id = d360.id AND balance <> 0 GROUP BY currency) o),
      'credit', (SELECT coalesce(json_agg(json_build_object('currency', currency, 'amount', amount::text)), '[]'::json)
                   FROM (SELECT currency, sum(unapplied) AS amount FROM payments
                          WHERE company_id = ${c} AND debtor_id = d360.id AND reversed_at IS NULL AND unapplied > 0 GROUP BY currency) p),
      'accounts', (SELECT coalesce(json_agg(json_build_object('account', to_json(a), 'portfolio', pf.name) ORDER BY pf.name), '[]'::json)
                     FROM accounts a JOIN portfolios pf ON pf.id = a.portfolio_id WHERE a.company_id = ${c} AND a.debtor_id = d360.id),
      'holds', (SELECT coalesce(json_agg(to_json(h) ORDER BY h.id), '[]'::json) FROM holds h WHERE h.company_id = ${c} AND h.debtor_id = d360.id AND h.released_at IS NULL),
      'consents', (SELECT coalesce(json_agg(to_json(k)), '[]'::json) FROM consents k WHERE k.company_id = ${c} AND k.debtor_id = d360.id),
      'obligations', (SELECT coalesce(json_agg(to_json(o) ORDER BY o.settled, o.due_on, o.id), '[]'::json) FROM (
                        SELECT o.external_id, pf.name AS portfolio, o.kind, o.currency, o.amount::text, o.balance::text, o.due_on::text, o.id, (o.balance = 0) AS settled
                          FROM obligations o JOIN portfolios pf ON pf.id = o.portfolio_id
                         WHERE o.company_id = ${c} AND o.debtor_id = d360.id
                         ORDER BY (o.balance = 0), o.due_on, o.id LIMIT ${RECENT}) o),
      'payments', ${recent(sql`payments WHERE company_id = ${c} AND debtor_id = d360.id`, 'paid_on DESC, id DESC')},
      'interactions', ${recent(sql`interactions WHERE company_id = ${c} AND debtor_id = d360.id`, 'occurred_at DESC, id DESC')},
      'promises', ${recent(sql`promises WHERE company_id = ${c} AND debtor_id = d360.id`, 'id DESC')},
      'plans', ${recent(sql`payment_plans WHERE company_id = ${c} AND debtor_id = d360.id`, 'id DESC')},
      'assignments', (SELECT coalesce(json_agg(json_build_object('assignment', to_json(x), 'portfolio', x.portfolio_name) ORDER BY x.valid_from DESC, x.id DESC), '[]'::json) FROM (
                        SELECT s.*, pf.name AS portfolio_name FROM assignments s JOIN portfolios pf ON pf.id = s.portfolio_id
                         WHERE s.company_id = ${c} AND s.debtor_id = d360.id ORDER BY s.valid_from DESC, s.id DESC LIMIT ${RECENT}) x),
      'timeline', (SELECT coalesce(json_agg(to_json(t) ORDER BY ${TIMELINE_PAGE_ORDER}), '[]'::json)
                     FROM (${timelinePageSql(c, sql`d360.id`, sql`(SELECT time_zone FROM co)`, timelineLimit)}) t),
      'gate_holds', (SELECT coalesce(json_agg(to_json(g)), '[]'::json) FROM (${gateFactsSql.holds(c, debtorIds, sql`(SELECT today FROM co)`)}) g),
      'gate_consents', (SELECT coalesce(json_agg(to_json(g)), '[]'::json) FROM (${gateFactsSql.consents(c, debtorIds)}) g),
      'gate_history', (SELECT coalesce(json_agg(to_json(g)), '[]'::json) FROM (${gateFactsSql.history(c, debtorIds, sql`${since}::timestamptz`)}) g)
    ) FROM d360)::text AS doc`);
  if (!found?.doc) throw notFound('debtor', externalId);
  const doc = parseJsonExact(found.doc) as Record<string, unknown>;
  const pairs = <T>(value: unknown, key: string, map: (json: Record<string, unknown>) => T) =>
    (value as Array<Record<string, unknown>>).map((p) => ({ [key]: map(p[key] as Record<string, unknown>), portfolio: p.portfolio as string }));
  return {
    today: found.today,
    timeZone: found.time_zone,
    debtor: rowFromJson(debtors, doc.debtor as Record<string, unknown>),
    owed: doc.owed as Rows360['owed'],
    credit: doc.credit as Rows360['credit'],
    accounts: pairs(doc.accounts, 'account', (j) => rowFromJson(accounts, j)) as Rows360['accounts'],
    holds: rowsFromJson(holds, doc.holds),
    consents: rowsFromJson(consents, doc.consents),
    obligations: doc.obligations as Rows360['obligations'],
    payments: rowsFromJson(payments, doc.payments),
    interactions: rowsFromJson(interactions, doc.interactions),
    promises: rowsFromJson(promises, doc.promises),
    plans: rowsFromJson(paymentPlans, doc.plans),
    assignments: pairs(doc.assignments, 'assignment', (j) => rowFromJson(assignments, j)) as Rows360['assignments'],
    timeline: doc.timeline as TimelinePageRow[],
    gateHolds: doc.gate_holds as GateHoldRow[],
    gateConsents: doc.gate_consents as GateConsentRow[],
    gateHistory: doc.gate_history as GateHistoryRow[],
    company: rowFromJson(companies, doc.company as Record<string, unknown>),
    automation: doc.automation ? rowFromJson(automationSettings, doc.automation as Record<string, unknown>) : null,
  };
}
