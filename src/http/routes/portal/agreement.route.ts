import { z } from 'zod';
import { agreementFromPortal } from '../../../modules/portal/index.ts';
import type { App, RouteDeps } from '../../app.ts';
import { ErrorSchema, errorResponses } from '../../schemas.ts';
import { PORTAL_ROUTE, TokenParams, verifiedAccessOf } from './shared.ts';

/** GET /portal/api/:token/plans/:plan_id/agreement — the written agreement of one of the debtor's plans, as PDF. */
export function portalAgreementRoute(app: App, deps: RouteDeps): void {
  app.get(
    '/portal/api/:token/plans/:plan_id/agreement',
    {
      config: PORTAL_ROUTE,
      schema: {
        tags: ['portal'],
        summary: 'Download the written agreement (convenio) of a payment plan as PDF',
        params: TokenParams.extend({ plan_id: z.coerce.number().int().positive() }),
        querystring: z.object({ lang: z.enum(['es-MX', 'en']).optional() }),
        response: { 200: z.any().describe('the PDF'), ...errorResponses, 409: ErrorSchema },
      },
    },
    async (request, reply) => {
      const access = await verifiedAccessOf(request, deps);
      const { pdf, fileName } = await agreementFromPortal(access, request.params.plan_id, request.query.lang);
      return reply.type('application/pdf').header('content-disposition', `attachment; filename="${fileName}"`).header('cache-control', 'no-store').send(pdf);
    },
  );
}
