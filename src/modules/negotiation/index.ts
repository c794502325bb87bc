/**
 * The negotiation module's public surface: the policy, offers (evaluate, plan options), promises to pay, payment plans
 * and settlements, disputes and hardship, a debtor's negotiation state, the daily evaluation of commitments and the
 * written agreement. Debtors are named by id; `debtorIdByExternalId` resolves an external id.
 *
 * Amounts in inputs are decimal strings in the currency ("1250.50", CLP "15000"); amounts in views are decimal
 * strings too. Offers outside the policy are refused (AppError `policy_refused`, one detail per reason code) unless
 * `requestApproval` is set and the policy allows exceptions: then they wait as `pending_approval` with a
 * `plan_approval` task until approved or rejected.
 */
export { getPolicy, setPolicy, getEffectivePolicy, policyForScope, type PolicyView } from './policy.ts';
export { evaluateOffer, listPlanOptions, toOffer, type OfferInput, type EvaluatedOffer } from './evaluate-offer.ts';
export { loadAccountFacts, type AccountFacts, type OpenObligation } from './account-facts.ts';
export { createPromise, cancelPromise, decidePromise, approvePromise, rejectPromise, listPromises, evaluationJson, type CreatePromiseInput } from './promises.ts';
export { createPlan, approvePlan, rejectPlan, cancelPlan, listPlans, AGREEMENT_LANGUAGES, type AgreementLanguage, type CreatePlanInput } from './plans.ts';
export { openDispute, resolveDispute, flagHardship, DISPUTE_OUTCOMES, type DisputeOutcome } from './disputes.ts';
export { getNegotiationState, type NegotiationState } from './state.ts';
export { evaluateCommitments, type CommitmentsSummary } from './evaluate-commitments.ts';
export { renderAgreementPdf } from './agreement-pdf.ts';
export { getPlan, type PlanView, type PromiseView, type DisputeView, type InstallmentView } from './views.ts';
export { debtorIdByExternalId, statusEs, TAKEN_BY, NEGOTIATION_CHANNELS, type TakenBy, type NegotiationChannel } from './shared.ts';

