import { and, eq, isNull } from 'drizzle-orm';
import { sessions, users } from '../../db/tables/access.ts';
import type { Ctx } from '../shared/context.ts';
import { recordAudit } from './audit.ts';
import { forgetUserCredentials } from './credential-cache.ts';
import { checkPassword, generatePassword, hashPassword } from './secrets.ts';
import { findUser } from './user-views.ts';

/**
 * An administrator sets a user's password (or has one generated), which also lifts a lockout and ends the user's
 * sessions. Returns the password only when it was generated here.
 */
export async function setUserPassword(ctx: Ctx, ref: { id?: number; email?: string }, password?: string): Promise<{ email: string; generatedPassword: string | null }> {
  const { row } = await findUser(ctx, ref);
  const next = password ?? generatePassword();
  checkPassword(next, row.email);
  const passwordHash = await hashPassword(next);
  await ctx.database.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    await tx.update(users).set({ passwordHash, failedLogins: 0, lockedUntil: null, updatedAt: now }).where(and(eq(users.id, row.id), eq(users.companyId, ctx.companyId)));
    await tx.update(sessions).set({ revokedAt: now }).where(and(eq(sessions.userId, row.id), isNull(sessions.revokedAt)));
    // The password itself is never audited, only that it changed.
    await recordAudit(ctx, { action: 'user.set_password', entity: 'user', entityId: row.id, after: { email: row.email } }, tx);
  });
  forgetUserCredentials(ctx.database, row.id);
  return { email: row.email, generatedPassword: password === undefined ? next : null };
}
