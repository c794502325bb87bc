import { z } from 'zod';
import type { App, RouteDeps } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { ErrorSchema, errorResponses } from '../../schemas.ts';
import { createUser } from '../../../modules/access/create-user.ts';
import { listUsers } from '../../../modules/access/list-users.ts';
import { requestPasswordReset } from '../../../modules/access/password-reset.ts';
import { setUserPassword } from '../../../modules/access/set-user-password.ts';
import { updateUser } from '../../../modules/access/update-user.ts';
import { findUser, userView } from '../../../modules/access/user-views.ts';
import { ROLES } from '../../../modules/access/permissions.ts';
import { emailField, passwordField, UserSchema, userIdParams } from './schemas.ts';

const responses = { ...errorResponses, 403: ErrorSchema, 409: ErrorSchema };

/** GET /users, POST /users, GET and PATCH /users/:id, POST /users/:id/password-reset and /users/:id/password. */
export function userRoutes(app: App, deps: RouteDeps): void {
  app.get(
    '/users',
    {
      config: { permission: 'users:manage' },
      schema: {
        tags: ['users'],
        summary: "List the company's users",
        querystring: z.strictObject({ include_inactive: z.enum(['true', 'false']).default('true') }),
        response: { 200: z.object({ data: z.array(UserSchema) }), ...responses },
      },
    },
    async (request) => ({ data: await listUsers(ctxOf(request), { includeInactive: request.query.include_inactive === 'true' }) }),
  );

  app.post(
    '/users',
    {
      config: { permission: 'users:manage' },
      schema: {
        tags: ['users'],
        summary: 'Add a user; without a password one is generated and returned once',
        body: z.strictObject({
          email: emailField,
          name: z.string().min(1).max(200),
          role: z.enum(ROLES),
          agency: z.string().min(1).max(200).optional().describe('required for the agency role'),
          password: passwordField.optional(),
        }),
        response: { 201: z.object({ user: UserSchema, password: z.string().nullable().describe('the generated password, shown once') }), ...responses },
      },
    },
    async (request, reply) => {
      const r = await createUser(ctxOf(request), request.body);
      return reply.code(201).send({ user: r.user, password: r.generatedPassword });
    },
  );

  app.get(
    '/users/:id',
    { config: { permission: 'users:manage' }, schema: { tags: ['users'], summary: 'Get a user', params: userIdParams, response: { 200: UserSchema, ...responses } } },
    async (request) => {
      const { row, agency } = await findUser(ctxOf(request), { id: request.params.id });
      return userView(row, agency);
    },
  );

  app.patch(
    '/users/:id',
    {
      config: { permission: 'users:manage' },
      schema: {
        tags: ['users'],
        summary: "Change a user's name, role (and agency) or active flag; a role change or deactivation ends the user's sessions",
        params: userIdParams,
        body: z.strictObject({
          name: z.string().min(1).max(200).optional(),
          role: z.enum(ROLES).optional(),
          agency: z.string().min(1).max(200).nullable().optional(),
          active: z.boolean().optional(),
        }),
        response: { 200: UserSchema, ...responses },
      },
    },
    async (request) => updateUser(ctxOf(request), { id: request.params.id }, request.body),
  );

  app.post(
    '/users/:id/password-reset',
    {
      config: { permission: 'users:manage' },
      schema: { tags: ['users'], summary: 'Email the user a password reset link', params: userIdParams, response: { 202: z.object({ email: z.string() }), ...responses } },
    },
    async (request, reply) => {
      const { row } = await findUser(ctxOf(request), { id: request.params.id });
      await requestPasswordReset({ database: deps.database, clock: deps.clock, settings: deps.auth.settings, mailer: deps.auth.mailer, publicUrl: deps.auth.publicUrl }, { email: row.email });
      return reply.code(202).send({ email: row.email });
    },
  );

  app.post(
    '/users/:id/password',
    {
      config: { permission: 'users:manage' },
      schema: {
        tags: ['users'],
        summary: "Set a user's password (or generate one, returned once); lifts a lockout and ends the user's sessions",
        params: userIdParams,
        body: z.strictObject({ password: passwordField.optional() }),
        response: { 200: z.object({ email: z.string(), password: z.string().nullable() }), ...responses },
      },
    },
    async (request) => {
      const r = await setUserPassword(ctxOf(request), { id: request.params.id }, request.body.password);
      return { email: r.email, password: r.generatedPassword };
    },
  );
}
