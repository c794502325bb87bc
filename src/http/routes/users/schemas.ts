import { z } from 'zod';
import { ROLES } from '../../../modules/access/permissions.ts';

/** A user as the API shows it (never its password). */
export const UserSchema = z
  .object({
    id: z.number().int(),
    email: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    agency: z.string().nullable().describe('the agency of an agency user'),
    active: z.boolean(),
    locked_until: z.string().nullable().describe('set while too many failed sign-ins lock the user'),
    last_login_at: z.string().nullable(),
    created_at: z.string(),
  })
  .meta({ id: 'User' });

export const userIdParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export const emailField = z.string().trim().min(3).max(254);
export const passwordField = z.string().min(1).max(256);
