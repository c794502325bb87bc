import { sql, type SQL } from 'drizzle-orm';
import type { Ctx } from '../shared/context.ts';
import { selectLinks, type PaymentLink, type PaymentLinkStatus, type PaymentTargetKind } from './views.ts';

export interface ListPaymentLinksOptions {
  debtorId?: number | undefined;
  /** Links of one target (e.g. an installment). */
  target?: { kind: PaymentTargetKind; id: number } | undefined;
  /** As callers see it: `expired` means open with its expiry passed. */
  status?: PaymentLinkStatus | undefined;
  /** Default 100, at most 1000. */
  limit?: number | undefined;
}

/** The company's links, newest first. */
export async function listPaymentLinks(ctx: Ctx, options: ListPaymentLinksOptions = {}): Promise<PaymentLink[]> {
  const now = ctx.clock.now().toISOString();
  const conditions: SQL[] = [sql`TRUE`];
  if (options.debtorId !== undefined) conditions.push(sql`l.debtor_id = ${options.debtorId}`);
  if (options.target) conditions.push(sql`l.target_kind = ${options.target.kind} AND l.target_id = ${options.target.id}`);
  if (options.status === 'expired') conditions.push(sql`(l.status = 'expired' OR (l.status IN ('open', 'pending') AND l.expires_at <= ${now}::timestamptz))`);
  else if (options.status === 'open' || options.status === 'pending') conditions.push(sql`l.status = ${options.status} AND l.expires_at > ${now}::timestamptz`);
  else if (options.status) conditions.push(sql`l.status = ${options.status}`);
  const limit = Math.min(Math.max(options.limit ?? 100, 1), 1000);
  return selectLinks(ctx, sql.join(conditions, sql` AND `), { limit });
}
