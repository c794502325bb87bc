import type { Ctx } from '../shared/context.ts';
import { autoAssign, refreshWorklistScores, type AutoAssignSummary, type RefreshScoresSummary } from '../worklists/index.ts';
import { refreshActivity, type ActivityRefreshSummary } from './activity-aggregates.ts';
import { refreshAnalytics, type RefreshSummary } from './refresh-aggregates.ts';

export interface BackOfficeRefresh {
  assignment: AutoAssignSummary;
  scores: RefreshScoresSummary;
  analytics: RefreshSummary;
  activity: ActivityRefreshSummary;
}

/**
 * What follows the daily run for the back office: new open accounts are assigned, every open account is scored for the
 * worklists, and the day's aggregates and the activity of the days before today are summed for the dashboards. Each
 * step is idempotent.
 */
export async function refreshBackOffice(ctx: Ctx, options: { asOf?: string | undefined } = {}): Promise<BackOfficeRefresh> {
  const assignment = await autoAssign(ctx);
  const scores = await refreshWorklistScores(ctx);
  const analytics = await refreshAnalytics(ctx, options);
  const activity = await refreshActivity(ctx);
  return { assignment, scores, analytics, activity };
}
