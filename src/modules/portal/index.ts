/**
 * The debtor portal's public surface: signed, expiring, revocable links (`/p/:token`), the light identity check with
 * its lock, and what a debtor can do there — see what is owed, pay, promise, take or ask for a plan, dispute, manage
 * contact details and channels, download the written agreement of a plan and the paid-in-full letter. Every action lands on the debtor's timeline.
 */
export { configurePortal, portalRuntime, type PortalRuntime } from './runtime.ts';
export { loadPortalSettings, setPortalSettings, portalSettingsInput, IDENTITY_CHECKS, type IdentityCheck, type PortalSettings, type PortalSettingsInput } from './settings.ts';
export { issuePortalLink, portalUrl, type IssuePortalLinkInput, type PortalLink } from './issue-portal-link.ts';
export { revokePortalLinks } from './revoke-portal-links.ts';
export { openPortal, type PortalAccess, type LinkProblem } from './open-portal.ts';
export { identityState, verifyIdentity, hasSession, requireSession, unlockIdentityCheck, SESSION_MS, type IdentityState } from './identity.ts';
export { getPortalAccount, PORTAL_CHANNELS, type PortalAccount, type PortalChannel, type PortalObligation, type PortalTotal } from './get-portal-account.ts';
export { payFromPortal, completePortalSandboxPayment } from './pay-from-portal.ts';
export { promiseFromPortal, type PortalPromiseInput } from './promise-from-portal.ts';
export { portalPlanOptions, choosePortalPlan, requestPortalPlan, type PortalPlanOption, type PortalPlanRequest } from './plans-from-portal.ts';
export { disputeFromPortal, PORTAL_DISPUTE_REASONS, type PortalDisputeReason } from './dispute-from-portal.ts';
export { updatePortalContact, optOutFromPortal, type PortalContactInput } from './update-portal-contact.ts';
export { paidInFullLetter, type PaidInFullLetter } from './paid-in-full-letter.ts';
export { agreementFromPortal } from './agreement-from-portal.ts';
export { recordPortalEvent, PORTAL_EVENT_KINDS, type PortalEventKind } from './events.ts';
export { signPortalToken, verifyPortalToken, peekPortalToken, type PortalTokenClaims } from './token.ts';
