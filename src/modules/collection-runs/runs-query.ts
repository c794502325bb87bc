import { and, desc, eq } from 'drizzle-orm';
import { runs } from '../../db/schema.ts';
import { notFound } from '../shared/errors.ts';
import type { Ctx } from '../shared/context.ts';
import { failStaleRuns, recentRuns, runningRun, type KnownRun, type RunStage } from './run-liveness.ts';

export interface RunView {
  id: number;
  asOf: string;
  status: string;
  forced: boolean;
  startedAt: string;
  finishedAt: string | null;
  /** Time since it started while it runs; how long it took once finished. */
  elapsedMs: number;
  /** What a running run is doing, when this process runs it (run-liveness.ts); null otherwise. */
  stage: RunStage | null;
  stats: Record<string, unknown> | null;
  error: string | null;
}

function view(ctx: Ctx, { row: r, stage }: KnownRun): RunView {
  return {
    id: r.id,
    asOf: r.asOf,
    status: r.status,
    forced: r.forced,
    startedAt: r.startedAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
    elapsedMs: Math.max(0, (r.finishedAt ?? ctx.clock.now()).getTime() - r.startedAt.getTime()),
    stage: r.status === 'running' ? stage : null,
    stats: r.stats ?? null,
    error: r.error,
  };
}

/** A stored run, with its stage when it is still running and this process runs it. */
function known(ctx: Ctx, row: typeof runs.$inferSelect): KnownRun {
  return { row, stage: (row.status === 'running' && runningRun(ctx, row.id)?.stage) || null };
}

/**
 * One run of the company. One this process is running is answered from memory (on PGlite its transaction holds the
 * database until it ends); a run whose process ended is marked failed first (run-liveness.ts).
 */
export async function getRun(ctx: Ctx, options: { id: number }): Promise<RunView> {
  const running = runningRun(ctx, options.id);
  if (running) return view(ctx, running);
  await failStaleRuns(ctx.database, { clock: ctx.clock, companyId: ctx.companyId });
  const [r] = await ctx.database.db.select().from(runs).where(and(eq(runs.companyId, ctx.companyId), eq(runs.id, options.id)));
  if (!r) throw notFound('run', options.id);
  return view(ctx, known(ctx, r));
}

/**
 * The company's latest runs, newest first; a run whose process ended shows as failed (run-liveness.ts). While a job of
 * this process holds the embedded database (PGlite), they are answered from memory when memory holds them all
 * (run-liveness.ts, recentRuns), so a running run shows at once instead of when it ends.
 */
export async function listRuns(ctx: Ctx, options: { limit?: number } = {}): Promise<RunView[]> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
  const recent = recentRuns(ctx);
  if (recent && (recent.rows.length >= limit || recent.from === 0)) return recent.rows.slice(0, limit).map((r) => view(ctx, r));
  await failStaleRuns(ctx.database, { clock: ctx.clock, companyId: ctx.companyId });
  const rows = await ctx.database.db.select().from(runs).where(eq(runs.companyId, ctx.companyId)).orderBy(desc(runs.id)).limit(limit);
  return rows.map((r) => view(ctx, known(ctx, r)));
}
