import { z } from 'zod';
import { verifyIdentity } from '../../../modules/portal/index.ts';
import type { App, RouteDeps } from '../../app.ts';
import { ErrorSchema, errorResponses } from '../../schemas.ts';
import { accessOf, PORTAL_ROUTE, TokenParams } from './shared.ts';

const Body = z.object({ answer: z.string().min(1).max(40).describe('last 4 characters of the tax id, or the date of birth YYYY-MM-DD') });

/** POST /portal/api/:token/verify — the identity check; a right answer returns the session the page sends back. */
export function verifyIdentityRoute(app: App, deps: RouteDeps): void {
  app.post(
    '/portal/api/:token/verify',
    {
      config: PORTAL_ROUTE,
      schema: {
        tags: ['portal'],
        summary: 'Pass the identity check (401 wrong answer with attempts left; 429 locked after too many)',
        params: TokenParams,
        body: Body,
        response: { 200: z.object({ session: z.string(), expires_at: z.string() }), ...errorResponses, 409: ErrorSchema, 429: ErrorSchema },
      },
    },
    async (request) => {
      const access = await accessOf(request, deps);
      const { session, expiresAt } = await verifyIdentity(access, request.body.answer);
      return { session, expires_at: expiresAt.toISOString() };
    },
  );
}
