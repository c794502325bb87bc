import { z } from 'zod';
import type { App, RouteDeps } from '../../app.ts';
import { checkCsrf } from '../../auth.ts';
import { ErrorSchema } from '../../schemas.ts';
import { requestPasswordReset, resetPassword } from '../../../modules/access/password-reset.ts';
import { emailField, passwordField } from '../users/schemas.ts';

/**
 * POST /auth/forgot-password — emails a reset link if the email belongs to an active user; always 202, so the
 * answer does not tell which emails exist. POST /auth/reset-password — sets the new password from the link's token.
 */
export function passwordResetRoutes(app: App, deps: RouteDeps): void {
  const authDeps = { database: deps.database, clock: deps.clock, settings: deps.auth.settings };
  app.post(
    '/auth/forgot-password',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Email a password reset link (always 202)',
        security: [],
        body: z.strictObject({ email: emailField }),
        response: { 202: z.object({ status: z.literal('sent_if_known') }), 400: ErrorSchema, 403: ErrorSchema },
      },
    },
    async (request, reply) => {
      checkCsrf(request);
      await requestPasswordReset({ ...authDeps, mailer: deps.auth.mailer, publicUrl: deps.auth.publicUrl }, { email: request.body.email });
      return reply.code(202).send({ status: 'sent_if_known' as const });
    },
  );
  app.post(
    '/auth/reset-password',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: "Set a new password with a reset link's token (works once; ends every session of the user)",
        security: [],
        body: z.strictObject({ token: z.string().min(1).max(200), password: passwordField }),
        response: { 200: z.object({ email: z.string() }), 400: ErrorSchema, 403: ErrorSchema },
      },
    },
    async (request) => {
      checkCsrf(request);
      return resetPassword(authDeps, request.body);
    },
  );
}
