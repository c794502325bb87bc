/**
 * The one guard of the HTTP API. Every route declares, as route config, either the permission it needs
 * (`config: { permission: 'portfolio:read' }`, from src/modules/access/permissions.ts) or that it is public
 * (`config: { public: true }`: the health check, sign-in, signature-checked webhooks). A route declaring neither
 * stops the server at startup, so no route can be added unguarded.
 *
 * For a guarded route, the request is authenticated by an API key (`Authorization: Bearer …`) or by the session
 * cookie, the principal's company becomes the tenant of every use case the request runs (`ctxOf(request)`), and its
 * role must hold the route's permission (else 403). A route that also declares `wholeCompany: true` answers with
 * figures about the whole company that cannot be narrowed to an agency's placements, and refuses agencies (403).
 * Cookie-authenticated unsafe requests must also carry the
 * `X-Requested-With` header (CSRF: see docs/adr/0008-sessions-and-csrf.md).
 */
import { fastifyCookie } from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { Database } from '../db/connection.ts';
import { authenticateApiKey } from '../modules/access/api-keys.ts';
import { can, isRole, mayCall, PERMISSIONS, type Permission } from '../modules/access/permissions.ts';
import { authenticateSession } from '../modules/access/sign-in.ts';
import type { AuthSettings } from '../modules/access/settings.ts';
import type { Clock } from '../modules/shared/clock.ts';
import type { Ctx, Principal } from '../modules/shared/context.ts';
import { AppError } from '../modules/shared/errors.ts';
import { t } from '../domain/text.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The use-case context of an authenticated request; null before authentication and on public routes. */
    cobranza: Ctx | null;
  }
  interface FastifyContextConfig {
    /** What the principal's role must hold to call the route. */
    permission?: Permission;
    /** No authentication at all (the route checks whatever it needs itself, e.g. a webhook signature). */
    public?: boolean;
    /**
     * The route answers about the whole company (run statistics, every collector's load, simulations over every
     * account…) and cannot be narrowed to the debtors placed with an agency: agencies are refused (see mayCall).
     */
    wholeCompany?: boolean;
  }
}

/** The session cookie's name. */
export const SESSION_COOKIE = 'cobranza_session';

/** The header a cookie-authenticated unsafe request must carry; browsers only send it from our own scripts. */
export const CSRF_HEADER = 'x-requested-with';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/** What the guard needs. */
export interface GuardDeps {
  database: Database;
  clock: Clock;
  settings: AuthSettings;
}

const PUBLIC_SCOPE = 'cobranzaPublicScope';

/**
 * Makes every route registered in this scope (and its children) public, for plugins that register routes without
 * letting the caller give them config, such as @fastify/static serving the web app's files.
 */
export function markPublicScope(scope: { decorate(name: string, value: unknown): unknown }): void {
  scope.decorate(PUBLIC_SCOPE, true);
}

/** The API documentation (@fastify/swagger-ui's routes) is public by nature. */
function isDocs(route: RouteOptions): boolean {
  const url = route.url ?? '';
  return url === '/docs' || url.startsWith('/docs/');
}

/**
 * An onRoute hook (`this` is the instance the route is registered on): refuses (throws at registration, so the
 * server does not start) a route that declares neither a known permission nor `public: true`, outside a public scope.
 */
export function checkRouteDeclaresAccess(this: FastifyInstance, route: RouteOptions): void {
  const config = (route.config ?? {}) as { permission?: unknown; public?: unknown; wholeCompany?: unknown };
  if (config.public === true) {
    if (config.wholeCompany !== undefined) throw new Error(`route ${String(route.method)} ${route.url} is public and cannot be limited to whole-company roles`);
    if (config.permission !== undefined) throw new Error(`route ${String(route.method)} ${route.url} is both public and guarded by "${String(config.permission)}"; choose one`);
    return;
  }
  if (config.permission === undefined) {
    if (isDocs(route) || this.hasDecorator(PUBLIC_SCOPE)) {
      route.config = { ...(route.config ?? {}), public: true };
      return;
    }
    throw new Error(`route ${String(route.method)} ${route.url} declares no access: add config: { permission: '…' } (see src/modules/access/permissions.ts) or config: { public: true }`);
  }
  if (!(PERMISSIONS as readonly unknown[]).includes(config.permission)) {
    throw new Error(`route ${String(route.method)} ${route.url} names an unknown permission "${String(config.permission)}"`);
  }
}

/** The permission a registered route needs, or null when it is public. */
export function routePermission(config: unknown): Permission | null {
  const c = (config ?? {}) as { permission?: Permission; public?: boolean };
  return c.public === true ? null : (c.permission ?? null);
}

