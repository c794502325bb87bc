import { z } from 'zod';
import type { App, RouteDeps } from '../../app.ts';
import { ErrorSchema } from '../../schemas.ts';
import type { WebhookConfig } from '../../webhook-config.ts';
import { handleVerificationChallenge, parseWhatsAppWebhook, verifyWhatsAppSignature } from '../../../providers/whatsapp-cloud.ts';
import { receiveProviderEvent } from '../../../modules/conversations/index.ts';
import { AppError } from '../../../modules/shared/errors.ts';
import { acceptRawBodies, companyParams, webhookTarget, withoutNul, rawBodyOf } from './shared.ts';
import { t } from '../../../domain/text.ts';


const HandshakeQuery = z.looseObject({
  'hub.mode': z.string().max(100).optional(),
  'hub.verify_token': z.string().max(1000).optional(),
  'hub.challenge': z.string().max(1000).optional(),
});

const ReceivedSchema = z.object({ events: z.number().int(), recorded: z.number().int() }).meta({ id: 'WebhookReceived' });

/**
 * GET and POST /webhooks/whatsapp/:company — Meta's WhatsApp Cloud API webhook: the subscription handshake, and
 * status and message notifications signed with X-Hub-Signature-256 over the raw body. The signature is checked before
 * anything is parsed or recorded; a replayed notification is recorded once.
 */
export function whatsAppWebhookRoutes(app: App, deps: RouteDeps, config: WebhookConfig): void {
  void app.register(async (scope: App) => {
    // This scope alone keeps the raw body: the signature covers the exact bytes Meta sent.
    acceptRawBodies(scope);

    scope.get(
      '/webhooks/whatsapp/:company',
      {
        config: { public: true },
        schema: {
          tags: ['webhooks'],
          summary: "WhatsApp webhook subscription handshake (echoes hub.challenge when hub.verify_token matches the company's verify token)",
          security: [],
          params: companyParams,
          querystring: HandshakeQuery,
          response: { 200: z.string().describe('the hub.challenge, as text/plain'), 400: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema },
        },
      },
      async (request, reply) => {
        const target = await webhookTarget(deps, config, request.params.company, 'whatsappVerifyToken', 'WhatsApp');
        const answer = handleVerificationChallenge(request.query, target.secret);
        if (answer.status === 400) throw new AppError('validation_failed', t('not a subscription handshake: send hub.mode, hub.verify_token and hub.challenge', 'no es un saludo de suscripción: envíe hub.mode, hub.verify_token y hub.challenge'));
        if (answer.status === 403) throw new AppError('forbidden', t('the verify token does not match', 'el token de verificación no coincide'));
        return reply.code(200).type('text/plain; charset=utf-8').send(answer.body);
      },
    );

    scope.post(
      '/webhooks/whatsapp/:company',
      {
        config: { public: true },
        schema: {
          tags: ['webhooks'],
          summary: 'WhatsApp Cloud API notifications (statuses and inbound messages), signed with X-Hub-Signature-256',
          security: [],
          params: companyParams,
          response: { 200: ReceivedSchema, 400: ErrorSchema, 401: ErrorSchema, 404: ErrorSchema },
        },
      },
      async (request) => {
        const target = await webhookTarget(deps, config, request.params.company, 'whatsappAppSecret', 'WhatsApp');
        const raw = rawBodyOf(request.body);
        const header = request.headers['x-hub-signature-256'];
        if (!verifyWhatsAppSignature(raw, typeof header === 'string' ? header : undefined, target.secret)) {
          throw new AppError('unauthorized', t('the X-Hub-Signature-256 header is missing or does not match the body', 'falta el encabezado X-Hub-Signature-256 o no coincide con el cuerpo'));
        }
        let body: unknown;
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch {
          throw new AppError('validation_failed', t('the webhook body is not valid JSON', 'el cuerpo del webhook no es JSON válido'), [{ path: 'body', reason: t('invalid JSON', 'JSON no válido') }]);
        }
        if (typeof body !== 'object' || body === null || (body as { object?: unknown }).object !== 'whatsapp_business_account') {
          throw new AppError('validation_failed', t('not a WhatsApp Business Account notification', 'no es una notificación de una cuenta de WhatsApp Business'), [{ path: 'body.object', reason: t('must be "whatsapp_business_account"', 'debe ser "whatsapp_business_account"') }]);
        }
        const events = parseWhatsAppWebhook(body);
        let recorded = 0;
        for (const event of events) {
          const e = event.kind === 'message' ? { ...event, text: withoutNul(event.text), from: withoutNul(event.from), providerMessageId: withoutNul(event.providerMessageId) } : { ...event, providerMessageId: withoutNul(event.providerMessageId), ...(event.error !== undefined ? { error: withoutNul(event.error) } : {}) };
          // A new message from a debtor is answered by the self-service conversation (once: a replay records nothing).
          const r = await receiveProviderEvent(target.ctx, { event: e, provider: 'whatsapp-cloud' });
          if (r.recorded) recorded++;
        }
        return { events: events.length, recorded };
      },
    );
  });
}
