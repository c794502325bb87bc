import { sql } from 'drizzle-orm';
import type { Ctx } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { selectLinks, type PaymentLink } from './views.ts';

/** One of the company's links, by id or public id. AppError not_found. */
export async function getPaymentLink(ctx: Ctx, options: { id: number } | { publicId: string }): Promise<PaymentLink> {
  const where = 'id' in options ? sql`l.id = ${options.id}` : sql`l.public_id = ${options.publicId}`;
  const [link] = await selectLinks(ctx, where, { limit: 1 });
  if (!link) throw notFound('payment link', 'id' in options ? options.id : options.publicId);
  return link;
}

/**
 * A link by its public id whatever the company (the public payment page knows only the id in its URL), with the
 * company it belongs to; null when there is none.
 */
export async function findPaymentLinkByPublicId(ctx: Omit<Ctx, 'companyId'>, publicId: string): Promise<{ companyId: number; link: PaymentLink } | null> {
  const rows = (await ctx.database.db.execute(sql`SELECT company_id::text AS company_id FROM payment_links WHERE public_id = ${publicId}`)) as unknown as { rows: Array<{ company_id: string }> };
  const row = rows.rows[0];
  if (!row) return null;
  const companyId = Number(row.company_id);
  const [link] = await selectLinks({ ...ctx, companyId }, sql`l.public_id = ${publicId}`, { limit: 1 });
  return link ? { companyId, link } : null;
}
