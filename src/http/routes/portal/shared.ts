/**
 * What the portal routes share: the link's token in the path opens the debtor's portal (no API key, no user
 * session: the routes are public and the token is the credential), the identity session travels in the
 * `X-Portal-Session` header, and amounts go out as decimal strings beside their currency.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { formatDecimal } from '../../../domain/money.ts';
import { openPortal, requireSession, type PortalAccess } from '../../../modules/portal/index.ts';
import type { RouteDeps } from '../../app.ts';
import { zodText } from '../../../domain/zod-issues.ts';
import { t } from '../../../domain/text.ts';

export const TokenParams = z.object({ token: z.string().min(1).max(200) });
export const SESSION_HEADER = 'x-portal-session';

/** Portal routes are public to the API guard: the token authenticates them. */
export const PORTAL_ROUTE = { public: true } as const;

/** The session the page sends, if any. */
export function sessionOf(request: FastifyRequest): string | undefined {
  const value = request.headers[SESSION_HEADER];
  return typeof value === 'string' ? value : undefined;
}

/** Opens the link in the path (401 invalid / expired / revoked). */
export function accessOf(request: FastifyRequest<{ Params: { token: string } }>, deps: RouteDeps): Promise<PortalAccess> {
  return openPortal(deps, request.params.token);
}

/** Opens the link and requires a passed identity check (401 identity_required). */
export async function verifiedAccessOf(request: FastifyRequest<{ Params: { token: string } }>, deps: RouteDeps): Promise<PortalAccess> {
  const access = await openPortal(deps, request.params.token);
  await requireSession(access, sessionOf(request));
  return access;
}

/** Minor units → decimal string. */
export function dec(amount: bigint, currency: string): string {
  return formatDecimal(amount, currency);
}

export const Currency = z.string().regex(/^[A-Za-z]{3}$/, zodText(t('must be a 3-letter ISO currency code', 'debe ser un código de moneda ISO de 3 letras')));
export const DecimalAmount = z.string().regex(/^\d{1,18}(\.\d{1,4})?$/, zodText(t('must be a decimal number such as 1250.50', 'debe ser un número decimal como 1250.50')));

const Money = z.string().describe('decimal string in the currency');

/** A payment started from the portal. */
export const PortalPaymentSchema = z
  .object({
    public_id: z.string(),
    provider: z.string(),
    status: z.string(),
    amount: Money,
    currency: z.string(),
    url: z.string().nullable().describe('the checkout page to open (hosted providers, bank reference page)'),
    reference: z.string().nullable(),
    clabe: z.string().nullable(),
    expires_at: z.string(),
  })
  .meta({ id: 'PortalPayment' });

/** The portal page's data. `account` is null until the identity check is passed. */
export const PortalViewSchema = z
  .object({
    creditor: z.string(),
    debtor_first_name: z.string(),
    link_expires_at: z.string(),
    today: z.string(),
    identity: z.object({
      method: z.enum(['tax_id_last4', 'birth_date', 'none']),
      available: z.boolean().describe('false when the record lacks what the check asks; the debtor must call the creditor'),
      verified: z.boolean(),
      locked_until: z.string().nullable(),
      attempts_left: z.number().int(),
    }),
    account: z
      .object({
        obligations: z.array(
          z.object({
            id: z.number().int(),
            external_id: z.string(),
            kind: z.string(),
            product: z.string().nullable(),
            currency: z.string(),
            amount: Money,
            balance: Money,
            due_on: z.string(),
            days_late: z.number().int(),
            disputed: z.boolean(),
            in_plan: z.boolean(),
          }),
        ),
        totals: z.array(z.object({ currency: z.string(), balance: Money, overdue: Money })),
        promises: z.array(z.object({ id: z.number().int(), currency: z.string(), amount: Money, promised_on: z.string(), status: z.string() })),
        plans: z.array(
          z.object({
            id: z.number().int(),
            kind: z.string(),
            currency: z.string(),
            total: Money,
            status: z.string(),
            installments: z.array(z.object({ seq: z.number().int(), due_on: z.string(), amount: Money, status: z.string() })),
          }),
        ),
        disputes: z.array(z.object({ id: z.number().int(), obligation_id: z.number().int(), status: z.string(), reason: z.string(), opened_on: z.string(), debtor_notice: z.string().nullable() })),
        paid_in_full: z.boolean(),
        contact: z.object({ email: z.string().nullable(), phone: z.string().nullable(), whatsapp: z.string().nullable() }),
        channels: z.array(z.object({ channel: z.string(), status: z.string(), opted_out: z.boolean() })),
      })
      .nullable(),
  })
  .meta({ id: 'PortalView' });

export const PlanOptionsSchema = z.object({
  currency: z.string(),
  balance: Money,
  options: z.array(
    z.object({
      key: z.string().describe('send it back to choose this option'),
      kind: z.enum(['plan', 'settlement']),
      frequency: z.string().nullable(),
      installments: z.number().int(),
      down_payment: Money,
      discount: Money,
      interest: Money,
      total: Money,
      schedule: z.array(z.object({ seq: z.number().int(), due_on: z.string(), amount: Money })),
    }),
  ),
});
