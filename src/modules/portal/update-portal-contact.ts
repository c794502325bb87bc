/**
 * The debtor's own contact details and channel preferences. A channel set to "no" is an opt-out (the compliance gate
 * stops using it at once); setting it back to "yes" from the portal is the debtor's consent again. Each change is
 * audited and lands on the timeline.
 */
import { and, eq } from 'drizzle-orm';
import { consents, debtors } from '../../db/schema.ts';
import type { Db } from '../../db/connection.ts';
import { normalizePhone } from '../../domain/phone.ts';
import { recordAudit } from '../access/audit.ts';
import { AppError, compose, say, t, type DetailInput } from '../shared/errors.ts';
import { recordPortalEvent } from './events.ts';
import type { PortalAccess } from './open-portal.ts';
import { PORTAL_CHANNELS, type PortalChannel } from './get-portal-account.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface PortalContactInput {
  /** null clears it; undefined leaves it. */
  email?: string | null | undefined;
  phone?: string | null | undefined;
  whatsapp?: string | null | undefined;
  /** yes: the debtor agrees to be contacted by the channel; no: opt-out. */
  channels?: Partial<Record<PortalChannel, 'yes' | 'no'>> | undefined;
}

/** Saves the changes. AppError validation_failed with one detail per bad field (nothing saved then). */
export async function updatePortalContact(access: PortalAccess, input: PortalContactInput): Promise<void> {
  const { ctx, debtor } = access;
  const problems: DetailInput[] = [];
  const changes: { email?: string | null; phone?: string | null; whatsapp?: string | null } = {};
  const [row] = await ctx.database.db.select({ country: debtors.country }).from(debtors).where(eq(debtors.id, debtor.id));
  if (input.email !== undefined) {
    const email = input.email?.trim() || null;
    if (email !== null && (email.length > 254 || !EMAIL.test(email))) problems.push({ path: 'email', reason: t('is not an email address', 'no es un correo electrónico') });
    else changes.email = email;
  }
  for (const field of ['phone', 'whatsapp'] as const) {
    const value = input[field];
    if (value === undefined) continue;
    const text = value?.trim() || null;
    if (text === null) {
      changes[field] = null;
      continue;
    }
    const phone = normalizePhone(text, row!.country);
    if (!phone.ok) problems.push({ path: field, reason: phone.reason });
    else changes[field] = phone.e164;
  }
  const channelChanges = Object.entries(input.channels ?? {}) as [string, string][];
  for (const [channel, choice] of channelChanges) {
    if (!(PORTAL_CHANNELS as readonly string[]).includes(channel)) {
      problems.push({ path: `channels.${channel}`, reason: t(`unknown channel; use ${PORTAL_CHANNELS.join(', ')}`, `canal desconocido; use ${PORTAL_CHANNELS.join(', ')}`) });
    } else if (choice !== 'yes' && choice !== 'no') problems.push({ path: `channels.${channel}`, reason: t('must be yes or no', 'debe ser yes o no') });
  }
  if (problems.length) {
    const list = (l: 'en' | 'es') => problems.map((p) => `${p.path} ${say(p.reason, l)}`).join('; ');
    throw new AppError('validation_failed', compose((l) => (l === 'es' ? `los datos de contacto no son válidos: ${list(l)}` : `the contact details are not valid: ${list(l)}`)), problems);
  }

  const now = ctx.clock.now();
  await ctx.database.db.transaction(async (transaction) => {
    const tx = transaction as unknown as Db;
    const before = { email: debtor.email, phone: debtor.phone, whatsapp: debtor.whatsapp };
    const changed = Object.entries(changes).filter(([k, v]) => before[k as keyof typeof before] !== v);
    if (changed.length) {
      await tx.update(debtors).set({ ...changes, updatedAt: now }).where(and(eq(debtors.companyId, ctx.companyId), eq(debtors.id, debtor.id)));
      await recordAudit(ctx, { action: 'debtor.update_contact', entity: 'debtor', entityId: debtor.externalId, before, after: { ...before, ...changes } }, tx);
    }
    const prefs: Record<string, string> = {};
    for (const [channel, choice] of channelChanges) {
      await setChannel(access, tx, channel, choice === 'yes', now);
      prefs[channel] = choice;
    }
    if (changed.length || channelChanges.length) {
      await recordPortalEvent(access, 'contact_updated', { fields: changed.map(([k]) => k), channels: prefs }, tx);
    }
  });
}

/** Opts the debtor out of one channel (what "BAJA" does, from the portal). */
export async function optOutFromPortal(access: PortalAccess, channel: string): Promise<void> {
  if (!(PORTAL_CHANNELS as readonly string[]).includes(channel)) {
    throw new AppError('validation_failed', t(`unknown channel "${channel}"; use ${PORTAL_CHANNELS.join(', ')}`, `canal desconocido "${channel}"; use ${PORTAL_CHANNELS.join(', ')}`), [
      { path: 'channel', reason: t('unknown', 'desconocido') },
    ]);
  }
  const now = access.ctx.clock.now();
  await access.ctx.database.db.transaction(async (transaction) => {
    const tx = transaction as unknown as Db;
    await setChannel(access, tx, channel, false, now);
    await recordPortalEvent(access, 'opt_out', { channel }, tx);
  });
}

async function setChannel(access: PortalAccess, tx: Db, channel: string, allowed: boolean, now: Date): Promise<void> {
  const { ctx, debtor } = access;
  const [before] = await tx.select().from(consents).where(and(eq(consents.debtorId, debtor.id), eq(consents.channel, channel)));
  const status = allowed ? 'granted' : (before?.status ?? 'unknown');
  // An opt-out keeps its first instant: opting out twice does not move it.
  const optedOutAt = allowed ? null : (before?.optedOutAt ?? now);
  await tx
    .insert(consents)
    .values({ companyId: ctx.companyId, debtorId: debtor.id, channel, status, optedOutAt, source: 'portal', createdAt: now, updatedAt: now })
    .onConflictDoUpdate({ target: [consents.debtorId, consents.channel], set: { status, optedOutAt, source: 'portal', updatedAt: now } });
  await recordAudit(
    ctx,
    { action: allowed ? 'consent.grant' : 'consent.opt_out', entity: 'consent', entityId: `${debtor.externalId}:${channel}`, before: before ? { status: before.status, optedOutAt: before.optedOutAt } : null, after: { status, optedOutAt } },
    tx,
  );
}
