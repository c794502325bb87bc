/** How a user is shown (never with its password hash), and lookups shared by the user use cases. */
import { and, eq, sql } from 'drizzle-orm';
import { agencies, users } from '../../db/tables/access.ts';
import type { Ctx } from '../shared/context.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { isRole, type Role } from './permissions.ts';
import { t } from '../../domain/text.ts';

/** A user as the API and the CLI show it. */
export interface UserView {
  id: number;
  email: string;
  name: string;
  role: Role;
  /** The agency's name, for agency users. */
  agency: string | null;
  active: boolean;
  locked_until: string | null;
  last_login_at: string | null;
  created_at: string;
}

export type UserRow = typeof users.$inferSelect;

/** The row and its agency's name as a view. */
export function userView(row: UserRow, agencyName: string | null): UserView {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: isRole(row.role) ? row.role : 'viewer',
    agency: agencyName,
    active: row.active,
    locked_until: row.lockedUntil?.toISOString() ?? null,
    last_login_at: row.lastLoginAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
  };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Trims and lower-cases an email, refusing what cannot be one. */
export function normalizeEmail(email: string): string {
  const e = email.trim().toLowerCase();
  if (!EMAIL.test(e) || e.length > 254) throw new AppError('validation_failed', t(`"${email}" is not an email address`, `"${email}" no es un correo electrónico`), [{ path: 'email', reason: t('not an email address', 'no es un correo electrónico') }]);
  return e;
}

/** Finds the company's user by id or email, with its agency's name; another company's user is not_found. */
export async function findUser(ctx: Ctx, ref: { id?: number; email?: string }, db = ctx.database.db): Promise<{ row: UserRow; agency: string | null }> {
  const match = ref.id !== undefined ? eq(users.id, ref.id) : eq(users.email, (ref.email ?? '').trim().toLowerCase());
  const [found] = await db
    .select({ row: users, agency: agencies.name })
    .from(users)
    .leftJoin(agencies, eq(agencies.id, users.agencyId))
    .where(and(eq(users.companyId, ctx.companyId), match));
  if (!found) throw notFound('user', ref.id ?? ref.email ?? '');
  return found;
}

/** Active admins of the company other than `exceptId`: a company must always keep one. */
export async function otherActiveAdmins(ctx: Ctx, exceptId: number, db = ctx.database.db): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(and(eq(users.companyId, ctx.companyId), eq(users.role, 'admin'), eq(users.active, true), sql`${users.id} <> ${exceptId}`));
  return r?.n ?? 0;
}
