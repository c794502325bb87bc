/** How a payment link reads outside the module, and the one query that loads links for it. */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/connection.ts';
import type { Ctx } from '../shared/context.ts';
import { visibleDebtorFilter } from '../access/visibility.ts';
import type { PaymentProvider } from './ports.ts';

export const LINK_TARGETS = ['debtor', 'obligation', 'installment', 'settlement'] as const;
export type PaymentTargetKind = (typeof LINK_TARGETS)[number];

/** What a link pays: the debtor's overdue total (or any amount), one obligation, one installment or a settlement. */
export type PaymentTarget = { kind: 'debtor' } | { kind: 'obligation' | 'installment' | 'settlement'; id: number };

export const LINK_STATUSES = ['pending', 'open', 'paid', 'expired', 'cancelled'] as const;
export type PaymentLinkStatus = (typeof LINK_STATUSES)[number];

/** A payment link as callers see it. `status` is `expired` once an open link's expiry has passed. */
export interface PaymentLink {
  id: number;
  /** The id in URLs and in what providers carry back. */
  publicId: string;
  debtorId: number;
  debtorExternalId: string;
  target: PaymentTarget;
  /** The obligation's external id for an obligation link. */
  obligationExternalId: string | null;
  amount: bigint;
  currency: string;
  provider: PaymentProvider;
  status: PaymentLinkStatus;
  description: string;
  expiresAt: Date;
  /** Stripe session id, Mercado Pago preference id, bank/cash reference, sandbox id; null while pending. */
  reference: string | null;
  /** Bank transfers: the CLABE to transfer to. */
  clabe: string | null;
  /** The page the debtor opens (hosted checkout, or our own page for the sandbox and bank references). */
  url: string | null;
  idempotencyKey: string;
  paidAt: Date | null;
  /** The portfolio payment the link became, once paid. */
  paymentExternalId: string | null;
  createdAt: Date;
}

interface LinkRow {
  id: string;
  public_id: string;
  debtor_id: string;
  debtor_external_id: string;
  target_kind: string;
  target_id: string | null;
  obligation_external_id: string | null;
  amount: string;
  currency: string;
  provider: string;
  status: string;
  description: string;
  expires_at: string | Date;
  provider_reference: string | null;
  clabe: string | null;
  url: string | null;
  idempotency_key: string;
  paid_at: string | Date | null;
  payment_external_id: string | null;
  created_at: string | Date;
}

const toDate = (v: string | Date) => (v instanceof Date ? v : new Date(v));

function toLink(row: LinkRow, now: Date): PaymentLink {
  const expiresAt = toDate(row.expires_at);
  const stored = row.status as PaymentLinkStatus;
  const status: PaymentLinkStatus = (stored === 'open' || stored === 'pending') && expiresAt.getTime() <= now.getTime() ? 'expired' : stored;
  const kind = row.target_kind as PaymentTargetKind;
  return {
    id: Number(row.id),
    publicId: row.public_id,
    debtorId: Number(row.debtor_id),
    debtorExternalId: row.debtor_external_id,
    target: kind === 'debtor' ? { kind } : { kind, id: Number(row.target_id) },
    obligationExternalId: row.obligation_external_id,
    amount: BigInt(row.amount),
    currency: row.currency.trim(),
    provider: row.provider as PaymentProvider,
    status,
    description: row.description,
    expiresAt,
    reference: row.provider_reference,
    clabe: row.clabe,
    url: row.url,
    idempotencyKey: row.idempotency_key,
    paidAt: row.paid_at === null ? null : toDate(row.paid_at),
    paymentExternalId: row.payment_external_id,
    createdAt: toDate(row.created_at),
  };
}

/** Loads the company's links matching `where` (a condition on alias `l`), newest first. */
export async function selectLinks(ctx: Ctx, where: SQL, options: { limit?: number; db?: Db } = {}): Promise<PaymentLink[]> {
  const db = options.db ?? ctx.database.db;
  const result = (await db.execute(sql`
    SELECT l.id::text AS id, l.public_id, l.debtor_id::text AS debtor_id, d.external_id AS debtor_external_id,
      l.target_kind, l.target_id::text AS target_id, o.external_id AS obligation_external_id, l.amount::text AS amount,
      l.currency::text AS currency, l.provider, l.status, l.description, l.expires_at, l.provider_reference, l.clabe, l.url,
      l.idempotency_key, l.paid_at, p.external_id AS payment_external_id, l.created_at
    FROM payment_links l
    JOIN debtors d ON d.id = l.debtor_id
    LEFT JOIN obligations o ON l.target_kind = 'obligation' AND o.id = l.target_id AND o.company_id = l.company_id
    LEFT JOIN payments p ON p.id = l.payment_id
    WHERE l.company_id = ${ctx.companyId} AND ${where} AND ${visibleDebtorFilter(ctx, sql`l.debtor_id`) ?? sql`TRUE`}
    ORDER BY l.id DESC
    LIMIT ${options.limit ?? 1000}`)) as unknown as { rows: LinkRow[] };
  const now = ctx.clock.now();
  return result.rows.map((r) => toLink(r, now));
}
