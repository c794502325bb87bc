/**
 * Signing in with email and password, and the sessions it opens. Lockout: `maxFailedLogins` wrong passwords in a row
 * lock the user for `lockoutMs` (time from the injected clock); while locked, not even the right password opens a
 * session, and the attempts do not extend the lock. Every attempt is logged in login_attempts.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../db/connection.ts';
import { companies } from '../../db/schema.ts';
import { agencies, loginAttempts, sessions, users } from '../../db/tables/access.ts';
import type { Clock } from '../shared/clock.ts';
import type { Ctx } from '../shared/context.ts';
import { holdsEmbeddedDatabase } from '../shared/job-liveness.ts';
import { AppError } from '../shared/errors.ts';
import { recordAudit } from './audit.ts';
import { cachedCredential, forgetCredential, rememberCredential } from './credential-cache.ts';
import type { AuthSettings } from './settings.ts';
import { decoyHash, hashToken, newToken, verifyPassword } from './secrets.ts';
import { userView, type UserView } from './user-views.ts';
import { t } from '../../domain/text.ts';

/** What the auth use cases need: no tenant yet, the tenant comes from the user. */
export interface AuthDeps {
  database: Database;
  clock: Clock;
  settings: AuthSettings;
}

/** A signed-in user and the company it belongs to. */
export interface SignedIn {
  user: UserView;
  company: { id: number; slug: string; name: string; locale: string };
}

const WRONG = t('wrong email or password', 'correo o contraseña incorrectos');

/** Checks the credentials and opens a session; returns the session token (for the cookie, never stored). */
export async function signIn(deps: AuthDeps, input: { email: string; password: string; ip?: string | null; userAgent?: string | null }): Promise<SignedIn & { token: string; expiresAt: Date }> {
  const { db } = deps.database;
  const email = input.email.trim().toLowerCase();
  const now = deps.clock.now();
  const log = (outcome: string, userId: number | null, companyId: number | null) =>
    db.insert(loginAttempts).values({ email: email.slice(0, 254), userId, companyId, at: now, outcome, ip: input.ip ?? null });

  const [row] = await db.select().from(users).where(eq(users.email, email));
  if (!row) {
    // Same work as for a real user, so the answer's timing does not reveal which emails exist.
    await verifyPassword(await decoyHash(), input.password);
    await log('unknown_user', null, null);
    throw new AppError('unauthorized', WRONG);
  }
  if (row.lockedUntil && row.lockedUntil > now) {
    await log('locked', row.id, row.companyId);
    throw lockedError(row.lockedUntil, now);
  }
  if (!(await verifyPassword(row.passwordHash, input.password))) {
    const max = deps.settings.maxFailedLogins;
    const until = new Date(now.getTime() + deps.settings.lockoutMs);
    // One statement, so concurrent wrong attempts count exactly; the attempt that reaches the limit locks and resets.
    const [after] = await db
      .update(users)
      .set({
        failedLogins: sql`case when ${users.failedLogins} + 1 >= ${max} then 0 else ${users.failedLogins} + 1 end`,
        lockedUntil: sql`case when ${users.failedLogins} + 1 >= ${max} then ${until.toISOString()}::timestamptz else ${users.lockedUntil} end`,
      })
      .where(eq(users.id, row.id))
      .returning({ lockedUntil: users.lockedUntil });
    await log('bad_password', row.id, row.companyId);
    if (after?.lockedUntil && after.lockedUntil > now) {
      const ctx = systemCtx(deps, row.companyId, email);
      await recordAudit(ctx, { action: 'user.lock', entity: 'user', entityId: row.id, after: { locked_until: after.lockedUntil.toISOString(), failed_logins: max } });
      throw lockedError(after.lockedUntil, now);
    }
    throw new AppError('unauthorized', WRONG);
  }
  if (!row.active) {
    await log('inactive', row.id, row.companyId);
    throw new AppError('unauthorized', t('this user is deactivated; ask an administrator of your company', 'este usuario está desactivado; pida ayuda a un administrador de su empresa'));
  }

  const token = newToken();
  const expiresAt = new Date(now.getTime() + deps.settings.sessionTtlMs);
  const signedIn = await db.transaction(async (tx) => {
    const [updated] = await tx.update(users).set({ failedLogins: 0, lockedUntil: null, lastLoginAt: now }).where(eq(users.id, row.id)).returning();
    await tx.insert(sessions).values({ companyId: row.companyId, userId: row.id, tokenHash: hashToken(token), createdAt: now, lastSeenAt: now, expiresAt, userAgent: input.userAgent?.slice(0, 500) ?? null });
    await tx.insert(loginAttempts).values({ email, userId: row.id, companyId: row.companyId, at: now, outcome: 'succeeded', ip: input.ip ?? null });
    return describe(tx, updated!);
  });
  return { ...signedIn, token, expiresAt };
}

