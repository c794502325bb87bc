/**
 * The HTTP API: Fastify with zod-validated routes and an OpenAPI 3.1 document generated from the same schemas.
 * `buildServer` only assembles the instance; the caller decides whether to listen or to `inject` (tests).
 */
import fastify, { type FastifyInstance } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Database } from '../db/connection.ts';
import type { Clock } from '../modules/shared/clock.ts';
import { AppError } from '../modules/shared/errors.ts';
import type { App, RouteDeps } from './app.ts';
import fastifyCookie from '@fastify/cookie';
import { installGuard, markPublicScope } from './auth.ts';
import { DEFAULT_AUTH_SETTINGS, type AuthSettings } from '../modules/access/settings.ts';
import type { Mailer } from '../modules/access/password-reset.ts';
import { createSandboxProvider } from '../providers/sandbox.ts';
import { clientErrorHandler, frameworkErrors, installErrorHandling } from './errors.ts';
import { authenticatedRoutes, portalRoutes, publicRoutes, webhookRoutes } from './routes/index.ts';
import { webhookConfigFromEnv, type WebhookConfig } from './webhook-config.ts';
import { webAppRoutes } from './static.ts';
import { transformOpenApiObject, transformOpenApiRoute } from './openapi.ts';
import { refuseRepeatedParameters } from './repeated-query.ts';
import { generateSecretsKey } from '../modules/settings/index.ts';
import { failStaleRuns } from '../modules/collection-runs/index.ts';
import { failStaleImports } from '../modules/portfolio/index.ts';
import { t } from '../domain/text.ts';

export interface ServerOptions {
  database: Database;
  clock: Clock;
  /** Log every request (pino, stdout). Without it only failures are logged (to stderr): a 500 is never silent. */
  logger?: boolean;
  /** Largest JSON body in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** Largest import upload in bytes (default 1 GiB, about ten million invoice rows). */
  uploadLimit?: number;
  /** Secrets of the provider webhooks per company (default: read from the environment, see webhook-config.ts). */
  webhooks?: WebhookConfig;
  /** Sign-in: session and lockout policy, cookie security, where reset links point and how they are emailed. */
  auth?: {
    settings?: Partial<AuthSettings>;
    /** The session cookie's Secure flag (default true; `serve` turns it off only for plain-http localhost). */
    secureCookies?: boolean;
    /** The server's public URL, for links in emails (default http://localhost:3000). */
    publicUrl?: string;
    /** Each company's provider for password reset emails (default: the sandbox, which keeps them in memory). */
    mailer?: Mailer;
  };
  /** The built web app (default web/dist); `false` serves no pages. */
  webRoot?: string | false;
  /**
   * The key provider credentials are sealed with (`serve` passes the configured one, src/cli/secrets-key.ts). Without
   * it a random key lives as long as this instance, which suits tests only: what it sealed cannot be opened later.
   */
  secretsKey?: Buffer;
}

