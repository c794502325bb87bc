/** What a debtor did in the portal, as rows the debtor's timeline shows. */
import type { Db } from '../../db/connection.ts';
import { portalEvents } from '../../db/tables/portal.ts';
import type { PortalAccess } from './open-portal.ts';

/** Kinds of portal events (the timeline words each one). */
export const PORTAL_EVENT_KINDS = [
  'identity_passed',
  'identity_failed',
  'identity_locked',
  'payment_started',
  'promise',
  'plan',
  'plan_request',
  'dispute',
  'contact_updated',
  'opt_out',
  'letter',
  'agreement',
] as const;
export type PortalEventKind = (typeof PORTAL_EVENT_KINDS)[number];

/** Records one event; pass the action's transaction so both commit together. */
export async function recordPortalEvent(access: PortalAccess, kind: PortalEventKind, details: Record<string, unknown>, db: Db = access.ctx.database.db): Promise<void> {
  const plain = JSON.parse(JSON.stringify(details, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as Record<string, unknown>;
  await db.insert(portalEvents).values({ companyId: access.ctx.companyId, debtorId: access.debtor.id, linkId: access.link.id, kind, details: plain, at: access.ctx.clock.now() });
}
