/** Placing a debtor with a collection agency, and ending it. The history stays: an ended placement is kept. */
import { and, asc, eq, isNull } from 'drizzle-orm';
import { debtors } from '../../db/schema.ts';
import { agencies, agencyPlacements } from '../../db/tables/access.ts';
import type { Ctx } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { recordAudit } from './audit.ts';
import { ensureAgency } from './ensure-agency.ts';

/** One placement, open (`ended_at` null) or past. */
export interface PlacementView {
  agency: string;
  placed_at: string;
  placed_by: string;
  note: string | null;
  ended_at: string | null;
  ended_by: string | null;
}

async function debtorId(ctx: Ctx, externalId: string, db = ctx.database.db): Promise<number> {
  const [row] = await db.select({ id: debtors.id }).from(debtors).where(and(eq(debtors.companyId, ctx.companyId), eq(debtors.externalId, externalId)));
  if (!row) throw notFound('debtor', externalId);
  return row.id;
}

/** Places the debtor with the agency (created if new), ending any other open placement. Placing twice is a no-op. */
export async function placeWithAgency(ctx: Ctx, input: { debtorExternalId: string; agency: string; note?: string | undefined }): Promise<PlacementView> {
  return ctx.database.db.transaction(async (tx) => {
    const id = await debtorId(ctx, input.debtorExternalId, tx);
    const agency = await ensureAgency(ctx, input.agency, tx);
    const now = ctx.clock.now();
    const [open] = await tx.select().from(agencyPlacements).where(and(eq(agencyPlacements.companyId, ctx.companyId), eq(agencyPlacements.debtorId, id), isNull(agencyPlacements.endedAt)));
    if (open && open.agencyId === agency.id) return view(open, agency.name);
    if (open) await tx.update(agencyPlacements).set({ endedAt: now, endedBy: ctx.actor }).where(eq(agencyPlacements.id, open.id));
    const [row] = await tx
      .insert(agencyPlacements)
      .values({ companyId: ctx.companyId, debtorId: id, agencyId: agency.id, placedAt: now, placedBy: ctx.actor, note: input.note?.trim() || null })
      .returning();
    await recordAudit(ctx, { action: 'placement.create', entity: 'debtor', entityId: input.debtorExternalId, before: open ? { agency_id: open.agencyId } : null, after: { agency: agency.name, note: row!.note } }, tx);
    return view(row!, agency.name);
  });
}

/** Ends the debtor's open placement; returns whether there was one. */
export async function endPlacement(ctx: Ctx, input: { debtorExternalId: string }): Promise<boolean> {
  return ctx.database.db.transaction(async (tx) => {
    const id = await debtorId(ctx, input.debtorExternalId, tx);
    const ended = await tx
      .update(agencyPlacements)
      .set({ endedAt: ctx.clock.now(), endedBy: ctx.actor })
      .where(and(eq(agencyPlacements.companyId, ctx.companyId), eq(agencyPlacements.debtorId, id), isNull(agencyPlacements.endedAt)))
      .returning({ agencyId: agencyPlacements.agencyId });
    if (ended.length) await recordAudit(ctx, { action: 'placement.end', entity: 'debtor', entityId: input.debtorExternalId, before: { agency_id: ended[0]!.agencyId } }, tx);
    return ended.length > 0;
  });
}

/** The debtor's placements, oldest first. */
export async function listPlacements(ctx: Ctx, input: { debtorExternalId: string }): Promise<PlacementView[]> {
  const id = await debtorId(ctx, input.debtorExternalId);
  const rows = await ctx.database.db
    .select({ p: agencyPlacements, agency: agencies.name })
    .from(agencyPlacements)
    .innerJoin(agencies, eq(agencies.id, agencyPlacements.agencyId))
    .where(and(eq(agencyPlacements.companyId, ctx.companyId), eq(agencyPlacements.debtorId, id)))
    .orderBy(asc(agencyPlacements.placedAt), asc(agencyPlacements.id));
  return rows.map((r) => view(r.p, r.agency));
}

function view(p: typeof agencyPlacements.$inferSelect, agency: string): PlacementView {
  return { agency, placed_at: p.placedAt.toISOString(), placed_by: p.placedBy, note: p.note, ended_at: p.endedAt?.toISOString() ?? null, ended_by: p.endedBy };
}
