import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses } from '../../schemas.ts';
import { loadPaymentSettings, paymentSettingsInput, setPaymentSettings } from '../../../modules/payments/index.ts';
import { PaymentSettingsSchema, settingsJson } from './schemas.ts';

/** GET and PUT /payment-settings — the company's provider, link lifetime and bank-transfer reference scheme. */
export function paymentSettingsRoutes(app: App): void {
  app.get(
    '/payment-settings',
    {
      config: { permission: 'payments:read' },
      schema: { tags: ['payments'], summary: "The company's payment settings", response: { 200: PaymentSettingsSchema, ...errorResponses } },
    },
    async (request) => settingsJson(await loadPaymentSettings(ctxOf(request))),
  );
  app.put(
    '/payment-settings',
    {
      config: { permission: 'settings:write' },
      schema: { tags: ['payments'], summary: 'Change the payment settings (absent fields keep their value)', body: paymentSettingsInput, response: { 200: PaymentSettingsSchema, ...errorResponses } },
    },
    async (request) => settingsJson(await setPaymentSettings(ctxOf(request), request.body)),
  );
}
