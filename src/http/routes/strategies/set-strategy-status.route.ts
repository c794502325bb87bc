import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses, ErrorSchema } from '../../schemas.ts';
import { setStrategyStatus, showStrategy } from '../../../modules/strategies/index.ts';
import { detailView, nameParams, StrategyDetailSchema } from './schemas.ts';

/** POST /strategies/:name/pause and /activate — stop planning new contacts, or start again. */
export function setStrategyStatusRoutes(app: App): void {
  for (const [action, status, summary] of [
    ['pause', 'paused', 'Pause a strategy: nothing new is planned (messages already in the outbox still go)'],
    ['activate', 'active', 'Activate a paused strategy (its portfolio must not run another one)'],
  ] as const) {
    app.post(
      `/strategies/:name/${action}`,
      {
        config: { permission: 'strategies:write' },
        schema: {
          tags: ['strategies'],
          summary,
          params: nameParams,
          response: { 200: StrategyDetailSchema, ...errorResponses, 409: ErrorSchema },
        },
      },
      async (request) => {
        const ctx = ctxOf(request);
        await setStrategyStatus(ctx, { name: request.params.name, status });
        return detailView(await showStrategy(ctx, { name: request.params.name }));
      },
    );
  }
}
