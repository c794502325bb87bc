import { z } from 'zod';
import type { RunView } from '../../../modules/collection-runs/index.ts';

export const RunSchema = z
  .object({
    id: z.number().int(),
    as_of: z.string(),
    status: z.string().describe('running, succeeded or failed'),
    forced: z.boolean(),
    started_at: z.string(),
    finished_at: z.string().nullable(),
    stats: z.record(z.string(), z.unknown()).nullable().describe('accounts, phase changes and accounts per phase'),
    error: z.string().nullable(),
  })
  .meta({ id: 'Run' });

export function runBody(r: RunView): z.infer<typeof RunSchema> {
  return { id: r.id, as_of: r.asOf, status: r.status, forced: r.forced, started_at: r.startedAt, finished_at: r.finishedAt, stats: r.stats, error: r.error };
}
