import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { issuePortalLink, loadPortalSettings, revokePortalLinks, setPortalSettings, unlockIdentityCheck, IDENTITY_CHECKS } from '../../../modules/portal/index.ts';
import { notFound } from '../../../modules/shared/errors.ts';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses } from '../../schemas.ts';

const SettingsSchema = z.object({ identity_check: z.enum(IDENTITY_CHECKS), link_ttl_days: z.number().int(), max_attempts: z.number().int(), lock_minutes: z.number().int() });
const settingsJson = (s: Awaited<ReturnType<typeof loadPortalSettings>>) => ({ identity_check: s.identityCheck, link_ttl_days: s.linkTtlDays, max_attempts: s.maxAttempts, lock_minutes: s.lockMinutes });

/**
 * Collectors' side of the portal: issue a debtor's link (to send or read out), revoke links, unlock a debtor's
 * identity check, and the company's portal settings.
 */
export function managePortalRoutes(app: App): void {
  app.post(
    '/debtors/:external_id/portal-links',
    {
      config: { permission: 'messages:send' },
      schema: {
        tags: ['portal'],
        summary: "Issue a signed, expiring link to the debtor's portal",
        params: z.object({ external_id: z.string().min(1) }),
        body: z.object({ ttl_days: z.number().int().min(1).max(365).optional() }).optional(),
        response: { 201: z.object({ id: z.number().int(), url: z.string(), token: z.string(), expires_at: z.string() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const link = await issuePortalLink(ctxOf(request), { debtorExternalId: request.params.external_id, ttlDays: request.body?.ttl_days });
      return reply.code(201).send({ id: link.id, url: link.url, token: link.token, expires_at: link.expiresAt.toISOString() });
    },
  );
  app.post(
    '/debtors/:external_id/portal-links/revoke',
    {
      config: { permission: 'messages:send' },
      schema: { tags: ['portal'], summary: "Revoke every live portal link of a debtor", params: z.object({ external_id: z.string().min(1) }), response: { 200: z.object({ revoked: z.number().int() }), ...errorResponses } },
    },
    async (request) => revokePortalLinks(ctxOf(request), { debtorExternalId: request.params.external_id }),
  );
  app.post(
    '/debtors/:external_id/portal-unlock',
    {
      config: { permission: 'negotiation:write' },
      schema: { tags: ['portal'], summary: "Unlock a debtor's portal identity check after confirming who they are", params: z.object({ external_id: z.string().min(1) }), response: { 204: z.null(), ...errorResponses } },
    },
    async (request, reply) => {
      const ctx = ctxOf(request);
      const [d] = await ctx.database.query<{ id: string }>(sql`SELECT id::text FROM debtors WHERE company_id = ${ctx.companyId} AND external_id = ${request.params.external_id}`);
      if (!d) throw notFound('debtor', request.params.external_id);
      await unlockIdentityCheck(ctx, Number(d.id));
      return reply.code(204).send(null);
    },
  );
  app.get(
    '/portal-settings',
    { config: { permission: 'portfolio:read' }, schema: { tags: ['portal'], summary: 'The portal settings', response: { 200: SettingsSchema, ...errorResponses } } },
    async (request) => settingsJson(await loadPortalSettings(ctxOf(request))),
  );
  app.put(
    '/portal-settings',
    {
      config: { permission: 'settings:write' },
      schema: {
        tags: ['portal'],
        summary: 'Change the portal settings (identity check, link lifetime, lock)',
        body: z.object({ identity_check: z.enum(IDENTITY_CHECKS).optional(), link_ttl_days: z.number().int().optional(), max_attempts: z.number().int().optional(), lock_minutes: z.number().int().optional() }),
        response: { 200: SettingsSchema, ...errorResponses },
      },
    },
    async (request) => settingsJson(await setPortalSettings(ctxOf(request), request.body)),
  );
}
