/**
 * An API over a real database with two companies, a user of every role in company A (plus an admin in B), an API
 * key per role (the agency's stored directly, as an older version let it be created), password reset emails going to
 * a loopback SMTP server, and the list of every route the instance registered (collected by an onRoute hook added
 * before the server is ready, so routes other modules add later are in it too).
 */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildServer } from '../../src/http/server.ts';
import { eq } from 'drizzle-orm';
import { apiKeys } from '../../src/db/schema.ts';
import { createApiKey } from '../../src/modules/access/api-keys.ts';
import { createUser } from '../../src/modules/access/create-user.ts';
import { ROLES, type Role } from '../../src/modules/access/permissions.ts';
import type { AuthSettings } from '../../src/modules/access/settings.ts';
import { fixedClock } from '../../src/modules/shared/clock.ts';
import type { Ctx } from '../../src/modules/shared/context.ts';
import { createSmtpProvider } from '../../src/providers/email-smtp.ts';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp.ts';
import { createTestCompany, createTestDatabase, type TestDatabase } from '../support/database.ts';

/** A registered route as the matrix reads it. */
export interface RegisteredRoute {
  method: string;
  url: string;
  config: { permission?: string; public?: boolean; wholeCompany?: boolean };
}

export interface AccessHarness {
  database: TestDatabase;
  app: FastifyInstance;
  clock: ReturnType<typeof fixedClock>;
  smtp: FakeSmtp;
  routes: RegisteredRoute[];
  a: { companyId: number; ctx: Ctx; keys: Record<Role, string>; users: Record<Role, { id: number; email: string }> };
  b: { companyId: number; ctx: Ctx; key: string; admin: { id: number; email: string } };
  /** Every demo user's password. */
  password: string;
  close(): Promise<void>;
}

export const PASSWORD = 'correcto-caballo-42';

export async function startAccessHarness(options: { settings?: Partial<AuthSettings>; now?: string } = {}): Promise<AccessHarness> {
  const database = await createTestDatabase();
  const clock = fixedClock(options.now ?? '2026-03-15T18:00:00Z');
  const smtp = await startFakeSmtp();
  const mailer = createSmtpProvider({ host: smtp.host, port: smtp.port, secure: false, from: 'Cobranza <no-reply@cobranza.test>', timeoutMs: 5000, clock });
  const companyA = await createTestCompany(database, 'acme', 'MX');
  const companyB = await createTestCompany(database, 'other', 'MX');
  const ctx = (companyId: number): Ctx => ({ database, clock, companyId, actor: 'test' });

  const keys = {} as Record<Role, string>;
  const users = {} as Record<Role, { id: number; email: string }>;
  for (const role of ROLES) {
    // No key can be created with the agency role (a key belongs to no agency); the agency's is one stored before that
    // was refused, which must still see nothing.
    const created = await createApiKey({ database, companyId: companyA.id, name: `key-${role}`, role: role === 'agency' ? 'viewer' : role, clock });
    if (role === 'agency') await database.db.update(apiKeys).set({ role }).where(eq(apiKeys.id, created.id));
    keys[role] = created.key;
    const { user } = await createUser(ctx(companyA.id), { email: `${role}@acme.test`, name: `Usuario ${role}`, role, agency: role === 'agency' ? 'Despacho Norte' : undefined, password: PASSWORD });
    users[role] = { id: user.id, email: user.email };
  }
  const keyB = (await createApiKey({ database, companyId: companyB.id, name: 'key-b', clock })).key;
  const adminB = (await createUser(ctx(companyB.id), { email: 'admin@other.test', name: 'Admin B', role: 'admin', password: PASSWORD })).user;

  const app = buildServer({ database, clock, webRoot: false, auth: { settings: options.settings, secureCookies: true, publicUrl: 'https://cobranza.test', mailer: async () => mailer } });
  const routes: RegisteredRoute[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) routes.push({ method, url: route.url ?? '', config: (route.config ?? {}) as RegisteredRoute['config'] });
  });
  await app.ready();
  return {
    database,
    app,
    clock,
    smtp,
    routes,
    a: { companyId: companyA.id, ctx: ctx(companyA.id), keys, users },
    b: { companyId: companyB.id, ctx: ctx(companyB.id), key: keyB, admin: { id: adminB.id, email: adminB.email } },
    password: PASSWORD,
    async close() {
      await app.close();
      mailer.close();
      await smtp.close();
      await database.close();
    },
  };
}

/** A request as the web app sends it: JSON, with the CSRF header. */
export function browser(app: FastifyInstance, cookie: string | null, method: InjectOptions['method'], url: string, body?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return app.inject({
    method,
    url,
    headers: { 'x-requested-with': 'fetch', ...(cookie ? { cookie } : {}), ...headers },
    ...(body !== undefined && { payload: body as object }),
  });
}

/** Signs in and returns the `name=value` cookie to send back. */
export async function signIn(app: FastifyInstance, email: string, password: string): Promise<string> {
  const res = await browser(app, null, 'POST', '/auth/sign-in', { email, password });
  if (res.statusCode !== 200) throw new Error(`sign-in of ${email} failed: ${res.statusCode} ${res.body}`);
  return sessionCookie(res);
}

/** The session cookie a response set, as `name=value`. */
export function sessionCookie(res: LightMyRequestResponse): string {
  const cookie = res.cookies.find((c) => c.name === 'cobranza_session');
  if (!cookie) throw new Error('no session cookie was set');
  return `${cookie.name}=${cookie.value}`;
}
