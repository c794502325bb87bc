import { and, eq, isNull } from 'drizzle-orm';
import { sessions, users } from '../../db/tables/access.ts';
import type { Ctx } from '../shared/context.ts';
import { AppError } from '../shared/errors.ts';
import { recordAudit } from './audit.ts';
import { forgetUserCredentials } from './credential-cache.ts';
import { ensureAgency } from './ensure-agency.ts';
import { findUser, otherActiveAdmins, userView, type UserView } from './user-views.ts';
import { parseRole } from './permissions.ts';
import { t } from '../../domain/text.ts';

export interface UpdateUserInput {
  name?: string | undefined;
  role?: string | undefined;
  /** The agency of an agency user; required when the role becomes agency. */
  agency?: string | null | undefined;
  active?: boolean | undefined;
}

/**
 * Changes a user's name, role (and agency) or active flag. Deactivating or changing a role ends the user's sessions,
 * so a new role applies at once. A company always keeps one active admin.
 */
export async function updateUser(ctx: Ctx, ref: { id?: number; email?: string }, input: UpdateUserInput): Promise<UserView> {
  const view = await ctx.database.db.transaction(async (tx) => {
    const { row, agency } = await findUser(ctx, ref, tx);
    const before = userView(row, agency);
    const role = input.role !== undefined ? parseRole(input.role) : before.role;
    const name = input.name !== undefined ? input.name.trim() : row.name;
    if (!name || name.length > 200) throw new AppError('validation_failed', t('a user needs a name of 1 to 200 characters', 'un usuario necesita un nombre de 1 a 200 caracteres'), [{ path: 'name', reason: t('required', 'obligatorio') }]);
    const active = input.active ?? row.active;
    let agencyId: number | null;
    let agencyName: string | null;
    if (role === 'agency') {
      const wanted = input.agency?.trim() || (input.agency === undefined ? agency : null);
      if (!wanted) throw new AppError('validation_failed', t('an agency user must name its agency', 'un usuario de despacho debe indicar su despacho'), [{ path: 'agency', reason: t('required for the agency role', 'obligatorio para el rol agency') }]);
      const a = await ensureAgency(ctx, wanted, tx);
      agencyId = a.id;
      agencyName = a.name;
    } else {
      if (input.agency) throw new AppError('validation_failed', t('only agency users belong to an agency', 'solo los usuarios de despacho pertenecen a un despacho'), [{ path: 'agency', reason: t(`not allowed for the ${role} role`, `no se permite para el rol ${role}`) }]);
      agencyId = null;
      agencyName = null;
    }
    const losesAdmin = before.role === 'admin' && before.active && (role !== 'admin' || !active);
    if (losesAdmin && (await otherActiveAdmins(ctx, row.id, tx)) === 0) {
      throw new AppError('conflict', t('this is the last active admin of the company; make another user admin first', 'este es el último administrador activo de la empresa; primero haga administrador a otro usuario'));
    }
    const now = ctx.clock.now();
    const [updated] = await tx.update(users).set({ name, role, agencyId, active, updatedAt: now }).where(and(eq(users.id, row.id), eq(users.companyId, ctx.companyId))).returning();
    if (role !== before.role || agencyId !== row.agencyId || !active) {
      await tx.update(sessions).set({ revokedAt: now }).where(and(eq(sessions.userId, row.id), isNull(sessions.revokedAt)));
    }
    const after = userView(updated!, agencyName);
    await recordAudit(ctx, { action: 'user.update', entity: 'user', entityId: row.id, before, after }, tx);
    return after;
  });
  // After the commit, so no request in between can remember the user as it was.
  forgetUserCredentials(ctx.database, view.id);
  return view;
}
