/** The worklists module's public surface: interactions, assignments, scoring, "Mi día", debtor 360, actions, alerts. */
export { INTERACTION_CHANNELS, INTERACTION_OUTCOMES, ANSWERED_OUTCOMES, RIGHT_PARTY_OUTCOMES, OUTCOME_LABELS, CHANNEL_LABELS, isAttempt, type InteractionChannel, type InteractionOutcome } from './interaction-codes.ts';
export { logInteraction, type LogInteractionInput, type LogInteractionResult } from './log-interaction.ts';
export { listInteractions } from './list-interactions.ts';
export { type InteractionView } from './interaction-view.ts';
export {
  setCollector,
  listCollectors,
  saveAssignmentRule,
  listAssignmentRules,
  deleteAssignmentRule,
  autoAssign,
  assignByHand,
  assignmentHistory,
  type CollectorSettingView,
  type AssignmentRuleInput,
  type AssignmentRuleView,
  type AutoAssignSummary,
  type AssignmentView,
} from './assignments.ts';
export { ruleBasedModel, expectedRecovery, rankKey, type ScoringModel, type AccountFeatures } from './scoring.ts';
export { refreshWorklistScores, type RefreshScoresSummary } from './refresh-scores.ts';
export { getWorklist, worklistSummary, queueSizes, categoryRank, WORKLIST_CATEGORIES, type Worklist, type WorklistSummary, type WorklistItem, type WorklistCategory, type QueueSize } from './get-worklist.ts';
export { getDebtor360, TIMELINE_PAGE, type Debtor360, type ContactPoint, type AvailableAction } from './debtor-360.ts';
export { sendMessageNow, sendToJudicial, writeOff, placeDebtorWithAgency, SEND_NOW_CHANNELS, type SendNowResult } from './debtor-actions.ts';
export { listAlerts, ownAlertsOf, ALERT_KINDS, type Alert, type AlertKind, type AlertItem, type AlertOptions } from './alerts.ts';
export { sendAlertDigests, renderDigest, DIGEST_ROLES, type DigestSummary } from './alert-digest.ts';
export { actingUserId, companyToday } from './lookups.ts';
