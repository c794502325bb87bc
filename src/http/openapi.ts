/**
 * The OpenAPI document's finishing touches. The routes' zod schemas give every response its body, but a response
 * whose schema carries no description is documented as "Default Response", and the parameters every list shares
 * (limit, portfolio, phase…) would each need the same words repeated in every route; an integrator reading the
 * document should learn from each status what happened and what to do, and from each parameter what it means. A
 * route that describes a response or parameter itself keeps its words.
 */
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { routePermission } from './auth.ts';
import { ErrorSchema } from './schemas.ts';

/** What each status means across the API (the error handler, src/http/errors.ts, decides which code gets which). */
export const RESPONSE_DESCRIPTIONS: Readonly<Record<string, string>> = Object.freeze({
  200: 'OK',
  201: 'Created',
  202: 'Accepted: the work goes on in the background; follow it with the id in the answer',
  204: 'Done; nothing to return',
  400: 'The request is invalid: `details` names each field, line or position at fault and why (codes validation_failed, invalid_json, empty_body, malformed_form, rule_invalid, bad_request)',
  401: 'No valid credentials: send `Authorization: Bearer <API key>`, or sign in (code unauthorized)',
  403: 'Authenticated, but this role may not do this (code forbidden; `details` says what it lacks)',
  404: 'Not found, or not visible to this company or agency (code not_found)',
  405: 'The path exists but does not take this method; the `Allow` header lists those it takes',
  409: 'Refused by the current state of the data, e.g. a duplicate, a newer version, a run already in progress or an earlier date than the last run (codes conflict, run_in_progress, run_out_of_order)',
  413: 'The body is larger than this endpoint accepts (code payload_too_large)',
  415: 'The body has a Content-Type this endpoint does not accept (code unsupported_media_type)',
  422: 'Understood, but refused by a rule of the product (e.g. run_date_in_future, policy_refused); `details` gives the reasons',
  429: 'Too many attempts; wait the time the message gives and try again (code too_many_attempts)',
  502: 'A provider (payments, messaging) failed or refused; nothing was left half-done on our side (code provider_failed)',
});

/**
 * What the API's common parameters mean wherever they appear, for those a route does not describe itself. `{what}` is
 * the resource the path names before the parameter (`/plans/{id}` → "payment plan").
 */
const PARAMETER_DESCRIPTIONS: Readonly<Record<string, string>> = Object.freeze({
  'path:external_id': 'the {what}’s external id: the id it has in your system, given when it was imported or created',
  'path:id': 'the {what}’s id, as cobranza returned it',
  'path:name': 'the {what}’s name',
  'path:token': 'the token of the debtor’s portal link (from the link cobranza sent or `cobranza portal link`)',
  'path:public_id': 'the payment’s public id, as the portal returned it',
  'path:plan_id': 'the payment plan’s id',
  'path:collector_id': 'the collector’s user id',
  'path:report': 'the report’s name (see the list of reports)',
  'path:entity': 'what the file holds: debtors, obligations or payments',
  'query:limit': 'how many items a page holds at most',
  'query:cursor': 'the `next_cursor` of the previous page, to read the next one (with the same sort and order: a cursor of another list or order is refused)',
  'query:portfolio': 'only this portfolio (its name)',
  'query:currency': 'only amounts in this currency (ISO 4217 code, e.g. MXN)',
  'query:phase': 'only accounts in this collection phase',
  'query:segment': 'only accounts in this segment (its name)',
  'query:bucket': 'only accounts in this aging bucket',
  'query:status': 'only items with this status',
  'query:collector_id': 'only this collector’s (a user id)',
  'query:format': 'the file format of the answer',
  'query:sort': 'the order of the list',
  'query:language': 'the language of the text (es-MX by default)',
  'query:lang': 'the language of the document (es-MX by default)',
  'query:entity': 'only this kind of record',
  'query:from': 'the first day, YYYY-MM-DD, included',
  'query:to': 'the last day, YYYY-MM-DD, included',
  'query:dpd_min': 'only accounts with at least this many days past due',
  'query:dpd_max': 'only accounts with at most this many days past due',
  'query:on_hold': 'only accounts on hold (true) or not on hold (false)',
  'query:channel': 'only this channel (whatsapp, sms, email, letter, call)',
  'query:before_id': 'the id of the last item already read: the items before it come next',
  'query:debtor_external_id': 'only this debtor’s (its external id)',
  'query:country': 'only debtors of this country (ISO 3166 alpha-2)',
  'query:region': 'only debtors of this region (state, department): its code or name, read for each debtor’s country as an import reads it (CDMX finds CMX)',
  'query:tag': 'only debtors with this tag, in any case (VIP finds vip)',
  'query:external_id': 'only the record with this external id',
  'query:as_of': 'the date, YYYY-MM-DD',
  'query:due_from': 'only obligations due on or after this day (YYYY-MM-DD)',
  'query:due_to': 'only obligations due on or before this day (YYYY-MM-DD)',
  'query:paid_from': 'only payments made on or after this day (YYYY-MM-DD)',
  'query:paid_to': 'only payments made on or before this day (YYYY-MM-DD)',
  'query:reversed': 'only reversed payments (true) or only those in force (false)',
  'query:note': 'a note on why, kept with the change in the audit log',
  'query:offset': 'how many items to skip',
  'query:year': 'the calendar year',
  'path:key': 'the template’s key, e.g. due_today',
  'query:key': 'only templates with this key',
  'query:source': 'company: the company’s own templates; default: those shipped with the product',
  'query:include_inactive': 'also users who were deactivated',
  'query:actor': 'only changes made by this user or API key',
  'query:entity_id': 'only changes to the record with this id',
  'query:target_kind': 'with target_id: only links for this kind of target',
  'query:target_id': 'with target_kind: only links for the target with this id',
  'query:dispute_days': 'a dispute waiting more than this many days is an alert',
  'query:attention_limit': 'a collector queue longer than this is an alert',
  'query:items': 'how many items each alert lists at most',
});

