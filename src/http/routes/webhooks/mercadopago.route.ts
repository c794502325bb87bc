import { z } from 'zod';
import type { App, RouteDeps } from '../../app.ts';
import { ErrorSchema } from '../../schemas.ts';
import type { WebhookConfig } from '../../webhook-config.ts';
import { verifyMercadoPagoSignature } from '../../../providers/pay-mercadopago.ts';
import { applyProviderPayment, paymentsRuntime, PaymentProviderError, type ProviderPaymentInfo } from '../../../modules/payments/index.ts';
import { AppError } from '../../../modules/shared/errors.ts';
import { acceptRawBodies, companyParams, webhookTarget, rawBodyOf } from './shared.ts';
import { t } from '../../../domain/text.ts';


const Query = z.looseObject({ 'data.id': z.string().max(100).optional(), type: z.string().max(100).optional(), topic: z.string().max(100).optional(), id: z.string().max(100).optional() });

const ReceivedSchema = z.object({
  received: z.literal(true),
  outcome: z.enum(['applied', 'refused', 'duplicate', 'ignored']),
  reason: z.string().nullable(),
});

/**
 * POST /webhooks/mercadopago/:company — Mercado Pago payment notifications, signed with x-signature over the manifest
 * of data.id (from the query string), x-request-id and ts. The notification carries only the payment id, so the
 * payment is read back with GET /v1/payments/{id}; an approved one is applied to the link named by its
 * external_reference, once. Other topics and payments not approved are acknowledged and ignored.
 */
export function mercadoPagoWebhookRoutes(app: App, deps: RouteDeps, config: WebhookConfig): void {
  void app.register(async (scope: App) => {
    acceptRawBodies(scope);
    scope.post(
      '/webhooks/mercadopago/:company',
      {
        config: { public: true },
        schema: {
          tags: ['webhooks'],
          summary: 'Mercado Pago payment notifications, signed with x-signature',
          security: [],
          params: companyParams,
          querystring: Query,
          response: { 200: ReceivedSchema, 400: ErrorSchema, 401: ErrorSchema, 404: ErrorSchema, 502: ErrorSchema },
        },
      },
      async (request) => {
        const target = await webhookTarget(deps, config, request.params.company, 'mercadoPagoWebhookSecret', 'Mercado Pago');
        const raw = rawBodyOf(request.body);
        let body: { type?: unknown; data?: { id?: unknown } } = {};
        if (raw.length > 0) {
          try {
            body = JSON.parse(raw.toString('utf8')) as typeof body;
          } catch {
            body = {};
          }
        }
        const bodyId = body && typeof body === 'object' && body.data && (typeof body.data.id === 'string' || typeof body.data.id === 'number') ? String(body.data.id) : undefined;
        const dataId = request.query['data.id'] ?? bodyId;
        const signature = request.headers['x-signature'];
        const requestId = request.headers['x-request-id'];
        if (!verifyMercadoPagoSignature({ header: typeof signature === 'string' ? signature : undefined, requestId: typeof requestId === 'string' ? requestId : undefined, dataId, secret: target.secret })) {
          throw new AppError('unauthorized', t('the x-signature header is missing or does not match data.id, x-request-id and ts', 'falta el encabezado x-signature o no coincide con data.id, x-request-id y ts'));
        }
        // The signature covers the query's data.id; a body naming another payment is not what was signed.
        if (bodyId !== undefined && request.query['data.id'] !== undefined && bodyId !== request.query['data.id']) {
          throw new AppError('validation_failed', t('data.id in the body differs from data.id in the URL', 'data.id del cuerpo es distinto de data.id de la URL'), [{ path: 'body.data.id', reason: t('must equal the query data.id', 'debe ser igual a data.id de la consulta') }]);
        }
        const topic = request.query.type ?? request.query.topic ?? (typeof body.type === 'string' ? body.type : undefined);
        if (topic !== 'payment' || !dataId) return { received: true as const, outcome: 'ignored' as const, reason: null };
        const reader = await paymentsRuntime().gateways.mercadoPagoPayments(request.params.company);
        if (!reader) throw new AppError('not_found', t(`Mercado Pago is not configured for company "${request.params.company}" (MERCADOPAGO_ACCESS_TOKEN)`, `Mercado Pago no está configurado para la empresa "${request.params.company}" (MERCADOPAGO_ACCESS_TOKEN)`));
        let payment: ProviderPaymentInfo;
        try {
          payment = await reader.getPayment(dataId);
        } catch (error) {
          if (error instanceof PaymentProviderError) throw new AppError('provider_failed', t(`could not read payment ${dataId} from Mercado Pago: ${error.message}`, `no se pudo leer el pago ${dataId} de Mercado Pago: ${error.message}`));
          throw error;
        }
        if (!payment.approved) return { received: true as const, outcome: 'ignored' as const, reason: payment.status };
        const result = await applyProviderPayment(target.ctx, {
          provider: 'mercadopago',
          providerPaymentId: payment.id,
          linkPublicId: payment.externalReference,
          amount: payment.amount,
          currency: payment.currency,
          paidAt: payment.paidAt ?? deps.clock.now(),
          raw: payment.raw,
        });
        return { received: true as const, outcome: result.outcome, reason: result.reason };
      },
    );
  });
}
