import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { ErrorSchema, errorResponses } from '../../schemas.ts';
import { completeSandboxPayment } from '../../../modules/payments/index.ts';
import { ApplyResultSchema, LinkIdParams, linkJson, PaymentLinkSchema } from './schemas.ts';

/** POST /payment-links/:id/sandbox-complete — the demo's one-click payment of a sandbox link (a second click applies nothing). */
export function completeSandboxPaymentRoute(app: App): void {
  app.post(
    '/payment-links/:id/sandbox-complete',
    {
      config: { permission: 'payments:write' },
      schema: {
        tags: ['payments'],
        summary: 'Pay a sandbox link in full (demo)',
        params: LinkIdParams,
        response: { 200: z.object({ link: PaymentLinkSchema, result: ApplyResultSchema }), ...errorResponses, 409: ErrorSchema },
      },
    },
    async (request) => {
      const { link, result } = await completeSandboxPayment(ctxOf(request), { id: request.params.id });
      return { link: linkJson(link), result: { outcome: result.outcome, reason: result.reason, payment_external_id: result.paymentExternalId, alert_id: result.alertId } };
    },
  );
}