/** Ends the session of this token (signing out twice is harmless). */
export async function signOut(deps: Pick<AuthDeps, 'database' | 'clock'>, token: string): Promise<void> {
  const tokenHash = hashToken(token);
  await deps.database.db.update(sessions).set({ revokedAt: deps.clock.now() }).where(and(eq(sessions.tokenHash, tokenHash), isNull(sessions.revokedAt)));
  forgetCredential(deps.database, sessionCacheKey(tokenHash));
}

/** Activity is written at most this often, so reads do not each cost a write. */
const TOUCH_EVERY_MS = 60_000;

/** A verified session as remembered between requests (credential-cache.ts). */
interface KnownSession {
  signedIn: SignedIn;
  sessionId: number;
  agencyId: number | null;
  lastSeenAt: Date;
  expiresAt: Date;
}

function sessionCacheKey(tokenHash: string): string {
  return `session:${tokenHash}`;
}

/**
 * The user behind a session token, or null when the token is unknown, revoked, past its absolute end, idle for too
 * long, or its user is deactivated. A verified session is remembered briefly (credential-cache.ts); signing out and
 * every change to the user forget it, and its end and idle time are judged on every call.
 */
export async function authenticateSession(deps: AuthDeps, token: string): Promise<(SignedIn & { sessionId: number; agencyId: number | null }) | null> {
  const { db } = deps.database;
  const now = deps.clock.now();
  const tokenHash = hashToken(token);
  const cacheKey = sessionCacheKey(tokenHash);
  let known = cachedCredential<KnownSession>(deps.database, cacheKey);
  if (!known) {
    const [found] = await db
      .select({ session: sessions, user: users })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(and(eq(sessions.tokenHash, tokenHash), isNull(sessions.revokedAt)));
    if (!found || !found.user.active) return null;
    const { session, user } = found;
    if (session.expiresAt <= now || session.lastSeenAt.getTime() + deps.settings.idleTimeoutMs <= now.getTime()) return null;
    known = { signedIn: await describe(db, user), sessionId: session.id, agencyId: user.agencyId, lastSeenAt: session.lastSeenAt, expiresAt: session.expiresAt };
    rememberCredential(deps.database, cacheKey, known, user.id);
  }
  if (known.expiresAt <= now || known.lastSeenAt.getTime() + deps.settings.idleTimeoutMs <= now.getTime()) {
    forgetCredential(deps.database, cacheKey);
    return null;
  }
  // While a job holds the embedded database the write would wait for it; a request after the job makes it.
  if (now.getTime() - known.lastSeenAt.getTime() >= TOUCH_EVERY_MS && !holdsEmbeddedDatabase(deps.database)) {
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, known.sessionId));
    known.lastSeenAt = now;
  }
  return { ...known.signedIn, sessionId: known.sessionId, agencyId: known.agencyId };
}

async function describe(db: Database['db'], user: typeof users.$inferSelect): Promise<SignedIn> {
  const [company] = await db.select().from(companies).where(eq(companies.id, user.companyId));
  const agency = user.agencyId ? ((await db.select({ name: agencies.name }).from(agencies).where(eq(agencies.id, user.agencyId)))[0]?.name ?? null) : null;
  return { user: userView(user, agency), company: { id: company!.id, slug: company!.slug, name: company!.name, locale: company!.locale } };
}

function lockedError(until: Date, now: Date): AppError {
  const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
  return new AppError('too_many_attempts', t(`too many failed sign-ins: this user is locked for ${minutes} more minute${minutes === 1 ? '' : 's'}; try again later or reset the password`, `demasiados intentos fallidos de inicio de sesión: este usuario está bloqueado ${minutes} minuto${minutes === 1 ? '' : 's'} más; inténtelo más tarde o restablezca la contraseña`), [
    { path: 'locked_until', reason: until.toISOString() },
  ]);
}

/** A context for records the sign-in itself writes (the lockout's audit entry). */
function systemCtx(deps: AuthDeps, companyId: number, actor: string): Ctx {
  return { database: deps.database, clock: deps.clock, companyId, actor };
}
