/** The alerts treasury works from: money that arrived and was not applied. */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/connection.ts';
import { recordAudit } from '../access/audit.ts';
import { visibleDebtorFilter } from '../access/visibility.ts';
import type { Ctx } from '../shared/context.ts';
import { AppError, notFound } from '../shared/errors.ts';
import type { AlertKind } from './apply-provider-payment.ts';
import { t } from '../../domain/text.ts';

export interface PaymentAlert {
  id: number;
  kind: AlertKind;
  status: 'open' | 'resolved';
  provider: string;
  providerPaymentId: string;
  reference: string | null;
  linkId: number | null;
  linkPublicId: string | null;
  debtorId: number | null;
  debtorExternalId: string | null;
  amount: bigint;
  currency: string;
  expectedAmount: bigint | null;
  expectedCurrency: string | null;
  paidOn: string;
  detail: string;
  createdAt: Date;
  resolvedAt: Date | null;
  resolvedBy: string | null;
}

interface AlertRow {
  id: string;
  kind: string;
  status: string;
  provider: string;
  provider_payment_id: string;
  reference: string | null;
  link_id: string | null;
  public_id: string | null;
  debtor_id: string | null;
  debtor_external_id: string | null;
  amount: string;
  currency: string;
  expected_amount: string | null;
  expected_currency: string | null;
  paid_on: string;
  detail: string;
  created_at: string | Date;
  resolved_at: string | Date | null;
  resolved_by: string | null;
}

const asDate = (v: string | Date) => (v instanceof Date ? v : new Date(v));

/**
 * The company's alerts, newest first; by default only open ones. An agency sees only alerts about debtors placed with
 * it (never the unmatched money that names no debtor).
 */
export async function listPaymentAlerts(ctx: Ctx, options: { status?: 'open' | 'resolved' | 'all'; limit?: number } = {}): Promise<PaymentAlert[]> {
  const status = options.status ?? 'open';
  const filter: SQL = status === 'all' ? sql`TRUE` : sql`a.status = ${status}`;
  const result = (await ctx.database.db.execute(sql`
    SELECT a.id::text AS id, a.kind, a.status, pp.provider, pp.provider_payment_id, pp.reference, a.payment_link_id::text AS link_id, l.public_id,
      a.debtor_id::text AS debtor_id, d.external_id AS debtor_external_id, a.amount::text AS amount, a.currency::text AS currency,
      a.expected_amount::text AS expected_amount, a.expected_currency::text AS expected_currency, pp.paid_on::text AS paid_on, a.detail,
      a.created_at, a.resolved_at, a.resolved_by
    FROM payment_alerts a
    JOIN provider_payments pp ON pp.id = a.provider_payment_id
    LEFT JOIN payment_links l ON l.id = a.payment_link_id
    LEFT JOIN debtors d ON d.id = a.debtor_id
    WHERE a.company_id = ${ctx.companyId} AND ${filter} AND ${visibleDebtorFilter(ctx, sql`a.debtor_id`) ?? sql`TRUE`}
    ORDER BY a.id DESC LIMIT ${Math.min(Math.max(options.limit ?? 100, 1), 1000)}`)) as unknown as { rows: AlertRow[] };
  return result.rows.map((r) => ({
    id: Number(r.id),
    kind: r.kind as AlertKind,
    status: r.status as 'open' | 'resolved',
    provider: r.provider,
    providerPaymentId: r.provider_payment_id,
    reference: r.reference,
    linkId: r.link_id === null ? null : Number(r.link_id),
    linkPublicId: r.public_id,
    debtorId: r.debtor_id === null ? null : Number(r.debtor_id),
    debtorExternalId: r.debtor_external_id,
    amount: BigInt(r.amount),
    currency: r.currency.trim(),
    expectedAmount: r.expected_amount === null ? null : BigInt(r.expected_amount),
    expectedCurrency: r.expected_currency?.trim() ?? null,
    paidOn: r.paid_on,
    detail: r.detail,
    createdAt: asDate(r.created_at),
    resolvedAt: r.resolved_at === null ? null : asDate(r.resolved_at),
    resolvedBy: r.resolved_by,
  }));
}

/** Marks an alert resolved (treasury applied the money by hand, refunded it, …), with a note. Audited. */
export async function resolvePaymentAlert(ctx: Ctx, options: { id: number; note: string }): Promise<void> {
  const note = options.note?.trim() ?? '';
  if (note === '') throw new AppError('validation_failed', t('say how the alert was resolved', 'indique cómo se resolvió la alerta'), [{ path: 'note', reason: t('is required', 'es obligatorio') }]);
  const now = ctx.clock.now().toISOString();
  await ctx.database.db.transaction(async (transaction) => {
    const tx = transaction as unknown as Db;
    const result = (await tx.execute(sql`SELECT status FROM payment_alerts WHERE company_id = ${ctx.companyId} AND id = ${options.id} FOR UPDATE`)) as unknown as { rows: Array<{ status: string }> };
    const row = result.rows[0];
    if (!row) throw notFound('payment alert', options.id);
    if (row.status === 'resolved') throw new AppError('conflict', t(`payment alert ${options.id} is already resolved`, `la alerta de pago ${options.id} ya está resuelta`));
    await tx.execute(sql`UPDATE payment_alerts SET status = 'resolved', resolved_at = ${now}::timestamptz, resolved_by = ${ctx.actor} WHERE id = ${options.id}`);
    await recordAudit(ctx, { action: 'payment_alert.resolve', entity: 'payment_alert', entityId: options.id, before: { status: 'open' }, after: { status: 'resolved', note } }, tx);
  });
}
