/**
 * Serves the built web app (web/dist, see web/build.ts): hashed files under /assets/ are cached for a year (their
 * name changes whenever their content does); every page of the back office (/app…) and the debtor portal (/p/…)
 * gets index.html, never cached, and the React router picks the page. Without a build the pages answer 503 with
 * the command that makes one, instead of a bare 404.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyReply } from 'fastify';
import type { App } from './app.ts';

/** Where `npm run build:web` puts the app. */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../web/dist', import.meta.url));

/**
 * Page HTML must not leak the portal's token to other sites through Referer; scripts and styles come only from here
 * (inline style attributes are allowed: components set them).
 */
const PAGE_HEADERS = {
  'cache-control': 'no-cache',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
};

/** Registers the web app's routes on their own scope (no API key: pages are public, their data calls are not). */
export async function webAppRoutes(app: App, webRoot: string = DEFAULT_WEB_ROOT): Promise<void> {
  await app.register(fastifyStatic, {
    root: join(webRoot, 'assets'),
    prefix: '/assets/',
    // Files are looked up per request, so a build made after the server started is served too.
    wildcard: true,
    index: false,
    list: false,
    dotfiles: 'deny',
    cacheControl: true,
    maxAge: '365d',
    immutable: true,
    suppressWarning: true,
  });

  const page = async (_request: unknown, reply: FastifyReply) => {
    const indexFile = join(webRoot, 'index.html');
    if (!existsSync(indexFile)) {
      return reply
        .code(503)
        .header('cache-control', 'no-store')
        .type('text/plain; charset=utf-8')
        .send('La aplicación web no está compilada. / The web app is not built: run "npm run build:web".\n');
    }
    return reply.headers(PAGE_HEADERS).type('text/html; charset=utf-8').send(await readFile(indexFile));
  };
  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/app'));
  for (const url of ['/app', '/app/*', '/p/*']) app.get(url, { schema: { hide: true } }, page);
}
