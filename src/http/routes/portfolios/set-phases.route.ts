import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses } from '../../schemas.ts';
import { setPhases } from '../../../modules/collection-runs/index.ts';
import { phasesBody, PhasesSchema, portfolioParams } from './schemas.ts';
import { zodText } from '../../../domain/zod-issues.ts';
import { t } from '../../../domain/text.ts';

const days = z.number().int().min(0).max(100_000);

const Body = z
  .strictObject({
    preventive_days: days.optional(),
    administrative_from: days.optional(),
    extrajudicial_from: days.optional(),
    judicial_from: days.optional(),
    grace_days: days.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, zodText(t('name at least one threshold to change', 'indique al menos un umbral que cambiar')));

/** PUT /portfolios/:name/phases — changes the named thresholds (others stay); they must still increase. */
export function setPhasesRoute(app: App): void {
  app.put(
    '/portfolios/:name/phases',
    {
      config: { permission: 'settings:write' },
      schema: {
        tags: ['portfolios'],
        summary: 'Change phase thresholds (applied from the next run)',
        params: portfolioParams,
        body: Body,
        response: { 200: PhasesSchema, ...errorResponses },
      },
    },
    async (request) => {
      const b = request.body;
      const settings = await setPhases(ctxOf(request), {
        portfolio: request.params.name,
        thresholds: {
          ...(b.preventive_days !== undefined && { preventiveDays: b.preventive_days }),
          ...(b.administrative_from !== undefined && { administrativeFrom: b.administrative_from }),
          ...(b.extrajudicial_from !== undefined && { extrajudicialFrom: b.extrajudicial_from }),
          ...(b.judicial_from !== undefined && { judicialFrom: b.judicial_from }),
          ...(b.grace_days !== undefined && { graceDays: b.grace_days }),
        },
      });
      return phasesBody(settings);
    },
  );
}
