/** The analytics module's public surface: the daily aggregates, the dashboard and KPIs, and report exports. */
export { refreshAnalytics, TRANSITION_LAG_DAYS, FLOW_WINDOW_DAYS, type RefreshSummary } from './refresh-aggregates.ts';
export { getDashboard, type Dashboard, type DashboardFilters, type NamedKpi, type ChannelResult, type CollectorResult } from './dashboard.ts';
export { listCollectorCosts, setCollectorCost, deleteCollectorCost, type CollectorCostView } from './collector-costs.ts';
export { REPORTS, EXPORT_FORMATS, reportRows, reportColumns, exportReport, parseReportName, type ReportName, type ExportFormat, type ReportParams } from './reports.ts';
export { BANDS, bandFloor } from './bands.ts';
export { refreshBackOffice, type BackOfficeRefresh } from './refresh-back-office.ts';
export { refreshActivity, ACTIVITY_WINDOW_DAYS, type ActivityRefreshSummary } from './activity-aggregates.ts';
