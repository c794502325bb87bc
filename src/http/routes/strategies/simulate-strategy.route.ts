import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses, plainDate } from '../../schemas.ts';
import { simulateStrategy } from '../../../modules/strategies/index.ts';
import { SimulationSchema, simulationView } from './schemas.ts';
import { answerLanguage } from '../../language.ts';

const Body = z.strictObject({
  from: plainDate,
  to: plainDate,
  strategy: z.string().min(1).max(200).optional().describe('only this active strategy'),
  file: z.string().min(1).max(512 * 1024).optional().describe('simulate this strategy file (YAML or JSON text) instead; it is not applied'),
});

/** POST /strategies/simulate — a preview day by day; nothing is written. */
export function simulateStrategyRoute(app: App): void {
  app.post(
    '/strategies/simulate',
    {
      config: { permission: 'strategies:read', wholeCompany: true },
      schema: {
        tags: ['strategies'],
        summary: 'Preview, day by day, the messages and tasks the strategies would create and what the compliance gate would refuse; nothing is sent or saved',
        body: Body,
        response: { 200: SimulationSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { from, to, strategy, file } = request.body;
      return simulationView(await simulateStrategy(ctxOf(request), { from, to, strategy, source: file, language: answerLanguage(request, reply) }));
    },
  );
}
