/** The route table: one line per route file, so what the API offers can be read in one place. */
import type { App, RouteDeps } from '../app.ts';
import { getHealthRoute } from './health/get-health.route.ts';
import { getDebtorRoute } from './debtors/get-debtor.route.ts';
import { listDebtorsRoute } from './debtors/list-debtors.route.ts';
import { addHoldRoute } from './debtors/add-hold.route.ts';
import { removeHoldRoute } from './debtors/remove-hold.route.ts';
import { createDebtorRoute } from './debtors/create-debtor.route.ts';
import { updateDebtorRoute } from './debtors/update-debtor.route.ts';
import { createObligationRoute } from './obligations/create-obligation.route.ts';
import { updateObligationRoute } from './obligations/update-obligation.route.ts';
import { createPaymentRoute } from './payments/create-payment.route.ts';
import { reversePaymentRoute } from './payments/reverse-payment.route.ts';
import { deletePaymentRoute } from './payments/delete-payment.route.ts';
import { uploadImportRoute } from './imports/upload-import.route.ts';
import { listImportsRoutes } from './imports/list-imports.route.ts';
import { getObligationRoute } from './obligations/get-obligation.route.ts';
import { listObligationsRoute } from './obligations/list-obligations.route.ts';
import { getPaymentRoute } from './payments/get-payment.route.ts';
import { listPaymentsRoute } from './payments/list-payments.route.ts';
import { listAccountsRoute } from './accounts/list-accounts.route.ts';
import { exportAccountsRoute } from './accounts/export-accounts.route.ts';
import { getAgingRoute } from './reports/get-aging.route.ts';
import { listSegmentsRoute } from './segments/list-segments.route.ts';
import { addSegmentRoute } from './segments/add-segment.route.ts';
import { removeSegmentRoute } from './segments/remove-segment.route.ts';
import { startRunRoute } from './runs/start-run.route.ts';
import { getRunRoute } from './runs/get-run.route.ts';
import { listRunsRoute } from './runs/list-runs.route.ts';
import { listPortfoliosRoute } from './portfolios/list-portfolios.route.ts';
import { getPhasesRoute } from './portfolios/get-phases.route.ts';
import { setPhasesRoute } from './portfolios/set-phases.route.ts';
import { getTimelineRoute } from './debtors/get-timeline.route.ts';
import { listConversationsRoute } from './conversations/list-conversations.route.ts';
import { getComplianceReportRoute } from './reports/get-compliance.route.ts';
import { applyStrategyRoute } from './strategies/apply-strategy.route.ts';
import { listStrategiesRoute } from './strategies/list-strategies.route.ts';
import { getStrategyRoute } from './strategies/get-strategy.route.ts';
import { setStrategyStatusRoutes } from './strategies/set-strategy-status.route.ts';
import { simulateStrategyRoute } from './strategies/simulate-strategy.route.ts';
import { postSandboxReplyRoute } from './sandbox/post-reply.route.ts';
import { listTemplatesRoute } from './templates/list-templates.route.ts';
import { getTemplateRoute } from './templates/get-template.route.ts';
import { saveTemplatesRoute } from './templates/save-templates.route.ts';
import { listRepliesRoute } from './replies/list-replies.route.ts';
import { handleReplyRoute } from './replies/handle-reply.route.ts';
import { whatsAppWebhookRoutes } from './webhooks/whatsapp.route.ts';
import { twilioWebhookRoutes } from './webhooks/twilio.route.ts';
import { managePolicyRoutes } from './negotiation/manage-policy.route.ts';
import { evaluateOfferRoutes } from './negotiation/evaluate-offer.route.ts';
import { managePromisesRoutes } from './negotiation/manage-promises.route.ts';
import { managePlansRoutes } from './negotiation/manage-plans.route.ts';
import { manageDisputesRoutes } from './negotiation/manage-disputes.route.ts';
import type { WebhookConfig } from '../webhook-config.ts';
import { worklistRoutes } from './worklists/worklist.route.ts';
import { debtor360Routes } from './worklists/debtor-360.route.ts';
import { interactionRoutes } from './interactions/interactions.route.ts';
import { alertRoutes } from './alerts/alerts.route.ts';
import { analyticsRoutes } from './analytics/analytics.route.ts';
import { collectorCostRoutes } from './analytics/collector-costs.route.ts';
import { managePortalRoutes, portalRoutes as debtorPortalRoutes } from './portal/index.ts';
import { createPaymentLinkRoute } from './payment-links/create-payment-link.route.ts';
import { getPaymentLinkRoute } from './payment-links/get-payment-link.route.ts';
import { listPaymentLinksRoute } from './payment-links/list-payment-links.route.ts';
import { cancelPaymentLinkRoute } from './payment-links/cancel-payment-link.route.ts';
import { completeSandboxPaymentRoute } from './payment-links/complete-sandbox-payment.route.ts';
import { paymentAlertsRoutes } from './payment-links/payment-alerts.route.ts';
import { paymentSettingsRoutes } from './payment-links/payment-settings.route.ts';
import { payPageRoutes } from './payment-links/pay-page.route.ts';
import { stripeWebhookRoutes } from './webhooks/stripe.route.ts';
import { mercadoPagoWebhookRoutes } from './webhooks/mercadopago.route.ts';
import { signInRoute } from './auth/sign-in.route.ts';
import { signOutRoute } from './auth/sign-out.route.ts';
import { passwordResetRoutes } from './auth/password-reset.route.ts';
import { getMeRoute } from './auth/get-me.route.ts';
import { userRoutes } from './users/user-routes.route.ts';
import { listAuditRoute } from './audit/list-audit.route.ts';
import { placementRoutes } from './agencies/placement-routes.route.ts';
import { checkSegmentRuleRoute } from './settings/check-segment-rule.route.ts';
import { providerSettingsRoutes } from './settings/provider-settings.route.ts';
import { getComplianceSettingsRoute } from './settings/get-compliance-settings.route.ts';
import { complianceRulesRoutes } from './settings/compliance-rules.route.ts';

