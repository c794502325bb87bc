import { and, desc, eq } from 'drizzle-orm';
import { runs } from '../../db/schema.ts';
import { AppError } from '../shared/errors.ts';
import type { Ctx } from '../shared/context.ts';
import { failStaleRuns, runningRun } from './run-liveness.ts';

export interface RunView {
  id: number;
  asOf: string;
  status: string;
  forced: boolean;
  startedAt: string;
  finishedAt: string | null;
  stats: Record<string, unknown> | null;
  error: string | null;
}

function view(r: typeof runs.$inferSelect): RunView {
  return {
    id: r.id,
    asOf: r.asOf,
    status: r.status,
    forced: r.forced,
    startedAt: r.startedAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
    stats: r.stats ?? null,
    error: r.error,
  };
}

/**
 * One run of the company. One this process is running is answered from memory (on PGlite its transaction holds the
 * database until it ends); a run whose process ended is marked failed first (run-liveness.ts).
 */
export async function getRun(ctx: Ctx, options: { id: number }): Promise<RunView> {
  const running = runningRun(ctx, options.id);
  if (running) return view(running);
  await failStaleRuns(ctx.database, { clock: ctx.clock, companyId: ctx.companyId });
  const [r] = await ctx.database.db.select().from(runs).where(and(eq(runs.companyId, ctx.companyId), eq(runs.id, options.id)));
  if (!r) throw new AppError('not_found', `run ${options.id} does not exist`);
  return view(r);
}

/** The company's latest runs, newest first; a run whose process ended shows as failed (run-liveness.ts). */
export async function listRuns(ctx: Ctx, options: { limit?: number } = {}): Promise<RunView[]> {
  await failStaleRuns(ctx.database, { clock: ctx.clock, companyId: ctx.companyId });
  const rows = await ctx.database.db
    .select()
    .from(runs)
    .where(eq(runs.companyId, ctx.companyId))
    .orderBy(desc(runs.id))
    .limit(Math.min(Math.max(options.limit ?? 50, 1), 500));
  return rows.map(view);
}
