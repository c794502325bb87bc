/**
 * A real cobranza server on a random loopback port, over a fresh test database (PGlite, or PostgreSQL with
 * DATABASE_URL), serving the built web app. The web app is built once per run: `ensureWebBuilt` skips a fresh
 * build and takes a lock, so parallel test files wait for one build instead of racing.
 */
import type { FastifyInstance } from 'fastify';
import { ensureWebBuilt, webDist } from '../../../web/build.ts';
import { buildServer, type ServerOptions } from '../../../src/http/server.ts';
import { fixedClock } from '../../../src/modules/shared/clock.ts';
import type { Ctx } from '../../../src/modules/shared/context.ts';
import { createTestCompany, createTestDatabase, type TestDatabase } from '../../support/database.ts';

export interface WebServer {
  /** e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  app: FastifyInstance;
  database: TestDatabase;
  clock: ReturnType<typeof fixedClock>;
  /** The test company (MX) and a system ctx for seeding data through use cases. */
  company: { id: number; ctx: Ctx };
  close(): Promise<void>;
}

/** Builds web/dist if stale, then starts the server; `server` passes extra options to buildServer. */
export async function startWebServer(options: { now?: string; server?: Partial<ServerOptions> } = {}): Promise<WebServer> {
  await ensureWebBuilt({ quiet: true });
  const database = await createTestDatabase();
  const clock = fixedClock(options.now ?? '2026-03-15T18:00:00Z');
  const company = await createTestCompany(database, 'acme', 'MX');
  const app = buildServer({ database, clock, webRoot: webDist, ...options.server });
  let address: string;
  try {
    address = await app.listen({ port: 0, host: '127.0.0.1' });
  } catch (error) {
    await database.close();
    throw error;
  }
  return {
    url: address,
    app,
    database,
    clock,
    company: { id: company.id, ctx: { database, clock, companyId: company.id, actor: 'test' } },
    async close() {
      await app.close();
      await database.close();
    },
  };
}
