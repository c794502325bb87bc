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
const WORK: Permission[] = [...READ, 'messages:send', 'negotiation:write', 'interactions:write'];

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

/** Narrows a stored role string; unknown roles hold no permission. */
export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