/** Routes anyone may call. */
export function publicRoutes(app: App, deps: RouteDeps): void {
  getHealthRoute(app, deps);
  payPageRoutes(app, deps);
  signInRoute(app, deps);
  signOutRoute(app, deps);
  passwordResetRoutes(app, deps);
}

/** Routes behind the API-key guard; each runs as the key's company. */
export function authenticatedRoutes(app: App, deps: RouteDeps): void {
  listDebtorsRoute(app);
  getDebtorRoute(app);
  createDebtorRoute(app);
  updateDebtorRoute(app);
  addHoldRoute(app);
  removeHoldRoute(app);
  listObligationsRoute(app);
  getObligationRoute(app);
  createObligationRoute(app);
  updateObligationRoute(app);
  listPaymentsRoute(app);
  getPaymentRoute(app);
  createPaymentRoute(app);
  reversePaymentRoute(app);
  deletePaymentRoute(app);
  uploadImportRoute(app, deps);
  listImportsRoutes(app);
  listAccountsRoute(app);
  exportAccountsRoute(app);
  getAgingRoute(app);
  listSegmentsRoute(app);
  addSegmentRoute(app);
  removeSegmentRoute(app);
  checkSegmentRuleRoute(app);
  providerSettingsRoutes(app, deps);
  getComplianceSettingsRoute(app);
  complianceRulesRoutes(app);
  startRunRoute(app, deps);
  listRunsRoute(app);
  getRunRoute(app);
  listPortfoliosRoute(app);
  getPhasesRoute(app);
  setPhasesRoute(app);
  getTimelineRoute(app);
  listConversationsRoute(app);
  getComplianceReportRoute(app);
  applyStrategyRoute(app);
  listStrategiesRoute(app);
  getStrategyRoute(app);
  setStrategyStatusRoutes(app);
  simulateStrategyRoute(app);
  postSandboxReplyRoute(app);
  worklistRoutes(app);
  debtor360Routes(app);
  interactionRoutes(app);
  alertRoutes(app);
  analyticsRoutes(app);
  collectorCostRoutes(app);
  managePolicyRoutes(app);
  evaluateOfferRoutes(app);
  managePromisesRoutes(app);
  managePlansRoutes(app);
  manageDisputesRoutes(app);
  listTemplatesRoute(app);
  getTemplateRoute(app);
  saveTemplatesRoute(app);
  listRepliesRoute(app);
  handleReplyRoute(app);
  managePortalRoutes(app);
  createPaymentLinkRoute(app);
  listPaymentLinksRoute(app);
  getPaymentLinkRoute(app);
  cancelPaymentLinkRoute(app);
  completeSandboxPaymentRoute(app);
  paymentAlertsRoutes(app);
  paymentSettingsRoutes(app);
  getMeRoute(app);
  userRoutes(app, deps);
  listAuditRoute(app);
  placementRoutes(app);
}

/** The debtor portal's API (/portal/api/:token/…): public to the guard, the link's token authenticates each call. */
export function portalRoutes(app: App, deps: RouteDeps): void {
  debtorPortalRoutes(app, deps);
}

/** Provider webhooks: no API key; each checks its provider's signature with the named company's secret. */
export function webhookRoutes(app: App, deps: RouteDeps, config: WebhookConfig): void {
  whatsAppWebhookRoutes(app, deps, config);
  twilioWebhookRoutes(app, deps, config);
  stripeWebhookRoutes(app, deps, config);
  mercadoPagoWebhookRoutes(app, deps, config);
}
