/**
 * API-key authentication. Every route except the health check and the docs needs `Authorization: Bearer <key>`; the
 * key's company becomes the tenant of every use case the request runs, so no handler can forget the scoping.
 */
import type { FastifyRequest } from 'fastify';
import type { Database } from '../db/connection.ts';
import { authenticateApiKey } from '../modules/access/api-keys.ts';
import type { Clock } from '../modules/shared/clock.ts';
import type { Ctx } from '../modules/shared/context.ts';
import { AppError } from '../modules/shared/errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The use-case context of an authenticated request; null before authentication. */
    cobranza: Ctx | null;
  }
}

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/** An onRequest hook: runs before the body is read, so an anonymous upload is refused without being received. */
export function apiKeyGuard(deps: { database: Database; clock: Clock }) {
  return async function authenticate(request: FastifyRequest): Promise<void> {
    const header = request.headers.authorization;
    if (!header) throw new AppError('unauthorized', 'this endpoint needs an API key: send "Authorization: Bearer <key>"');
    const match = BEARER.exec(header);
    if (!match) throw new AppError('unauthorized', 'the Authorization header must be "Bearer <key>"');
    const principal = await authenticateApiKey({ database: deps.database, clock: deps.clock, key: match[1]! });
    request.cobranza = { database: deps.database, clock: deps.clock, companyId: principal.companyId, actor: `api-key:${principal.name}` };
  };
}

/** The authenticated request's context; a route outside the guarded scope calling this is a programming error. */
export function ctxOf(request: FastifyRequest): Ctx {
  if (!request.cobranza) throw new Error(`route ${request.routeOptions.url} is not behind the API-key guard`);
  return request.cobranza;
}
