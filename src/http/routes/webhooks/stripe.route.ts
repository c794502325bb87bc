import { z } from 'zod';
import type { App, RouteDeps } from '../../app.ts';
import { ErrorSchema } from '../../schemas.ts';
import type { WebhookConfig } from '../../webhook-config.ts';
import { parseStripeEvent, verifyStripeSignature } from '../../../providers/pay-stripe.ts';
import { applyProviderPayment, PaymentProviderError } from '../../../modules/payments/index.ts';
import { AppError } from '../../../modules/shared/errors.ts';
import { MoneyError } from '../../../domain/money.ts';
import { acceptRawBodies, companyParams, webhookTarget, rawBodyOf } from './shared.ts';
import { t, textOf } from '../../../domain/text.ts';


const ReceivedSchema = z.object({
  received: z.literal(true),
  outcome: z.enum(['applied', 'refused', 'duplicate', 'ignored']),
  reason: z.string().nullable(),
});

/**
 * POST /webhooks/stripe/:company — Stripe events, signed with Stripe-Signature over the raw body. A paid
 * checkout.session.completed (or async_payment_succeeded) is applied to its link once; a replay applies nothing; an
 * amount or currency that differs from the link is refused and raised as a payment alert. Other events are
 * acknowledged and ignored. Nothing is applied without a valid signature (401).
 */
export function stripeWebhookRoutes(app: App, deps: RouteDeps, config: WebhookConfig): void {
  void app.register(async (scope: App) => {
    acceptRawBodies(scope);
    scope.post(
      '/webhooks/stripe/:company',
      {
        config: { public: true },
        schema: {
          tags: ['webhooks'],
          summary: 'Stripe events (checkout.session.completed), signed with Stripe-Signature',
          security: [],
          params: companyParams,
          response: { 200: ReceivedSchema, 400: ErrorSchema, 401: ErrorSchema, 404: ErrorSchema },
        },
      },
      async (request) => {
        const target = await webhookTarget(deps, config, request.params.company, 'stripeWebhookSecret', 'Stripe');
        const raw = rawBodyOf(request.body);
        const header = request.headers['stripe-signature'];
        if (!verifyStripeSignature(raw, typeof header === 'string' ? header : undefined, target.secret, deps.clock.now())) {
          throw new AppError('unauthorized', t('the Stripe-Signature header is missing, too old or does not match the body', 'falta el encabezado Stripe-Signature, es demasiado antiguo o no coincide con el cuerpo'));
        }
        let body: unknown;
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch {
          throw new AppError('validation_failed', t('the webhook body is not valid JSON', 'el cuerpo del webhook no es JSON válido'), [{ path: 'body', reason: t('invalid JSON', 'JSON no válido') }]);
        }
        let paid;
        try {
          paid = parseStripeEvent(body);
        } catch (error) {
          if (error instanceof PaymentProviderError || error instanceof MoneyError) throw new AppError('validation_failed', textOf(error), [{ path: 'body', reason: textOf(error) }]);
          throw error;
        }
        if (!paid) return { received: true as const, outcome: 'ignored' as const, reason: null };
        const result = await applyProviderPayment(target.ctx, {
          provider: 'stripe',
          providerPaymentId: paid.sessionId,
          linkPublicId: paid.linkPublicId,
          amount: paid.amount,
          currency: paid.currency,
          paidAt: paid.paidAt,
          raw: { event: paid.eventId, session: paid.sessionId, payment_intent: paid.paymentIntent },
        });
        return { received: true as const, outcome: result.outcome, reason: result.reason };
      },
    );
  });
}
