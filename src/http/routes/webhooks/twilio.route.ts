import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { App, RouteDeps } from '../../app.ts';
import { ErrorSchema } from '../../schemas.ts';
import type { WebhookConfig } from '../../webhook-config.ts';
import { parseTwilioInbound, parseTwilioStatusCallback, verifyTwilioSignature } from '../../../providers/sms-twilio.ts';
import { loadAutomationSettings, recordProviderEvent, type InboundEvent } from '../../../modules/messaging/index.ts';
import { AppError } from '../../../modules/shared/errors.ts';
import { companyParams, webhookTarget, withoutNul } from './shared.ts';
import { t } from '../../../domain/text.ts';

const FormBody = z.record(z.string(), z.string()).describe('Twilio webhook parameters, application/x-www-form-urlencoded');
const ReceivedSchema = z.object({ events: z.number().int(), recorded: z.number().int() });

/**
 * The URLs Twilio may have signed: the configured public base URL (or, without one, the request's scheme and Host)
 * followed by the path and query string; for status callbacks also the company's configured status callback URL,
 * which is exactly what Twilio was told to call.
 */
function signedUrls(request: FastifyRequest, config: WebhookConfig, extra: string | undefined): string[] {
  const base = config.publicBaseUrl ?? `${request.protocol}://${request.host}`;
  const urls = [`${base}${request.url}`];
  if (extra) urls.push(extra);
  return urls;
}

/**
 * POST /webhooks/twilio/:company/status and /inbound — Twilio's status callbacks and incoming SMS, form-encoded and
 * signed with X-Twilio-Signature over the public URL and the parameters. Nothing is recorded without a valid signature.
 */
export function twilioWebhookRoutes(app: App, deps: RouteDeps, config: WebhookConfig): void {
  void app.register(async (scope: App) => {
    scope.removeAllContentTypeParsers();
    (scope as unknown as FastifyInstance).addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });

    for (const kind of ['status', 'inbound'] as const) {
      scope.post(
        `/webhooks/twilio/:company/${kind}`,
        {
          config: { public: true },
          schema: {
            tags: ['webhooks'],
            summary: kind === 'status' ? 'Twilio SMS status callback, signed with X-Twilio-Signature' : 'Twilio incoming SMS, signed with X-Twilio-Signature (answers empty TwiML)',
            security: [],
            params: companyParams,
            body: FormBody,
            response: { ...(kind === 'status' ? { 200: ReceivedSchema } : {}), 400: ErrorSchema, 401: ErrorSchema, 404: ErrorSchema, 415: ErrorSchema },
          },
        },
        async (request, reply) => {
          const target = await webhookTarget(deps, config, request.params.company, 'twilioAuthToken', 'Twilio');
          const params = request.body;
          const header = request.headers['x-twilio-signature'];
          const extra = kind === 'status' ? (await loadAutomationSettings(target.ctx)).sender.sms_status_callback_url : undefined;
          const valid = signedUrls(request, config, extra).some((url) => verifyTwilioSignature(url, params, typeof header === 'string' ? header : undefined, target.secret));
          if (!valid) throw new AppError('unauthorized', t('the X-Twilio-Signature header is missing or does not match the URL and parameters', 'falta el encabezado X-Twilio-Signature o no coincide con la URL y los parámetros'));
          if (!params.MessageSid) throw new AppError('validation_failed', t('not a Twilio message webhook: MessageSid is missing', 'no es un webhook de mensajes de Twilio: falta MessageSid'), [{ path: 'body.MessageSid', reason: t('required', 'obligatorio') }]);
          const clean = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, withoutNul(v)]));
          const now = deps.clock.now();
          let event: InboundEvent | null;
          if (kind === 'status') {
            if (!clean.MessageStatus) throw new AppError('validation_failed', t('a status callback needs MessageStatus', 'una notificación de estado necesita MessageStatus'), [{ path: 'body.MessageStatus', reason: t('required', 'obligatorio') }]);
            // Interim statuses (queued, sending, …) are acknowledged and ignored.
            event = parseTwilioStatusCallback(clean, now);
          } else {
            event = parseTwilioInbound(clean, now);
            if (!event) throw new AppError('validation_failed', t('an incoming message needs MessageSid, From and Body', 'un mensaje entrante necesita MessageSid, From y Body'), [{ path: 'body', reason: t('From and Body are required', 'From y Body son obligatorios') }]);
          }
          const recorded = event ? (await recordProviderEvent(target.ctx, { event, provider: 'twilio' })).recorded : false;
          if (kind === 'inbound') return reply.type('text/xml; charset=utf-8').send('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
          return { events: event ? 1 : 0, recorded: recorded ? 1 : 0 };
        },
      );
    }
  });
}
