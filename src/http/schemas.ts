/**
 * Zod schemas shared by the routes. They validate requests and, through fastify-type-provider-zod, become the OpenAPI
 * document, so what is checked and what is documented cannot drift apart.
 */
import { z } from 'zod';
import { isPlainDate } from '../domain/calendar.ts';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../modules/portfolio/queries/index.ts';
import { zodText } from '../domain/zod-issues.ts';
import { t } from '../domain/text.ts';

/** The body of every error response. */
export const ErrorSchema = z
  .object({
    code: z.string().describe('stable machine-readable code, e.g. validation_failed, not_found; the same in every language'),
    message: z.string().describe('what went wrong and what to do, for a person, in the language of Accept-Language (Spanish or English)'),
    details: z.array(
      z.object({
        path: z.string().optional(),
        line: z.number().int().optional(),
        column: z.string().optional(),
        position: z.number().int().optional(),
        reason: z.string().describe('why, in the language of Accept-Language (a few reasons are codes, e.g. wrong_answer)'),
      }),
    ),
  })
  .meta({
    id: 'Error',
    description:
      'An error. message and details[].reason are written in the language the request asks for in Accept-Language, by q-value: ' +
      'any es… tag gives Spanish (es-MX), any en… tag English; without the header, or with neither, English. ' +
      'The answer says which in Content-Language and carries Vary: Accept-Language. code and paths never change with the language.',
  });

/** The usual error replies, for the OpenAPI document (the error handler produces them). */
export const errorResponses = {
  400: ErrorSchema,
  401: ErrorSchema,
  404: ErrorSchema,
} as const;

/** A calendar date; refuses impossible ones such as 2026-02-30. */
export const plainDate = z
  .string()
  .refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && isPlainDate(v), zodText(t('must be a real calendar date written YYYY-MM-DD', 'debe ser una fecha real escrita AAAA-MM-DD')))
  .meta({ format: 'date', example: '2026-03-31' });

const AMOUNT_AS_TEXT = zodText(
  t(
    'must be a decimal string such as "1250.50": amounts travel as text so that no cent is lost to floating point',
    'debe ser un texto decimal como "1250.50": los montos viajan como texto para que no se pierda ningún centavo en decimales binarios',
  ),
);

/**
 * An amount in a request: a decimal string (exact; checked against its currency's decimals where it is used). A JSON
 * number is refused with why, not as a bare type mismatch.
 */
export function amountText(max = 40) {
  return z.string({ error: (issue) => (issue.input === undefined ? undefined : AMOUNT_AS_TEXT) }).max(max);
}

/** "true" / "false" in a query string. */
export const queryBoolean = z.enum(['true', 'false']).transform((v) => v === 'true');

/** A short free-text filter value. */
export const queryText = z.string().min(1).max(200);

/** Keyset pagination parameters every list takes. */
export const pageQuery = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_LIMIT)
    .default(DEFAULT_LIMIT)
    .describe(`page size, 1–${MAX_LIMIT}`),
  cursor: z.string().max(4000).optional().describe('next_cursor of the previous page of this list, in the same sort and order; opaque'),
};

/** Wraps a row schema into a page. */
export function pageOf<T extends z.ZodType>(row: T) {
  return z.object({ data: z.array(row), next_cursor: z.string().nullable().describe('pass as ?cursor= for the next page; null on the last') });
}

/** Amounts per currency as decimal strings, e.g. {"MXN": "1250.50"}; never summed across currencies. */
export const PerCurrencySchema = z.record(z.string(), z.string()).meta({ id: 'PerCurrency', example: { MXN: '1250.50' } });

/** Fields of an account (debtor within a portfolio) as the last daily run left it. */
export const accountFields = {
  portfolio: z.string(),
  phase: z.string(),
  phase_since: z.string(),
  phase_source: z.string(),
  days_past_due: z.number().int().nullable(),
  bucket: z.string().nullable(),
  balances: PerCurrencySchema,
  overdue: PerCurrencySchema,
  segments: z.array(z.string()),
  on_hold: z.boolean(),
  as_of: z.string(),
};

/** A path segment naming a record by its external id. */
export const externalIdParams = z.object({ external_id: z.string().min(1).max(200) });
