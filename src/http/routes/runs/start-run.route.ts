import { z } from 'zod';
import type { App, RouteDeps } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { ErrorSchema, errorResponses, plainDate } from '../../schemas.ts';
import { createRun, parseAsOf, refuseFutureRun, runAhead, runPortfolio } from '../../../modules/collection-runs/index.ts';
import { listPortfolios } from '../../../modules/portfolio/queries/index.ts';
import { AppError, notFound } from '../../../modules/shared/errors.ts';
import { t } from '../../../domain/text.ts';

const Body = z.strictObject({
  as_of: plainDate,
  portfolio: z.string().min(1).max(200).optional().describe('one portfolio; all of the company’s when absent'),
  force: z.boolean().default(false).describe('allow a date earlier than the last run (rewinds the accounts); a date after today is refused even so'),
});

const Accepted = z.object({ id: z.number().int(), status: z.literal('running'), as_of: z.string() });

/**
 * POST /runs — starts the daily run in the background and answers 202 at once. A run over a large portfolio takes
 * longer than a client should hold a connection; the run row is the progress report.
 */
export function startRunRoute(app: App, deps: RouteDeps): void {
  app.post(
    '/runs',
    {
      config: { permission: 'runs:execute' },
      schema: {
        tags: ['runs'],
        summary: 'Start a daily run as of a date (202; poll GET /runs/:id)',
        body: Body,
        response: { 202: Accepted, ...errorResponses, 409: ErrorSchema, 422: ErrorSchema },
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(request);
      const { portfolio, force } = request.body;
      const asOf = parseAsOf(request.body.as_of);
      // Refuse what runPortfolio would refuse before answering 202, so the client gets a 422/404/409 instead of a run
      // that fails at once. runPortfolio checks again under its own rules; this is only the early answer. A date after
      // the company's today is refused whatever "force" says.
      await refuseFutureRun(ctx, asOf);
      const known = await listPortfolios(ctx);
      const scope = portfolio === undefined ? known : known.filter((p) => p.name === portfolio);
      if (portfolio !== undefined && scope.length === 0) throw notFound('portfolio', portfolio);
      const ahead = await runAhead(ctx, scope.map((p) => ({ ...p, lastRunOn: p.last_run_on })), asOf);
      if (ahead && !force) {
        throw new AppError(
          'run_out_of_order',
          t(`portfolio "${ahead.name}" was already run as of ${ahead.last_run_on}; running the earlier date ${asOf} would rewind it. Send "force": true to do it anyway.`, `la cartera "${ahead.name}" ya se corrió con fecha de corte ${ahead.last_run_on}; correr la fecha anterior ${asOf} la haría retroceder. Envíe "force": true para hacerlo de todos modos.`),
        );
      }
      // Rewinding a portfolio is an administrator's decision.
      if (ahead && ctx.principal && ctx.principal.role !== 'admin') {
        throw new AppError('forbidden', t(`portfolio "${ahead.name}" was already run as of ${ahead.last_run_on}; only an administrator may force the earlier date ${asOf}`, `la cartera "${ahead.name}" ya se corrió con fecha de corte ${ahead.last_run_on}; solo un administrador puede forzar la fecha anterior ${asOf}`), [
          { path: 'body.force', reason: t('administrators only', 'solo administradores') },
        ]);
      }
      const portfolioId = portfolio === undefined ? null : scope[0]!.id;
      const id = await createRun(ctx, { asOf, portfolioId, forced: force });
      deps.track(
        runPortfolio(ctx, { asOf, portfolio, force, runId: id }).catch((error: unknown) => {
          // The run row records the failure for GET /runs/:id; the log keeps the stack.
          request.log.error({ err: error, runId: id }, 'daily run failed');
        }),
      );
      return reply.code(202).header('location', `/runs/${id}`).send({ id, status: 'running' as const, as_of: asOf });
    },
  );
}