/** Installs the route check and the guard on the root instance, before any route is registered. */
export function installGuard(app: FastifyInstance, deps: GuardDeps): void {
  app.addHook('onRoute', checkRouteDeclaresAccess);
  // onRequest: runs before the body is read, so an anonymous upload is refused without being received.
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    // No matched route: the 404 handler answers.
    if (!request.routeOptions.url) return;
    const config = request.routeOptions.config;
    if (config.public === true) return;
    const permission = config.permission;
    // Unreachable after the onRoute check; fail closed all the same.
    if (!permission) throw new AppError('forbidden', t('this route declares no permission', 'esta ruta no declara ningún permiso'));
    const ctx = await authenticate(request, reply, deps);
    request.cobranza = ctx;
    const role = ctx.principal!.role;
    if (!can(role, permission)) {
      throw new AppError('forbidden', t(`the ${role} role may not do this (it needs the ${permission} permission)`, `el rol ${role} no puede hacer esto (necesita el permiso ${permission})`), [{ path: 'permission', reason: permission }]);
    }
    if (!mayCall(role, { permission, wholeCompany: config.wholeCompany })) {
      throw new AppError('forbidden', t(`this shows figures about the whole company; the ${role} role sees only the accounts placed with it`, `esto muestra cifras de toda la empresa; el rol ${role} solo ve las cuentas asignadas a su despacho`), [{ path: 'permission', reason: t('whole company', 'toda la empresa') }]);
    }
  });
}

async function authenticate(request: FastifyRequest, reply: FastifyReply, deps: GuardDeps): Promise<Ctx> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = BEARER.exec(header);
    if (!match) throw new AppError('unauthorized', t('the Authorization header must be "Bearer <key>"', 'el encabezado Authorization debe ser "Bearer <clave>"'));
    const key = await authenticateApiKey({ database: deps.database, clock: deps.clock, key: match[1]! });
    // A stored role this version does not know holds no permission, so the key is refused outright.
    if (!isRole(key.role)) throw new AppError('forbidden', t(`the API key's role "${key.role}" is not one this server knows`, `este servidor no conoce el rol "${key.role}" de la clave de API`));
    const principal: Principal = { kind: 'api_key', id: key.keyId, role: key.role, agencyId: null };
    return { database: deps.database, clock: deps.clock, companyId: key.companyId, actor: `api-key:${key.name}`, principal };
  }
  const token = sessionToken(request);
  if (token) {
    if (!SAFE_METHODS.has(request.method)) checkCsrf(request);
    const session = await authenticateSession(deps, token);
    if (!session) {
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      throw new AppError('unauthorized', t('your session has ended; sign in again', 'su sesión terminó; vuelva a iniciar sesión'));
    }
    const principal: Principal = { kind: 'user', id: session.user.id, role: session.user.role, agencyId: session.agencyId };
    return { database: deps.database, clock: deps.clock, companyId: session.company.id, actor: session.user.email, principal };
  }
  throw new AppError('unauthorized', t('sign in, or send an API key as "Authorization: Bearer <key>"', 'inicie sesión o envíe una clave de API como "Authorization: Bearer <clave>"'));
}

/**
 * CSRF defence for cookie-authenticated unsafe requests: a custom header (a cross-site form cannot set one, and a
 * cross-site script cannot without a CORS preflight this server never grants), and an Origin, when the browser
 * sends one, naming this very host.
 */
export function checkCsrf(request: FastifyRequest): void {
  if (!request.headers[CSRF_HEADER]) {
    throw new AppError('forbidden', t(`requests signed in with a session cookie must send the ${CSRF_HEADER} header (the web app does); API clients use an API key`, `las solicitudes con una cookie de sesión deben enviar el encabezado ${CSRF_HEADER} (la aplicación web lo hace); los clientes de la API usan una clave de API`), [
      { path: `headers.${CSRF_HEADER}`, reason: t('required', 'obligatorio') },
    ]);
  }
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== 'null') {
    let host: string | null;
    try {
      host = new URL(origin).host;
    } catch {
      host = null;
    }
    if (host !== request.headers.host) throw new AppError('forbidden', t('the request comes from another site', 'la solicitud viene de otro sitio'), [{ path: 'headers.origin', reason: t(`${origin} is not this server`, `${origin} no es este servidor`) }]);
  } else if (origin === 'null') {
    throw new AppError('forbidden', t('the request comes from an opaque origin', 'la solicitud viene de un origen opaco'), [{ path: 'headers.origin', reason: t('null', 'null') }]);
  }
}

/**
 * The session token the request carries, if any. Read from the header itself: the guard's hook may run before the
 * cookie plugin's own hook has parsed it.
 */
export function sessionToken(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  return fastifyCookie.parse(header)[SESSION_COOKIE] || undefined;
}

/** The authenticated request's context; a route outside the guard calling this is a programming error. */
export function ctxOf(request: FastifyRequest): Ctx {
  if (!request.cobranza) throw new Error(`route ${request.routeOptions.url} is not behind the guard (give it config.permission)`);
  return request.cobranza;
}
