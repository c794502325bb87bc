/** Wire shapes of payment links, alerts and payment settings: snake_case, money as decimal strings beside the currency. */
import { z } from 'zod';
import { amountText } from '../../schemas.ts';
import { formatDecimal } from '../../../domain/money.ts';
import { CHECK_DIGITS, LINK_STATUSES, LINK_TARGETS, PAYMENT_PROVIDERS, type PaymentAlert, type PaymentLink, type PaymentSettings } from '../../../modules/payments/index.ts';

export const PaymentLinkSchema = z
  .object({
    id: z.number().int(),
    public_id: z.string().describe('the id in the link URL and in what providers carry back'),
    debtor_external_id: z.string(),
    target: z.object({ kind: z.enum(LINK_TARGETS), id: z.number().int().nullable(), obligation_external_id: z.string().nullable() }),
    amount: z.string().describe('decimal string in the currency'),
    currency: z.string(),
    provider: z.enum(PAYMENT_PROVIDERS),
    status: z.enum(LINK_STATUSES).describe('pending only while the provider is being called; expired once an open link passed its expiry'),
    description: z.string(),
    expires_at: z.string(),
    reference: z.string().nullable().describe('Stripe Checkout Session id, Mercado Pago preference id, bank/cash reference or sandbox id'),
    clabe: z.string().nullable().describe('bank transfers: the CLABE to transfer to'),
    url: z.string().nullable().describe('the page the debtor opens'),
    idempotency_key: z.string(),
    paid_at: z.string().nullable(),
    payment_external_id: z.string().nullable().describe('the portfolio payment the link became'),
    created_at: z.string(),
  })
  .meta({ id: 'PaymentLink' });

/** A link as the API shows it. */
export function linkJson(link: PaymentLink): z.infer<typeof PaymentLinkSchema> {
  return {
    id: link.id,
    public_id: link.publicId,
    debtor_external_id: link.debtorExternalId,
    target: { kind: link.target.kind, id: link.target.kind === 'debtor' ? null : link.target.id, obligation_external_id: link.obligationExternalId },
    amount: formatDecimal(link.amount, link.currency),
    currency: link.currency,
    provider: link.provider,
    status: link.status,
    description: link.description,
    expires_at: link.expiresAt.toISOString(),
    reference: link.reference,
    clabe: link.clabe,
    url: link.url,
    idempotency_key: link.idempotencyKey,
    paid_at: link.paidAt?.toISOString() ?? null,
    payment_external_id: link.paymentExternalId,
    created_at: link.createdAt.toISOString(),
  };
}

export const CreatePaymentLinkBody = z
  .strictObject({
    debtor_external_id: z.string().min(1).max(100),
    target: z
      .strictObject({
        kind: z.enum(LINK_TARGETS),
        obligation_external_id: z.string().min(1).max(100).optional().describe('for kind obligation'),
        id: z.number().int().positive().optional().describe('for kind installment or settlement: the negotiation module id'),
      })
      .default({ kind: 'debtor' }),
    amount: amountText().optional().describe('decimal string; default: the obligation balance or the debtor overdue total'),
    currency: z.string().min(3).max(5),
    provider: z.enum(PAYMENT_PROVIDERS).optional().describe("default: the company's payment settings"),
    idempotency_key: z.string().min(1).max(200).optional().describe('the same key returns the same link'),
    description: z.string().min(1).max(500).optional(),
  })
  .meta({ id: 'NewPaymentLink' });

export const LinkIdParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export const ApplyResultSchema = z.object({
  outcome: z.enum(['applied', 'refused', 'duplicate']),
  reason: z.string().nullable(),
  payment_external_id: z.string().nullable(),
  alert_id: z.number().int().nullable(),
});

export const PaymentAlertSchema = z
  .object({
    id: z.number().int(),
    kind: z.string().describe('amount_mismatch | currency_mismatch | unknown_reference | link_not_open'),
    status: z.enum(['open', 'resolved']),
    provider: z.string(),
    provider_payment_id: z.string(),
    reference: z.string().nullable(),
    link_public_id: z.string().nullable(),
    debtor_external_id: z.string().nullable(),
    amount: z.string(),
    currency: z.string(),
    expected_amount: z.string().nullable(),
    expected_currency: z.string().nullable(),
    paid_on: z.string(),
    detail: z.string(),
    created_at: z.string(),
    resolved_at: z.string().nullable(),
    resolved_by: z.string().nullable(),
  })
  .meta({ id: 'PaymentAlert' });

export function alertJson(a: PaymentAlert): z.infer<typeof PaymentAlertSchema> {
  return {
    id: a.id,
    kind: a.kind,
    status: a.status,
    provider: a.provider,
    provider_payment_id: a.providerPaymentId,
    reference: a.reference,
    link_public_id: a.linkPublicId,
    debtor_external_id: a.debtorExternalId,
    amount: formatDecimal(a.amount, a.currency),
    currency: a.currency,
    expected_amount: a.expectedAmount === null || a.expectedCurrency === null ? null : formatDecimal(a.expectedAmount, a.expectedCurrency),
    expected_currency: a.expectedCurrency,
    paid_on: a.paidOn,
    detail: a.detail,
    created_at: a.createdAt.toISOString(),
    resolved_at: a.resolvedAt?.toISOString() ?? null,
    resolved_by: a.resolvedBy,
  };
}

export const PaymentSettingsSchema = z
  .object({
    provider: z.enum(PAYMENT_PROVIDERS),
    provider_chosen: z.boolean().describe("false when the server default applies"),
    link_ttl_hours: z.number().int(),
    bank_reference: z.object({
      clabe: z.string().optional(),
      clabe_prefix: z.string().optional(),
      reference_prefix: z.string(),
      reference_length: z.number().int(),
      check_digit: z.enum(CHECK_DIGITS),
      bank_name: z.string().optional(),
      beneficiary: z.string().optional(),
      cash_stores: z.array(z.string()).optional(),
    }),
  })
  .meta({ id: 'PaymentSettings' });

export function settingsJson(s: PaymentSettings): z.infer<typeof PaymentSettingsSchema> {
  return { provider: s.provider, provider_chosen: s.providerChosen, link_ttl_hours: s.linkTtlHours, bank_reference: s.bankReference };
}
