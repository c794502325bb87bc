/** The users API (GET/POST /users, GET/PATCH /users/:id, POST /users/:id/password-reset). */
export const ROLES = ['admin', 'supervisor', 'collector', 'agency', 'auditor', 'viewer'] as const;

export interface User {
  id: number;
  email: string;
  name: string;
  role: (typeof ROLES)[number];
  agency: string | null;
  active: boolean;
  locked_until: string | null;
  last_login_at: string | null;
  created_at: string;
}

export const USERS_QUERY = ['users'] as const;
