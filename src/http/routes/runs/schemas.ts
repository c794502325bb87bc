import { z } from 'zod';
import { RUN_STAGES, type RunView } from '../../../modules/collection-runs/index.ts';

export const RunSchema = z
  .object({
    id: z.number().int(),
    as_of: z.string(),
    status: z.string().describe('running, succeeded or failed'),
    forced: z.boolean(),
    started_at: z.string(),
    finished_at: z.string().nullable(),
    elapsed_ms: z.number().int().describe('time since it started while it runs; how long it took once finished'),
    stage: z
      .enum(RUN_STAGES)
      .nullable()
      .describe(
        'what a running run is doing: preparing (reading the portfolios and segments), waiting (for another run of the company, or for the database), accounts (working out and writing every account: most of a run), history (closing the history of the accounts that changed), statistics (recorded; refreshing the planner statistics after many new accounts). Null once finished, and when the run is another process’s',
      ),
    stats: z.record(z.string(), z.unknown()).nullable().describe('accounts, phase changes and accounts per phase'),
    error: z.string().nullable(),
  })
  .meta({ id: 'Run' });

export function runBody(r: RunView): z.infer<typeof RunSchema> {
  return {
    id: r.id,
    as_of: r.asOf,
    status: r.status,
    forced: r.forced,
    started_at: r.startedAt,
    finished_at: r.finishedAt,
    elapsed_ms: r.elapsedMs,
    stage: r.stage,
    stats: r.stats,
    error: r.error,
  };
}
