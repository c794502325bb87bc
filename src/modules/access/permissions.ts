import { AppError, t } from '../shared/errors.ts';

/**
 * Roles and what they may do. Every HTTP route declares the one permission it needs (`config.permission`); the guard
 * refuses a principal whose role lacks it. Kept as data so the role × route matrix test can read it.
 */
export const ROLES = ['admin', 'supervisor', 'collector', 'agency', 'auditor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'profile:read',
  'portfolio:read',
  'portfolio:write',
  'runs:execute',
  'strategies:read',
  'strategies:write',
  'messages:send',
  'negotiation:read',
  'negotiation:write',
  'negotiation:approve',
  'payments:read',
  'payments:write',
  'worklist:read',
  'worklist:assign',
  'interactions:write',
  'accounts:write_off',
  'reports:read',
  'reports:export',
  'settings:write',
  'users:manage',
  'audit:read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** What every role may read; `profile:read` is seeing who one is signed in as (GET /auth/me). */
const READ: Permission[] = ['profile:read', 'portfolio:read', 'strategies:read', 'negotiation:read', 'payments:read', 'worklist:read', 'reports:read'];
/**
 * `negotiation:approve` lets a user decide on exceptions to the negotiation policy, but only on those whose policy names
 * their role or a lower one as approver (admin > supervisor > collector; an agency only where named): the negotiation
 * module checks the role against the policy.
 */
const WORK: Permission[] = [...READ, 'messages:send', 'negotiation:write', 'negotiation:approve', 'interactions:write'];

/** The permission table. Agencies work like collectors, but only on the accounts placed with them. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  supervisor: PERMISSIONS.filter((p) => p !== 'users:manage' && p !== 'settings:write'),
  collector: WORK,
  agency: WORK,
  auditor: [...READ, 'reports:export', 'audit:read'],
  viewer: READ,
};

/** Whether a role holds a permission. */
export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/** Roles that see only the debtors placed with them (visibleDebtorFilter narrows every read of theirs). */
export const PLACEMENT_SCOPED_ROLES: readonly Role[] = ['agency'];

/**
 * Whether a role may call a route: it holds the route's permission, and a route marked `wholeCompany` (it answers
 * with figures about the whole company that no placement filter narrows) is refused to placement-scoped roles.
 */
export function mayCall(role: Role, route: { permission: Permission; wholeCompany?: boolean | undefined }): boolean {
  return can(role, route.permission) && !(route.wholeCompany === true && PLACEMENT_SCOPED_ROLES.includes(role));
}

/** Narrows a stored role string; unknown roles hold no permission. */
export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/**
 * The roles an API key may have. Not agency: an agency sees only the accounts placed with the agency its user belongs
 * to, and a key belongs to no agency.
 */
export const API_KEY_ROLES = ['admin', 'supervisor', 'collector', 'auditor', 'viewer'] as const satisfies readonly Role[];

/** "a, b or c" (`or` = "or") / "a, b o c". */
const listOf = (roles: readonly Role[], or: string) => `${roles.slice(0, -1).join(', ')} ${or} ${roles[roles.length - 1]}`;

/** The roles one may choose from, as a sentence ends: "a, b or c" / "a, b o c". */
export interface RoleChoices {
  en: string;
  es: string;
}

/**
 * A role given as input, in any case and with spaces around it, as a Role among `allowed` (every role unless told),
 * or a validation error at `role` naming the choices. A real role outside `allowed` gets `refuse`'s error, when the
 * caller says why it cannot have it.
 */
export function parseRole(value: string, allowed: readonly Role[] = ROLES, refuse?: (role: Role, choices: RoleChoices) => AppError): Role {
  const role = value.trim().toLowerCase();
  if (isRole(role) && allowed.includes(role)) return role;
  const choices = { en: listOf(allowed, 'or'), es: listOf(allowed, 'o') };
  if (isRole(role) && refuse) throw refuse(role, choices);
  throw new AppError('validation_failed', t(`unknown role "${value}"; use ${choices.en}`, `rol desconocido "${value}"; use ${choices.es}`), [{ path: 'role', reason: t('unknown role', 'rol desconocido') }]);
}
