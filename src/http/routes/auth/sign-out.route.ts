import { z } from 'zod';
import type { App, RouteDeps } from '../../app.ts';
import { checkCsrf, sessionToken } from '../../auth.ts';
import { ErrorSchema } from '../../schemas.ts';
import { signOut } from '../../../modules/access/sign-in.ts';
import { clearSessionCookie } from './cookie.ts';

/** POST /auth/sign-out — ends the session of the cookie and clears it; harmless without one. */
export function signOutRoute(app: App, deps: RouteDeps): void {
  app.post(
    '/auth/sign-out',
    {
      config: { public: true },
      schema: { tags: ['auth'], summary: 'Sign out (ends the session, clears the cookie)', security: [], response: { 204: z.null().describe('signed out'), 403: ErrorSchema } },
    },
    async (request, reply) => {
      const token = sessionToken(request);
      if (token) {
        checkCsrf(request);
        await signOut(deps, token);
      }
      clearSessionCookie(reply, deps);
      return reply.code(204).send(null);
    },
  );
}
