import { and, asc, eq } from 'drizzle-orm';
import { agencies } from '../../db/tables/access.ts';
import type { Database } from '../../db/connection.ts';
import type { Ctx } from '../shared/context.ts';
import { AppError } from '../shared/errors.ts';
import { recordAudit } from './audit.ts';
import { t } from '../../domain/text.ts';

/** An agency as listed. */
export interface AgencyView {
  id: number;
  name: string;
}

/** The company's agency with this name, created (and audited) on first use. Pass the transaction as `db`. */
export async function ensureAgency(ctx: Ctx, name: string, db: Database['db'] = ctx.database.db): Promise<AgencyView> {
  const n = name.trim();
  if (!n || n.length > 200) throw new AppError('validation_failed', t('an agency needs a name of 1 to 200 characters', 'un despacho necesita un nombre de 1 a 200 caracteres'), [{ path: 'agency', reason: t('required', 'obligatorio') }]);
  const [existing] = await db.select().from(agencies).where(and(eq(agencies.companyId, ctx.companyId), eq(agencies.name, n)));
  if (existing) return { id: existing.id, name: existing.name };
  const [row] = await db.insert(agencies).values({ companyId: ctx.companyId, name: n, createdAt: ctx.clock.now() }).returning();
  await recordAudit(ctx, { action: 'agency.create', entity: 'agency', entityId: row!.id, after: { name: n } }, db);
  return { id: row!.id, name: row!.name };
}

/** The company's agencies by name. */
export async function listAgencies(ctx: Ctx): Promise<AgencyView[]> {
  return ctx.database.db.select({ id: agencies.id, name: agencies.name }).from(agencies).where(eq(agencies.companyId, ctx.companyId)).orderBy(asc(agencies.name));
}
