import type { FastifyInstance } from 'fastify';
import type { App, RouteDeps } from '../../app.ts';
import type { WebhookConfig, WebhookSecrets } from '../../webhook-config.ts';
import { findCompanyBySlug } from '../../../modules/access/find-company.ts';
import { loadSavedCredentials } from '../../../modules/settings/index.ts';
import type { CompanyRow } from '../../../modules/access/ensure-company.ts';
import type { Ctx } from '../../../modules/shared/context.ts';
import { AppError } from '../../../modules/shared/errors.ts';
import { z } from 'zod';
import { t } from '../../../domain/text.ts';

export const companyParams = z.object({ company: z.string().min(1).max(100).describe("the company's slug") });

/**
 * The company a webhook names and the one secret it needs: the company's saved credential (provider settings, sealed
 * at rest) when it saved one, else the environment's. An unknown company and a missing secret both answer 404 with
 * the same message, so the endpoint does not reveal which companies exist.
 */
export async function webhookTarget<K extends keyof WebhookSecrets>(
  deps: RouteDeps,
  config: WebhookConfig,
  slug: string,
  secret: K,
  provider: string,
): Promise<{ company: CompanyRow; secret: string; ctx: Ctx }> {
  const company = await findCompanyBySlug(deps.database, slug);
  const saved = company ? await loadSavedCredentials(deps.database, deps.secretsKey, { id: company.id }) : null;
  const value = company ? (saved?.webhooks[secret] ?? config.secretsFor(slug)[secret]) : undefined;
  if (!company || !value) {
    throw new AppError('not_found', t(`no ${provider} webhook is configured for company "${slug}" (save its secret in the provider settings; see docs/webhooks.md)`, `no hay un webhook de ${provider} configurado para la empresa "${slug}" (guarde su secreto en la configuración de proveedores; consulte docs/webhooks.md)`));
  }
  return { company, secret: value, ctx: { database: deps.database, clock: deps.clock, companyId: company.id, actor: `webhook:${provider}` } };
}

/** PostgreSQL text cannot hold NUL; a provider's text with one keeps the rest. */
export const withoutNul = (s: string) => s.replaceAll('\u0000', '');

/** The exact bytes of a request body. A private field, so generic walks over the body (the NUL check) skip it. */
class RawBody {
  readonly #bytes: Buffer;
  constructor(bytes: Buffer) {
    this.#bytes = bytes;
  }
  get bytes(): Buffer {
    return this.#bytes;
  }
}

/**
 * Makes every route of `scope` receive its body unparsed, whatever the content type: signatures are computed over the
 * exact bytes the provider sent, so nothing may parse (and re-serialise) them first.
 */
export function acceptRawBodies(scope: App): void {
  scope.removeAllContentTypeParsers();
  (scope as unknown as FastifyInstance).addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, new RawBody(body as Buffer)));
}

/** The raw bytes a scope set up by acceptRawBodies received (empty when the request had no body). */
export function rawBodyOf(body: unknown): Buffer {
  return body instanceof RawBody ? body.bytes : Buffer.alloc(0);
}
