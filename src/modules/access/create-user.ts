import { users } from '../../db/tables/access.ts';
import type { Ctx } from '../shared/context.ts';
import { AppError } from '../shared/errors.ts';
import { recordAudit } from './audit.ts';
import { ensureAgency } from './ensure-agency.ts';
import { checkPassword, generatePassword, hashPassword } from './secrets.ts';
import { findUser, normalizeEmail, parseRole, userView, type UserView } from './user-views.ts';

export interface CreateUserInput {
  email: string;
  name: string;
  role: string;
  /** Required for the agency role (created if new), refused for the others. */
  agency?: string | null | undefined;
  /** Omitted: a password is generated and returned once. */
  password?: string | undefined;
}

/** Adds a user to the company. Returns the password only when it was generated here. */
export async function createUser(ctx: Ctx, input: CreateUserInput): Promise<{ user: UserView; generatedPassword: string | null }> {
  const email = normalizeEmail(input.email);
  const name = input.name.trim();
  if (!name || name.length > 200) throw new AppError('validation_failed', 'a user needs a name of 1 to 200 characters', [{ path: 'name', reason: 'required' }]);
  const role = parseRole(input.role);
  const agencyName = input.agency?.trim() || null;
  if (role === 'agency' && !agencyName) throw new AppError('validation_failed', 'an agency user must name its agency', [{ path: 'agency', reason: 'required for the agency role' }]);
  if (role !== 'agency' && agencyName) throw new AppError('validation_failed', 'only agency users belong to an agency', [{ path: 'agency', reason: `not allowed for the ${role} role` }]);
  const password = input.password ?? generatePassword();
  checkPassword(password, email);
  const passwordHash = await hashPassword(password);

  const created = await ctx.database.db.transaction(async (tx) => {
    const agency = agencyName ? await ensureAgency(ctx, agencyName, tx) : null;
    const now = ctx.clock.now();
    const [row] = await tx
      .insert(users)
      .values({ companyId: ctx.companyId, email, name, role, agencyId: agency?.id ?? null, passwordHash, createdAt: now, updatedAt: now })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new AppError('conflict', `a user with the email ${email} already exists`, [{ path: 'email', reason: 'already in use' }]);
    const view = userView(row, agency?.name ?? null);
    await recordAudit(ctx, { action: 'user.create', entity: 'user', entityId: row.id, after: view }, tx);
    return view;
  });
  // Re-read through the tenant-scoped lookup so what is returned is what another read would show.
  const { row, agency } = await findUser(ctx, { id: created.id });
  return { user: userView(row, agency), generatedPassword: input.password === undefined ? password : null };
}
