/**
 * The durable job queue: pg-boss 12 over the system of record. On PostgreSQL it opens its own small `pg` pool on the
 * same database (schema `pgboss`), so any number of workers on any number of machines share the queue. On PGlite it
 * runs through pg-boss's PGlite adapter on the very instance this process owns (one process owns an embedded
 * database; see ADR 0004).
 *
 * Handlers are written so that running one twice is harmless (the daily run, planning and dispatch are all
 * idempotent), because a queue guarantees at-least-once, not exactly-once.
 *
 * PGlite note: PGlite runs one statement at a time and a transaction holds it for its whole length, so never call
 * the queue from inside a database transaction here (it would wait for the transaction that waits for it).
 */
import { PgBoss, fromPglite, type Job } from 'pg-boss';
import type { Database } from '../db/connection.ts';

export interface JobQueueOptions {
  /** Seconds between polls for new jobs (default 2). */
  pollingIntervalSeconds?: number;
  /** Seconds between cron evaluations (default 5; pg-boss sends each cron occurrence once across instances). */
  cronWorkerIntervalSeconds?: number;
  /** Name shown in pg-boss's instance registry. */
  instanceName?: string;
}

export interface ScheduleSpec {
  /** Queue the scheduled job is sent to. */
  name: string;
  /** Five-field cron expression. */
  cron: string;
  /** IANA time zone the expression is read in. */
  tz: string;
  /** Distinguishes several schedules on one queue (e.g. one per company). */
  key: string;
  data: Record<string, unknown>;
  /** A schedule missed while every worker was down is sent once when one comes back. */
  catchUp: boolean;
}

export interface QueueDefinition {
  name: string;
  /** Seconds a job may run before pg-boss considers it lost and retries it. */
  expireInSeconds: number;
  retryLimit: number;
  retryDelaySeconds: number;
}

export type JobHandler<T> = (data: T, job: { id: string; retryCount: number }) => Promise<void>;

export interface JobQueue {
  readonly boss: PgBoss;
  /** Creates the queues (idempotent). */
  define(queues: readonly QueueDefinition[]): Promise<void>;
  send(name: string, data: Record<string, unknown>, options?: { singletonKey?: string; startAfterSeconds?: number }): Promise<string | null>;
  work<T>(name: string, handler: JobHandler<T>, options?: { concurrency?: number }): Promise<void>;
  /** Makes the stored schedules for `keys` exactly `specs` (adds, updates, removes). */
  syncSchedules(specs: readonly ScheduleSpec[], owned: ReadonlyArray<{ name: string; key: string }>): Promise<void>;
  stop(options?: { graceful?: boolean; timeoutMs?: number }): Promise<void>;
}

/** Starts pg-boss on the database (installing or migrating its schema) and returns the queue. */
export async function openJobQueue(database: Database, options: JobQueueOptions = {}): Promise<JobQueue> {
  const common = {
    schema: 'pgboss',
    cronWorkerIntervalSeconds: options.cronWorkerIntervalSeconds ?? 5,
    instanceName: options.instanceName ?? 'cobranza-worker',
  };
  const boss =
    database.backend.kind === 'postgres'
      ? new PgBoss({ ...common, connectionString: database.backend.url, max: 4, application_name: 'cobranza-jobs' })
      : new PgBoss({ ...common, db: fromPglite(database.backend.client), backend: 'pglite' });
  // pg-boss reports maintenance problems as events; an unhandled 'error' event would end the process.
  boss.on('error', (error: unknown) => {
    process.emitWarning(`job queue: ${error instanceof Error ? error.message : String(error)}`);
  });
  await boss.start();
  const polling = options.pollingIntervalSeconds ?? 2;
  let stopped = false;
  return {
    boss,
    async define(queues) {
      for (const q of queues) {
        await boss.createQueue(q.name, { expireInSeconds: q.expireInSeconds, retryLimit: q.retryLimit, retryDelay: q.retryDelaySeconds, retryBackoff: true });
      }
    },
    send(name, data, o = {}) {
      return boss.send(name, data, {
        ...(o.singletonKey ? { singletonKey: o.singletonKey } : {}),
        ...(o.startAfterSeconds ? { startAfter: o.startAfterSeconds } : {}),
      });
    },
    async work<T>(name: string, handler: JobHandler<T>, o: { concurrency?: number } = {}) {
      await boss.work<T>(name, { pollingIntervalSeconds: polling, localConcurrency: o.concurrency ?? 1, batchSize: 1 }, async (jobs: Job<T>[]) => {
        for (const job of jobs) await handler(job.data, { id: job.id, retryCount: job.retryCount });
      });
    },
    async syncSchedules(specs, owned) {
      const wanted = new Set(specs.map((s) => `${s.name}|${s.key}`));
      for (const o of owned) if (!wanted.has(`${o.name}|${o.key}`)) await boss.unschedule(o.name, o.key);
      for (const s of specs) await boss.schedule(s.name, s.cron, s.data, { tz: s.tz, key: s.key, missed: s.catchUp ? 'once' : 'skip' });
    },
    async stop(o = {}) {
      if (stopped) return;
      stopped = true;
      // close: false — the database connection is the caller's on PGlite; pg-boss closes only its own pool.
      await boss.stop({ graceful: o.graceful ?? true, timeout: o.timeoutMs ?? 30_000, close: database.backend.kind === 'postgres' });
    },
  };
}
