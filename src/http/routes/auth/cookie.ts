/** Setting and clearing the session cookie: http-only, SameSite=Lax, Secure unless the server runs on plain http. */
import type { FastifyReply } from 'fastify';
import type { RouteDeps } from '../../app.ts';
import { SESSION_COOKIE } from '../../auth.ts';

export function setSessionCookie(reply: FastifyReply, deps: RouteDeps, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    secure: deps.auth.secureCookies,
    sameSite: 'lax',
    path: '/',
    // Relative, so a browser's own clock cannot disagree with the server's; the server enforces the real end.
    maxAge: Math.floor(deps.auth.settings.sessionTtlMs / 1000),
  });
}

export function clearSessionCookie(reply: FastifyReply, deps: RouteDeps): void {
  reply.clearCookie(SESSION_COOKIE, { httpOnly: true, secure: deps.auth.secureCookies, sameSite: 'lax', path: '/' });
}
