/** The company's portal settings: the identity check, link lifetime and the lock after wrong answers. */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { portalSettings } from '../../db/tables/portal.ts';
import { recordAudit } from '../access/audit.ts';
import type { Ctx } from '../shared/context.ts';
import { problemsError, t } from '../shared/errors.ts';
import type { Database } from '../../db/connection.ts';
import { portalRuntime } from './runtime.ts';
import { issueText } from '../../domain/zod-issues.ts';

/** How the debtor proves who they are before anything sensitive. */
export const IDENTITY_CHECKS = ['tax_id_last4', 'birth_date', 'none'] as const;
export type IdentityCheck = (typeof IDENTITY_CHECKS)[number];

export interface PortalSettings {
  identityCheck: IdentityCheck;
  linkTtlDays: number;
  maxAttempts: number;
  lockMinutes: number;
}

/** What `setPortalSettings` accepts (every field optional; the rest stays). */
export const portalSettingsInput = z.strictObject({
  identity_check: z.enum(IDENTITY_CHECKS).optional(),
  link_ttl_days: z.number().int().min(1).max(365).optional(),
  max_attempts: z.number().int().min(1).max(20).optional(),
  lock_minutes: z.number().int().min(1).max(60 * 24 * 30).optional(),
});
export type PortalSettingsInput = z.infer<typeof portalSettingsInput>;

type Row = typeof portalSettings.$inferSelect;

/** The stored row, created with its random key on first use (two racing creators keep the first key). */
async function settingsRow(database: Database, companyId: number): Promise<Row> {
  const [row] = await database.db.select().from(portalSettings).where(eq(portalSettings.companyId, companyId));
  if (row) return row;
  await database.db
    .insert(portalSettings)
    .values({ companyId, secret: randomBytes(32).toString('base64url') })
    .onConflictDoNothing();
  const [created] = await database.db.select().from(portalSettings).where(eq(portalSettings.companyId, companyId));
  return created!;
}

function view(row: Row): PortalSettings {
  return {
    identityCheck: (IDENTITY_CHECKS as readonly string[]).includes(row.identityCheck) ? (row.identityCheck as IdentityCheck) : 'tax_id_last4',
    linkTtlDays: row.linkTtlDays,
    maxAttempts: row.maxAttempts,
    lockMinutes: row.lockMinutes,
  };
}

/** The company's settings (defaults until changed). */
export async function loadPortalSettings(ctx: Pick<Ctx, 'database' | 'companyId'>): Promise<PortalSettings> {
  return view(await settingsRow(ctx.database, ctx.companyId));
}

/** The key that signs and checks this company's links. */
export async function signingSecret(database: Database, companyId: number): Promise<string> {
  const server = portalRuntime().secret;
  // One server secret serves every company: the company id is part of what is signed.
  if (server) return server;
  return (await settingsRow(database, companyId)).secret;
}

/** Changes the settings (audited). AppError validation_failed. */
export async function setPortalSettings(ctx: Ctx, input: unknown): Promise<PortalSettings> {
  const parsed = portalSettingsInput.safeParse(input);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ path: i.path.join('.') || 'settings', reason: issueText(i) }));
    throw problemsError(t('the portal settings are not valid', 'la configuración del portal no es válida'), details);
  }
  const before = view(await settingsRow(ctx.database, ctx.companyId));
  const p = parsed.data;
  return ctx.database.db.transaction(async (tx) => {
    const [row] = await tx
      .update(portalSettings)
      .set({
        ...(p.identity_check !== undefined && { identityCheck: p.identity_check }),
        ...(p.link_ttl_days !== undefined && { linkTtlDays: p.link_ttl_days }),
        ...(p.max_attempts !== undefined && { maxAttempts: p.max_attempts }),
        ...(p.lock_minutes !== undefined && { lockMinutes: p.lock_minutes }),
        updatedAt: ctx.clock.now(),
      })
      .where(eq(portalSettings.companyId, ctx.companyId))
      .returning();
    const after = view(row!);
    await recordAudit(ctx, { action: 'portal_settings.update', entity: 'portal_settings', entityId: ctx.companyId, before, after }, tx as unknown as Ctx['database']['db']);
    return after;
  });
}
