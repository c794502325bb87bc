/** The Fastify instance type every route file receives: zod schemas type params, query, body and replies. */
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Database } from '../db/connection.ts';
import type { Clock } from '../modules/shared/clock.ts';
import type { AuthSettings } from '../modules/access/settings.ts';
import type { Mailer } from '../modules/access/password-reset.ts';

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

/** What routes need beyond the request: work started in the background is tracked so closing the server awaits it. */
export interface RouteDeps {
  database: Database;
  clock: Clock;
  /** Registers background work (a run started by POST /runs); the server waits for it on close. */
  track(work: Promise<unknown>): void;
  /** Largest accepted upload, in bytes. */
  uploadLimit: number;
  /** Sign-in policy, the session cookie's Secure flag, the public URL for emailed links and the mailer. */
  auth: { settings: AuthSettings; secureCookies: boolean; publicUrl: string; mailer: Mailer };
  /** Seals and opens provider credentials at rest (src/modules/settings/secret-box.ts). */
  secretsKey: Buffer;
}
