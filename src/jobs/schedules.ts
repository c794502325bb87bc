/**
 * The one schedule registry: every job that runs by the clock, and the queues they run on.
 *
 * Per company:
 * - `cobranza-daily-run` at the company's configured local time (automation settings, default 06:00, in the
 *   company's time zone): promises and payment plans evaluated (negotiation), the daily run, then planning (strategies → outbox and tasks), then a dispatch job. A day
 *   the workers were down is sent once when one comes back (pg-boss `missed: 'once'`); planning catches up the steps
 *   of the missed days within each strategy's catch-up window.
 * - `cobranza-dispatch` every minute: sends what is due (messages deferred by the gate or waiting for a retry).
 */
import type { AutomationSettings } from '../modules/messaging/index.ts';
import type { QueueDefinition, ScheduleSpec } from './queue.ts';

export const QUEUES = {
  dailyRun: 'cobranza-daily-run',
  dispatch: 'cobranza-dispatch',
} as const;

export const QUEUE_DEFINITIONS: readonly QueueDefinition[] = [
  // The daily run over a large portfolio takes minutes; give it an hour before pg-boss presumes it lost.
  { name: QUEUES.dailyRun, expireInSeconds: 3600, retryLimit: 3, retryDelaySeconds: 60 },
  { name: QUEUES.dispatch, expireInSeconds: 600, retryLimit: 2, retryDelaySeconds: 10 },
];

/** The key a company's schedules are stored under. */
export function companyKey(companyId: number): string {
  return `company-${companyId}`;
}

/** What runs by the clock for one company. */
export function companySchedules(companyId: number, settings: Pick<AutomationSettings, 'dailyRunAt' | 'enabled' | 'timeZone'>): ScheduleSpec[] {
  if (!settings.enabled) return [];
  const [hh, mm] = settings.dailyRunAt.split(':').map(Number) as [number, number];
  const key = companyKey(companyId);
  return [
    { name: QUEUES.dailyRun, cron: `${mm} ${hh} * * *`, tz: settings.timeZone, key, data: { companyId }, catchUp: true },
    { name: QUEUES.dispatch, cron: '* * * * *', tz: 'UTC', key, data: { companyId }, catchUp: false },
  ];
}

/** Every schedule key a company may own, so disabled automation removes them. */
export function ownedSchedules(companyId: number): Array<{ name: string; key: string }> {
  return [QUEUES.dailyRun, QUEUES.dispatch].map((name) => ({ name, key: companyKey(companyId) }));
}
