import { z } from 'zod';
import { completePortalSandboxPayment, payFromPortal } from '../../../modules/portal/index.ts';
import type { PaymentLink } from '../../../modules/payments/index.ts';
import type { App, RouteDeps } from '../../app.ts';
import { ErrorSchema, errorResponses } from '../../schemas.ts';
import { Currency, dec, DecimalAmount, PORTAL_ROUTE, PortalPaymentSchema, TokenParams, verifiedAccessOf } from './shared.ts';

function paymentJson(link: PaymentLink) {
  return {
    public_id: link.publicId,
    provider: link.provider,
    status: link.status,
    amount: dec(link.amount, link.currency),
    currency: link.currency,
    url: link.url,
    reference: link.reference,
    clabe: link.clabe,
    expires_at: link.expiresAt.toISOString(),
  };
}

/**
 * POST /portal/api/:token/payments — pay all (no amount) or part of a currency's balance; answers the payment link
 * (a hosted checkout to open, a bank reference to show, or a sandbox payment to complete).
 * POST /portal/api/:token/payments/:public_id/sandbox-complete — the sandbox's one-click payment.
 */
export function portalPaymentRoutes(app: App, deps: RouteDeps): void {
  app.post(
    '/portal/api/:token/payments',
    {
      config: PORTAL_ROUTE,
      schema: {
        tags: ['portal'],
        summary: 'Start a payment from the portal',
        params: TokenParams,
        body: z.object({ currency: Currency, amount: DecimalAmount.optional().describe('default: the whole balance in the currency') }),
        response: { 200: PortalPaymentSchema, ...errorResponses, 409: ErrorSchema, 502: ErrorSchema },
      },
    },
    async (request) => {
      const access = await verifiedAccessOf(request, deps);
      return paymentJson(await payFromPortal(access, { currency: request.body.currency, amount: request.body.amount }));
    },
  );
  app.post(
    '/portal/api/:token/payments/:public_id/sandbox-complete',
    {
      config: PORTAL_ROUTE,
      schema: {
        tags: ['portal'],
        summary: 'Complete a sandbox payment (demo provider) from the portal',
        params: TokenParams.extend({ public_id: z.string().min(1).max(100) }),
        response: { 200: PortalPaymentSchema, ...errorResponses, 409: ErrorSchema },
      },
    },
    async (request) => {
      const access = await verifiedAccessOf(request, deps);
      return paymentJson(await completePortalSandboxPayment(access, request.params.public_id));
    },
  );
}
