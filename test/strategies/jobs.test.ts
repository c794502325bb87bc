/**
 * The worker over the durable queue (pg-boss on PGlite in-process, or on the PostgreSQL server): the schedules it
 * registers, and a daily-run job that runs the daily run, plans the day and dispatches what is due through the
 * providers — run twice, it sends nothing twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type Worker } from '../../src/jobs/worker.ts';
import { QUEUES } from '../../src/jobs/schedules.ts';
import { setAutomationSettings, type ChannelProvider, type OutboundMessage, type SendResult } from '../../src/modules/messaging/index.ts';
import { applyStrategy } from '../../src/modules/strategies/index.ts';
import { createWorld, type World } from './helpers.ts';

let w: World;
let worker: Worker;
const received: OutboundMessage[] = [];
const provider = (channel: 'sms' | 'email'): ChannelProvider => ({
  name: `loop-${channel}`,
  channel,
  async send(m): Promise<SendResult> {
    received.push(m);
    return { providerMessageId: `p-${received.length}`, status: 'accepted' };
  },
});

/** Polls (real time: pg-boss runs on the system clock) until `ok` holds or the attempts run out. */
async function until<T>(what: () => Promise<T>, ok: (v: T) => boolean, attempts = 300): Promise<T> {
  for (let i = 0; ; i++) {
    const v = await what();
    if (ok(v) || i >= attempts) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  w = await createWorld('MX', '2026-03-05T13:00:00Z');
  await setAutomationSettings(w.ctx, {
    dailyRunAt: '05:30',
    sender: { creditor: { name: 'Acme', legal_id: 'ACM010101AB1', phone: '800 000 0000' }, payment_link: 'https://pagos.acme.example/{debtor}', portal_link: 'https://portal.acme.example/{debtor}' },
  });
  await applyStrategy(w.ctx, {
    source: `
name: jobs
portfolio: default
rules:
  - phase: preventive
    steps:
      - { id: pre-5, trigger: -5, channel: sms, template: preventive_reminder }
      - { id: pre-5-mail, trigger: -5, channel: email, template: preventive_reminder }
`,
  });
  const a = await w.debtor('J1');
  const b = await w.debtor('J2');
  await w.obligation(a, 'J1-1', '2026-03-10', 10_000n);
  await w.obligation(b, 'J2-1', '2026-03-10', 20_000n);
  worker = await startWorker({
    database: w.database,
    clock: w.clock,
    providers: { sms: provider('sms'), email: provider('email') },
    companyIds: [w.ctx.companyId],
    queue: { pollingIntervalSeconds: 0.5 },
  });
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await w?.close();
}, 120_000);

describe('worker', () => {
  it('registers the daily run at the company hour in its time zone, and the dispatch sweep', async () => {
    const schedules = await worker.queue.boss.getSchedules();
    const mine = schedules.filter((s) => s.key === `company-${w.ctx.companyId}`).map((s) => ({ name: s.name, cron: s.cron, tz: s.timezone }));
    expect(mine).toEqual(
      expect.arrayContaining([
        { name: QUEUES.dailyRun, cron: '30 5 * * *', tz: 'America/Mexico_City' },
        { name: QUEUES.dispatch, cron: '* * * * *', tz: 'UTC' },
      ]),
    );
    await setAutomationSettings(w.ctx, { dailyRunAt: '07:15' });
    await worker.syncSchedules();
    expect((await worker.queue.boss.getSchedules(QUEUES.dailyRun)).find((s) => s.key === `company-${w.ctx.companyId}`)?.cron).toBe('15 7 * * *');
    await setAutomationSettings(w.ctx, { enabled: false });
    await worker.syncSchedules();
    expect((await worker.queue.boss.getSchedules()).filter((s) => s.key === `company-${w.ctx.companyId}`)).toEqual([]);
    await setAutomationSettings(w.ctx, { enabled: true });
    await worker.syncSchedules();
  });

  it('runs the daily run, plans and dispatches from one job; a second job sends nothing again', async () => {
    await worker.queue.send(QUEUES.dailyRun, { companyId: w.ctx.companyId });
    const sent = await until(
      async () => (await w.messages()).filter((m) => m.status === 'sent'),
      (rows) => rows.length === 4,
    );
    expect(sent.map((m) => [m.stepId, m.channel]).sort()).toEqual([
      ['pre-5', 'sms'],
      ['pre-5', 'sms'],
      ['pre-5-mail', 'email'],
      ['pre-5-mail', 'email'],
    ]);
    expect(received).toHaveLength(4);

    await worker.queue.send(QUEUES.dailyRun, { companyId: w.ctx.companyId });
    await until(
      () => worker.queue.boss.findJobs(QUEUES.dailyRun, { queued: true }),
      (jobs) => jobs.length === 0,
    );
    await new Promise((r) => setTimeout(r, 1500)); // let the dispatch job it sends run too
    expect(await w.messages()).toHaveLength(4);
    expect(received).toHaveLength(4);
  });
});
