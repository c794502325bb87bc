import { z } from 'zod';
import { optOutFromPortal, PORTAL_CHANNELS, updatePortalContact } from '../../../modules/portal/index.ts';
import type { App, RouteDeps } from '../../app.ts';
import { errorResponses } from '../../schemas.ts';
import { PORTAL_ROUTE, TokenParams, verifiedAccessOf } from './shared.ts';

const Choice = z.enum(['yes', 'no']);

/**
 * PUT /portal/api/:token/contact — the debtor's email, phone and WhatsApp, and yes/no per channel.
 * POST /portal/api/:token/opt-out — stop one channel at once (as BAJA does).
 */
export function portalContactRoutes(app: App, deps: RouteDeps): void {
  app.put(
    '/portal/api/:token/contact',
    {
      config: PORTAL_ROUTE,
      schema: {
        tags: ['portal'],
        summary: 'Update contact details and channel preferences',
        params: TokenParams,
        body: z.object({
          email: z.string().max(254).nullable().optional(),
          phone: z.string().max(40).nullable().optional(),
          whatsapp: z.string().max(40).nullable().optional(),
          channels: z.partialRecord(z.enum(PORTAL_CHANNELS), Choice).optional(),
        }),
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const access = await verifiedAccessOf(request, deps);
      await updatePortalContact(access, request.body);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/portal/api/:token/opt-out',
    {
      config: PORTAL_ROUTE,
      schema: { tags: ['portal'], summary: 'Opt out of one channel', params: TokenParams, body: z.object({ channel: z.enum(PORTAL_CHANNELS) }), response: { 204: z.null(), ...errorResponses } },
    },
    async (request, reply) => {
      const access = await verifiedAccessOf(request, deps);
      await optOutFromPortal(access, request.body.channel);
      return reply.code(204).send(null);
    },
  );
}
