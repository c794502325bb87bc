import { and, desc, eq } from 'drizzle-orm';
import { runs } from '../../db/schema.ts';
import { AppError } from '../shared/errors.ts';
import type { Ctx } from '../shared/context.ts';

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

export async function getRun(ctx: Ctx, options: { id: number }): Promise<RunView> {
  const [r] = await ctx.database.db.select().from(runs).where(and(eq(runs.companyId, ctx.companyId), eq(runs.id, options.id)));
  if (!r) throw new AppError('not_found', `run ${options.id} does not exist`);
  return view(r);
}

export async function listRuns(ctx: Ctx, options: { limit?: number } = {}): Promise<RunView[]> {
  const rows = await ctx.database.db
    .select()
    .from(runs)
    .where(eq(runs.companyId, ctx.companyId))
    .orderBy(desc(runs.id))
    .limit(Math.min(Math.max(options.limit ?? 50, 1), 500));
  return rows.map(view);
}
