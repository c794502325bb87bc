/**
 * What the portal shows a verified debtor: open obligations with days late, totals per currency, the promises,
 * plans and disputes in force, contact details and channel preferences. Amounts stay bigint minor units here; the
 * route turns them into decimal strings.
 */
import { sql } from 'drizzle-orm';
import { daysBetween, type PlainDate } from '../../domain/calendar.ts';
import type { PortalAccess } from './open-portal.ts';

export interface PortalObligation {
  id: number;
  externalId: string;
  kind: string;
  product: string | null;
  currency: string;
  amount: bigint;
  balance: bigint;
  dueOn: string;
  /** Days past due as of today in the company's zone; 0 when not yet due. */
  daysLate: number;
  /** An open dispute keeps it out of collection until a collector resolves it. */
  disputed: boolean;
  /** Covered by a plan in force. */
  inPlan: boolean;
}

export interface PortalTotal {
  currency: string;
  balance: bigint;
  overdue: bigint;
}

export interface PortalPromise {
  id: number;
  currency: string;
  amount: bigint;
  promisedOn: string;
  status: string;
}

export interface PortalPlan {
  id: number;
  kind: string;
  currency: string;
  total: bigint;
  status: string;
  installments: { seq: number; dueOn: string; amount: bigint; status: string }[];
}

export interface PortalDispute {
  id: number;
  obligationId: number;
  status: string;
  reason: string;
  openedOn: string;
  debtorNotice: string | null;
}

export interface PortalAccount {
  obligations: PortalObligation[];
  totals: PortalTotal[];
  promises: PortalPromise[];
  plans: PortalPlan[];
  disputes: PortalDispute[];
  /** Nothing left to pay in any currency, and there was something once: the paid-in-full letter is available. */
  paidInFull: boolean;
  contact: { email: string | null; phone: string | null; whatsapp: string | null };
  /** Per channel: granted | denied | unknown, and whether the debtor opted out. */
  channels: { channel: string; status: string; optedOut: boolean }[];
}

/** The channels a debtor can be reached by and can manage in the portal. */
export const PORTAL_CHANNELS = ['email', 'sms', 'whatsapp', 'call', 'letter'] as const;
export type PortalChannel = (typeof PORTAL_CHANNELS)[number];

/** Reads the account of the link's debtor. */
export async function getPortalAccount(access: PortalAccess): Promise<PortalAccount> {
  const { ctx, debtor } = access;
  const c = ctx.companyId;
  const d = debtor.id;
  const obligations = await ctx.database.query<{
    id: string;
    external_id: string;
    kind: string;
    product: string | null;
    currency: string;
    amount: string;
    balance: string;
    due_on: string;
    disputed: boolean;
    in_plan: boolean;
  }>(sql`
    SELECT o.id::text, o.external_id, o.kind, o.product, o.currency::text AS currency, o.amount::text, o.balance::text, o.due_on::text AS due_on,
           EXISTS (SELECT 1 FROM disputes x WHERE x.obligation_id = o.id AND x.status = 'open') AS disputed,
           EXISTS (SELECT 1 FROM payment_plan_obligations po JOIN payment_plans p ON p.id = po.plan_id
                    WHERE po.obligation_id = o.id AND p.status IN ('active', 'pending_approval')) AS in_plan
      FROM obligations o
     WHERE o.company_id = ${c} AND o.debtor_id = ${d} AND o.balance > 0
     ORDER BY o.due_on, o.id`);
  const [{ ever } = { ever: false }] = await ctx.database.query<{ ever: boolean }>(
    sql`SELECT EXISTS (SELECT 1 FROM obligations WHERE company_id = ${c} AND debtor_id = ${d}) AS ever`,
  );
  const list: PortalObligation[] = obligations.map((o) => ({
    id: Number(o.id),
    externalId: o.external_id,
    kind: o.kind,
    product: o.product,
    currency: o.currency.trim(),
    amount: BigInt(o.amount),
    balance: BigInt(o.balance),
    dueOn: o.due_on,
    daysLate: Math.max(daysBetween(o.due_on as PlainDate, access.today), 0),
    disputed: o.disputed,
    inPlan: o.in_plan,
  }));
  const totals = new Map<string, PortalTotal>();
  for (const o of list) {
    const t = totals.get(o.currency) ?? { currency: o.currency, balance: 0n, overdue: 0n };
    t.balance += o.balance;
    if (o.daysLate > 0) t.overdue += o.balance;
    totals.set(o.currency, t);
  }

  const promises = await ctx.database.query<{ id: string; currency: string; amount: string; promised_on: string; status: string }>(sql`
    SELECT id::text, currency::text AS currency, amount::text, promised_on::text AS promised_on, status FROM promises
     WHERE company_id = ${c} AND debtor_id = ${d} AND status IN ('open', 'pending_approval') ORDER BY promised_on`);
  const plans = await ctx.database.query<{ id: string; kind: string; currency: string; total: string; status: string }>(sql`
    SELECT id::text, kind, currency::text AS currency, total::text, status FROM payment_plans
     WHERE company_id = ${c} AND debtor_id = ${d} AND status IN ('active', 'pending_approval') ORDER BY id`);
  const installments = plans.length
    ? await ctx.database.query<{ plan_id: string; seq: number; due_on: string; amount: string; status: string }>(sql`
        SELECT plan_id::text, seq, due_on::text AS due_on, amount::text, status FROM payment_plan_installments
         WHERE plan_id IN (SELECT id FROM payment_plans WHERE company_id = ${c} AND debtor_id = ${d} AND status IN ('active', 'pending_approval'))
         ORDER BY plan_id, seq`)
    : [];
  const disputes = await ctx.database.query<{ id: string; obligation_id: string; status: string; reason: string; opened_on: string; debtor_notice: string | null }>(sql`
    SELECT id::text, obligation_id::text, status, reason, opened_on::text AS opened_on, debtor_notice FROM disputes
     WHERE company_id = ${c} AND debtor_id = ${d} ORDER BY id DESC LIMIT 50`);
  const consents = await ctx.database.query<{ channel: string; status: string; opted_out_at: string | null }>(sql`
    SELECT channel, status, opted_out_at::text FROM consents WHERE company_id = ${c} AND debtor_id = ${d}`);
  const byChannel = new Map(consents.map((r) => [r.channel, r]));

  return {
    obligations: list,
    totals: [...totals.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
    promises: promises.map((p) => ({ id: Number(p.id), currency: p.currency.trim(), amount: BigInt(p.amount), promisedOn: p.promised_on, status: p.status })),
    plans: plans.map((p) => ({
      id: Number(p.id),
      kind: p.kind,
      currency: p.currency.trim(),
      total: BigInt(p.total),
      status: p.status,
      installments: installments.filter((i) => i.plan_id === p.id).map((i) => ({ seq: i.seq, dueOn: i.due_on, amount: BigInt(i.amount), status: i.status })),
    })),
    disputes: disputes.map((x) => ({ id: Number(x.id), obligationId: Number(x.obligation_id), status: x.status, reason: x.reason, openedOn: x.opened_on, debtorNotice: x.debtor_notice })),
    paidInFull: ever && list.length === 0,
    contact: { email: debtor.email, phone: debtor.phone, whatsapp: debtor.whatsapp },
    channels: PORTAL_CHANNELS.map((channel) => {
      const r = byChannel.get(channel);
      return { channel, status: r?.status ?? 'unknown', optedOut: Boolean(r?.opted_out_at) };
    }),
  };
}
