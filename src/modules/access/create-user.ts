import { users } from '../../db/tables/access.ts';
import type { Ctx } from '../shared/context.ts';
import { AppError } from '../shared/errors.ts';
import { recordAudit } from './audit.ts';
import { ensureAgency } from './ensure-agency.ts';
import { checkPassword, generatePassword, hashPassword } from './secrets.ts';
import { findUser, normalizeEmail, userView, type UserView } from './user-views.ts';
import { parseRole } from './permissions.ts';
import { t } from '../../domain/text.ts';

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
  if (!name || name.length > 200) throw new AppError('validation_failed', t('a user needs a name of 1 to 200 characters', 'un usuario necesita un nombre de 1 a 200 caracteres'), [{ path: 'name', reason: t('required', 'obligatorio') }]);
  const role = parseRole(input.role);
  const agencyName = input.agency?.trim() || null;
  if (role === 'agency' && !agencyName) throw new AppError('validation_failed', t('an agency user must name its agency', 'un usuario de despacho debe indicar su despacho'), [{ path: 'agency', reason: t('required for the agency role', 'obligatorio para el rol agency') }]);
  if (role !== 'agency' && agencyName) throw new AppError('validation_failed', t('only agency users belong to an agency', 'solo los usuarios de despacho pertenecen a un despacho'), [{ path: 'agency', reason: t(`not allowed for the ${role} role`, `no se permite para el rol ${role}`) }]);
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
    if (!row) throw new AppError('conflict', t(`a user with the email ${email} already exists`, `ya existe un usuario con el correo ${email}`), [{ path: 'email', reason: t('already in use', 'ya está en uso') }]);
    const view = userView(row, agency?.name ?? null);
    await recordAudit(ctx, { action: 'user.create', entity: 'user', entityId: row.id, after: view }, tx);
    return view;
  });
  // Re-read through the tenant-scoped lookup so what is returned is what another read would show.
  const { row, agency } = await findUser(ctx, { id: created.id });
  return { user: userView(row, agency), generatedPassword: input.password === undefined ? password : null };
}