/** Readable names of the resources paths are made of, for the descriptions above. */
const RESOURCE_NAMES: Readonly<Record<string, string>> = Object.freeze({
  debtors: 'debtor',
  obligations: 'obligation',
  payments: 'payment',
  imports: 'import',
  runs: 'run',
  segments: 'segment',
  portfolios: 'portfolio',
  strategies: 'strategy',
  templates: 'template',
  users: 'user',
  'api-keys': 'API key',
  plans: 'payment plan',
  promises: 'promise',
  disputes: 'dispute',
  replies: 'reply',
  'payment-links': 'payment link',
  'payment-alerts': 'payment alert',
  'assignment-rules': 'assignment rule',
  agencies: 'agency',
  holds: 'hold',
});

/** The resource a path names right before `{parameter}`, e.g. /plans/{id}/approve → "payment plan". */
function resourceBefore(path: string, parameter: string): string {
  const segments = path.split('/');
  const at = segments.indexOf(`{${parameter}}`);
  const before = at > 0 ? segments[at - 1] : undefined;
  return (before && RESOURCE_NAMES[before]) ?? 'record';
}

/** The placeholder @fastify/swagger writes for a response without a description. */
const PLACEHOLDER = 'Default Response';

type Responses = Record<string, { description?: string } | undefined>;
type Parameter = { name?: string; in?: string; description?: string; schema?: { description?: string } };
type Operation = { responses?: Responses; parameters?: Parameter[] };
type Document = { paths?: Record<string, Record<string, Operation | undefined> | undefined> };

/**
 * Fills in, in place, the description of every response and common parameter that has none of its own; returns the
 * document.
 */
export function describeOperations<T>(document: T): T {
  for (const [path, operations] of Object.entries((document as Document).paths ?? {})) {
    for (const operation of Object.values(operations ?? {})) {
      for (const [status, response] of Object.entries(operation?.responses ?? {})) {
        if (!response || (response.description !== undefined && response.description !== PLACEHOLDER)) continue;
        const text = RESPONSE_DESCRIPTIONS[status];
        if (text) response.description = text;
      }
      for (const parameter of operation?.parameters ?? []) {
        if (parameter.description || parameter.schema?.description || !parameter.name) continue;
        const text = PARAMETER_DESCRIPTIONS[`${parameter.in}:${parameter.name}`];
        if (text) parameter.description = text.replace('{what}', resourceBefore(path, parameter.name));
      }
    }
  }
  return document;
}

/** @fastify/swagger's `transformObject`: the zod schemas' transform, then the descriptions above. */
export const transformOpenApiObject: typeof jsonSchemaTransformObject = (input) => describeOperations(jsonSchemaTransformObject(input));

/**
 * @fastify/swagger's per-route `transform`: the zod schemas' transform, after giving every route that needs a
 * permission its 403 (the guard, src/http/auth.ts, answers it to a role without the permission), so no route has to
 * remember to list it.
 */
export const transformOpenApiRoute: typeof jsonSchemaTransform = (input) => {
  const { schema, route } = input;
  // A route without response schemas (a file download) keeps the 200 the document would have given it, and gets its 403.
  const response = (schema?.response ?? { 200: z.unknown().describe('OK: the file; its Content-Type header says which kind') }) as Record<string, unknown>;
  if (routePermission(route.config) !== null && !schema?.hide && !Object.hasOwn(response, '403')) {
    return jsonSchemaTransform({ ...input, schema: { ...schema, response: { ...response, 403: ErrorSchema } } });
  }
  return jsonSchemaTransform(input);
};
