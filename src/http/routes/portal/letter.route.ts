import { z } from 'zod';
import { paidInFullLetter } from '../../../modules/portal/index.ts';
import { renderLetterPdf } from '../../../providers/letter-pdf.ts';
import type { App, RouteDeps } from '../../app.ts';
import { ErrorSchema, errorResponses } from '../../schemas.ts';
import { PORTAL_ROUTE, TokenParams, verifiedAccessOf } from './shared.ts';

/** GET /portal/api/:token/letter — the paid-in-full letter as PDF, once nothing is owed (409 before). */
export function portalLetterRoute(app: App, deps: RouteDeps): void {
  app.get(
    '/portal/api/:token/letter',
    {
      config: PORTAL_ROUTE,
      schema: {
        tags: ['portal'],
        summary: 'Download the paid-in-full letter (carta finiquito) as PDF',
        params: TokenParams,
        querystring: z.object({ lang: z.enum(['es-MX', 'en']).optional() }),
        response: { 200: z.any().describe('the PDF'), ...errorResponses, 409: ErrorSchema },
      },
    },
    async (request, reply) => {
      const access = await verifiedAccessOf(request, deps);
      const { letter, fileName } = await paidInFullLetter(access, request.query.lang ?? 'es-MX');
      const pdf = await renderLetterPdf(letter);
      return reply.type('application/pdf').header('content-disposition', `attachment; filename="${fileName}"`).header('cache-control', 'no-store').send(pdf);
    },
  );
}
