/**
 * A query parameter given twice (`?limit=1&limit=2`) reaches the routes as a list, which a single-valued parameter's
 * schema then refuses with a confusing reason ("received NaN", "must be one of…"). Every route's query passes here
 * first, so the person is told instead to give the parameter once. A parameter whose schema takes a list keeps it.
 */
import type { FastifyRequest } from 'fastify';
import { AppError } from '../modules/shared/errors.ts';
import { t } from '../domain/text.ts';

interface ZodLike {
  _zod?: { def?: { type?: string; innerType?: ZodLike; in?: ZodLike; options?: ZodLike[] } };
  shape?: Record<string, ZodLike>;
}

/** Whether a zod schema accepts a list, looking through optional, default, pipes and unions. */
function takesList(schema: ZodLike | undefined): boolean {
  const def = schema?._zod?.def;
  if (!def) return false;
  if (def.type === 'array' || def.type === 'tuple') return true;
  if (def.type === 'union') return (def.options ?? []).some(takesList);
  if (def.type === 'pipe') return takesList(def.in);
  return takesList(def.innerType);
}

/** Refuses (400 validation_failed) a single-valued query parameter that was given more than once. */
export function refuseRepeatedParameters(request: FastifyRequest): void {
  const query = request.query;
  if (query === null || typeof query !== 'object') return;
  const shape = (request.routeOptions.schema?.querystring as ZodLike | undefined)?.shape;
  for (const [name, value] of Object.entries(query as Record<string, unknown>)) {
    if (!Array.isArray(value)) continue;
    // A parameter the route does not know is left to the schema, which names it as unknown.
    if (shape && (!Object.hasOwn(shape, name) || takesList(shape[name]))) continue;
    throw new AppError('validation_failed', t(`give \`${name}\` once (it was given ${value.length} times)`, `indique \`${name}\` una sola vez (se indicó ${value.length} veces)`), [
      { path: `query.${name}`, reason: t('given more than once', 'indicado más de una vez') },
    ]);
  }
}
