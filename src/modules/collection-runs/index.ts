export { runPortfolio, runAhead, createRun, parseAsOf, refuseFutureRun, type RunSummary } from './run-portfolio.ts';
export { getRun, listRuns, type RunView } from './runs-query.ts';
export { failStaleRuns, RUN_STAGES, STALE_RUN_REASON, type RunStage } from './run-liveness.ts';
export { addSegment, listSegments, removeSegment, checkRule, checkSegmentName, type SegmentView } from './segments.ts';
export { getPhases, listPhases, setPhases, setPhasesEverywhere, soleInUsePortfolio, overridePhase, type PhaseSettings } from './phases.ts';
export { addHold, removeHold, listHolds, HOLD_REASONS, type HoldView } from './holds.ts';
export { agingReport, accountsReport, type AgingReport, type AgingLine, type AccountReportRow } from './reports.ts';
export { latestSnapshotDate } from './snapshot-dates.ts';
export { listAccounts, type AccountView, type AccountFilters, type AccountSort } from './list-accounts.ts';
