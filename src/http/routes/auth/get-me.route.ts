import { z } from 'zod';
import { eq } from 'drizzle-orm';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses } from '../../schemas.ts';
import { companies } from '../../../db/schema.ts';
import { findUser, userView } from '../../../modules/access/user-views.ts';
import { ROLE_PERMISSIONS, ROLES } from '../../../modules/access/permissions.ts';
import { UserSchema } from '../users/schemas.ts';

const MeSchema = z
  .object({
    kind: z.enum(['user', 'api_key']),
    actor: z.string().describe("the user's email or the API key's name, as the audit log records it"),
    role: z.enum(ROLES),
    permissions: z.array(z.string()).describe('what this role may do; the web app hides what it may not'),
    user: UserSchema.nullable(),
    company: z.object({ id: z.number().int(), slug: z.string(), name: z.string(), locale: z.string() }),
  })
  .meta({ id: 'Me' });

/** GET /auth/me — who the request is signed in as, with its role's permissions. */
export function getMeRoute(app: App): void {
  app.get(
    '/auth/me',
    {
      config: { permission: 'profile:read' },
      schema: { tags: ['auth'], summary: 'Who is signed in: user or API key, role, permissions, company', response: { 200: MeSchema, ...errorResponses } },
    },
    async (request) => {
      const ctx = ctxOf(request);
      const p = ctx.principal!;
      const [company] = await ctx.database.db.select().from(companies).where(eq(companies.id, ctx.companyId));
      const user = p.kind === 'user' && p.id !== null ? await findUser(ctx, { id: p.id }) : null;
      return {
        kind: p.kind === 'user' ? ('user' as const) : ('api_key' as const),
        actor: ctx.actor,
        role: p.role,
        permissions: [...ROLE_PERMISSIONS[p.role]],
        user: user ? userView(user.row, user.agency) : null,
        company: { id: company!.id, slug: company!.slug, name: company!.name, locale: company!.locale },
      };
    },
  );
}
