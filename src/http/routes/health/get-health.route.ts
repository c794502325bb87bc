import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { App, RouteDeps } from '../../app.ts';

const Health = z.object({ status: z.literal('ok'), database: z.enum(['pglite', 'postgres']) });

/** GET /health — no key needed: load balancers and the CLI probe it. Answers only once the database does. */
export function getHealthRoute(app: App, deps: RouteDeps): void {
  app.get(
    '/health',
    { config: { public: true }, schema: { tags: ['health'], summary: 'Liveness and database check', security: [], response: { 200: Health } } },
    async () => {
      await deps.database.query(sql`SELECT 1`);
      return { status: 'ok' as const, database: deps.database.backend.kind };
    },
  );
}
