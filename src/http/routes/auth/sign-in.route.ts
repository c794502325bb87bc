import { z } from 'zod';
import type { App, RouteDeps } from '../../app.ts';
import { checkCsrf } from '../../auth.ts';
import { ErrorSchema } from '../../schemas.ts';
import { signIn } from '../../../modules/access/sign-in.ts';
import { emailField, passwordField, UserSchema } from '../users/schemas.ts';
import { setSessionCookie } from './cookie.ts';

export const SignedInSchema = z
  .object({
    user: UserSchema,
    company: z.object({ id: z.number().int(), slug: z.string(), name: z.string(), locale: z.string() }),
  })
  .meta({ id: 'SignedIn' });

/**
 * POST /auth/sign-in — email and password; on success the session cookie is set. Wrong credentials are a 401 that
 * does not say which part was wrong; after too many in a row the user is locked for a while (429).
 */
export function signInRoute(app: App, deps: RouteDeps): void {
  app.post(
    '/auth/sign-in',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password (sets the session cookie); send X-Requested-With',
        security: [],
        body: z.strictObject({ email: emailField, password: passwordField }),
        response: { 200: SignedInSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 429: ErrorSchema },
      },
    },
    async (request, reply) => {
      // A forged sign-in would put the victim in the attacker's account: same header rule as every cookie request.
      checkCsrf(request);
      const result = await signIn(
        { database: deps.database, clock: deps.clock, settings: deps.auth.settings },
        { email: request.body.email, password: request.body.password, ip: request.ip, userAgent: request.headers['user-agent'] ?? null },
      );
      setSessionCookie(reply, deps, result.token);
      return { user: result.user, company: result.company };
    },
  );
}
