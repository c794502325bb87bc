/**
 * A small book for the back-office tests: company MX, collectors as real users, debtors with obligations at chosen
 * days past due, and the daily run for a date. Real database (PGlite, or PostgreSQL with DATABASE_URL).
 */
import { and, eq } from 'drizzle-orm';
import { debtors, inboundMessages, obligations, payments, portfolios, tasks } from '../../src/db/schema.ts';
import { addDays, type PlainDate } from '../../src/domain/calendar.ts';
import { createUser } from '../../src/modules/access/index.ts';
import { runPortfolio } from '../../src/modules/collection-runs/index.ts';
import { recomputeBalances } from '../../src/modules/portfolio/recompute-balances.ts';
import { fixedClock } from '../../src/modules/shared/clock.ts';
import type { Ctx, Principal } from '../../src/modules/shared/context.ts';
import { createTestCompany, createTestDatabase, type TestDatabase } from '../support/database.ts';

export interface Book {
  database: TestDatabase;
  ctx: Ctx;
  clock: ReturnType<typeof fixedClock>;
  today: PlainDate;
  portfolioId: number;
  companyId: number;
  user(email: string, role: Principal['role']): Promise<number>;
  as(userId: number, role: Principal['role']): Ctx;
  debtor(externalId: string, options: { dpd: number; amount: bigint; currency?: string; region?: string; phone?: string | null }): Promise<number>;
  task(debtorId: number, kind: string, note?: string): Promise<number>;
  reply(debtorId: number, text: string): Promise<number>;
  pay(debtorId: number, externalId: string, amount: bigint, currency?: string, paidOn?: string): Promise<void>;
  run(date?: string): Promise<void>;
  close(): Promise<void>;
}

/** Monday 16 March 2026, 10:00 in Mexico City. */
export const NOW = '2026-03-16T16:00:00Z';

export async function createBook(slug = 'acme', now = NOW): Promise<Book> {
  const database = await createTestDatabase();
  if (database.backend.kind === 'postgres') database.backend.client.on('error', () => {});
  const company = await createTestCompany(database, slug, 'MX');
  const clock = fixedClock(now);
  const ctx: Ctx = { database, clock, companyId: company.id, actor: 'test' };
  const [p] = await database.db.select().from(portfolios).where(eq(portfolios.companyId, company.id));
  const today = now.slice(0, 10) as PlainDate;
  let seq = 0;
  const book: Book = {
    database,
    ctx,
    clock,
    today,
    portfolioId: p!.id,
    companyId: company.id,
    async user(email, role) {
      const { user } = await createUser(ctx, { email, name: email.split('@')[0]!, role, password: 'una clave larga y segura 123', ...(role === 'agency' ? { agency: 'Despacho Norte' } : {}) });
      return user.id;
    },
    as(userId, role) {
      return { ...ctx, actor: `user:${userId}`, principal: { kind: 'user', id: userId, role, agencyId: null } };
    },
    async debtor(externalId, o) {
      const [d] = await database.db
        .insert(debtors)
        .values({ companyId: company.id, externalId, name: `Deudor ${externalId}`, country: 'MX', timeZone: 'America/Mexico_City', email: `${externalId.toLowerCase()}@example.com`, phone: o.phone === undefined ? '+525512345678' : o.phone, region: o.region ?? null })
        .returning({ id: debtors.id });
      await database.db.insert(obligations).values({ companyId: company.id, portfolioId: p!.id, debtorId: d!.id, externalId: `${externalId}-1`, currency: o.currency ?? 'MXN', amount: o.amount, balance: o.amount, dueOn: addDays(today, -o.dpd), issuedOn: addDays(today, -o.dpd - 30) });
      return d!.id;
    },
    async task(debtorId, kind, note) {
      const [t] = await database.db
        .insert(tasks)
        .values({ companyId: company.id, debtorId, portfolioId: p!.id, kind, dueOn: today, cause: `test:${++seq}`, idempotencyKey: `test:${kind}:${debtorId}:${seq}`, note: note ?? null, createdAt: clock.now() })
        .returning({ id: tasks.id });
      return t!.id;
    },
    async reply(debtorId, text) {
      const [m] = await database.db
        .insert(inboundMessages)
        .values({ companyId: company.id, debtorId, channel: 'whatsapp', providerMessageId: `wamid.${++seq}`, fromAddress: '+525512345678', text, receivedAt: clock.now() })
        .returning({ id: inboundMessages.id });
      return m!.id;
    },
    async pay(debtorId, externalId, amount, currency = 'MXN', paidOn = today) {
      await database.db.insert(payments).values({ companyId: company.id, debtorId, externalId, currency, amount, unapplied: amount, paidOn });
      await recomputeBalances(database.db, company.id, [debtorId]);
    },
    async run(date = today) {
      await runPortfolio(ctx, { asOf: date });
    },
    close: () => database.close(),
  };
  return book;
}

export async function taskStatus(book: Book, id: number): Promise<string> {
  const [t] = await book.database.db.select({ status: tasks.status }).from(tasks).where(and(eq(tasks.companyId, book.companyId), eq(tasks.id, id)));
  return t!.status;
}
