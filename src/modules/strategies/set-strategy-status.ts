import { and, eq, sql } from 'drizzle-orm';
import { strategies } from '../../db/schema.ts';
import { AppError, notFound } from '../shared/errors.ts';
import type { Ctx } from '../shared/context.ts';
import { recordAudit } from '../access/audit.ts';
import { t } from '../../domain/text.ts';

/** Pauses a strategy (nothing new is planned; messages already in the outbox still go) or activates it again. */
export async function setStrategyStatus(ctx: Ctx, options: { name: string; status: 'active' | 'paused' }): Promise<void> {
  await ctx.database.db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(7261003, ${ctx.companyId}::int)`);
    const [s] = await tx.select().from(strategies).where(and(eq(strategies.companyId, ctx.companyId), eq(strategies.name, options.name)));
    if (!s) throw notFound('strategy', options.name);
    if (s.status === options.status) return;
    if (options.status === 'active') {
      const [other] = await tx
        .select({ name: strategies.name })
        .from(strategies)
        .where(and(eq(strategies.portfolioId, s.portfolioId), eq(strategies.status, 'active')));
      if (other) throw new AppError('conflict', t(`the portfolio already runs strategy "${other.name}"; pause it first`, `la cartera ya corre la estrategia "${other.name}"; páusela primero`));
    }
    await tx.update(strategies).set({ status: options.status, updatedAt: ctx.clock.now() }).where(eq(strategies.id, s.id));
    await recordAudit(ctx, { action: 'strategy.status', entity: 'strategy', entityId: s.name, before: { status: s.status }, after: { status: options.status } }, tx);
  });
}
