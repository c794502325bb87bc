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
    stats: z
      .object({
        accounts: z.number().int().describe('accounts placed'),
        phase_changes: z.number().int().describe('accounts whose phase changed on the date'),
        by_phase: z.record(z.string(), z.number().int()).describe('accounts per phase'),
        portfolios: z.array(z.string()).describe('the portfolios run'),
      })
      .nullable()
      .describe('what a succeeded run did; null while it runs and when it failed'),
    error: z.string().nullable(),
  })
  .meta({ id: 'Run' });

/** A run's stats as the API writes them (snake_case, like every other body); stored as the run recorded them. */
function statsBody(stored: Record<string, unknown>): NonNullable<z.infer<typeof RunSchema>['stats']> {
  return {
    accounts: Number(stored.accounts ?? 0),
    phase_changes: Number(stored.phaseChanges ?? 0),
    by_phase: (stored.byPhase ?? {}) as Record<string, number>,
    portfolios: (stored.portfolios ?? []) as string[],
  };
}

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
    stats: r.stats === null ? null : statsBody(r.stats),
    error: r.error,
  };
}