/** Builds the API without listening. Background work (runs) is awaited when the instance closes. */
export function buildServer(options: ServerOptions): FastifyInstance {
  const app = fastify({
    logger: options.logger ? { level: 'info' } : { level: 'error', stream: process.stderr },
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    // Generated request ids go into the logs; a client-sent one would let callers forge log lines.
    requestIdHeader: false,
    // Ids in paths are up to 100 characters, and percent-encoding makes a character up to nine (%C3%91 for Ñ…).
    routerOptions: { maxParamLength: 1000 },
    // What Fastify and Node answer on their own (a broken URL, an unparsable request) gets our error shape too.
    frameworkErrors,
    clientErrorHandler,
  }).withTypeProvider<ZodTypeProvider>() as App;

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app as unknown as FastifyInstance);
  app.decorateRequest('cobranza', null);
  void app.register(fastifyCookie);
  const authSettings: AuthSettings = { ...DEFAULT_AUTH_SETTINGS, ...options.auth?.settings };
  // Before any route is registered: the guard's onRoute check must see every route.
  installGuard(app as unknown as FastifyInstance, { database: options.database, clock: options.clock, settings: authSettings });
  // PostgreSQL text cannot hold NUL; refusing it here keeps it from surfacing as a database error in some use case.
  app.addHook('preValidation', async (request) => {
    refuseRepeatedParameters(request);
    if (containsNul(request.url, request.body)) throw new AppError('validation_failed', t('the request contains a NUL character, which no field can hold', 'la solicitud contiene un carácter NUL, que ningún campo puede guardar'), [{ path: 'request', reason: t('contains \\u0000', 'contiene \\u0000') }]);
  });

  const pending = new Set<Promise<unknown>>();
  const sandboxMailer = createSandboxProvider('email', { clock: options.clock });
  const deps: RouteDeps = {
    database: options.database,
    clock: options.clock,
    uploadLimit: options.uploadLimit ?? 1024 * 1024 * 1024,
    secretsKey: options.secretsKey ?? generateSecretsKey(),
    auth: {
      settings: authSettings,
      secureCookies: options.auth?.secureCookies ?? true,
      publicUrl: (options.auth?.publicUrl ?? 'http://localhost:3000').replace(/\/+$/, ''),
      mailer: options.auth?.mailer ?? (async () => sandboxMailer),
    },
    track(work) {
      const settled = work.catch(() => undefined).finally(() => pending.delete(settled));
      pending.add(settled);
    },
  };
  app.addHook('onClose', async () => {
    await Promise.all(pending);
  });
  // An import or a daily run left "running" by a process that ended wrote nothing (each is one transaction): say so on its row.
  app.addHook('onReady', async () => {
    await failStaleImports(options.database, { clock: options.clock }).catch((error: unknown) => app.log.error({ err: error }, 'could not check for interrupted imports'));
    await failStaleRuns(options.database, { clock: options.clock }).catch((error: unknown) => app.log.error({ err: error }, 'could not check for interrupted runs'));
  });

  void app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'cobranza API',
        version: '0.1.0',
        description:
          'Collections management: portfolio (debtors, obligations, payments), imports, daily runs, aging, segments, phases and holds. ' +
          'Money is a decimal string beside its currency; dates are YYYY-MM-DD; lists are keyset-paged with ?limit= and ?cursor=. ' +
          'Strategies, timelines, compliance reports and the sandbox; provider webhooks under /webhooks authenticate by signature, not API key. ' +
          'Error messages (and the reasons of import problems and rule checks) come in the language of Accept-Language: Spanish for es…, English for en… or without the header; see the Error schema.',
      },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'an API key created with `cobranza apikey create NAME [--role ROLE]`, or the web app’s session cookie' } } },
      security: [{ apiKey: [] }],
    },
    transform: transformOpenApiRoute,
    transformObject: transformOpenApiObject,
  });
  void app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  void app.register(async (scope: App) => {
    publicRoutes(scope, deps);
  });
  void app.register(async (scope: App) => {
    // Providers authenticate with their signature, not an API key; each webhook names its company in the path.
    webhookRoutes(scope, deps, options.webhooks ?? webhookConfigFromEnv(process.env));
  });
  void app.register(async (scope: App) => {
    // The debtor portal's API: the link's token in the path is the credential, not an API key or a user session.
    markPublicScope(scope);
    portalRoutes(scope, deps);
  });
  if (options.webRoot !== false) {
    // Pages are public (each asks the API for its data, which checks who asks); own scope, outside the API guard.
    const webRoot = options.webRoot;
    void app.register(async (scope: App) => {
      markPublicScope(scope);
      await webAppRoutes(scope, webRoot);
    });
  }
  void app.register(async (scope: App) => {
    // The API speaks JSON (and multipart for imports); a text body is a client mistake better named 415 than 400.
    scope.removeContentTypeParser('text/plain');
    authenticatedRoutes(scope, deps);
  });

  return app as unknown as FastifyInstance;
}

function containsNul(url: string, body: unknown): boolean {
  if (url.includes('%00') || url.includes('\u0000')) return true;
  return hasNul(body, 0);
}

function hasNul(value: unknown, depth: number): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  // JSON bodies are bounded by the body limit; the depth cap only guards the recursion.
  if (typeof value !== 'object' || value === null || depth > 64) return false;
  for (const [key, inner] of Object.entries(value)) if (key.includes('\u0000') || hasNul(inner, depth + 1)) return true;
  return false;
}
