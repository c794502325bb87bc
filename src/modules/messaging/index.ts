/** The messaging module's public surface: the outbox, the contact gate on real debtors, dispatch and settings. */
export { bigintArray, textArray } from './sql.ts';
export { loadAutomationSettings, automationSettingsOf, setAutomationSettings, countryComplianceSchema, senderSchema, type AutomationSettings, type CountryCompliance, type SenderSettings } from './settings.ts';
export { contactRulesResolver, type ResolvedRules } from './contact-rules.ts';
export {
  loadGateFacts,
  gateFactsSql,
  addGateHolds,
  addGateConsents,
  addGateHistory,
  loadPlanAgreements,
  judgeContact,
  judgeContactStable,
  emptyGateFacts,
  factsForCause,
  HISTORY_DAYS,
  type GateFacts,
  type GateJudgement,
  type GateHistoryEntry,
  type GateHoldRow,
  type GateConsentRow,
  type GateHistoryRow,
} from './gate.ts';
export { dispatchDue, emptyDispatchSummary, type DispatchOptions, type DispatchSummary, type ProviderRegistry } from './dispatch-due.ts';
export { renderOutbound, findTemplate, templateLanguageOf, type RenderOutcome, type CompanyTemplates } from './render-message.ts';
export { ProviderError, type AcceptedMessage, type Channel, type ChannelProvider, type OutboundMessage, type SendResult, type InboundEvent } from './ports.ts';
export { recordProviderEvent, markReplyHandled, isOptOut, OPT_OUT_WORDS, type ProviderEventResult } from './record-provider-event.ts';
export { debtorTimeline, debtorTimelinePage, timelineDebtor, timelinePageSql, timelinePageFrom, TIMELINE_PAGE_ORDER, TIMELINE_KINDS, type TimelineEntry, type TimelineKind, type TimelinePage, type TimelinePageRow } from './debtor-timeline.ts';
export { complianceReport, complianceReportCells, complianceReportColumns, complianceReportFileName, complianceReportSheet, type ComplianceReportRow } from './compliance-report.ts';
export { recordSandboxReply, SANDBOX_REPLY_CHANNELS, type SandboxReplyResult, type SandboxReplyChannel } from './sandbox-reply.ts';
export { handleReply, listReplies, REPLY_STATUSES, type HandleReplyResult, type ReplyStatus, type ReplyView } from './handle-reply.ts';
export { enqueueFreeFormReply, judgeFreeFormReply, FREE_FORM_REPLY_KEY, FREE_FORM_CAUSE_PREFIX, CUSTOMER_SERVICE_WINDOW_MS, type FreeFormJudgement } from './free-form-reply.ts';
export { listTemplates, showTemplate, loadCompanyTemplates, type TemplateSummary, type TemplateDetail } from './company-templates.ts';
export { saveTemplates, type SavedTemplate } from './save-templates.ts';
