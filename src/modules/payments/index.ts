/**
 * The payments module's public surface: payment links (Stripe Checkout, Mercado Pago Checkout Pro, bank-transfer and
 * cash references, the demo sandbox), applying what providers report, bank statement reconciliation and the alerts
 * treasury works from.
 */
export { createPaymentLink, type CreatePaymentLinkInput } from './create-payment-link.ts';
export { getPaymentLink, findPaymentLinkByPublicId } from './get-payment-link.ts';
export { listPaymentLinks, type ListPaymentLinksOptions } from './list-payment-links.ts';
export { cancelPaymentLink } from './cancel-payment-link.ts';
export { completeSandboxPayment } from './complete-sandbox-payment.ts';
export { applyProviderPayment, applyProviderPayments, paymentExternalIdOf, ALERT_KINDS, type AlertKind, type ApplyOutcome, type ProviderPaymentInput } from './apply-provider-payment.ts';
export { importBankStatement, type ImportBankStatementOptions, type BankStatementResult, type StatementLine, type StatementError } from './import-bank-statement.ts';
export { listPaymentAlerts, resolvePaymentAlert, type PaymentAlert } from './payment-alerts.ts';
export { loadPaymentSettings, setPaymentSettings, bankReferenceSchema, paymentSettingsInput, type PaymentSettings, type BankReferenceSettings } from './settings.ts';
export { clabeProblem, clabeCheckDigit, buildClabe, buildReference, referenceIsValid, checkDigits, CHECK_DIGITS, type CheckDigitAlgorithm } from './references.ts';
export {
  configurePayments,
  paymentsRuntime,
  PAYMENT_PROVIDERS,
  PaymentProviderError,
  type PaymentProvider,
  type CheckoutProvider,
  type CheckoutGateway,
  type CheckoutRequest,
  type CheckoutSession,
  type PaymentGateways,
  type PaymentReader,
  type PaymentsRuntime,
  type ProviderPaymentInfo,
} from './ports.ts';
export { LINK_STATUSES, LINK_TARGETS, type PaymentLink, type PaymentLinkStatus, type PaymentTarget, type PaymentTargetKind } from './views.ts';
