/** A company with one portfolio, debtors and obligations, and a day-by-day driver: the daily run, then planning. */
import { and, asc, eq } from 'drizzle-orm';
import { consents, debtors, obligations, outboxMessages, payments, portfolios, tasks } from '../../src/db/schema.ts';
import { runPortfolio } from '../../src/modules/collection-runs/index.ts';
import { setAutomationSettings } from '../../src/modules/messaging/index.ts';
import { recomputeBalances } from '../../src/modules/portfolio/recompute-balances.ts';
import { fixedClock } from '../../src/modules/shared/clock.ts';
import type { Ctx } from '../../src/modules/shared/context.ts';
import { planDay, type PlanDaySummary } from '../../src/modules/strategies/index.ts';
import { createTestCompany, createTestDatabase, type TestDatabase } from '../support/database.ts';

export interface World {
  database: TestDatabase;
  ctx: Ctx;
  clock: ReturnType<typeof fixedClock>;
  portfolioId: number;
  debtor(externalId: string, extra?: Partial<typeof debtors.$inferInsert>): Promise<number>;
  obligation(debtorId: number, externalId: string, dueOn: string, amount: bigint, currency?: string): Promise<number>;
  consent(debtorId: number, channel: string, status?: 'granted' | 'denied'): Promise<void>;
  pay(debtorId: number, externalId: string, paidOn: string, amount: bigint, currency?: string): Promise<void>;
  /** Sets the clock to `time` (UTC, default 13:00Z) on `date`, runs the daily run and plans the day. */
  day(date: string, time?: string): Promise<PlanDaySummary>;
  messages(debtorId?: number): Promise<Array<typeof outboxMessages.$inferSelect>>;
  tasks(debtorId?: number): Promise<Array<typeof tasks.$inferSelect>>;
  close(): Promise<void>;
}

export async function createWorld(country = 'MX', start = '2026-03-01T13:00:00Z'): Promise<World> {
  const database = await createTestDatabase();
  // Dropping the throwaway database (WITH FORCE) can reach pooled connections that are still closing; their FATAL
  // notice must not surface as an uncaught error after the tests have passed.
  if (database.backend.kind === 'postgres') database.backend.client.on('error', () => {});
  const company = await createTestCompany(database, 'acme', country);
  const clock = fixedClock(start);
  const ctx: Ctx = { database, clock, companyId: company.id, actor: 'test' };
  const [p] = await database.db.select().from(portfolios).where(eq(portfolios.companyId, company.id));
  const portfolioId = p!.id;
  const world: World = {
    database,
    ctx,
    clock,
    portfolioId,
    async debtor(externalId, extra = {}) {
      const [row] = await database.db
        .insert(debtors)
        .values({
          companyId: company.id,
          externalId,
          name: `Deudor ${externalId}`,
          country: 'MX',
          timeZone: 'America/Mexico_City',
          email: `${externalId.toLowerCase()}@example.com`,
          phone: '+525512345678',
          ...extra,
        })
        .returning({ id: debtors.id });
      return row!.id;
    },
    async obligation(debtorId, externalId, dueOn, amount, currency = 'MXN') {
      const [row] = await database.db
        .insert(obligations)
        .values({ companyId: company.id, portfolioId, debtorId, externalId, currency, amount, balance: amount, dueOn })
        .returning({ id: obligations.id });
      return row!.id;
    },
    async consent(debtorId, channel, status = 'granted') {
      await database.db.insert(consents).values({ companyId: company.id, debtorId, channel, status, source: 'test' });
    },
    async pay(debtorId, externalId, paidOn, amount, currency = 'MXN') {
      await database.db.insert(payments).values({ companyId: company.id, debtorId, externalId, currency, amount, unapplied: amount, paidOn });
      await recomputeBalances(database.db, company.id, [debtorId]);
    },
    async day(date, time = '13:00:00Z') {
      clock.set(`${date}T${time}`);
      await runPortfolio(ctx, { asOf: date });
      // Small pages, so walking a portfolio page by page is exercised too.
      return planDay(ctx, { asOf: date, pageSize: 3 });
    },
    async messages(debtorId) {
      return database.db
        .select()
        .from(outboxMessages)
        .where(debtorId === undefined ? eq(outboxMessages.companyId, company.id) : and(eq(outboxMessages.companyId, company.id), eq(outboxMessages.debtorId, debtorId)))
        .orderBy(asc(outboxMessages.id));
    },
    async tasks(debtorId) {
      return database.db
        .select()
        .from(tasks)
        .where(debtorId === undefined ? eq(tasks.companyId, company.id) : and(eq(tasks.companyId, company.id), eq(tasks.debtorId, debtorId)))
        .orderBy(asc(tasks.id));
    },
    close: () => database.close(),
  };
  return world;
}

/** Sender settings for tests that render and dispatch messages: the creditor, an email sender and link patterns. */
export async function setAcmeSender(ctx: Ctx): Promise<void> {
  await setAutomationSettings(ctx, {
    sender: {
      creditor: { name: 'Financiera Acme', legal_id: 'FAC010101AB1', phone: '800 123 4567' },
      email_from: 'Financiera Acme <cobranza@acme.example>',
      payment_link: 'https://pagos.acme.example/p/{debtor}',
      portal_link: 'https://portal.acme.example/{debtor}',
    },
  });
}

/** Every date from `from` to `to`, inclusive. */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** Acme's sender settings (creditor, addresses, links), without which templates do not render, as `cobranza automation set` saves them. */
export const ACME_SENDER = {
  creditor: { name: 'Financiera Acme', legal_id: 'FAC010101AB1', phone: '800 123 4567' },
  email_from: 'Financiera Acme <cobranza@acme.example>',
  payment_link: 'https://pagos.acme.example/p/{debtor}',
  portal_link: 'https://portal.acme.example/{debtor}',
};
