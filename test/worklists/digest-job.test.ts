/**
 * The alert digest as the worker sends it: after the daily-run job, through the configured email provider (here SMTP
 * to a loopback server), one mail per recipient for the company's day; the job run again that day sends none twice.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES } from '../../src/jobs/schedules.ts';
import { startWorker, type Worker } from '../../src/jobs/worker.ts';
import { setAutomationSettings } from '../../src/modules/messaging/index.ts';
import { assignByHand, setCollector } from '../../src/modules/worklists/index.ts';
import { createSmtpProvider } from '../../src/providers/email-smtp.ts';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp.ts';
import { createBook, type Book } from './setup.ts';

let book: Book;
let smtp: FakeSmtp;
let email: ReturnType<typeof createSmtpProvider>;
let worker: Worker;
const logs: string[] = [];

/** Polls (real time: pg-boss runs on the system clock) until `ok` holds or the attempts run out. */
async function until(ok: () => boolean, attempts = 300): Promise<void> {
  for (let i = 0; !ok() && i < attempts; i++) await new Promise((r) => setTimeout(r, 100));
}

const digestLogs = () => logs.filter((l) => l.includes('alert digest'));

beforeAll(async () => {
  book = await createBook();
  smtp = await startFakeSmtp();
  const ana = await book.user('ana@acme.example', 'collector');
  const beto = await book.user('beto@acme.example', 'collector');
  await book.user('sara@acme.example', 'supervisor');
  await book.user('vero@acme.example', 'viewer');
  const x = await book.debtor('X', { dpd: 10, amount: 100_000n });
  await book.run();
  await setCollector(book.ctx, { collectorId: ana, capacity: 10 });
  await setCollector(book.ctx, { collectorId: beto, capacity: 10 });
  await assignByHand(book.ctx, { debtorExternalIds: ['X'], collectorId: ana, reason: 'prueba' });
  await book.task(x, 'promise_broken', 'Promesa #1 incumplida');
  await setAutomationSettings(book.ctx, { sender: { creditor: { name: 'Acme' }, email_from: 'Cobranza Acme <avisos@acme.example>' } });
  email = createSmtpProvider({ host: smtp.host, port: smtp.port, secure: false, from: 'Cobranza <sistema@acme.example>', timeoutMs: 5000 });
  worker = await startWorker({
    database: book.database,
    clock: book.clock,
    providers: { email },
    companyIds: [book.companyId],
    queue: { pollingIntervalSeconds: 0.5 },
    appUrl: 'https://cobranza.acme.example',
    log: (line) => logs.push(line),
  });
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  email?.close();
  await smtp?.close();
  await book?.close();
}, 120_000);

describe('alert digest from the daily job', () => {
  it('mails one digest per recipient after the daily run, and none twice when the job runs again that day', async () => {
    await worker.queue.send(QUEUES.dailyRun, { companyId: book.companyId });
    await until(() => digestLogs().length === 1);
    expect(digestLogs()).toEqual([`company ${book.companyId}: alert digest 2026-03-16: 2 sent, 1 skipped, 0 failed`]);
    // The digest follows the day's run and back office in the same job.
    const order = (text: string) => logs.findIndex((l) => l.includes(text));
    expect(order('daily run 2026-03-16')).toBeGreaterThanOrEqual(0);
    expect(order('back office')).toBeGreaterThan(order('daily run 2026-03-16'));
    expect(order('alert digest')).toBeGreaterThan(order('back office'));

    // Sara (supervisor: every alert) and Ana (the broken promise is on her account); Beto has none, viewers get none.
    expect(smtp.messages.map((m) => m.envelope.to[0]).sort()).toEqual(['ana@acme.example', 'sara@acme.example']);
    const sara = smtp.messages.find((m) => m.envelope.to[0] === 'sara@acme.example')!;
    expect(sara.parsed.subject).toMatch(/alertas de cobranza del 2026-03-16/);
    expect(sara.parsed.from?.text).toContain('avisos@acme.example');
    expect(sara.parsed.text).toContain('https://cobranza.acme.example/app/alerts');

    await worker.queue.send(QUEUES.dailyRun, { companyId: book.companyId });
    await until(() => digestLogs().length === 2);
    expect(digestLogs()[1]).toBe(`company ${book.companyId}: alert digest 2026-03-16: 0 sent, 3 skipped, 0 failed`);
    expect(smtp.messages).toHaveLength(2);
    const rows = await book.database.query<{ recipient: string; sent: boolean }>(
      sql`SELECT recipient, sent_at IS NOT NULL AS sent FROM alert_digests WHERE company_id = ${book.companyId} ORDER BY recipient`,
    );
    expect(rows.map((r) => [r.recipient, r.sent])).toEqual([
      ['ana@acme.example', true],
      ['sara@acme.example', true],
    ]);
  }, 120_000);
});
