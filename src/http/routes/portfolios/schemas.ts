import { z } from 'zod';
import type { PhaseSettings } from '../../../modules/collection-runs/index.ts';

export const PhasesSchema = z
  .object({
    portfolio: z.string(),
    preventive_days: z.number().int().describe('reminders start this many days before the due date'),
    administrative_from: z.number().int().describe('first DPD of the administrative phase'),
    extrajudicial_from: z.number().int(),
    judicial_from: z.number().int(),
    grace_days: z.number().int().describe('delays the phase, never the DPD'),
  })
  .meta({ id: 'PhaseThresholds' });

export function phasesBody(p: PhaseSettings): z.infer<typeof PhasesSchema> {
  return {
    portfolio: p.portfolio,
    preventive_days: p.preventiveDays,
    administrative_from: p.administrativeFrom,
    extrajudicial_from: p.extrajudicialFrom,
    judicial_from: p.judicialFrom,
    grace_days: p.graceDays,
  };
}

export const portfolioParams = z.object({ name: z.string().min(1).max(200) });
