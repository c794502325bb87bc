/** A company with debtors on WhatsApp, a fake clock, a sandbox WhatsApp provider, and ways to talk as a debtor. */
import { and, asc, eq } from 'drizzle-orm';
import { debtors, inboundMessages, obligations, outboxMessages, portfolios, tasks } from '../../src/db/schema.ts';
import { conversations, conversationTurns } from '../../src/db/tables/conversations.ts';
import { runPortfolio } from '../../src/modules/collection-runs/index.ts';
import { replyAsDebtorInSandbox } from '../../src/modules/conversations/index.ts';
import { dispatchDue, setAutomationSettings, type ProviderRegistry } from '../../src/modules/messaging/index.ts';
import { fixedClock } from '../../src/modules/shared/clock.ts';
import type { Ctx } from '../../src/modules/shared/context.ts';
import { createSandboxProvider } from '../../src/providers/sandbox.ts';
import { createTestCompany, createTestDatabase, type TestDatabase } from '../support/database.ts';

export interface Chat {
  database: TestDatabase;
  ctx: Ctx;
  clock: ReturnType<typeof fixedClock>;
  whatsapp: ReturnType<typeof createSandboxProvider<'whatsapp'>>;
  providers: ProviderRegistry;
  /** A debtor with a WhatsApp number and one overdue obligation of `amount` minor units, due `dueOn`. */
  debtor(externalId: string, whatsapp: string, amount?: bigint, dueOn?: string): Promise<number>;
  /** Writes as the debtor through the sandbox reply path, then dispatches; returns what the debtor received. */
  say(externalId: string, text: string): Promise<{ received: string[]; result: Awaited<ReturnType<typeof replyAsDebtorInSandbox>> }>;
  replies(debtorId: number): Promise<Array<typeof outboxMessages.$inferSelect>>;
  inbound(debtorId: number): Promise<Array<typeof inboundMessages.$inferSelect>>;
  tasks(debtorId: number): Promise<Array<typeof tasks.$inferSelect>>;
  turns(debtorId: number): Promise<Array<typeof conversationTurns.$inferSelect>>;
  close(): Promise<void>;
}

export async function createChat(start = '2026-11-24T18:00:00Z'): Promise<Chat> {
  const database = await createTestDatabase();
  if (database.backend.kind === 'postgres') database.backend.client.on('error', () => {});
  const company = await createTestCompany(database, 'acme', 'MX');
  const clock = fixedClock(start);
  const ctx: Ctx = { database, clock, companyId: company.id, actor: 'test' };
  await setAutomationSettings(ctx, { sender: { creditor: { name: 'Acme Crédito', legal_id: 'ACM010101AB1', phone: '800 000 0000' } } });
  const [p] = await database.db.select().from(portfolios).where(eq(portfolios.companyId, company.id));
  const whatsapp = createSandboxProvider('whatsapp', { clock });
  const providers: ProviderRegistry = { whatsapp };
  const byExternal = new Map<string, number>();
  const chat: Chat = {
    database,
    ctx,
    clock,
    whatsapp,
    providers,
    async debtor(externalId, number, amount = 500_000n, dueOn = '2026-10-10') {
      const [row] = await database.db
        .insert(debtors)
        .values({ companyId: company.id, externalId, name: `Juan ${externalId} Pérez`, country: 'MX', timeZone: 'America/Mexico_City', whatsapp: number, phone: number })
        .returning({ id: debtors.id });
      await database.db.insert(obligations).values({ companyId: company.id, portfolioId: p!.id, debtorId: row!.id, externalId: `${externalId}-1`, currency: 'MXN', amount, balance: amount, dueOn });
      await runPortfolio(ctx, { asOf: clock.now().toISOString().slice(0, 10), force: true });
      byExternal.set(externalId, row!.id);
      return row!.id;
    },
    async say(externalId, text) {
      const before = whatsapp.sent().length;
      const result = await replyAsDebtorInSandbox(ctx, { debtorExternalId: externalId, channel: 'whatsapp', text });
      await dispatchDue(ctx, { providers });
      const received = whatsapp
        .sent()
        .slice(before)
        .map((r) => r.message.text ?? `[template ${r.message.template?.name}]`);
      return { received, result };
    },
    async replies(debtorId) {
      return database.db.select().from(outboxMessages).where(and(eq(outboxMessages.debtorId, debtorId), eq(outboxMessages.templateKey, 'free_form_reply'))).orderBy(asc(outboxMessages.id));
    },
    async inbound(debtorId) {
      return database.db.select().from(inboundMessages).where(eq(inboundMessages.debtorId, debtorId)).orderBy(asc(inboundMessages.id));
    },
    async tasks(debtorId) {
      return database.db.select().from(tasks).where(eq(tasks.debtorId, debtorId)).orderBy(asc(tasks.id));
    },
    async turns(debtorId) {
      return database.db
        .select({ turn: conversationTurns })
        .from(conversationTurns)
        .innerJoin(conversations, eq(conversations.id, conversationTurns.conversationId))
        .where(eq(conversations.debtorId, debtorId))
        .orderBy(asc(conversationTurns.id))
        .then((rows) => rows.map((r) => r.turn));
    },
    async close() {
      await database.close();
    },
  };
  return chat;
}
